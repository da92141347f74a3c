package e2e

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"os"
	"testing"
	"time"
)

const (
	soakPlans = 20
	// soakBudget bounds the soak; it stops by itself and fails if the
	// plans have not all run by then.
	soakBudget = 110 * time.Second
)

// soakSettings: each attempt fails with probability 0.2, so a request
// fails for good only if all 1+8 attempts do: 0.2^9 ≈ 5.1e-7. A plan makes
// about 90 requests (a login, 30 queries, 5 refreshes, the queries turned
// away by an ended token and sent again, the 5xx retries, a revoke), the
// soak about 1,800, so the chance that any request runs out of retries is
// about 1e-3. The test logs the figure for the requests actually made.
const (
	soakFailRate   = 0.2
	soakMaxRetries = 8
)

var soakSettings = providerSettings{requestTimeout: "5s", maxRetries: soakMaxRetries}

// soakFigures are quoted in the closing note of the hardening work.
type soakFigures struct {
	plans         int
	requests      int
	faults5xx     int
	refreshes     int
	relogins      int
	expiredByUses int
	maxLiveTokens int
	elapsed       time.Duration
}

func (f soakFigures) String() string {
	// Chance that some request failed all its attempts, had the faults
	// struck that way: each request has 1+maxRetries tries.
	exhaust := float64(f.requests) * math.Pow(soakFailRate, soakMaxRetries+1)
	return fmt.Sprintf("plans run: %d\nrequests: %d\n5xx injected: %d\nrenewals: %d (%d refreshes, %d new logins)\n"+
		"tokens ended by the uses limit: %d\nmaximum live tokens: %d\ntime: %s\n"+
		"chance of a request running out of retries: %.1e\n",
		f.plans, f.requests, f.faults5xx, f.refreshes+f.relogins, f.refreshes, f.relogins,
		f.expiredByUses, f.maxLiveTokens, f.elapsed.Round(100*time.Millisecond), exhaust)
}

func TestFaultSoak(t *testing.T) {
	t.Parallel()
	pbx := startPBX(t)
	pbx.sim.SetFailRate(soakFailRate, http.StatusServiceUnavailable)
	pbx.sim.SetLatencyJitter(50 * time.Millisecond)
	pbx.sim.ExpireTokensAfterUses(5)
	w := newWorkspace(t, pbx, certificatesConfigWith(soakSettings, distinctIDSets(30)))

	ctx, cancel := context.WithTimeout(t.Context(), soakBudget)
	defer cancel()
	start := time.Now()
	plans := 0
	for plans < soakPlans {
		r := w.run(ctx, planArgs...)
		if ctx.Err() != nil {
			t.Fatalf("the soak used up its %s after %d of %d plans", soakBudget, plans, soakPlans)
		}
		if r.err != nil {
			t.Fatalf("plan %d of %d failed: %s", plans+1, soakPlans, r)
		}
		plans++
	}

	st := pbx.sim.Stats()
	requests := 0
	for _, n := range st.Requests {
		requests += n
	}
	figures := soakFigures{
		plans:         plans,
		requests:      requests,
		faults5xx:     st.Faults5xx,
		refreshes:     st.Refreshes,
		relogins:      st.Logins - plans,
		expiredByUses: st.ExpiredByUses,
		maxLiveTokens: st.MaxLiveTokens,
		elapsed:       time.Since(start),
	}
	t.Logf("fault soak:\n%s", figures)
	if path := os.Getenv("E2E_SOAK_REPORT"); path != "" {
		if err := os.WriteFile(path, []byte(figures.String()), 0o600); err != nil {
			t.Errorf("writing E2E_SOAK_REPORT: %s", err)
		}
	}

	if st.MaxLiveTokens > 1 {
		t.Errorf("the PBX held %d live tokens at once, want at most 1", st.MaxLiveTokens)
	}
	// Without faults and renewals the soak proves nothing.
	if st.Faults5xx == 0 || st.ExpiredByUses == 0 || st.Refreshes == 0 {
		t.Errorf("5xx injected %d, tokens expired by use %d, refreshes %d: the faults did not happen",
			st.Faults5xx, st.ExpiredByUses, st.Refreshes)
	}
}
