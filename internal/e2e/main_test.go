package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const providerBinary = "terraform-provider-pbx"

var (
	// terraformPath is the terraform binary every test runs.
	terraformPath string
	// pluginDir holds the provider binary built once for the whole package;
	// dev_overrides points at it.
	pluginDir string
	// skipReason is set when Terraform is missing, so every test skips.
	skipReason string
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	var err error
	terraformPath, err = findTerraform()
	if err != nil {
		skipReason = err.Error()
		return m.Run()
	}
	dir, err := os.MkdirTemp("", "pbx-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(dir)
	pluginDir = dir
	if err := buildProvider(dir); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: building the provider:", err)
		return 1
	}
	return m.Run()
}

// findTerraform prefers TF_ACC_TERRAFORM_PATH, as make test sets it, then PATH.
func findTerraform() (string, error) {
	if p := os.Getenv("TF_ACC_TERRAFORM_PATH"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("TF_ACC_TERRAFORM_PATH names no usable terraform: %w", err)
		}
		return p, nil
	}
	p, err := exec.LookPath("terraform")
	if err != nil {
		return "", errors.New("no terraform on PATH: the end-to-end tests need the real terraform binary (make test checks for it)")
	}
	return p, nil
}

// buildProvider compiles the module's main package into dir.
func buildProvider(dir string) error {
	goTool, err := exec.LookPath("go")
	if err != nil {
		return err
	}
	// A cold build takes about 40 s on two cores.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	root, err := moduleRoot(ctx, goTool)
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, goTool, "build", "-o", filepath.Join(dir, providerBinary), ".")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("%w\n%s", err, out)
	}
	return nil
}

func moduleRoot(ctx context.Context, goTool string) (string, error) {
	out, err := exec.CommandContext(ctx, goTool, "env", "GOMOD").Output()
	if err != nil {
		return "", err
	}
	gomod := string(bytes.TrimSpace(out))
	if gomod == "" || gomod == os.DevNull || !strings.HasSuffix(gomod, "go.mod") {
		return "", fmt.Errorf("not inside the module (go env GOMOD = %q)", gomod)
	}
	return filepath.Dir(gomod), nil
}

// requireTerraform skips t when Terraform is missing.
func requireTerraform(t *testing.T) {
	t.Helper()
	if skipReason != "" {
		t.Skip(skipReason)
	}
}
