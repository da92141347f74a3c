package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"time"
)

// row is what one cell measured.
type row struct {
	cell
	planA, planB []time.Duration // wall time
	cpuA, cpuB   []time.Duration // CPU time of terraform and its providers
	providerCPU  []time.Duration // CPU time of the pbx provider processes of each A plan
	plans        []counts        // simulator counters over each A plan
	processes    []int           // pbx provider processes each A plan started
	rssKiB       []int64         // peak RSS of every pbx provider process
}

func (r row) peakRSSKiB() int64 {
	if len(r.rssKiB) == 0 {
		return 0
	}
	return slices.Max(r.rssKiB)
}

// of picks one counter from every plan.
func (r row) of(pick func(counts) int) []int {
	out := make([]int, len(r.plans))
	for i, c := range r.plans {
		out[i] = pick(c)
	}
	return out
}

func measureGrid(ctx context.Context, tf *terraform, f *fleet, work string, runs int, only *regexp.Regexp) ([]row, error) {
	var rows []row
	for i, c := range grid() {
		if !only.MatchString(c.name) {
			continue
		}
		// The first row starts with an untimed round, to warm the caches.
		r, err := measureCell(ctx, tf, f, c, filepath.Join(work, "cells", fmt.Sprint(i)), runs, len(rows) == 0)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		logf("%-32s A %6.0f ms   B %6.0f ms   A/B %5.2f×   %d requests, %d full handshakes per plan",
			c.name, ms(median(r.planA)), ms(median(r.planB)), ratio(median(r.planA), median(r.planB)),
			r.plans[0].requests, r.plans[0].fullTLS)
		rows = append(rows, r)
	}
	return rows, nil
}

// measureCell plans both sides runs times each, alternating which goes
// first so that neither always follows the other.
func measureCell(ctx context.Context, tf *terraform, f *fleet, c cell, dir string, runs int, warmUp bool) (row, error) {
	r := row{cell: c}
	dirs := []string{filepath.Join(dir, "a"), filepath.Join(dir, "b")}
	for i, hcl := range []string{providerConfig(c, f), floorConfig(c)} {
		if err := writeConfig(dirs[i], hcl); err != nil {
			return r, err
		}
	}
	f.setLatency(c.latency)
	var cacheEnv []string
	if c.tokenCache {
		cacheEnv = []string{"PBX_TOKEN_CACHE_DIR=" + filepath.Join(dir, "token-cache")}
		warmUp = true // the first plan fills the cache
	}

	// A run below 0 is untimed.
	planA := func(run int) error {
		usageFile := filepath.Join(dir, fmt.Sprintf("usage-a-%d.txt", run))
		before := f.counts()
		took, err := tf.run(ctx, dirs[0], append([]string{"PBXBENCH_USAGE_FILE=" + usageFile}, cacheEnv...), planArgs...)
		if err != nil {
			return err
		}
		usage, err := readUsageFile(usageFile)
		if err != nil || run < 0 {
			return err
		}
		r.planA = append(r.planA, took.wall)
		r.cpuA = append(r.cpuA, took.cpu)
		r.plans = append(r.plans, f.counts().since(before))
		r.processes = append(r.processes, len(usage))
		var providerCPU time.Duration
		for _, u := range usage {
			r.rssKiB = append(r.rssKiB, u.peakRSSKiB)
			providerCPU += u.cpu
		}
		r.providerCPU = append(r.providerCPU, providerCPU)
		return nil
	}
	planB := func(run int) error {
		took, err := tf.run(ctx, dirs[1], nil, planArgs...)
		if err == nil && run >= 0 {
			r.planB = append(r.planB, took.wall)
			r.cpuB = append(r.cpuB, took.cpu)
		}
		return err
	}
	sides := []func(int) error{planA, planB}

	if warmUp {
		for _, plan := range sides {
			if err := plan(-1); err != nil {
				return r, err
			}
		}
	}
	for run := range runs {
		for i := range sides {
			if err := sides[(run+i)%len(sides)](run); err != nil {
				return r, err
			}
		}
	}
	return r, nil
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
