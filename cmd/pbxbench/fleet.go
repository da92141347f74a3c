package main

import (
	"net/http/httptest"
	"os"
	"path/filepath"
	"time"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// fleetSize is how many PBXs the alias row needs; the other rows use the first.
const fleetSize = 10

// fleet is a set of simulated PBXs served over HTTPS on loopback, each
// holding a full PBX's 23 certificates, all signed by one throwaway CA.
type fleet struct {
	sims    []*pbxsim.Server
	servers []*httptest.Server
	caFile  string
}

func startFleet(n int, work string) (*fleet, error) {
	tlsCfg, caPEM, err := pbxsim.NewLoopbackTLS()
	if err != nil {
		return nil, err
	}
	f := &fleet{caFile: filepath.Join(work, "pbx-ca.pem")}
	if err := os.WriteFile(f.caFile, caPEM, 0o600); err != nil {
		return nil, err
	}
	for range n {
		sim := pbxsim.New()
		sim.SetCertificates(pbxsim.FullPBXCertificates())
		srv := httptest.NewUnstartedServer(sim)
		srv.Config.ConnState = sim.ConnState
		srv.TLS = sim.TLSConfig(tlsCfg)
		srv.StartTLS()
		f.sims = append(f.sims, sim)
		f.servers = append(f.servers, srv)
	}
	return f, nil
}

// setLatency delays every request's processing on every PBX by d.
func (f *fleet) setLatency(d time.Duration) {
	for _, sim := range f.sims {
		sim.SetLatency(d)
	}
}

func (f *fleet) url(i int) string { return f.servers[i].URL }

// counts are the fleet's counters summed over its PBXs.
type counts struct {
	requests, logins, revokes, queries, fullTLS, resumedTLS, liveTokens int
}

func (f *fleet) counts() counts {
	var c counts
	for _, sim := range f.sims {
		st := sim.Stats()
		c.requests += st.TotalRequests()
		c.logins += st.Logins
		c.revokes += st.Revokes
		c.queries += st.Requests["certificate/query"]
		c.fullTLS += st.TLSHandshakes
		c.resumedTLS += st.TLSResumed
		c.liveTokens += st.LiveTokens
	}
	return c
}

// since is what happened between an earlier snapshot and c; live tokens
// are a level, not a count, so they are kept as they are now.
func (c counts) since(before counts) counts {
	return counts{
		requests:   c.requests - before.requests,
		logins:     c.logins - before.logins,
		revokes:    c.revokes - before.revokes,
		queries:    c.queries - before.queries,
		fullTLS:    c.fullTLS - before.fullTLS,
		resumedTLS: c.resumedTLS - before.resumedTLS,
		liveTokens: c.liveTokens,
	}
}

func (f *fleet) close() {
	for _, srv := range f.servers {
		srv.Close()
	}
}
