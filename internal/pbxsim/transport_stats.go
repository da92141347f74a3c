package pbxsim

import (
	"crypto/tls"
	"net"
	"net/http"
)

// TLSConfig returns a clone of base (or an empty config) that counts each
// TLS handshake in Stats, full or resumed. Session tickets stay as base has
// them, on by default, so a client can resume. With httptest, set it as
// Server.TLS before StartTLS; httptest fills in a certificate if none is set.
func (s *Server) TLSConfig(base *tls.Config) *tls.Config {
	cfg := &tls.Config{}
	if base != nil {
		cfg = base.Clone()
	}
	verify := cfg.VerifyConnection
	cfg.VerifyConnection = func(cs tls.ConnectionState) error {
		if verify != nil {
			if err := verify(cs); err != nil {
				return err
			}
		}
		s.countHandshake(cs.DidResume)
		return nil
	}
	return cfg
}

func (s *Server) countHandshake(resumed bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if resumed {
		s.counters.TLSResumed++
	} else {
		s.counters.TLSHandshakes++
	}
}

// ConnState counts accepted connections; assign it to http.Server.ConnState
// (httptest keeps it when it starts).
func (s *Server) ConnState(_ net.Conn, state http.ConnState) {
	if state != http.StateNew {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counters.Connections++
}
