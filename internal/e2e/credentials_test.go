package e2e

import (
	"testing"
)

const wrongSecret = "wrong-secret-9c41d7e2b08f"

// Five failed logins in a row block the caller's IP until an administrator
// lifts it, so a refused login must never be tried again.
func TestWrongCredentialsMakeOneLoginAttemptPerRun(t *testing.T) {
	t.Parallel()
	pbx := startPBX(t)
	// Several blocks read at once: none may log in on its own.
	w := newWorkspaceAs(t, pbx, certificatesConfig(quick, 5, "[4]"), pbxDefaultID, wrongSecret)

	w.mustFail(planArgs...)
	if st := pbx.sim.Stats(); st.LoginAttempts != 1 || st.FailedLogins != 1 {
		t.Errorf("%d login attempts, %d refused; want 1 and 1", st.LoginAttempts, st.FailedLogins)
	}
}

func TestFourWrongRunsDoNotBlockTheIP(t *testing.T) {
	t.Parallel()
	pbx := startPBX(t)
	config := certificatesConfig(quick, 2, "[4]")
	wrong := newWorkspaceAs(t, pbx, config, pbxDefaultID, wrongSecret)
	for range 4 {
		wrong.mustFail(planArgs...)
	}
	if st := pbx.sim.Stats(); st.FailedStreak != 4 || st.FailedLogins != 4 || st.LoginAttempts != 4 {
		t.Fatalf("failed streak %d, refused %d, attempts %d; want 4, 4, 4", st.FailedStreak, st.FailedLogins, st.LoginAttempts)
	}

	// A blocked IP would be refused even with the right secret.
	right := newWorkspace(t, pbx, config)
	right.mustRun(planArgs...)
	if st := pbx.sim.Stats(); st.FailedStreak != 0 || st.Logins != 1 {
		t.Errorf("after the right credentials: failed streak %d, logins %d; want 0 and 1", st.FailedStreak, st.Logins)
	}
}
