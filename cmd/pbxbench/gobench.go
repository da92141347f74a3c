package main

import (
	"context"
	"strings"
)

// goBenchPattern selects the decoding and state-conversion benchmarks.
const goBenchPattern = "DecodeCertificateQuery|CertificateState"

var goBenchPackages = []string{"./internal/client", "./internal/provider"}

// goBenchmarks runs the Go benchmarks of the provider's source tree and
// keeps their result lines; a tree without them yields nothing.
func goBenchmarks(ctx context.Context, providerSrc string) (string, error) {
	args := append([]string{"test", "-run", "^$", "-bench", goBenchPattern, "-benchmem"}, goBenchPackages...)
	out, err := output(ctx, abs(providerSrc), "go", args...)
	if err != nil {
		return "", err
	}
	var keep []string
	for line := range strings.SplitSeq(out, "\n") {
		if strings.HasPrefix(line, "Benchmark") || strings.HasPrefix(line, "pkg:") {
			keep = append(keep, line)
		}
	}
	if !strings.Contains(strings.Join(keep, "\n"), "Benchmark") {
		return "", nil
	}
	return strings.Join(keep, "\n"), nil
}
