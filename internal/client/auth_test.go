package client

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

func TestLoginIsLazyAndShared(t *testing.T) {
	sim, srv := newSim(t)
	sim.SetLatency(20 * time.Millisecond) // keeps the 50 callers overlapping
	c := newTestClient(t, testConfig(srv.URL))
	if sim.Stats().LoginAttempts != 0 {
		t.Fatal("New logged in")
	}

	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for range 50 {
		wg.Go(func() {
			_, err := c.QueryCertificates(ctxT(t), []int64{4, 5, 6})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	st := sim.Stats()
	if st.LoginAttempts != 1 || st.Logins != 1 || st.MaxLiveTokens != 1 {
		t.Errorf("50 concurrent calls: %d login attempts, %d logins, max %d live tokens; want 1, 1, 1",
			st.LoginAttempts, st.Logins, st.MaxLiveTokens)
	}
	if st.Requests["certificate/query"] != 50 {
		t.Errorf("queries = %d, want 50", st.Requests["certificate/query"])
	}
}

func TestRequestShape(t *testing.T) {
	sim := pbxsim.New()
	rec := newRecorder(sim)
	srv := newServer(t, rec)
	c := newTestClient(t, testConfig(srv.URL+"/"))
	if _, err := c.QueryCertificates(ctxT(t), []int64{6, 4}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	reqs := rec.all()
	if len(reqs) != 3 {
		t.Fatalf("got %d requests, want get_token, certificate/query, del_token", len(reqs))
	}
	for _, r := range reqs {
		if ua := r.Header.Get("User-Agent"); ua != "OpenAPI" {
			t.Errorf("%s: User-Agent %q", r.Path, ua)
		}
		if !strings.HasPrefix(r.Path, "/openapi/v1.0/") || strings.Contains(r.Path, "//") {
			t.Errorf("path %q", r.Path)
		}
	}
	login, query, del := reqs[0], reqs[1], reqs[2]
	if login.Method != "POST" || login.Path != "/openapi/v1.0/get_token" || login.RawQuery != "" ||
		login.Header.Get("Content-Type") != "application/json" ||
		string(login.Body) != `{"password":"`+pbxsim.DefaultClientSecret+`","username":"`+pbxsim.DefaultClientID+`"}` {
		t.Errorf("login request: %+v body %s", login, login.Body)
	}
	tok := sim.IssuedSecrets()[0]
	if query.Method != "GET" || query.Path != "/openapi/v1.0/certificate/query" || query.RawQuery != "access_token="+tok+"&ids=6,4" {
		t.Errorf("query request: %s %s?%s", query.Method, query.Path, RedactURL(query.RawQuery))
	}
	if del.Method != "GET" || del.Path != "/openapi/v1.0/del_token" || del.RawQuery != "access_token="+tok {
		t.Errorf("revoke request: %s %s?%s", del.Method, del.Path, RedactURL(del.RawQuery))
	}
}

func TestTokenExpiryMidRunRenewsOnce(t *testing.T) {
	sim, srv := newSim(t)
	c := newTestClient(t, testConfig(srv.URL))
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	sim.SetLatency(10 * time.Millisecond)
	sim.ExpireAllTokens()

	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for range 20 {
		wg.Go(func() {
			_, err := c.QueryCertificates(ctxT(t), []int64{5})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	st := sim.Stats()
	if st.Refreshes != 1 || st.Logins != 1 || st.LoginAttempts != 1 {
		t.Errorf("refreshes %d, logins %d, attempts %d; want one renewal by refresh and no new login",
			st.Refreshes, st.Logins, st.LoginAttempts)
	}
	if st.LiveTokens != 1 || st.MaxLiveTokens != 1 {
		t.Errorf("live %d, max live %d; want 1, 1", st.LiveTokens, st.MaxLiveTokens)
	}
}

func TestExpireTokensAfterUses(t *testing.T) {
	sim, srv := newSim(t)
	sim.ExpireTokensAfterUses(2)
	c := newTestClient(t, testConfig(srv.URL))
	for i := range 7 {
		if _, err := c.QueryCertificates(ctxT(t), []int64{4, 6}); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	// Uses: 2 per token, so calls 3, 5 and 7 each hit an ended token once.
	st := sim.Stats()
	if st.ExpiredByUses != 3 || st.Refreshes != 3 || st.Logins != 1 {
		t.Errorf("expired %d, refreshes %d, logins %d; want 3, 3, 1", st.ExpiredByUses, st.Refreshes, st.Logins)
	}
	if st.MaxLiveTokens != 1 {
		t.Errorf("max live tokens %d, want 1", st.MaxLiveTokens)
	}
}

// When refresh fails, the old token is revoked before a new login, so the
// PBX never sees two live tokens from one client.
func TestRefreshFailureRevokesThenLogsIn(t *testing.T) {
	sim, srv := newSim(t)
	c := newTestClient(t, testConfig(srv.URL))
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	// A refresh token the PBX no longer knows.
	c.mu.Lock()
	c.current.refresh = "0000000000000000unknownrefresh000"
	c.mu.Unlock()
	sim.ExpireTokensAfterUses(1)
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	st := sim.Stats()
	if st.Logins != 2 || st.Refreshes != 0 || st.MaxLiveTokens != 1 || st.Requests["del_token"] != 1 {
		t.Errorf("logins %d, refreshes %d, max live %d, revokes sent %d; want 2, 0, 1, 1",
			st.Logins, st.Refreshes, st.MaxLiveTokens, st.Requests["del_token"])
	}
}

func TestRefreshFallbackRevokesLiveOldToken(t *testing.T) {
	sim, srv := newSim(t)
	c := newTestClient(t, testConfig(srv.URL))
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	c.mu.Lock()
	old := c.current
	old.refresh = "0000000000000000unknownrefresh000"
	c.mu.Unlock()
	// The old access token is still live on the PBX: renew must end it.
	if _, err := c.renew(ctxT(t), old); err != nil {
		t.Fatal(err)
	}
	st := sim.Stats()
	if st.Revokes != 1 || st.Logins != 2 || st.LiveTokens != 1 || st.MaxLiveTokens != 1 {
		t.Errorf("revokes %d, logins %d, live %d, max live %d; want 1, 2, 1, 1", st.Revokes, st.Logins, st.LiveTokens, st.MaxLiveTokens)
	}
}

func TestProactiveRenewalNearExpiry(t *testing.T) {
	sim, srv := newSim(t)
	c := newTestClient(t, testConfig(srv.URL))
	start := time.Now()
	clock := start
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	c.now = now
	sim.SetNow(now)
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	clock = start.Add(1800*time.Second - 30*time.Second) // 30 s left of 1800 s
	mu.Unlock()
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	st := sim.Stats()
	if st.Refreshes != 1 || st.Requests["certificate/query"] != 2 {
		t.Errorf("refreshes %d, queries %d; want the token renewed before the call, with no failed call",
			st.Refreshes, st.Requests["certificate/query"])
	}
}

func TestWrongSecretOneLoginAttempt(t *testing.T) {
	sim, srv := newSim(t)
	cfg := testConfig(srv.URL)
	cfg.ClientSecret = "wrong-secret-value-42"
	c := newTestClient(t, cfg)

	var first error
	for i := range 5 {
		_, err := c.QueryCertificates(ctxT(t), []int64{4})
		var lre *LoginRefusedError
		if !errors.As(err, &lre) {
			t.Fatalf("call %d: got %v, want *LoginRefusedError", i, err)
		}
		if first == nil {
			first = err
		} else if err != first {
			t.Errorf("call %d: a different error than the remembered one", i)
		}
	}
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { _, _ = c.QueryCertificates(ctxT(t), []int64{4}) })
	}
	wg.Wait()
	st := sim.Stats()
	if st.LoginAttempts != 1 || st.Requests["get_token"] != 1 {
		t.Errorf("login attempts %d, get_token requests %d; want 1", st.LoginAttempts, st.Requests["get_token"])
	}
	msg := first.Error()
	for _, want := range []string{"refused the client ID/secret", "Five failed logins", "block this IP"} {
		if !strings.Contains(msg, want) {
			t.Errorf("error %q should say %q", msg, want)
		}
	}
	assertNoSecrets(t, sim, msg, cfg.ClientSecret, pbxsim.DefaultClientSecret)
	if err := c.Close(ctxT(t)); err != nil || sim.Stats().Requests["del_token"] != 0 {
		t.Errorf("Close after a refused login: %v, del_token requests %d", err, sim.Stats().Requests["del_token"])
	}
}

// Login is never retried on an API error, not even errcode -2.
func TestLoginNotRetriedOnAPIError(t *testing.T) {
	sim, srv := newSim(t)
	sim.SetCredentials(pbxsim.DefaultClientID, "another-secret-9999")
	c := newTestClient(t, testConfig(srv.URL))
	_, err := c.QueryCertificates(ctxT(t), []int64{4})
	var lre *LoginRefusedError
	if !errors.As(err, &lre) || lre.Code != -1 || lre.Message != "FAILURE" {
		t.Fatalf("got %#v", err)
	}
	if n := sim.Stats().Requests["get_token"]; n != 1 {
		t.Errorf("get_token requests = %d, want 1", n)
	}
}

func TestLoginRetriedOn5xx(t *testing.T) {
	sim, srv := newSim(t)
	sim.FailNext(2, 503)
	c := newTestClient(t, testConfig(srv.URL))
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	st := sim.Stats()
	if st.Requests["get_token"] != 3 || st.LoginAttempts != 1 || st.Logins != 1 {
		t.Errorf("get_token requests %d, attempts %d, logins %d; want 3, 1, 1", st.Requests["get_token"], st.LoginAttempts, st.Logins)
	}
}

// A login that failed in transit is not remembered: the next call tries again.
func TestLoginTransportFailureNotRemembered(t *testing.T) {
	sim, srv := newSim(t)
	cfg := testConfig(srv.URL)
	cfg.MaxRetries = 0
	c := newTestClient(t, cfg)
	sim.FailNext(1, 502)
	_, err := c.QueryCertificates(ctxT(t), []int64{4})
	var te *TransportError
	if !errors.As(err, &te) || te.StatusCode != 502 || te.Endpoint != "get_token" {
		t.Fatalf("got %v, want a 502 TransportError on get_token", err)
	}
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatalf("second call: %v", err)
	}
}

func TestBlockedIPHint(t *testing.T) {
	sim, srv := newSim(t)
	for range 5 {
		cfg := testConfig(srv.URL)
		cfg.ClientSecret = "wrong-secret-value-42"
		_, _ = newTestClient(t, cfg).QueryCertificates(ctxT(t), []int64{4})
	}
	c := newTestClient(t, testConfig(srv.URL))
	_, err := c.QueryCertificates(ctxT(t), []int64{4})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != 70004 || ae.Endpoint != "get_token" {
		t.Fatalf("got %v, want APIError 70004 on get_token", err)
	}
	var lre *LoginRefusedError
	if errors.As(err, &lre) {
		t.Error("a blocked IP is not a refused secret")
	}
	hint := ae.Hint()
	if !strings.Contains(hint, "Security > Security Rules > Blocked IPs") {
		t.Errorf("hint %q should say where to unblock", hint)
	}
	if !strings.Contains(err.Error(), "ACCOUNT IP BLOCKED") {
		t.Errorf("error %q should carry errmsg", err)
	}
	if n := sim.Stats().LoginAttempts; n != 5 {
		t.Errorf("login attempts %d: a blocked client should not reach credential checking", n)
	}
}

func TestHints(t *testing.T) {
	for code, want := range map[int]string{
		70004: "Security > Security Rules > Blocked IPs",
		70087: "Integrations > API",
		10001: `api_path "custom/v9"`,
		10002: `api_path "custom/v9"`,
		10005: "Integrations > API",
		40002: "User-Agent",
		-2:    "internal error",
	} {
		e := &APIError{Endpoint: "certificate/query", Code: code, apiPath: "custom/v9"}
		if !strings.Contains(e.Hint(), want) {
			t.Errorf("errcode %d hint %q should contain %q", code, e.Hint(), want)
		}
	}
	if h := (&APIError{Code: -1, Message: "MAX TOKEN LIMIT"}).Hint(); !strings.Contains(h, "8") {
		t.Errorf("token limit hint %q", h)
	}
	if h := (&APIError{Code: 12345, Message: "SOMETHING"}).Hint(); h != "" {
		t.Errorf("unknown code hint %q, want none", h)
	}
	e := &APIError{Endpoint: "certificate/query", Code: 40001, Message: "PARAMETER SYNTAX ERROR", SubMsg: "bad",
		InvalidParams: []InvalidParam{{Field: "ids", Value: "x"}, {Field: "page", ValidationType: "min"}}}
	if got, want := e.Error(), `certificate/query: the PBX answered errcode 40001 (PARAMETER SYNTAX ERROR): bad; invalid parameters: ids="x", page (min)`; got != want {
		t.Errorf("Error()\n got %s\nwant %s", got, want)
	}
}

func TestCloseRevokes(t *testing.T) {
	sim, srv := newSim(t)
	c := newTestClient(t, testConfig(srv.URL))
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	if sim.Stats().LiveTokens != 1 {
		t.Fatal("expected one live token")
	}
	if err := c.Close(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(ctxT(t)); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	st := sim.Stats()
	if st.LiveTokens != 0 || st.Revokes != 1 || st.Requests["del_token"] != 1 {
		t.Errorf("live %d, revokes %d, del_token requests %d; want 0, 1, 1", st.LiveTokens, st.Revokes, st.Requests["del_token"])
	}
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); !errors.Is(err, errClosed) {
		t.Errorf("call after Close: %v", err)
	}
	if sim.Stats().Logins != 1 {
		t.Error("a closed client logged in again")
	}
}

func TestCloseWithoutTokenSendsNothing(t *testing.T) {
	sim, srv := newSim(t)
	c := newTestClient(t, testConfig(srv.URL))
	if err := c.Close(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if len(sim.Stats().Requests) != 0 {
		t.Errorf("requests: %v", sim.Stats().Requests)
	}
}

// A token that arrives after Close is revoked at once.
func TestLoginInFlightDuringClose(t *testing.T) {
	sim, srv := newSim(t)
	sim.SetLatency(50 * time.Millisecond)
	c := newTestClient(t, testConfig(srv.URL))
	done := make(chan error)
	go func() {
		_, err := c.QueryCertificates(ctxT(t), []int64{4})
		done <- err
	}()
	for sim.Stats().Requests["get_token"] == 0 { // wait until the login is at the PBX
		time.Sleep(time.Millisecond)
	}
	if err := c.Close(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, errClosed) {
		t.Fatalf("call racing Close: %v", err)
	}
	if st := sim.Stats(); st.Logins != 1 || st.LiveTokens != 0 {
		t.Errorf("logins %d, live %d; want 1, 0", st.Logins, st.LiveTokens)
	}
}

func TestConfiguredAccessToken(t *testing.T) {
	sim, srv := newSim(t)
	// Obtain a real token the way a user would, outside this client.
	issuer := newTestClient(t, testConfig(srv.URL))
	if _, err := issuer.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	tok := sim.IssuedSecrets()[0]

	c := newTestClient(t, Config{BaseURL: srv.URL, AccessToken: tok, RetryWaitMin: time.Millisecond, MaxRetries: 2})
	res, err := c.QueryCertificates(ctxT(t), []int64{5})
	if err != nil || len(res.Certificates) != 1 {
		t.Fatalf("%v %v", res, err)
	}
	if err := c.Close(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	st := sim.Stats()
	if st.Revokes != 0 || st.Requests["del_token"] != 0 || st.LiveTokens != 1 || st.LoginAttempts != 1 {
		t.Errorf("revokes %d, del_token %d, live %d, login attempts %d; a configured token is never revoked and never replaced",
			st.Revokes, st.Requests["del_token"], st.LiveTokens, st.LoginAttempts)
	}

	sim.ExpireAllTokens()
	c = newTestClient(t, Config{BaseURL: srv.URL, AccessToken: tok, RetryWaitMin: time.Millisecond, MaxRetries: 2})
	_, err = c.QueryCertificates(ctxT(t), []int64{5})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != 10004 {
		t.Fatalf("got %v, want APIError 10004", err)
	}
	if !strings.Contains(err.Error(), "configured access token expired or is invalid") ||
		!strings.Contains(ae.Hint(), "configured access_token") {
		t.Errorf("error %q / hint %q should blame the configured token", err, ae.Hint())
	}
	st = sim.Stats()
	if st.LoginAttempts != 1 || st.Requests["refresh_token"] != 0 {
		t.Errorf("a configured token must not trigger login or refresh: %+v", st)
	}
	assertNoSecrets(t, sim, err.Error()+ae.Hint())
}

func TestRenewalGivesUp(t *testing.T) {
	for _, retries := range []int{0, 1, 3} {
		sim := pbxsim.New()
		var queries atomic.Int32
		// Tokens work for login and refresh, but every query says expired.
		srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if strings.HasSuffix(r.URL.Path, "/certificate/query") {
				queries.Add(1)
				_, _ = w.Write([]byte(`{"errcode":10004,"errmsg":"TOKEN EXPIRED"}`))
				return
			}
			sim.ServeHTTP(w, r)
		}))
		cfg := testConfig(srv.URL)
		cfg.MaxRetries = retries
		_, err := newTestClient(t, cfg).QueryCertificates(ctxT(t), []int64{4})
		var ae *APIError
		if !errors.As(err, &ae) || ae.Code != 10004 {
			t.Fatalf("retries %d: got %v, want APIError 10004", retries, err)
		}
		// The vendor's advice is one renewal and one repeat; more rounds
		// come only from MaxRetries.
		renewals := max(1, retries)
		st := sim.Stats()
		if q := int(queries.Load()); q != 1+renewals {
			t.Errorf("retries %d: %d queries, want %d", retries, q, 1+renewals)
		}
		if st.Refreshes != renewals || st.MaxLiveTokens != 1 {
			t.Errorf("retries %d: refreshes %d, max live %d; want %d, 1", retries, st.Refreshes, st.MaxLiveTokens, renewals)
		}
	}
}

func TestTokenNearExpiry(t *testing.T) {
	now := time.Now()
	cases := []struct {
		tok  token
		at   time.Duration
		want bool
	}{
		{token{}, 100 * time.Hour, false},
		{token{lifetime: 1800 * time.Second, expires: now.Add(1800 * time.Second)}, 1739 * time.Second, false},
		{token{lifetime: 1800 * time.Second, expires: now.Add(1800 * time.Second)}, 1740 * time.Second, true},
		{token{lifetime: 30 * time.Second, expires: now.Add(30 * time.Second)}, 26 * time.Second, false},
		{token{lifetime: 30 * time.Second, expires: now.Add(30 * time.Second)}, 27 * time.Second, true},
	}
	for i, tc := range cases {
		if got := tc.tok.nearExpiry(now.Add(tc.at)); got != tc.want {
			t.Errorf("case %d: nearExpiry = %v, want %v", i, got, tc.want)
		}
	}
}

// The revoke at exit has about a second; a 5xx storm must not leave the
// token live for 30 minutes.
func TestCloseRevokesThroughTransientFailures(t *testing.T) {
	sim, srv := newSim(t)
	cfg := testConfig(srv.URL)
	cfg.MaxRetries = 1
	cfg.RetryWaitMin, cfg.RetryWaitMax = 500*time.Millisecond, time.Second
	c := newTestClient(t, cfg)
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	sim.FailNext(5, 503)
	ctx, cancel := context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	if err := c.Close(ctx); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if st := sim.Stats(); st.LiveTokens != 0 {
		t.Errorf("%d live tokens after Close through 5 failures, want 0", st.LiveTokens)
	}
}

func TestConfiguredTokenClientFailsAfterClose(t *testing.T) {
	sim, srv := newSim(t)
	issuer := newTestClient(t, testConfig(srv.URL))
	if _, err := issuer.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	c := newTestClient(t, Config{BaseURL: srv.URL, AccessToken: sim.IssuedSecrets()[0]})
	if err := c.Close(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.ListCertificates(ctxT(t), ""); !errors.Is(err, errClosed) {
		t.Fatalf("call after Close: %v", err)
	}
}
