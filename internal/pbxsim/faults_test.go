package pbxsim

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestFailNext(t *testing.T) {
	s := New()
	s.FailNext(2, http.StatusServiceUnavailable)
	for i := range 2 {
		r := newRequest(http.MethodPost, "get_token", nil, map[string]string{"username": DefaultClientID, "password": DefaultClientSecret})
		rec := serve(s, r)
		if rec.Code != http.StatusServiceUnavailable || rec.Body.String() != "503 Service Unavailable\n" {
			t.Fatalf("request %d: HTTP %d %q", i+1, rec.Code, rec.Body.String())
		}
	}
	access, _ := login(t, s)

	s.FailNext(1, http.StatusTooManyRequests)
	if rec := serve(s, newRequest(http.MethodGet, "certificate/query", url.Values{"access_token": {access}, "ids": {"4"}}, nil)); rec.Code != http.StatusTooManyRequests {
		t.Fatalf("HTTP %d, want 429", rec.Code)
	}
	wantCode(t, "after the faults", query(t, s, access, "4"), 0, "SUCCESS")

	st := s.Stats()
	if st.Faults5xx != 2 || st.Requests["get_token"] != 3 || st.Requests["certificate/query"] != 2 || st.LoginAttempts != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestFailNextCanBeCancelled(t *testing.T) {
	s := New()
	s.FailNext(5, http.StatusBadGateway)
	s.FailNext(0, http.StatusBadGateway)
	login(t, s)
}

func TestFailNextRejectsImpossibleStatus(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("FailNext accepted status 42")
		}
	}()
	New().FailNext(1, 42)
}

func TestFailRate(t *testing.T) {
	s := New()
	s.SetFailRate(1, http.StatusInternalServerError)
	for range 5 {
		if rec := serve(s, newRequest(http.MethodGet, "del_token", nil, nil)); rec.Code != http.StatusInternalServerError {
			t.Fatalf("HTTP %d, want 500", rec.Code)
		}
	}
	s.SetFailRate(0, http.StatusInternalServerError)
	login(t, s)
	if st := s.Stats(); st.Faults5xx != 5 {
		t.Fatalf("Faults5xx %d, want 5", st.Faults5xx)
	}
}

func TestExpireTokensAfterUses(t *testing.T) {
	s := New()
	s.ExpireTokensAfterUses(2)
	access, refreshTok := login(t, s)
	wantCode(t, "use 1", query(t, s, access, "4"), 0, "SUCCESS")
	wantCode(t, "use 2", list(t, s, access, nil), 0, "SUCCESS")
	wantCode(t, "use 3", query(t, s, access, "4"), 10004, "TOKEN EXPIRED")
	wantCode(t, "use 4", query(t, s, access, "4"), 10004, "TOKEN EXPIRED")
	st := s.Stats()
	if st.ExpiredByUses != 1 || st.LiveTokens != 0 {
		t.Fatalf("stats %+v", st)
	}
	a := refresh(t, s, refreshTok)
	wantCode(t, "refresh after use limit", a, 0, "SUCCESS")
	wantCode(t, "new token", query(t, s, a.AccessToken, "4"), 0, "SUCCESS")

	s.ExpireTokensAfterUses(0)
	for range 5 {
		wantCode(t, "limit off", query(t, s, a.AccessToken, "4"), 0, "SUCCESS")
	}
}

func TestExpireAllTokens(t *testing.T) {
	s := New()
	access1, refresh1 := login(t, s)
	access2, _ := login(t, s)
	s.ExpireAllTokens()
	wantCode(t, "token 1", query(t, s, access1, "4"), 10004, "TOKEN EXPIRED")
	wantCode(t, "token 2", query(t, s, access2, "4"), 10004, "TOKEN EXPIRED")
	if st := s.Stats(); st.LiveTokens != 0 {
		t.Fatalf("LiveTokens %d", st.LiveTokens)
	}
	wantCode(t, "refresh still works", refresh(t, s, refresh1), 0, "SUCCESS")
}

func TestMalformedNext(t *testing.T) {
	s := New()
	const garbage = `{"errcode":0,"certificate_list":[`
	s.MalformedNext(2, garbage)
	access, refreshTok := login(t, s) // token endpoints are never malformed
	wantCode(t, "bad token is answered normally", query(t, s, "bad", "4"), 10004, "TOKEN EXPIRED")

	for _, endpoint := range []string{"certificate/query", "certificate/list"} {
		rec := serve(s, newRequest(http.MethodGet, endpoint, url.Values{"access_token": {access}, "ids": {"4"}}, nil))
		if rec.Code != http.StatusOK || rec.Body.String() != garbage {
			t.Fatalf("%s: HTTP %d %q", endpoint, rec.Code, rec.Body.String())
		}
	}
	wantCode(t, "third call", query(t, s, access, "4"), 0, "SUCCESS")

	s.MalformedNext(1, "")
	rec := serve(s, newRequest(http.MethodGet, "certificate/list", url.Values{"access_token": {access}}, nil))
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 {
		t.Fatalf("empty body: HTTP %d %q", rec.Code, rec.Body.String())
	}
	wantCode(t, "refresh", refresh(t, s, refreshTok), 0, "SUCCESS")
}

