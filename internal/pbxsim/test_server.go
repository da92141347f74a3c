package pbxsim

import (
	"net/http/httptest"
)

// NewTestServer serves s over plain HTTP on loopback, counting connections.
func NewTestServer(s *Server) *httptest.Server {
	ts := httptest.NewUnstartedServer(s)
	ts.Config.ConnState = s.ConnState
	ts.Start()
	return ts
}

// NewTLSTestServer serves s over HTTPS on loopback with a fresh throwaway
// CA, counting connections and TLS handshakes. It returns the CA in PEM for
// the client to trust.
func NewTLSTestServer(s *Server) (*httptest.Server, []byte, error) {
	cfg, caPEM, err := NewLoopbackTLS()
	if err != nil {
		return nil, nil, err
	}
	ts := httptest.NewUnstartedServer(s)
	ts.Config.ConnState = s.ConnState
	ts.TLS = s.TLSConfig(cfg)
	ts.StartTLS()
	return ts, caPEM, nil
}
