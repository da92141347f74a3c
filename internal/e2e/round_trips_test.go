package e2e

import (
	"slices"
	"testing"
)

// A run's floor is a login, one query per distinct set of ids, and a
// revoke, however many data sources ask; and one full TLS handshake, the
// later connections resuming it (the PBX closes every connection).
func TestPlanCostsTheFloorInRequestsAndHandshakes(t *testing.T) {
	t.Parallel()
	pbx := startPBX(t)
	sets := []string{"[4]", "[5, 6]", "[6, 5]", "[7, 8, 9]"} // [5, 6] and [6, 5] are one set
	w := newWorkspace(t, pbx, certificatesConfigWith(quick, slices.Repeat(sets, 10)))
	w.mustRun(planArgs...)
	st := pbx.sim.Stats()
	if st.Requests["get_token"] != 1 || st.Requests["certificate/query"] != 3 || st.Requests["del_token"] != 1 || st.TotalRequests() != 5 {
		t.Errorf("40 data sources over 3 id sets cost %v, want 1 login, 3 queries, 1 revoke", st.Requests)
	}
	if st.TLSHandshakes != 1 || st.TLSResumed != 4 {
		t.Errorf("%d full and %d resumed TLS handshakes, want 1 and 4", st.TLSHandshakes, st.TLSResumed)
	}
}
