package main

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
)

// machine describes where the figures were taken.
type machine struct {
	cpus             int
	cpuModel         string
	memory           string
	system           string
	goVersion        string
	terraformVersion string
	// Other work on the machine skews the times.
	loadBefore, loadAfter string
}

func describeMachine(ctx context.Context) machine {
	m := machine{
		cpus:       runtime.NumCPU(),
		cpuModel:   procField("/proc/cpuinfo", "model name"),
		memory:     "unknown",
		system:     runtime.GOOS + "/" + runtime.GOARCH,
		loadBefore: loadAverage(),
	}
	if nproc, err := output(ctx, "", "nproc"); err == nil {
		if n, err := strconv.Atoi(nproc); err == nil {
			m.cpus = n
		}
	}
	if kib, err := strconv.ParseFloat(strings.TrimSuffix(procField("/proc/meminfo", "MemTotal"), " kB"), 64); err == nil {
		m.memory = fmt.Sprintf("%.1f GiB", kib/(1<<20))
	}
	if kernel, err := output(ctx, "", "uname", "-r"); err == nil {
		m.system += ", kernel " + kernel
	}
	m.goVersion, _ = output(ctx, "", "go", "version")
	if v, err := output(ctx, "", "terraform", "version"); err == nil {
		m.terraformVersion, _, _ = strings.Cut(v, "\n")
	}
	return m
}

// procField reads "name : value" from a /proc file; empty if absent.
func procField(path, name string) string {
	f, err := os.Open(path) //nolint:gosec // a fixed /proc path
	if err != nil {
		return ""
	}
	defer f.Close()
	lines := bufio.NewScanner(f)
	for lines.Scan() {
		key, value, ok := strings.Cut(lines.Text(), ":")
		if ok && strings.TrimSpace(key) == name {
			return strings.TrimSpace(value)
		}
	}
	return ""
}

// loadAverage is the 1, 5 and 15 minute load average.
func loadAverage() string {
	raw, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	fields := strings.Fields(string(raw))
	if len(fields) < 3 {
		return "unknown"
	}
	return strings.Join(fields[:3], " ")
}
