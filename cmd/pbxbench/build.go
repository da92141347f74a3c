package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
)

// binaries are the programs a run needs. Terraform's dev_overrides point at
// the override folders, which hold the usage wrapper under the provider's
// name; the wrapper runs the real binary from real/ beside it.
type binaries struct {
	pbxOverride, emptyOverride string
	pbx, empty                 string // the real binaries
}

func build(ctx context.Context, root, providerSrc, work string) (binaries, error) {
	b := binaries{
		pbxOverride:   filepath.Join(work, "override", "pbx"),
		emptyOverride: filepath.Join(work, "override", "empty"),
	}
	b.pbx = filepath.Join(b.pbxOverride, "real", "terraform-provider-pbx")
	b.empty = filepath.Join(b.emptyOverride, "real", "terraform-provider-empty")
	steps := []struct{ dir, out, pkg string }{
		{abs(providerSrc), b.pbx, "."},
		{root, b.empty, "./cmd/pbxbench/internal/emptyprovider"},
		{root, filepath.Join(b.pbxOverride, "terraform-provider-pbx"), "./cmd/pbxbench/internal/usagewrapper"},
		{root, filepath.Join(b.emptyOverride, "terraform-provider-empty"), "./cmd/pbxbench/internal/usagewrapper"},
	}
	for _, s := range steps {
		// Both providers are built alike, so start-up compares like with like.
		if _, err := output(ctx, s.dir, "go", "build", "-o", s.out, s.pkg); err != nil {
			return b, fmt.Errorf("building %s in %s: %w", s.pkg, s.dir, err)
		}
	}
	return b, nil
}

// moduleRoot is the folder holding this module's go.mod.
func moduleRoot(ctx context.Context) (string, error) {
	gomod, err := output(ctx, "", "go", "env", "GOMOD")
	if err != nil {
		return "", err
	}
	if gomod == "" || gomod == "/dev/null" {
		return "", errors.New("run pbxbench from inside the module: go env GOMOD names no go.mod")
	}
	return filepath.Dir(gomod), nil
}

// revision names the git commit of dir, marked when the tree has changes.
func revision(ctx context.Context, dir string) string {
	rev, err := output(ctx, dir, "git", "rev-parse", "--short", "HEAD")
	if err != nil {
		return "the provider built from " + abs(dir)
	}
	if changes, _ := output(ctx, dir, "git", "status", "--porcelain", "--untracked-files=no"); changes != "" {
		return "commit " + rev + " with uncommitted changes"
	}
	return "commit " + rev
}

// output runs a command and returns its trimmed stdout; on failure the
// error carries its stderr.
func output(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s %s: %w: %s", name, strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return strings.TrimSpace(stdout.String()), nil
}
