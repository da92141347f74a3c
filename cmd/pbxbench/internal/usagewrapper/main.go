//go:build unix

// Command usagewrapper stands in for a provider binary so pbxbench can learn
// what each provider process cost. It runs the binary of the same name in
// the real/ folder beside it, with the same arguments, stdio and
// environment, and appends "<peak RSS in KiB> <CPU time in µs>" as a line
// to $PBXBENCH_USAGE_FILE.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
)

func main() {
	self, err := os.Executable()
	if err != nil {
		fail(err)
	}
	target := filepath.Join(filepath.Dir(self), "real", filepath.Base(self))
	child := exec.CommandContext(context.Background(), target, os.Args[1:]...) //nolint:gosec // a path beside this binary
	child.Stdin, child.Stdout, child.Stderr = os.Stdin, os.Stdout, os.Stderr
	// Terraform stops plugins gracefully; pass on any signal all the same.
	signals := make(chan os.Signal, 4)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	if err := child.Start(); err != nil {
		fail(err)
	}
	go func() {
		for sig := range signals {
			_ = child.Process.Signal(sig)
		}
	}()
	_ = child.Wait() // the exit code is passed on below
	if out := os.Getenv("PBXBENCH_USAGE_FILE"); out != "" {
		if err := appendUsage(out, child.ProcessState); err != nil {
			fail(err)
		}
	}
	os.Exit(child.ProcessState.ExitCode())
}

func appendUsage(path string, state *os.ProcessState) error {
	usage, ok := state.SysUsage().(*syscall.Rusage)
	if !ok {
		return fmt.Errorf("no resource usage for the child")
	}
	kib := int64(usage.Maxrss)
	if runtime.GOOS == "darwin" {
		kib /= 1024 // bytes there, KiB on Linux
	}
	cpu := state.UserTime() + state.SystemTime()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600) //nolint:gosec // the benchmark's own file
	if err != nil {
		return err
	}
	// One short write, so lines from processes ending together do not mix.
	if _, err := fmt.Fprintf(f, "%d %d\n", kib, cpu.Microseconds()); err != nil {
		_ = f.Close()
		return err
	}
	return f.Close()
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "usagewrapper:", err)
	os.Exit(1)
}
