package main

import (
	"slices"
	"time"
)

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// span is the smallest and largest of ns, for counts that should not vary.
func span(ns []int) (lo, hi int) {
	if len(ns) == 0 {
		return 0, 0
	}
	return slices.Min(ns), slices.Max(ns)
}

func ratio(a, b time.Duration) float64 {
	if b <= 0 {
		return 0
	}
	return float64(a) / float64(b)
}
