package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// delayedLogins lets the simulator issue a token at once but holds the
// answer back, as a slow WAN does: the PBX has acted before the client
// hears of it.
func delayedLogins(sim *pbxsim.Server, delay time.Duration) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/get_token") {
			sim.ServeHTTP(w, r)
			return
		}
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, r)
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
}

func TestInterruptedLoginTokenIsRevokedAtClose(t *testing.T) {
	sim := pbxsim.New()
	srv := newServer(t, delayedLogins(sim, 300*time.Millisecond))
	c := newTestClient(t, testConfig(srv.URL))

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.QueryCertificates(ctx, []int64{4})
		done <- err
	}()
	for sim.Stats().Logins == 0 { // the PBX has issued the token
		time.Sleep(time.Millisecond)
	}
	cancel() // Ctrl-C while the answer is on its way
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("interrupted call: %v", err)
		}
	case <-time.After(200 * time.Millisecond):
		t.Fatal("the interrupted call did not return promptly")
	}

	closeCtx, closeCancel := context.WithTimeout(t.Context(), 2*time.Second)
	defer closeCancel()
	if err := c.Close(closeCtx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if st := sim.Stats(); st.LiveTokens != 0 || st.Revokes != 1 {
		t.Errorf("after Close: %d live tokens, %d revoked; want 0 and 1", st.LiveTokens, st.Revokes)
	}
}

func TestInterruptedLoginGivesUpAfterGrace(t *testing.T) {
	sim := pbxsim.New()
	srv := newServer(t, delayedLogins(sim, 10*time.Second))
	c := newTestClient(t, testConfig(srv.URL))

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := c.QueryCertificates(ctx, []int64{4})
		done <- err
	}()
	for sim.Stats().Logins == 0 {
		time.Sleep(time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("interrupted call: %v", err)
	}

	start := time.Now()
	closeCtx, closeCancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer closeCancel()
	_ = c.Close(closeCtx)
	// The login stops reading loginGrace after the interrupt, so Close
	// need not wait for the PBX's answer.
	if waited := time.Since(start); waited > loginGrace+500*time.Millisecond {
		t.Errorf("Close waited %s for a login whose answer never came", waited)
	}
}
