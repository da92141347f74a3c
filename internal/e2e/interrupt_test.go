package e2e

import (
	"os"
	"testing"
	"time"
)

// exitWithin is how soon Terraform must exit after Ctrl-C.
const exitWithin = 3 * time.Second

// waitForLogin polls until the simulator has received a login request,
// and returns when it did.
func waitForLogin(t *testing.T, pbx *testPBX, p *process) time.Time {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for pbx.sim.Stats().Requests["get_token"] == 0 {
		if time.Now().After(deadline) {
			p.signal(os.Kill)
			t.Fatalf("no login reached the PBX within 30 s: %s", p.wait())
		}
		time.Sleep(5 * time.Millisecond)
	}
	return time.Now()
}

func (p *process) signal(sig os.Signal) {
	if err := p.cmd.Process.Signal(sig); err != nil {
		p.w.t.Errorf("signalling terraform: %s", err)
	}
}

// interruptAt sends SIGINT at the given time and returns the result and
// how long Terraform took to exit after it.
func interruptAt(t *testing.T, p *process, at time.Time) (result, time.Duration) {
	t.Helper()
	time.Sleep(time.Until(at))
	sent := time.Now()
	p.signal(os.Interrupt)
	r := p.wait()
	return r, time.Since(sent)
}

// noLiveTokensSoon allows the plugin, which may outlive Terraform by a
// moment after an interrupt, up to two seconds to revoke.
func noLiveTokensSoon(t *testing.T, pbx *testPBX) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		live := pbx.sim.Stats().LiveTokens
		if live == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%d live tokens on the PBX 2 s after terraform exited, want 0", live)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestInterruptedPlanExitsPromptly(t *testing.T) {
	t.Parallel()
	pbx := startPBX(t)
	// The latency comes before the PBX does anything, so no token is
	// issued: the run must just stop, not wait for the answer.
	pbx.sim.SetLatency(10 * time.Second)
	w := newWorkspace(t, pbx, certificatesConfig(quick, 1, "[4]"))

	p := w.start(t.Context(), planArgs...)
	loginSent := waitForLogin(t, pbx, p)
	r, took := interruptAt(t, p, later(p.started.Add(time.Second), loginSent))
	if r.err == nil {
		t.Errorf("the interrupted plan succeeded: %s", r)
	}
	if took > exitWithin {
		t.Errorf("terraform took %s to exit after SIGINT, want at most %s", took.Round(time.Millisecond), exitWithin)
	}
	noLiveTokensSoon(t, pbx)
	if st := pbx.sim.Stats(); st.Logins != 0 {
		t.Errorf("%d logins despite the latency, want 0: the test did not interrupt the login", st.Logins)
	}
}

// A login interrupted in flight has often been granted already: the PBX
// issues the token and the answer is still on its way. The client reads
// that answer for up to a second more, so the token can be revoked.
func TestInterruptedLoginTokenIsRevoked(t *testing.T) {
	t.Parallel()
	pbx := startPBX(t)
	const answerDelay = 1500 * time.Millisecond
	pbx.sim.SetAnswerDelay(answerDelay)
	w := newWorkspace(t, pbx, certificatesConfig(quick, 1, "[4]"))

	p := w.start(t.Context(), planArgs...)
	loginSent := waitForLogin(t, pbx, p)
	// A second in: the token is issued and its answer half a second away,
	// inside the second the client keeps listening after the interrupt.
	// The simulator delays the revoke's answer too, but has acted on it.
	r, took := interruptAt(t, p, loginSent.Add(answerDelay-500*time.Millisecond))
	if r.err == nil {
		t.Errorf("the interrupted plan succeeded: %s", r)
	}
	if took > exitWithin {
		t.Errorf("terraform took %s to exit after SIGINT, want at most %s", took.Round(time.Millisecond), exitWithin)
	}
	noLiveTokensSoon(t, pbx)
	if st := pbx.sim.Stats(); st.Logins != 1 || st.Revokes != 1 {
		t.Errorf("%d logins, %d revoked; want 1 and 1", st.Logins, st.Revokes)
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}
