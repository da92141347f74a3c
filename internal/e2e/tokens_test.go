package e2e

import (
	"encoding/json"
	"slices"
	"testing"
)

func TestPlanAndApplyLeaveNoLiveToken(t *testing.T) {
	t.Parallel()
	pbx := startPBX(t)
	w := newWorkspace(t, pbx, certificatesConfig(quick, 3, allIDs))

	// run checks for zero live tokens after each plan and apply.
	w.mustRun(args(planArgs, "-out=plan.out")...)
	w.mustRun("show", "-json", "plan.out")
	w.mustRun(applyArgs...)
	out := w.mustRun("output", "-json")

	var outputs struct {
		Names struct{ Value []string } `json:"names"`
	}
	if err := json.Unmarshal([]byte(out.stdout), &outputs); err != nil {
		t.Fatalf("terraform output -json: %s\n%s", err, out.stdout)
	}
	want := []string{"pbx_internal_ca.crt", "production_server_cert.pem", "docs_server_cert.pem", "e2e_server_cert.pem"}
	if !slices.Equal(outputs.Names.Value, want) {
		t.Errorf("names output %v, want %v", outputs.Names.Value, want)
	}
	// The plan and the apply each logged in once, and revoked what they got.
	if st := pbx.sim.Stats(); st.Logins != 2 || st.Revokes != 2 || st.MaxLiveTokens != 1 {
		t.Errorf("logins %d, revokes %d, max live tokens %d; want 2, 2, 1", st.Logins, st.Revokes, st.MaxLiveTokens)
	}
}

// Eight live tokens lock the PBX's API application; without the revoke at
// exit the ninth plan would fail.
func TestTwentyConsecutivePlansStayUnderTheTokenLimit(t *testing.T) {
	t.Parallel()
	pbx := startPBX(t)
	w := newWorkspace(t, pbx, certificatesConfig(quick, 1, "[4]"))
	for i := range 20 {
		r := w.run(t.Context(), planArgs...)
		if r.err != nil {
			t.Fatalf("plan %d of 20 failed: %s", i+1, r)
		}
	}
	if st := pbx.sim.Stats(); st.Logins != 20 || st.Revokes != 20 || st.MaxLiveTokens != 1 {
		t.Errorf("logins %d, revokes %d, max live tokens %d; want 20, 20, 1", st.Logins, st.Revokes, st.MaxLiveTokens)
	}
}

func TestFiftyDataSourcesCostOneLoginPerRun(t *testing.T) {
	t.Parallel()
	pbx := startPBX(t)
	w := newWorkspace(t, pbx, certificatesConfigWith(quick, distinctIDSets(50)))

	w.mustRun(planArgs...)
	st := pbx.sim.Stats()
	if st.Requests["certificate/query"] != 50 {
		t.Fatalf("%d certificate queries, want 50: the test proves nothing otherwise", st.Requests["certificate/query"])
	}
	if st.LoginAttempts != 1 {
		t.Errorf("the plan made %d login attempts, want 1", st.LoginAttempts)
	}

	w.mustRun(applyArgs...)
	if st := pbx.sim.Stats(); st.LoginAttempts != 2 {
		t.Errorf("plan and apply made %d login attempts, want 2", st.LoginAttempts)
	}
}
