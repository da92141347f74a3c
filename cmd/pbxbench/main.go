// Command pbxbench measures what the pbx provider adds to `terraform plan`
// against simulated PBXs over HTTPS, beside Terraform's own floor (the same
// configuration with locals instead of data sources), and writes the
// figures to BENCHMARKS.md. Run it from the module root:
//
//	go run ./cmd/pbxbench -out BENCHMARKS.md
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"
)

type options struct {
	out         string
	runs        int
	providerSrc string // folder whose main package is the provider
	label       string // what was measured, for the report
	keep        bool
	rows        *regexp.Regexp // which plan rows to run
	goBench     bool
}

func main() {
	var opts options
	flag.StringVar(&opts.out, "out", "BENCHMARKS.md", "write the report to this `file`")
	flag.IntVar(&opts.runs, "runs", 9, "timed runs of each side of each row (at least 5; odd gives a true median)")
	flag.StringVar(&opts.providerSrc, "provider-src", ".", "build the provider from this `folder` (for example an older revision from git archive)")
	flag.StringVar(&opts.label, "label", "", "describe the provider build in the report (default: the git revision of -provider-src)")
	flag.BoolVar(&opts.keep, "keep", false, "keep the work folder (binaries, configurations) for inspection")
	rows := flag.String("rows", "", "run only the plan rows whose name matches this `regexp` (for trying things out)")
	flag.BoolVar(&opts.goBench, "go-bench", true, "run the Go decoding and state benchmarks too")
	flag.Parse()
	var err error
	if opts.rows, err = regexp.Compile(*rows); err != nil {
		fmt.Fprintln(os.Stderr, "pbxbench: -rows:", err)
		os.Exit(2)
	}
	if opts.runs < 5 {
		fmt.Fprintln(os.Stderr, "pbxbench: -runs must be at least 5")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, opts); err != nil {
		fmt.Fprintln(os.Stderr, "pbxbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, opts options) error {
	started := time.Now()
	host := describeMachine(ctx)
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "pbxbench-")
	if err != nil {
		return err
	}
	if opts.keep {
		logf("work folder: %s", work)
	} else {
		defer os.RemoveAll(work)
	}
	if opts.label == "" {
		opts.label = revision(ctx, opts.providerSrc)
	}

	logf("building the provider, the empty baseline provider and the usage wrapper")
	bins, err := build(ctx, root, opts.providerSrc, work)
	if err != nil {
		return err
	}
	pbxs, err := startFleet(fleetSize, work)
	if err != nil {
		return err
	}
	defer pbxs.close()
	tf, err := newTerraform(work, bins, pbxs)
	if err != nil {
		return err
	}

	rows, err := measureGrid(ctx, tf, pbxs, work, opts.runs, opts.rows)
	if err != nil {
		return err
	}
	startup, err := measureStartup(ctx, tf, bins, work, opts.runs)
	if err != nil {
		return err
	}
	var goBench string
	if opts.goBench {
		logf("running the Go benchmarks")
		if goBench, err = goBenchmarks(ctx, opts.providerSrc); err != nil {
			return err
		}
	}
	host.loadAfter = loadAverage()
	rep := report{
		machine:    host,
		command:    commandLine(),
		label:      opts.label,
		runs:       opts.runs,
		rows:       rows,
		startup:    startup,
		goBench:    goBench,
		goBenchRan: opts.goBench,
		took:       time.Since(started),
	}
	if err := os.WriteFile(opts.out, []byte(rep.markdown()), 0o644); err != nil { //nolint:gosec // a report meant to be read
		return err
	}
	logf("wrote %s in %s", opts.out, time.Since(started).Round(time.Second))
	return nil
}

// commandLine is how this run was started, for the report.
func commandLine() string {
	args := make([]string, 0, len(os.Args))
	for _, a := range os.Args[1:] {
		if strings.ContainsAny(a, " \t'\"") {
			a = "'" + a + "'"
		}
		args = append(args, a)
	}
	return strings.TrimSpace("go run ./cmd/pbxbench " + strings.Join(args, " "))
}

func logf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "%s pbxbench: %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
}

// abs makes a path absolute so that it survives a change of directory.
func abs(path string) string {
	if p, err := filepath.Abs(path); err == nil {
		return p
	}
	return path
}
