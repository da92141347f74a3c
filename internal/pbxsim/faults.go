package pbxsim

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"time"
)

// faults are the misbehaviours tests can switch on.
type faults struct {
	latency, jitter time.Duration
	answerDelay     time.Duration

	failNext       int
	failNextStatus int
	failRate       float64
	failRateStatus int

	usesLimit int

	malformedNext int
	malformedBody string
}

func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.latency = max(d, 0)
}

// SetAnswerDelay holds every answer back by d after the request has been
// processed, like a slow WAN: a caller that gives up meanwhile loses the
// answer, but what the PBX did (say, issue a token) stands. SetLatency, by
// contrast, waits before processing.
func (s *Server) SetAnswerDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.answerDelay = max(d, 0)
}

// SetLatencyJitter adds a random delay in [0,d) on top of SetLatency.
func (s *Server) SetLatencyJitter(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.jitter = max(d, 0)
}

// FailNext makes the next n requests, whatever the endpoint, answer with the
// HTTP status and a short text body. n <= 0 cancels.
func (s *Server) FailNext(n int, status int) {
	mustBeStatus(status)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.failNext, s.faults.failNextStatus = max(n, 0), status
}

// SetFailRate makes each request fail with the HTTP status with probability p; 0 disables.
func (s *Server) SetFailRate(p float64, status int) {
	mustBeStatus(status)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.failRate, s.faults.failRateStatus = p, status
}

// ExpireTokensAfterUses ends an access token on its (n+1)th authenticated
// call, which answers 10004; 0 turns it off.
func (s *Server) ExpireTokensAfterUses(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.usesLimit = max(n, 0)
}

// MalformedNext makes the next n authenticated API calls (certificate
// endpoints with a valid token) answer HTTP 200 with body verbatim.
func (s *Server) MalformedNext(n int, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults.malformedNext, s.faults.malformedBody = max(n, 0), body
}

// mustBeStatus catches a bad status at setup, where http.ResponseWriter would panic later.
func mustBeStatus(status int) {
	if status < 100 || status > 599 {
		panic(fmt.Sprintf("pbxsim: %d is not an HTTP status", status))
	}
}

// arrive counts the request and picks its delays before and after processing.
func (s *Server) arrive(endpoint string) (before, after time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, known := endpointMethods[endpoint]; known {
		s.counters.Requests[endpoint]++
	}
	d := s.faults.latency
	if s.faults.jitter > 0 {
		d += rand.N(s.faults.jitter)
	}
	return d, s.faults.answerDelay
}

// sleepCtx waits d unless the request ends first; it reports whether to answer.
func sleepCtx(r *http.Request, d time.Duration) bool {
	ctx := r.Context()
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// takeFault decides whether this request gets an injected HTTP error.
func (s *Server) takeFault() (int, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	code := 0
	switch f := &s.faults; {
	case f.failNext > 0:
		f.failNext--
		code = f.failNextStatus
	case f.failRate > 0 && rand.Float64() < f.failRate:
		code = f.failRateStatus
	default:
		return 0, false
	}
	if code >= 500 {
		s.counters.Faults5xx++
	}
	return code, true
}
