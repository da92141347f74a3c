package client

import "net/http"

// resumeGate holds HTTPS requests back until one has completed. The PBX
// closes every connection, so every request needs a TLS handshake, and
// only a handshake that starts after a finished one can resume its session
// instead of paying a full one. Reads that start together (a warm token
// cache, a configured access_token) would otherwise each pay in full.
type resumeGate struct {
	next http.RoundTripper
	// turn is held by the one request allowed through while the gate is
	// shut; closed once a request has completed over TLS.
	turn chan struct{}
	open chan struct{}
}

func newResumeGate(next http.RoundTripper) *resumeGate {
	return &resumeGate{next: next, turn: make(chan struct{}, 1), open: make(chan struct{})}
}

func (g *resumeGate) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.URL.Scheme != "https" {
		return g.next.RoundTrip(req)
	}
	select {
	case <-g.open:
		return g.next.RoundTrip(req)
	case g.turn <- struct{}{}:
	case <-req.Context().Done():
		return nil, req.Context().Err()
	}
	defer func() { <-g.turn }()
	select {
	case <-g.open: // opened while this request waited for its turn
		return g.next.RoundTrip(req)
	default:
	}
	// Go reads the PBX's session ticket along with the response headers,
	// so once this returns the next handshake can resume.
	resp, err := g.next.RoundTrip(req)
	if err == nil && resp.TLS != nil {
		close(g.open)
	}
	return resp, err
}
