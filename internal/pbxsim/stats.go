package pbxsim

import (
	"maps"
	"slices"
)

// Stats is a snapshot of counters.
type Stats struct {
	Requests      map[string]int // by endpoint name: "get_token", "refresh_token", "del_token", "certificate/query", "certificate/list"
	LoginAttempts int            // get_token calls that reached credential checking
	Logins        int            // successful get_token
	FailedLogins  int            // total refused get_token (wrong id/secret)
	FailedStreak  int            // consecutive failed logins from the current caller IP
	Refreshes     int            // successful refresh_token
	Revokes       int            // successful del_token
	LiveTokens    int            // access tokens currently valid (not expired, not revoked, not ended by refresh)
	MaxLiveTokens int            // high-water mark of LiveTokens
	Faults5xx     int            // HTTP 5xx answers injected
	ExpiredByUses int            // tokens ended by the uses limit
	Connections   int            // connections accepted, when wired with ConnState
	TLSHandshakes int            // full TLS handshakes, when served with TLSConfig
	TLSResumed    int            // resumed TLS handshakes, when served with TLSConfig
}

// TotalRequests sums Requests over every endpoint.
func (s Stats) TotalRequests() int {
	n := 0
	for _, c := range s.Requests {
		n += c
	}
	return n
}

// Stats returns a snapshot. Requests counts every arrival at a known
// endpoint, including ones later answered with an injected fault or an error.
// FailedStreak is the streak of the IP that last tried to log in.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.counters
	st.Requests = maps.Clone(s.counters.Requests)
	st.FailedStreak = s.streaks[s.lastLoginIP]
	st.LiveTokens = s.tokens.liveCount(s.now())
	return st
}

// IssuedSecrets returns every access and refresh token ever issued, for
// scanning logs and state for leaks.
func (s *Server) IssuedSecrets() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.issued)
}
