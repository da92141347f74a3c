package pbxsim

import (
	"encoding/hex"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestLoginSuccess(t *testing.T) {
	s := New()
	a := getToken(t, s, DefaultClientID, DefaultClientSecret)
	wantCode(t, "login", a, 0, "SUCCESS")
	for _, tok := range []string{a.AccessToken, a.RefreshToken} {
		if _, err := hex.DecodeString(tok); err != nil || len(tok) != 32 {
			t.Errorf("token %q is not 32 hex chars", tok)
		}
	}
	if a.AccessToken == a.RefreshToken {
		t.Error("access and refresh token are equal")
	}
	if a.AccessExpire != 1800 || a.RefreshExpire != 86400 {
		t.Errorf("expire times %d/%d, want 1800/86400", a.AccessExpire, a.RefreshExpire)
	}
	st := s.Stats()
	if st.LoginAttempts != 1 || st.Logins != 1 || st.LiveTokens != 1 || st.FailedLogins != 0 {
		t.Errorf("stats %+v", st)
	}
	if got := s.IssuedSecrets(); !slices.Contains(got, a.AccessToken) || !slices.Contains(got, a.RefreshToken) {
		t.Errorf("IssuedSecrets %v lacks the issued pair", got)
	}
	wantCode(t, "query with the new token", query(t, s, a.AccessToken, "4"), 0, "SUCCESS")
}

func TestSetCredentials(t *testing.T) {
	s := New()
	s.SetCredentials("other-id", "other-secret")
	wantCode(t, "old credentials", getToken(t, s, DefaultClientID, DefaultClientSecret), -1, "FAILURE")
	wantCode(t, "new credentials", getToken(t, s, "other-id", "other-secret"), 0, "SUCCESS")
}

func TestLoginFailureAndStreakReset(t *testing.T) {
	s := New()
	wantCode(t, "wrong secret", getToken(t, s, DefaultClientID, "wrong"), -1, "FAILURE")
	wantCode(t, "wrong id", getToken(t, s, "wrong", DefaultClientSecret), -1, "FAILURE")
	st := s.Stats()
	if st.FailedLogins != 2 || st.FailedStreak != 2 || st.LoginAttempts != 2 || st.Logins != 0 || st.LiveTokens != 0 {
		t.Fatalf("after 2 failures: %+v", st)
	}
	login(t, s)
	if st := s.Stats(); st.FailedStreak != 0 || st.FailedLogins != 2 {
		t.Fatalf("success did not reset the streak: %+v", st)
	}
	// 4 + success + 4 never reaches 5 in a row.
	for range 4 {
		getToken(t, s, DefaultClientID, "wrong")
	}
	login(t, s)
	for range 4 {
		getToken(t, s, DefaultClientID, "wrong")
	}
	login(t, s)
}

func TestMalformedLoginIsNotAnAttempt(t *testing.T) {
	s := New()
	r := newRequest(http.MethodPost, "get_token", nil, nil)
	r.Body = http.NoBody
	wantCode(t, "empty body", decode(t, serve(s, r)), 40002, "PARAMETER ERROR")
	wantCode(t, "no password", decode(t, serve(s, newRequest(http.MethodPost, "get_token", nil, map[string]string{"username": DefaultClientID}))), 40002, "PARAMETER ERROR")
	if st := s.Stats(); st.LoginAttempts != 0 || st.FailedLogins != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestFiveFailuresBlockTheIP(t *testing.T) {
	s := New()
	access, _ := login(t, s)
	for i := range failuresToBlock {
		wantCode(t, "failure", getToken(t, s, DefaultClientID, "wrong"), -1, "FAILURE")
		if st := s.Stats(); st.FailedStreak != i+1 {
			t.Fatalf("streak %d after %d failures", st.FailedStreak, i+1)
		}
	}
	wantCode(t, "good login from blocked IP", getToken(t, s, DefaultClientID, DefaultClientSecret), 70004, "ACCOUNT IP BLOCKED")
	wantCode(t, "query from blocked IP", query(t, s, access, "4"), 70004, "ACCOUNT IP BLOCKED")
	if st := s.Stats(); st.LoginAttempts != 1+failuresToBlock {
		t.Fatalf("blocked login reached credential checking: %+v", st)
	}

	other := fromIP("127.0.0.2")
	a := getToken(t, s, DefaultClientID, DefaultClientSecret, other)
	wantCode(t, "login from another IP", a, 0, "SUCCESS")
	wantCode(t, "query from another IP", query(t, s, access, "4", other), 0, "SUCCESS")
}

func TestEightLiveTokensAtMost(t *testing.T) {
	s := New()
	var tokens []string
	for range maxLiveTokens {
		access, _ := login(t, s)
		tokens = append(tokens, access)
	}
	wantCode(t, "9th login", getToken(t, s, DefaultClientID, DefaultClientSecret), -1, "MAX TOKEN LIMIT")
	st := s.Stats()
	if st.FailedLogins != 0 || st.FailedStreak != 0 || st.Logins != 8 || st.LiveTokens != 8 || st.MaxLiveTokens != 8 || st.LoginAttempts != 9 {
		t.Fatalf("stats %+v", st)
	}
	wantCode(t, "del_token", delToken(t, s, tokens[0]), 0, "SUCCESS")
	login(t, s)
	if st := s.Stats(); st.LiveTokens != 8 || st.MaxLiveTokens != 8 {
		t.Fatalf("stats %+v", st)
	}
}

func TestRefreshEndsTheOldPair(t *testing.T) {
	s := New()
	oldAccess, oldRefresh := login(t, s)
	a := refresh(t, s, oldRefresh)
	wantCode(t, "refresh", a, 0, "SUCCESS")
	if a.AccessToken == oldAccess || a.RefreshToken == oldRefresh || a.AccessExpire != 1800 || a.RefreshExpire != 86400 {
		t.Fatalf("refresh answer %+v", a)
	}
	wantCode(t, "old access token", query(t, s, oldAccess, "4"), 10004, "TOKEN EXPIRED")
	wantCode(t, "old refresh token", refresh(t, s, oldRefresh), 10004, "TOKEN EXPIRED")
	wantCode(t, "new access token", query(t, s, a.AccessToken, "4"), 0, "SUCCESS")
	st := s.Stats()
	if st.Refreshes != 1 || st.LiveTokens != 1 {
		t.Fatalf("stats %+v", st)
	}
	if got := s.IssuedSecrets(); len(got) != 4 {
		t.Fatalf("IssuedSecrets has %d, want 4", len(got))
	}
}

func TestRefreshWithUnknownToken(t *testing.T) {
	s := New()
	access, _ := login(t, s)
	wantCode(t, "unknown", refresh(t, s, "0123456789abcdef0123456789abcdef"), 10004, "TOKEN EXPIRED")
	wantCode(t, "access token as refresh token", refresh(t, s, access), 10004, "TOKEN EXPIRED")
	if st := s.Stats(); st.Refreshes != 0 {
		t.Fatalf("stats %+v", st)
	}
}

func TestDelToken(t *testing.T) {
	s := New()
	access, refreshTok := login(t, s)
	keep, _ := login(t, s)
	wantCode(t, "del_token", delToken(t, s, access), 0, "SUCCESS")
	wantCode(t, "query after del", query(t, s, access, "4"), 10004, "TOKEN EXPIRED")
	wantCode(t, "del again", delToken(t, s, access), 10004, "TOKEN EXPIRED")
	wantCode(t, "refresh after del", refresh(t, s, refreshTok), 10004, "TOKEN EXPIRED")
	wantCode(t, "del unknown", delToken(t, s, ""), 10004, "TOKEN EXPIRED")
	wantCode(t, "other token", query(t, s, keep, "4"), 0, "SUCCESS")
	if st := s.Stats(); st.Revokes != 1 || st.LiveTokens != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestAuthenticatedCallsNeedALiveToken(t *testing.T) {
	s := New()
	for _, tok := range []string{"", "nope"} {
		wantCode(t, "query with "+tok, query(t, s, tok, "4"), 10004, "TOKEN EXPIRED")
		wantCode(t, "list with "+tok, list(t, s, tok, nil), 10004, "TOKEN EXPIRED")
	}
	_, refreshTok := login(t, s)
	wantCode(t, "refresh token used as access token", query(t, s, refreshTok, "4"), 10004, "TOKEN EXPIRED")
}

func TestTokensExpireWithTheClock(t *testing.T) {
	s := New()
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	s.SetNow(func() time.Time { return now })
	access, refreshTok := login(t, s)

	now = now.Add(accessTokenTTL - time.Second)
	wantCode(t, "just before expiry", query(t, s, access, "4"), 0, "SUCCESS")
	now = now.Add(time.Second)
	wantCode(t, "at expiry", query(t, s, access, "4"), 10004, "TOKEN EXPIRED")
	if st := s.Stats(); st.LiveTokens != 0 || st.MaxLiveTokens != 1 {
		t.Fatalf("stats %+v", st)
	}
	a := refresh(t, s, refreshTok)
	wantCode(t, "refresh after access expiry", a, 0, "SUCCESS")

	now = now.Add(refreshTokenTTL)
	wantCode(t, "refresh token expired", refresh(t, s, a.RefreshToken), 10004, "TOKEN EXPIRED")
}

func TestExpiredTokensFreeTheLimit(t *testing.T) {
	s := New()
	now := time.Now()
	s.SetNow(func() time.Time { return now })
	for range maxLiveTokens {
		login(t, s)
	}
	now = now.Add(accessTokenTTL)
	login(t, s)
}

func TestRefreshRespectsTheLimit(t *testing.T) {
	s := New()
	_, refreshTok := login(t, s)
	s.ExpireAllTokens()
	for range maxLiveTokens {
		login(t, s)
	}
	a := refresh(t, s, refreshTok)
	if a.Errcode != -1 || !strings.Contains(a.Errmsg, "MAX TOKEN") {
		t.Fatalf("refresh over the limit: %+v", a)
	}
	if st := s.Stats(); st.LiveTokens != 8 {
		t.Fatalf("stats %+v", st)
	}
}
