package client

import (
	"crypto/tls"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
)

// The PBX closes every connection; reads that start together must still
// cost one full TLS handshake in all, the rest resumed.
func TestConcurrentReadsPayOneFullHandshake(t *testing.T) {
	sim, srv, caPEM := newTLSSim(t)
	var full, resumed atomic.Int32
	srv.Config.ConnState = func(conn net.Conn, state http.ConnState) {
		tc, ok := conn.(*tls.Conn)
		if !ok || state != http.StateActive {
			return
		}
		if tc.ConnectionState().DidResume {
			resumed.Add(1)
		} else {
			full.Add(1)
		}
	}
	srv.Config.SetKeepAlivesEnabled(false)

	// A configured token: no login serialises the first requests.
	cfg := testConfig(srv.URL)
	cfg.CACertPEM = caPEM
	issuer := newTestClient(t, cfg)
	if _, err := issuer.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	cfg.ClientID, cfg.ClientSecret, cfg.AccessToken = "", "", sim.IssuedSecrets()[0]
	full.Store(0)
	resumed.Store(0)

	c := newTestClient(t, cfg)
	var wg sync.WaitGroup
	for _, ids := range [][]int64{{4}, {5}, {6}, {4, 5}, {5, 6}, {4, 6}, {4, 5, 6}} {
		wg.Go(func() {
			if _, err := c.QueryCertificates(ctxT(t), ids); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if full.Load() != 1 || resumed.Load() != 6 {
		t.Errorf("7 concurrent reads: %d full handshakes, %d resumed; want 1 and 6", full.Load(), resumed.Load())
	}
}
