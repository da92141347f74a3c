package pbxsim

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// getOverTLS makes n sequential requests, each on a new connection since
// the simulator closes it after every answer.
func getOverTLS(t *testing.T, url string, tlsCfg *tls.Config, n int) {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: tlsCfg}}
	defer client.CloseIdleConnections()
	for i := range n {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, url+"/"+APIPath+"/del_token", nil)
		req.Header.Set("User-Agent", "OpenAPI")
		if _, err := do(client, req); err != nil {
			t.Fatalf("request %d: %v", i+1, err)
		}
	}
}

func trusting(t *testing.T, caPEM []byte) *x509.CertPool {
	t.Helper()
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("CA PEM does not parse")
	}
	return pool
}

func TestTLSHandshakesAreCountedFullOrResumed(t *testing.T) {
	s := New()
	ts, caPEM, err := NewTLSTestServer(s)
	if err != nil {
		t.Fatal(err)
	}
	defer ts.Close()
	pool := trusting(t, caPEM)

	getOverTLS(t, ts.URL, &tls.Config{RootCAs: pool, ClientSessionCache: tls.NewLRUClientSessionCache(0)}, 3)
	st := s.Stats()
	if st.TLSHandshakes != 1 || st.TLSResumed != 2 || st.Connections != 3 {
		t.Fatalf("with a session cache: %d full, %d resumed, %d connections; want 1, 2, 3", st.TLSHandshakes, st.TLSResumed, st.Connections)
	}

	s.Reset()
	getOverTLS(t, ts.URL, &tls.Config{RootCAs: pool}, 2)
	st = s.Stats()
	if st.TLSHandshakes != 2 || st.TLSResumed != 0 {
		t.Fatalf("without a session cache: %d full, %d resumed; want 2, 0", st.TLSHandshakes, st.TLSResumed)
	}
	if st.TotalRequests() != 2 {
		t.Fatalf("TotalRequests %d, want 2", st.TotalRequests())
	}
}

func TestTLSConfigWorksWithHTTPTestCertificate(t *testing.T) {
	s := New()
	ts := httptest.NewUnstartedServer(s)
	ts.TLS = s.TLSConfig(nil)
	ts.StartTLS()
	defer ts.Close()
	getOverTLS(t, ts.URL, &tls.Config{RootCAs: trusting(t, certPEM(ts))}, 1)
	if st := s.Stats(); st.TLSHandshakes != 1 {
		t.Fatalf("TLSHandshakes %d, want 1", st.TLSHandshakes)
	}
}

func TestTLSConfigKeepsBaseSettings(t *testing.T) {
	s := New()
	refuse := errors.New("refused by the base config")
	base := &tls.Config{MinVersion: tls.VersionTLS13, VerifyConnection: func(tls.ConnectionState) error { return refuse }}
	cfg := s.TLSConfig(base)
	if cfg == base || cfg.MinVersion != tls.VersionTLS13 || cfg.SessionTicketsDisabled {
		t.Fatalf("not a clone of base with tickets on: %+v", cfg)
	}
	if err := cfg.VerifyConnection(tls.ConnectionState{}); !errors.Is(err, refuse) {
		t.Fatalf("base VerifyConnection not called: %v", err)
	}
	if st := s.Stats(); st.TLSHandshakes != 0 {
		t.Fatalf("a refused handshake was counted: %d", st.TLSHandshakes)
	}
	if err := base.VerifyConnection(tls.ConnectionState{}); !errors.Is(err, refuse) {
		t.Fatal("base was changed")
	}
}

func certPEM(ts *httptest.Server) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})
}
