package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const providerRequirement = `terraform {
  required_providers {
    pbx = {
      source = "pbxops/pbx"
    }
  }
}

provider "pbx" {}
`

// The vendor's auth values; an ephemeral read must leave none behind.
var vendorAuthStrings = []string{"AKIAIXXXXXXXXXXAMPLE", "wJalrXUXXXXXXXXXXLEKEY", "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"}

// The ephemeral resource's values reach neither the saved plan nor the
// state, not even as values marked sensitive.
func TestEphemeralCertificatesLeaveNothingInPlanOrState(t *testing.T) {
	t.Parallel()
	pbx := startPBX(t)
	w := newWorkspace(t, pbx, providerRequirement+`
ephemeral "pbx_certificates" "dns" {
  ids = [5, 6, 7]
}

locals {
  dns_keys = ephemeral.pbx_certificates.dns.certificates[0].auth_info["AccessKeyId"].string_value
}

resource "terraform_data" "marker" {
  input = "opened"
}
`)
	w.mustRun(args(planArgs, "-out=plan.out")...)
	plan := w.mustRun("show", "-json", "plan.out")
	w.mustRun(applyArgs...)
	state := w.mustRun("show", "-json")
	if pbx.sim.Stats().Requests["certificate/query"] == 0 {
		t.Fatal("the ephemeral resource was never opened, so the check proves nothing")
	}
	for what, text := range map[string]string{"saved plan": plan.stdout, "state": state.stdout} {
		for _, value := range append(vendorAuthStrings, distinctAuthString) {
			if strings.Contains(text, value) {
				t.Errorf("terraform show -json of the %s holds the auth value %.4s...", what, value)
			}
		}
	}
	if dir := os.Getenv("E2E_EVIDENCE_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "ephemeral-plan.json"), []byte(plan.stdout), 0o600)
		_ = os.WriteFile(filepath.Join(dir, "ephemeral-state.json"), []byte(state.stdout), 0o600)
	}
}

// The certificate-guard module, against the simulator: the vendor's
// certificates have all expired.
func TestCertificateGuardModuleAgainstTheSimulator(t *testing.T) {
	t.Parallel()
	guard, err := filepath.Abs("../../examples/modules/certificate-guard")
	if err != nil {
		t.Fatal(err)
	}
	pbx := startPBX(t)
	w := newWorkspace(t, pbx, providerRequirement+fmt.Sprintf(`
module "guard" {
  source = %q
  ids    = [4, 5, 6]
}

output "expirations" {
  value = module.guard.expirations
}

output "soonest_expiry" {
  value = module.guard.soonest_expiry
}

output "failing" {
  value = module.guard.failing
}
`, guard))
	w.mustRun("get", "-no-color") // installs the local module without the registry
	plan := w.mustRun(planArgs...)
	if !strings.Contains(plan.stdout+plan.stderr, "Check block assertion failed") {
		t.Errorf("the module's checks did not warn:\n%s", plan)
	}
	w.mustRun(applyArgs...)
	out := w.mustRun("output", "-json")
	var outputs struct {
		Expirations struct{ Value map[string]string }
		Soonest     struct {
			Value struct {
				Name      string
				ExpiresAt string `json:"expires_at"`
			}
		} `json:"soonest_expiry"`
		Failing struct {
			Value []struct {
				ID     int64
				Name   string
				Reason string
			}
		}
	}
	if err := json.Unmarshal([]byte(out.stdout), &outputs); err != nil {
		t.Fatalf("terraform output -json: %s\n%s", err, out.stdout)
	}
	wantExpirations := map[string]string{
		"pbx_internal_ca.crt":        "2025-05-25T10:45:42Z",
		"production_server_cert.pem": "2025-05-25T10:45:42Z",
		"docs_server_cert.pem":       "2026-04-19T08:56:08Z",
	}
	if fmt.Sprint(outputs.Expirations.Value) != fmt.Sprint(wantExpirations) {
		t.Errorf("expirations %v, want %v", outputs.Expirations.Value, wantExpirations)
	}
	if outputs.Soonest.Value.Name != "pbx_internal_ca.crt" {
		t.Errorf("soonest_expiry %+v, want pbx_internal_ca.crt", outputs.Soonest.Value)
	}
	expired := map[int64]bool{}
	for _, f := range outputs.Failing.Value {
		if strings.HasPrefix(f.Reason, "expired") {
			expired[f.ID] = true
		}
	}
	if len(expired) != 3 {
		t.Errorf("failing %+v, want certificates 4, 5 and 6 expired", outputs.Failing.Value)
	}
	if dir := os.Getenv("E2E_EVIDENCE_DIR"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "guard-outputs.json"), []byte(out.stdout), 0o600)
	}
}

// cachingWorkspace keeps its token in dir between runs; the token then
// stays live on purpose.
func cachingWorkspace(t *testing.T, pbx *testPBX, dir string) *workspace {
	w := newWorkspace(t, pbx, certificatesConfig(quick, 1, "[4]"))
	w.env = append(w.env, "PBX_TOKEN_CACHE_DIR="+dir)
	w.liveReported = 1
	return w
}

func TestTokenCacheTwoPlansCostOneLogin(t *testing.T) {
	t.Parallel()
	pbx := startPBX(t)
	w := cachingWorkspace(t, pbx, t.TempDir())
	w.mustRun(planArgs...)
	w.mustRun(planArgs...)
	st := pbx.sim.Stats()
	if st.Logins != 1 || st.Revokes != 0 || st.LiveTokens != 1 || st.Requests["certificate/query"] != 2 {
		t.Errorf("two plans: %d logins, %d revokes, %d live tokens, %d queries; want 1, 0, 1, 2",
			st.Logins, st.Revokes, st.LiveTokens, st.Requests["certificate/query"])
	}
}

func TestTokenCacheParallelPlansShareOneToken(t *testing.T) {
	t.Parallel()
	pbx := startPBX(t)
	cache := t.TempDir()
	var wg sync.WaitGroup
	for range 8 {
		w := cachingWorkspace(t, pbx, cache) // one folder each: plans lock their state
		wg.Go(func() {
			if r := w.run(t.Context(), planArgs...); r.err != nil {
				t.Errorf("a parallel plan failed: %s", r)
			}
		})
	}
	wg.Wait()
	if st := pbx.sim.Stats(); st.Logins != 1 || st.MaxLiveTokens != 1 {
		t.Errorf("8 parallel plans: %d logins, at most %d live tokens; want 1 and 1", st.Logins, st.MaxLiveTokens)
	}
}
