package pbxsim

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Limits the PBX enforces.
const (
	accessTokenTTL  = 1800 * time.Second
	refreshTokenTTL = 86400 * time.Second
	maxLiveTokens   = 8
	failuresToBlock = 5
	maxBodyBytes    = 1 << 20
)

type accessToken struct {
	refresh string
	expires time.Time
	uses    int
}

type refreshToken struct {
	access  string
	expires time.Time
}

// tokenStore drops a token as soon as it ends, so "unknown" and "ended" answer alike.
type tokenStore struct {
	access  map[string]*accessToken
	refresh map[string]*refreshToken
}

func newTokenStore() tokenStore {
	return tokenStore{access: map[string]*accessToken{}, refresh: map[string]*refreshToken{}}
}

// liveAccess returns the access token if it is still valid at now.
func (t *tokenStore) liveAccess(tok string, now time.Time) *accessToken {
	a := t.access[tok]
	if a == nil || !now.Before(a.expires) {
		return nil
	}
	return a
}

func (t *tokenStore) liveRefresh(tok string, now time.Time) *refreshToken {
	rt := t.refresh[tok]
	if rt == nil || !now.Before(rt.expires) {
		return nil
	}
	return rt
}

// liveCount counts valid access tokens, forgetting the expired ones on the way.
func (t *tokenStore) liveCount(now time.Time) int {
	n := 0
	for tok, a := range t.access {
		if now.Before(a.expires) {
			n++
		} else {
			delete(t.access, tok)
		}
	}
	for tok, rt := range t.refresh {
		if !now.Before(rt.expires) {
			delete(t.refresh, tok)
		}
	}
	return n
}

func newSecret() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // crypto/rand.Read never fails since Go 1.24
	return hex.EncodeToString(b)
}

type tokenAnswer struct {
	status
	AccessToken            string `json:"access_token"`
	AccessTokenExpireTime  int    `json:"access_token_expire_time"`
	RefreshToken           string `json:"refresh_token"`
	RefreshTokenExpireTime int    `json:"refresh_token_expire_time"`
}

// issuePair creates a new access/refresh pair; callers hold mu.
func (s *Server) issuePair(now time.Time) reply {
	access, refresh := newSecret(), newSecret()
	s.tokens.access[access] = &accessToken{refresh: refresh, expires: now.Add(accessTokenTTL)}
	s.tokens.refresh[refresh] = &refreshToken{access: access, expires: now.Add(refreshTokenTTL)}
	s.issued = append(s.issued, access, refresh)
	if live := s.tokens.liveCount(now); live > s.counters.MaxLiveTokens {
		s.counters.MaxLiveTokens = live
	}
	return reply{body: tokenAnswer{
		status:                 statusOf(codeSuccess),
		AccessToken:            access,
		AccessTokenExpireTime:  int(accessTokenTTL / time.Second),
		RefreshToken:           refresh,
		RefreshTokenExpireTime: int(refreshTokenTTL / time.Second),
	}}
}

func maxTokensReply() reply {
	return reply{body: status{Errcode: codeFailure, Errmsg: "MAX TOKEN LIMIT"}}
}

// decodeBody reads a small JSON request body into v.
func decodeBody(r *http.Request, v any) bool {
	body, err := io.ReadAll(http.MaxBytesReader(nil, r.Body, maxBodyBytes))
	if err != nil {
		return false
	}
	return json.Unmarshal(body, v) == nil
}

func (s *Server) getToken(r *http.Request, ip string) reply {
	var in struct {
		Username *string `json:"username"`
		Password *string `json:"password"`
	}
	if !decodeBody(r, &in) || in.Username == nil || in.Password == nil {
		return errorReply(codeParamError)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	s.counters.LoginAttempts++
	s.lastLoginIP = ip
	if *in.Username != s.clientID || *in.Password != s.clientSecret {
		s.counters.FailedLogins++
		s.streaks[ip]++
		if s.streaks[ip] >= failuresToBlock {
			s.blocked[ip] = true
		}
		return errorReply(codeFailure)
	}
	// The credentials were right, so the streak of guesses ends even if the
	// token limit refuses a new token.
	delete(s.streaks, ip)
	now := s.now()
	if s.tokens.liveCount(now) >= maxLiveTokens {
		return maxTokensReply()
	}
	s.counters.Logins++
	return s.issuePair(now)
}

func (s *Server) refreshToken(r *http.Request) reply {
	var in struct {
		RefreshToken *string `json:"refresh_token"`
	}
	if !decodeBody(r, &in) || in.RefreshToken == nil {
		return errorReply(codeParamError)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	old := s.tokens.liveRefresh(*in.RefreshToken, now)
	if old == nil {
		return errorReply(codeTokenExpired)
	}
	live := s.tokens.liveCount(now)
	if s.tokens.liveAccess(old.access, now) != nil {
		live-- // about to end
	}
	if live >= maxLiveTokens {
		return maxTokensReply()
	}
	delete(s.tokens.access, old.access)
	delete(s.tokens.refresh, *in.RefreshToken)
	s.counters.Refreshes++
	return s.issuePair(now)
}

func (s *Server) delToken(tok string) reply {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.tokens.liveAccess(tok, s.now())
	if a == nil {
		return errorReply(codeTokenExpired)
	}
	delete(s.tokens.access, tok)
	delete(s.tokens.refresh, a.refresh)
	s.counters.Revokes++
	return errorReply(codeSuccess)
}

// authenticated checks the access token, applies the uses limit and
// MalformedNext, then runs handle with mu held.
func (s *Server) authenticated(r *http.Request, handle func(q url.Values) reply) reply {
	q := r.URL.Query()
	tok := q.Get("access_token")

	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.tokens.liveAccess(tok, s.now())
	if a == nil {
		return errorReply(codeTokenExpired)
	}
	a.uses++
	if limit := s.faults.usesLimit; limit > 0 && a.uses > limit {
		delete(s.tokens.access, tok)
		s.counters.ExpiredByUses++
		return errorReply(codeTokenExpired)
	}
	if s.faults.malformedNext > 0 {
		s.faults.malformedNext--
		return reply{raw: []byte(s.faults.malformedBody), verbatim: true}
	}
	return handle(q)
}

// ExpireAllTokens ends every access token; refresh tokens keep working.
func (s *Server) ExpireAllTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.tokens.access)
}
