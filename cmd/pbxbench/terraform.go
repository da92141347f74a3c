package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// terraform runs the terraform CLI with dev_overrides for both providers,
// so no `terraform init` (and no registry) is needed.
type terraform struct {
	env []string
}

func newTerraform(work string, bins binaries, f *fleet) (*terraform, error) {
	cliConfig := filepath.Join(work, "terraformrc")
	rc := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "pbxops/pbx"   = %q
    "pbxops/empty" = %q
  }
  direct {}
}
`, bins.pbxOverride, bins.emptyOverride)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o600); err != nil {
		return nil, err
	}
	// Nothing from the caller's shell (a real PBX, TF_LOG, a plugin
	// cache) may change what is measured.
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TF_") && !strings.HasPrefix(kv, "PBX_") && !strings.HasPrefix(kv, "CHECKPOINT_") {
			env = append(env, kv)
		}
	}
	env = append(env,
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"PBX_BASE_URL="+f.url(0),
		"PBX_CLIENT_ID="+pbxsim.DefaultClientID,
		"PBX_CLIENT_SECRET="+pbxsim.DefaultClientSecret,
		"PBX_CA_CERT_FILE="+f.caFile,
	)
	return &terraform{env: env}, nil
}

// plan is a refresh-free plan, as a CI job would run it.
var planArgs = []string{"plan", "-input=false", "-refresh=false", "-lock=false", "-no-color"}

// timing is one terraform command's cost.
type timing struct {
	wall time.Duration // from start to exit; provider processes have exited by then
	cpu  time.Duration // user + system, including the provider processes it waited for
}

func (t *terraform) run(ctx context.Context, dir string, extraEnv []string, args ...string) (timing, error) {
	cmd := exec.CommandContext(ctx, "terraform", args...)
	cmd.Dir = dir
	cmd.Env = append(append([]string{}, t.env...), extraEnv...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	took := timing{wall: time.Since(start)}
	if cmd.ProcessState != nil {
		took.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	if err != nil {
		return took, fmt.Errorf("terraform %s in %s: %w\n%s", strings.Join(args, " "), dir, err, tail(out.String(), 40))
	}
	return took, nil
}

func tail(s string, lines int) string {
	all := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(all[max(0, len(all)-lines):], "\n")
}

// writeConfig puts a configuration alone in a fresh folder.
func writeConfig(dir, hcl string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "main.tf"), []byte(hcl), 0o600)
}
