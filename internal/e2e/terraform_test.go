package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// runTimeout bounds any single terraform command, so a hang fails the test
// instead of the whole package.
const runTimeout = 90 * time.Second

// workspace is a Terraform working directory with its own environment,
// pointed at one simulated PBX. Everything Terraform writes is scanned for
// secrets as each command ends.
type workspace struct {
	t      *testing.T
	pbx    *testPBX
	dir    string
	logDir string
	env    []string
	secret string // the client secret this workspace sends

	mu           sync.Mutex
	runs         int
	liveReported int // live tokens already reported as left behind
}

// newWorkspace writes config and configures the provider through the
// environment with the simulator's credentials.
func newWorkspace(t *testing.T, pbx *testPBX, config string) *workspace {
	return newWorkspaceAs(t, pbx, config, pbxsim.DefaultClientID, pbxsim.DefaultClientSecret)
}

func newWorkspaceAs(t *testing.T, pbx *testPBX, config, clientID, clientSecret string) *workspace {
	t.Helper()
	requireTerraform(t)
	w := &workspace{t: t, pbx: pbx, dir: t.TempDir(), logDir: t.TempDir(), secret: clientSecret}
	if err := os.WriteFile(filepath.Join(w.dir, "main.tf"), []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	cliConfig := filepath.Join(w.logDir, "terraformrc")
	// dev_overrides runs the fresh binary with no `terraform init`, which
	// would try to reach the registry.
	rc := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"pbxops/pbx\" = %q\n  }\n  direct {}\n}\n", pluginDir)
	if err := os.WriteFile(cliConfig, []byte(rc), 0o600); err != nil {
		t.Fatal(err)
	}
	w.env = append(inheritedEnv(),
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"CHECKPOINT_DISABLE=1",
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"TF_LOG=TRACE",
		"PBX_BASE_URL="+pbx.url,
		"PBX_CLIENT_ID="+clientID,
		"PBX_CLIENT_SECRET="+clientSecret,
		"PBX_CA_CERT_FILE="+pbx.caFile,
	)
	return w
}

// inheritedEnv is this process's environment without anything that could
// steer Terraform or the provider: each command's environment is built
// whole, so tests need no os.Setenv and can run in parallel.
func inheritedEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "PBX_") || strings.HasPrefix(name, "TF_") || name == "CHECKPOINT_DISABLE" {
			continue
		}
		env = append(env, kv)
	}
	return env
}

// result is one finished terraform command.
type result struct {
	args           []string
	stdout, stderr string
	log            string // the TF_LOG_PATH file
	err            error  // nil when terraform exited 0
	elapsed        time.Duration
	run            int // 1 for the workspace's first command
}

func (r result) String() string {
	return fmt.Sprintf("terraform %s (%s, %v)\n--- stdout\n%s\n--- stderr\n%s",
		strings.Join(r.args, " "), r.elapsed.Round(time.Millisecond), r.err, r.stdout, r.stderr)
}

// process is a terraform command still running.
type process struct {
	w              *workspace
	cmd            *exec.Cmd
	args           []string
	run            int
	logPath        string
	stdout, stderr bytes.Buffer
	started        time.Time
	cancel         context.CancelFunc
}

func (w *workspace) start(ctx context.Context, args ...string) *process {
	w.t.Helper()
	w.mu.Lock()
	w.runs++
	n := w.runs
	w.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	p := &process{w: w, args: args, run: n, cancel: cancel,
		logPath: filepath.Join(w.logDir, fmt.Sprintf("%02d-%s.log", n, args[0]))}
	p.cmd = exec.CommandContext(ctx, terraformPath, args...)
	p.cmd.Dir = w.dir
	p.cmd.Env = append(append([]string(nil), w.env...), "TF_LOG_PATH="+p.logPath)
	p.cmd.Stdout, p.cmd.Stderr = &p.stdout, &p.stderr
	p.cmd.WaitDelay = 5 * time.Second
	p.started = time.Now()
	if err := p.cmd.Start(); err != nil {
		cancel()
		w.t.Fatalf("starting terraform: %s", err)
	}
	return p
}

// wait waits for the command to end and scans what it wrote for secrets.
func (p *process) wait() result {
	err := p.cmd.Wait()
	p.cancel()
	r := result{args: p.args, stdout: p.stdout.String(), stderr: p.stderr.String(), err: err, elapsed: time.Since(p.started), run: p.run}
	logText, readErr := os.ReadFile(p.logPath)
	if readErr != nil && !errors.Is(readErr, os.ErrNotExist) {
		p.w.t.Errorf("reading the trace log: %s", readErr)
	}
	r.log = string(logText)
	name := fmt.Sprintf("terraform %s (log %s)", strings.Join(p.args, " "), filepath.Base(p.logPath))
	stdout := r.stdout
	if p.args[0] == "show" && slices.Contains(p.args, "-json") && r.err == nil {
		// Values marked sensitive are in the saved plan by design; the
		// promise is about everything else.
		pruned, err := sensitiveValuesRemoved(r.stdout)
		if err != nil {
			p.w.t.Errorf("terraform show -json: %s", err)
		}
		stdout = pruned
	}
	// Every token the command could have seen is issued by now.
	secrets := p.w.secrets()
	p.w.assertNoLeaks(secrets, name+" stdout", stdout)
	p.w.assertNoLeaks(secrets, name+" stderr", r.stderr)
	p.w.assertNoLeaks(secrets, name+" trace log", r.log)
	return r
}

// run runs terraform to the end. After a plan or apply the simulator must
// hold no live token: the plugin has exited, so its token is revoked.
func (w *workspace) run(ctx context.Context, args ...string) result {
	w.t.Helper()
	r := w.start(ctx, args...).wait()
	if args[0] == "plan" || args[0] == "apply" {
		w.checkNoLiveTokens(r)
	}
	return r
}

// checkNoLiveTokens reports each token a run leaves live, once: a leaked
// token stays live for 30 minutes, through every later run.
func (w *workspace) checkNoLiveTokens(r result) {
	w.t.Helper()
	live := w.pbx.sim.Stats().LiveTokens
	w.mu.Lock()
	reported := w.liveReported
	w.liveReported = max(reported, live)
	w.mu.Unlock()
	if live <= reported {
		return
	}
	var why []string
	for line := range strings.Lines(r.log) {
		if strings.Contains(line, "revok") {
			why = append(why, strings.TrimSpace(line))
		}
	}
	if len(why) == 0 {
		why = []string{"(nothing about revoking)"}
	}
	w.t.Errorf("%d live tokens on the PBX after terraform %s (run %d), want 0; the trace log says:\n%s",
		live, strings.Join(r.args, " "), r.run, strings.Join(why, "\n"))
}

// mustRun runs terraform and fails the test unless it exits 0.
func (w *workspace) mustRun(args ...string) result {
	w.t.Helper()
	r := w.run(w.t.Context(), args...)
	if r.err != nil {
		w.t.Fatalf("%s", r)
	}
	return r
}

// mustFail runs terraform and fails the test unless it exits non-zero.
func (w *workspace) mustFail(args ...string) result {
	w.t.Helper()
	r := w.run(w.t.Context(), args...)
	var exit *exec.ExitError
	if !errors.As(r.err, &exit) {
		w.t.Fatalf("want terraform to exit non-zero: %s", r)
	}
	return r
}

// plan arguments shared by every test.
var (
	planArgs  = []string{"plan", "-input=false", "-no-color"}
	applyArgs = []string{"apply", "-input=false", "-no-color", "-auto-approve"}
)

func args(base []string, extra ...string) []string {
	return append(append([]string(nil), base...), extra...)
}
