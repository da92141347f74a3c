package main

import (
	"bufio"
	"fmt"
	"os"
	"time"
)

// processUsage is what one provider process cost, as the usage wrapper
// recorded it.
type processUsage struct {
	peakRSSKiB int64
	cpu        time.Duration
}

// readUsageFile reads one line per provider process; a missing file means
// none ran.
func readUsageFile(path string) ([]processUsage, error) {
	f, err := os.Open(path) //nolint:gosec // the benchmark's own file
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var usage []processUsage
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		var u processUsage
		var cpuMicros int64
		if _, err := fmt.Sscanf(lines.Text(), "%d %d", &u.peakRSSKiB, &cpuMicros); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		u.cpu = time.Duration(cpuMicros) * time.Microsecond
		usage = append(usage, u)
	}
	return usage, lines.Err()
}