func TestLatencyDelaysEveryAnswer(t *testing.T) {
	s := New()
	s.SetLatency(20 * time.Millisecond)
	start := time.Now()
	login(t, s)
	if d := time.Since(start); d < 20*time.Millisecond {
		t.Fatalf("answered after %v, want >= 20ms", d)
	}
	s.SetLatency(0)
	s.SetLatencyJitter(10 * time.Millisecond)
	start = time.Now()
	login(t, s)
	if d := time.Since(start); d >= time.Second {
		t.Fatalf("jitter of 10ms took %v", d)
	}
}

func TestLatencyStopsWhenTheCallerLeaves(t *testing.T) {
	s := New()
	s.SetLatency(time.Hour)
	ctx, cancel := context.WithCancel(t.Context())
	r := newRequest(http.MethodPost, "get_token", nil, map[string]string{"username": DefaultClientID, "password": DefaultClientSecret}).WithContext(ctx)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		s.ServeHTTP(rec, r)
		close(done)
	}()
	time.Sleep(10 * time.Millisecond)
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("ServeHTTP kept waiting after the request context ended")
	}
	if rec.Body.Len() != 0 || len(rec.Header()) != 0 {
		t.Fatalf("answered a caller that left: %q %v", rec.Body.String(), rec.Header())
	}
	if st := s.Stats(); st.LoginAttempts != 0 || st.Requests["get_token"] != 1 {
		t.Fatalf("stats %+v", st)
	}
}

func TestLatencyOverHTTPHonoursClientTimeout(t *testing.T) {
	s := New()
	s.SetLatency(time.Hour)
	ts := httptest.NewServer(s)
	defer ts.Close() // waits for the handler, so this also proves it returned

	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ts.URL+"/"+APIPath+"/certificate/list", nil)
	req.Header.Set("User-Agent", "OpenAPI")
	if resp, err := ts.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("got an answer despite an hour of latency")
	}
}

func TestAnswerDelayComesAfterTheWork(t *testing.T) {
	s := New()
	const delay = 300 * time.Millisecond
	s.SetAnswerDelay(delay)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	start := time.Now()
	go func() {
		s.ServeHTTP(rec, newRequest(http.MethodPost, "get_token", nil, map[string]string{"username": DefaultClientID, "password": DefaultClientSecret}))
		close(done)
	}()
	for s.Stats().Logins == 0 {
		select {
		case <-done:
			t.Fatal("the answer came before the token was issued")
		case <-time.After(time.Millisecond):
		}
	}
	select {
	case <-done:
		t.Fatalf("answered %v after the login, want the answer %v later", time.Since(start), delay)
	default:
	}
	<-done
	if d := time.Since(start); d < delay {
		t.Fatalf("answered after %v, want >= %v", d, delay)
	}
	wantCode(t, "delayed login", decode(t, rec), 0, "SUCCESS")
}

func TestAnswerDelayLosesTheAnswerButKeepsTheToken(t *testing.T) {
	s := New()
	s.SetAnswerDelay(time.Hour)
	ctx, cancel := context.WithCancel(t.Context())
	r := newRequest(http.MethodPost, "get_token", nil, map[string]string{"username": DefaultClientID, "password": DefaultClientSecret}).WithContext(ctx)
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		s.ServeHTTP(rec, r)
		close(done)
	}()
	deadline := time.Now().Add(2 * time.Second)
	for s.Stats().Logins == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the login was not processed before the answer delay")
		}
		time.Sleep(time.Millisecond)
	}
	cancel()
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("ServeHTTP kept waiting after the request context ended")
	}
	if rec.Body.Len() != 0 || len(rec.Header()) != 0 {
		t.Fatalf("answered a caller that left: %q %v", rec.Body.String(), rec.Header())
	}
	if st := s.Stats(); st.Logins != 1 || st.LiveTokens != 1 {
		t.Fatalf("the interrupted login's token is gone: %+v", st)
	}
}

func TestAnswerDelayOverHTTPHonoursClientTimeout(t *testing.T) {
	s := New()
	s.SetAnswerDelay(time.Hour)
	ts := NewTestServer(s)
	defer ts.Close() // waits for the handler, so this also proves it returned

	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	body := strings.NewReader(`{"username":"` + DefaultClientID + `","password":"` + DefaultClientSecret + `"}`)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/"+APIPath+"/get_token", body)
	req.Header.Set("User-Agent", "OpenAPI")
	if resp, err := ts.Client().Do(req); err == nil {
		resp.Body.Close()
		t.Fatal("got an answer despite an hour of answer delay")
	}
	if st := s.Stats(); st.Logins != 1 || st.LiveTokens != 1 {
		t.Fatalf("stats %+v, want the login done and its token live", st)
	}
}
