package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Secrets must stay out of Terraform's trace log, its output, its
// diagnostics and the saved plan (outside values marked sensitive). Every
// command any test runs is scanned as it ends (see process.wait); these
// tests make sure there was something to find, in success and failure.
func TestSecretsStayOutOfASuccessfulRun(t *testing.T) {
	t.Parallel()
	pbx := startPBX(t)
	w := newWorkspace(t, pbx, certificatesConfig(quick, 2, allIDs))

	plan := w.mustRun(args(planArgs, "-out=plan.out")...)
	show := w.mustRun("show", "-json", "plan.out")
	w.mustRun(applyArgs...)
	w.mustRun("output", "-json")

	// The scan is only worth something if the secrets were there to leak.
	if len(pbx.sim.IssuedSecrets()) == 0 {
		t.Fatal("no token was issued")
	}
	for _, endpoint := range []string{"get_token", "certificate/query"} {
		if !strings.Contains(plan.log, endpoint) {
			t.Errorf("the trace log never mentions %s: the provider's own log lines are missing from it", endpoint)
		}
	}
	if !strings.Contains(show.stdout, distinctAuthString) {
		t.Fatal("the saved plan holds no auth value at all, so the check below proves nothing")
	}

	pruned, err := sensitiveValuesRemoved(show.stdout)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	if err := json.Unmarshal([]byte(pruned), &doc); err != nil {
		t.Fatal(err)
	}
	if left := authValuesLeft(doc, ""); len(left) > 0 {
		t.Errorf("auth values not marked sensitive in the saved plan: %v", left)
	}
	if !strings.Contains(pruned, "e2e_server_cert.pem") {
		t.Error("removing sensitive values removed the certificates too")
	}
}

func TestSecretsStayOutOfFailedRuns(t *testing.T) {
	t.Parallel()
	// Short timeouts and one retry keep each failure around a second.
	impatient := providerSettings{requestTimeout: "200ms", maxRetries: 1}
	tests := []struct {
		name     string
		settings providerSettings
		secret   string // the client secret sent, when not the right one
		breakPBX func(*testPBX)
		want     string // in the diagnostics: this failure, not another
		tokens   int    // tokens issued: a failure with a token in hand is the risky one
	}{
		{
			name: "wrong credentials", settings: quick, secret: wrongSecret,
			breakPBX: func(*testPBX) {}, want: "refused",
		},
		{
			name: "5xx storm", settings: quick,
			breakPBX: func(p *testPBX) { p.sim.SetFailRate(1, http.StatusServiceUnavailable) },
			want:     "503",
		},
		{
			name: "5xx storm after login", settings: quick,
			breakPBX: func(p *testPBX) { p.breakQueries(queryFault{status: http.StatusServiceUnavailable}) },
			want:     "503", tokens: 1,
		},
		{
			name: "timeout", settings: impatient,
			breakPBX: func(p *testPBX) { p.sim.SetLatency(5 * time.Second) },
			want:     "deadline exceeded",
		},
		{
			name: "timeout after login", settings: impatient,
			breakPBX: func(p *testPBX) { p.breakQueries(queryFault{delay: 5 * time.Second}) },
			want:     "deadline exceeded", tokens: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			pbx := startPBX(t)
			tt.breakPBX(pbx)
			secret := tt.secret
			if secret == "" {
				secret = pbxDefaultSecret
			}
			w := newWorkspaceAs(t, pbx, certificatesConfig(tt.settings, 2, allIDs), pbxDefaultID, secret)

			r := w.mustFail(args(planArgs, "-out=plan.out")...)
			if !strings.Contains(strings.ToLower(r.stderr), tt.want) {
				t.Errorf("the diagnostics do not mention %q, so the run failed some other way:\n%s", tt.want, r.stderr)
			}
			if issued := len(pbx.sim.IssuedSecrets()) / 2; issued != tt.tokens {
				t.Errorf("%d tokens issued, want %d", issued, tt.tokens)
			}
		})
	}
}
