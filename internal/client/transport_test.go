package client

import (
	"context"
	"crypto/tls"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// loggedIn returns a client that already holds a token, so later faults
// hit the call under test and not the login.
func loggedIn(t *testing.T, srvURL string, mutate func(*Config)) *Client {
	t.Helper()
	cfg := testConfig(srvURL)
	if mutate != nil {
		mutate(&cfg)
	}
	c := newTestClient(t, cfg)
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	return c
}

func TestRetryTransientStatus(t *testing.T) {
	for _, status := range []int{500, 502, 503, 504, 429} {
		sim, srv := newSim(t)
		c := loggedIn(t, srv.URL, nil)
		sim.FailNext(2, status)
		if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
			t.Fatalf("HTTP %d: %v", status, err)
		}
		if q := sim.Stats().Requests["certificate/query"]; q != 1+3 {
			t.Errorf("HTTP %d: %d queries, want 1 + 2 failed + 1", status, q)
		}
	}
}

func TestNoRetryOnPermanentStatus(t *testing.T) {
	for _, status := range []int{501, 400, 403, 404} {
		sim, srv := newSim(t)
		c := loggedIn(t, srv.URL, nil)
		sim.FailNext(1, status)
		_, err := c.QueryCertificates(ctxT(t), []int64{4})
		var te *TransportError
		if !errors.As(err, &te) || te.StatusCode != status || te.Endpoint != "certificate/query" || te.Attempts != 1 {
			t.Fatalf("HTTP %d: got %#v", status, err)
		}
		if !strings.Contains(err.Error(), "certificate/query") || !strings.Contains(err.Error(), http.StatusText(status)) {
			t.Errorf("error %q should name the endpoint and status", err)
		}
		if q := sim.Stats().Requests["certificate/query"]; q != 2 {
			t.Errorf("HTTP %d: %d queries, want 2 (no retry)", status, q)
		}
	}
}

func TestRetriesExhausted(t *testing.T) {
	sim, srv := newSim(t)
	c := loggedIn(t, srv.URL, func(c *Config) { c.MaxRetries = 2 })
	sim.FailNext(100, 503)
	_, err := c.QueryCertificates(ctxT(t), []int64{4})
	var te *TransportError
	if !errors.As(err, &te) || te.StatusCode != 503 || te.Attempts != 3 {
		t.Fatalf("got %#v", err)
	}
	if !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("error %q should count attempts", err)
	}
}

func TestErrcodeMinus2Retried(t *testing.T) {
	const internal = `{"errcode":-2,"errmsg":"INTERNAL SERVER ERROR"}`
	sim, srv := newSim(t)
	c := loggedIn(t, srv.URL, nil)
	sim.MalformedNext(2, internal)
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	if q := sim.Stats().Requests["certificate/query"]; q != 1+3 {
		t.Errorf("%d queries, want 4", q)
	}

	c = loggedIn(t, srv.URL, func(c *Config) { c.MaxRetries = 0 })
	sim.MalformedNext(1, internal)
	_, err := c.QueryCertificates(ctxT(t), []int64{4})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != -2 || ae.Message != "INTERNAL SERVER ERROR" {
		t.Fatalf("got %v, want APIError -2", err)
	}
}

func TestOtherAPIErrorsNotRetried(t *testing.T) {
	sim, srv := newSim(t)
	c := loggedIn(t, srv.URL, nil)
	sim.MalformedNext(1, `{"errcode":10005,"errmsg":"ACCESS DENIED"}`)
	_, err := c.QueryCertificates(ctxT(t), []int64{4})
	var ae *APIError
	if !errors.As(err, &ae) || ae.Code != 10005 || !strings.Contains(ae.Hint(), "Integrations > API") {
		t.Fatalf("got %v", err)
	}
	if q := sim.Stats().Requests["certificate/query"]; q != 2 {
		t.Errorf("%d queries, want 2", q)
	}
}

func TestWrongAPIPath(t *testing.T) {
	_, srv := newSim(t)
	cfg := testConfig(srv.URL)
	cfg.APIPath = "openapi/v9.9"
	_, err := newTestClient(t, cfg).QueryCertificates(ctxT(t), []int64{4})
	var te *TransportError
	if !errors.As(err, &te) || te.StatusCode != 404 || te.Endpoint != "get_token" {
		t.Fatalf("got %v, want HTTP 404 on get_token", err)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	sim, srv := newSim(t)
	c := loggedIn(t, srv.URL, func(c *Config) {
		c.MaxRetries = 5
		c.RetryWaitMin, c.RetryWaitMax = 10*time.Second, 10*time.Second
	})
	sim.FailNext(100, 503)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err := c.QueryCertificates(ctx, []int64{4})
	if took := time.Since(start); took > 2*time.Second {
		t.Fatalf("took %v to notice cancellation", took)
	}
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	if !strings.Contains(err.Error(), "503") {
		t.Errorf("error %q should keep the last failure", err)
	}
}

func TestCancelWhileWaitingForLogin(t *testing.T) {
	sim, srv := newSim(t)
	sim.SetLatency(300 * time.Millisecond)
	c := newTestClient(t, testConfig(srv.URL))
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.QueryCertificates(ctx, []int64{4})
	if !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 200*time.Millisecond {
		t.Fatalf("got %v after %v", err, time.Since(start))
	}
	// The shared login went on and the next caller uses it.
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	if n := sim.Stats().Logins; n != 1 {
		t.Errorf("logins %d, want 1", n)
	}
}

func TestRequestTimeoutRedacted(t *testing.T) {
	sim, srv := newSim(t)
	c := loggedIn(t, srv.URL, func(c *Config) { c.MaxRetries = 1; c.RequestTimeout = 30 * time.Millisecond })
	sim.SetLatency(time.Second)
	_, err := c.QueryCertificates(ctxT(t), []int64{4})
	var te *TransportError
	if !errors.As(err, &te) || te.StatusCode != 0 || te.Attempts != 2 {
		t.Fatalf("got %#v", err)
	}
	var ue *url.Error
	if !errors.As(err, &ue) || !ue.Timeout() {
		t.Errorf("a timeout should still be a *url.Error timeout: %#v", err)
	}
	if !strings.Contains(err.Error(), "access_token=REDACTED") {
		t.Errorf("error %q should show the redacted URL", err)
	}
	assertNoSecrets(t, sim, err.Error())
}

// hijacking passes logins to the simulator and drops the connection on
// every other request, which makes net/http return a *url.Error holding
// the full URL.
func hijacking(sim *pbxsim.Server) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/get_token") || strings.HasSuffix(r.URL.Path, "/del_token") {
			sim.ServeHTTP(w, r)
			return
		}
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic("test server cannot hijack")
		}
		if conn, _, err := hj.Hijack(); err == nil {
			_ = conn.Close()
		}
	})
}

func TestTransportErrorRedacted(t *testing.T) {
	sim := pbxsim.New()
	srv := newServer(t, hijacking(sim))
	c := newTestClient(t, testConfig(srv.URL))
	_, err := c.QueryCertificates(ctxT(t), []int64{4, 5})
	var te *TransportError
	if !errors.As(err, &te) || te.Attempts != 4 {
		t.Fatalf("got %#v, want a TransportError after 4 attempts", err)
	}
	if len(sim.IssuedSecrets()) == 0 {
		t.Fatal("no token was issued; the test would prove nothing")
	}
	assertNoSecrets(t, sim, err.Error())
	if !strings.Contains(err.Error(), "access_token=REDACTED&ids=4,5") {
		t.Errorf("error %q should show the redacted URL", err)
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		assertNoSecrets(t, sim, ue.URL)
	}
}

func TestRedirectNotFollowed(t *testing.T) {
	sim := pbxsim.New()
	var followed atomic.Bool
	target := newServer(t, http.HandlerFunc(func(http.ResponseWriter, *http.Request) { followed.Store(true) }))
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/get_token") {
			sim.ServeHTTP(w, r)
			return
		}
		http.Redirect(w, r, target.URL+r.URL.Path+"?"+r.URL.RawQuery, http.StatusMovedPermanently)
	}))
	_, err := newTestClient(t, testConfig(srv.URL)).QueryCertificates(ctxT(t), []int64{4})
	var te *TransportError
	if !errors.As(err, &te) || te.StatusCode != 301 {
		t.Fatalf("got %v", err)
	}
	if followed.Load() {
		t.Error("the redirect was followed, carrying the token elsewhere")
	}
	if !strings.Contains(err.Error(), target.URL+"/openapi/v1.0/certificate/query") {
		t.Errorf("error %q should name the redirect target", err)
	}
	assertNoSecrets(t, sim, err.Error())
}

func TestMalformedAnswers(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"html", "<html><body>Please log in</body></html>", "HTML"},
		{"empty", "", "empty"},
		{"truncated", `{"errcode":0,"certificate_list":[{"id":4,`, "truncated"},
		{"no errcode", `{"certificate_list":[]}`, "no errcode"},
		{"wrong type", `{"errcode":0,"certificate_list":[{"id":4,"name":["x"]}]}`, "certificate 4: field name is an array"},
		{"auto_renewal", `{"errcode":0,"certificate_list":[{"id":5,"auto_renewal":3}]}`, "certificate 5: field auto_renewal is 3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sim, srv := newSim(t)
			c := loggedIn(t, srv.URL, nil)
			sim.MalformedNext(1, tc.body)
			_, err := c.QueryCertificates(ctxT(t), []int64{4, 5})
			var re *ResponseError
			if !errors.As(err, &re) || !strings.Contains(err.Error(), "certificate/query") || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want a ResponseError naming the endpoint and saying %q", err, tc.want)
			}
			if q := sim.Stats().Requests["certificate/query"]; q != 2 {
				t.Errorf("%d queries: a malformed answer is not retried", q)
			}
		})
	}
}

func TestOversizedAnswer(t *testing.T) {
	sim := pbxsim.New()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/get_token") {
			sim.ServeHTTP(w, r)
			return
		}
		_, _ = w.Write([]byte(`{"errcode":0,"pad":"`))
		_, _ = w.Write([]byte(strings.Repeat("x", maxBodyBytes)))
		_, _ = w.Write([]byte(`"}`))
	}))
	_, err := newTestClient(t, testConfig(srv.URL)).QueryCertificates(ctxT(t), []int64{4})
	var re *ResponseError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "certificate/query") || !strings.Contains(err.Error(), "larger than 8 MiB") {
		t.Fatalf("got %v", err)
	}
}

func newTLSSim(t *testing.T) (*pbxsim.Server, *httptest.Server, []byte) {
	t.Helper()
	serverTLS, caPEM, err := pbxsim.NewLoopbackTLS()
	if err != nil {
		t.Fatal(err)
	}
	sim := pbxsim.New()
	srv := httptest.NewUnstartedServer(sim)
	srv.TLS = serverTLS
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // refused handshakes are the point
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return sim, srv, caPEM
}

func TestTLSCustomCA(t *testing.T) {
	sim, srv, caPEM := newTLSSim(t)

	cfg := testConfig(srv.URL)
	cfg.CACertPEM = caPEM
	if _, err := newTestClient(t, cfg).QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatalf("with the CA: %v", err)
	}

	_, err := newTestClient(t, testConfig(srv.URL)).QueryCertificates(ctxT(t), []int64{4})
	var te *TransportError
	if !errors.As(err, &te) || te.Attempts != 1 || !strings.Contains(err.Error(), "ca_cert_pem") {
		t.Fatalf("without the CA: got %v, want one failed attempt mentioning ca_cert_pem", err)
	}
	if n := sim.Stats().LoginAttempts; n != 1 {
		t.Errorf("login attempts %d, want 1 (the refused handshake sends nothing)", n)
	}

	cfg = testConfig(srv.URL)
	cfg.InsecureSkipVerify = true
	if _, err := newTestClient(t, cfg).QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatalf("insecure: %v", err)
	}
}

func TestTLSSelfSignedRefused(t *testing.T) {
	sim := pbxsim.New()
	srv := httptest.NewUnstartedServer(sim)
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	_, err := newTestClient(t, testConfig(srv.URL)).QueryCertificates(ctxT(t), []int64{4})
	if err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Fatalf("got %v, want a certificate error", err)
	}
	if len(sim.Stats().Requests) != 0 {
		t.Error("a request reached an unverified server")
	}
}

func TestTLSConfig(t *testing.T) {
	c := newTestClient(t, Config{BaseURL: "https://pbx.example", AccessToken: "t"})
	tr := transportOf(t, c)
	if tr == http.DefaultTransport {
		t.Fatal("the shared default transport must not be used")
	}
	tc := tr.TLSClientConfig
	if tc.MinVersion != tls.VersionTLS12 || tc.ClientSessionCache == nil || tc.InsecureSkipVerify || tc.RootCAs != nil {
		t.Errorf("TLS config: min %x, cache %v, insecure %v, roots %v", tc.MinVersion, tc.ClientSessionCache, tc.InsecureSkipVerify, tc.RootCAs)
	}
}

func TestTLSSessionResumption(t *testing.T) {
	_, srv, caPEM := newTLSSim(t)
	var resumed atomic.Int32
	srv.Config.ConnState = func(conn net.Conn, state http.ConnState) {
		if tc, ok := conn.(*tls.Conn); ok && state == http.StateActive && tc.ConnectionState().DidResume {
			resumed.Add(1)
		}
	}
	srv.Config.SetKeepAlivesEnabled(false) // like the PBX: one request per connection
	cfg := testConfig(srv.URL)
	cfg.CACertPEM = caPEM
	c := newTestClient(t, cfg)
	for range 3 {
		if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
			t.Fatal(err)
		}
	}
	if resumed.Load() == 0 {
		t.Error("no TLS session was resumed")
	}
}

func TestProxyFromEnvironmentPerRequest(t *testing.T) {
	c := newTestClient(t, Config{BaseURL: "https://pbx.example:8088", AccessToken: "t"})
	proxy := transportOf(t, c).Proxy
	req, _ := http.NewRequestWithContext(t.Context(), "GET", "https://pbx.example:8088/openapi/v1.0/x", nil)
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	t.Setenv("HTTPS_PROXY", "http://proxy-one.example:3128")
	t.Setenv("https_proxy", "")
	if u, err := proxy(req); err != nil || u == nil || u.Host != "proxy-one.example:3128" {
		t.Fatalf("proxy = %v, %v", u, err)
	}
	t.Setenv("HTTPS_PROXY", "http://proxy-two.example:3128")
	if u, err := proxy(req); err != nil || u == nil || u.Host != "proxy-two.example:3128" {
		t.Fatalf("a changed environment was not seen: %v, %v", u, err)
	}
}

func TestProxyIsUsed(t *testing.T) {
	sim := pbxsim.New()
	var proxied atomic.Int32
	proxy := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Host != "pbx.test" {
			http.Error(w, "unexpected host", http.StatusBadGateway)
			return
		}
		proxied.Add(1)
		sim.ServeHTTP(w, r)
	}))
	t.Setenv("NO_PROXY", "")
	t.Setenv("no_proxy", "")
	t.Setenv("HTTP_PROXY", proxy.URL)
	t.Setenv("http_proxy", "")
	cfg := testConfig("http://pbx.test")
	if _, err := newTestClient(t, cfg).QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	if proxied.Load() != 2 {
		t.Errorf("%d requests went through the proxy, want 2", proxied.Load())
	}
}

func TestBackoff(t *testing.T) {
	const lo, hi = 10 * time.Millisecond, 100 * time.Millisecond
	for attempt := 1; attempt <= 40; attempt++ {
		ceiling := min(hi, lo<<min(attempt-1, 20))
		var maxSeen time.Duration
		for range 200 {
			d := backoff(lo, hi, attempt)
			if d < lo || d > ceiling {
				t.Fatalf("attempt %d: wait %v outside [%v, %v]", attempt, d, lo, ceiling)
			}
			maxSeen = max(maxSeen, d)
		}
		if attempt >= 3 && maxSeen < ceiling/2 {
			t.Errorf("attempt %d: waits never came near %v (max %v): no exponential growth", attempt, ceiling, maxSeen)
		}
	}
	if d := backoff(hi, hi, 3); d != hi {
		t.Errorf("min == max should wait exactly %v, got %v", hi, d)
	}
}

func TestRetryAfter(t *testing.T) {
	for h, want := range map[string]time.Duration{
		"":                              0,
		"2":                             2 * time.Second,
		"99999999999":                   10 * time.Second,
		"9999999":                       10 * time.Second,
		"-1":                            0,
		"Wed, 21 Oct 2015 07:28:00 GMT": 0,
	} {
		if got := retryAfter(h, 10*time.Second); got != want {
			t.Errorf("retryAfter(%q) = %v, want %v", h, got, want)
		}
	}
}

func transportOf(t *testing.T, c *Client) *http.Transport {
	t.Helper()
	gate, ok := c.http.Transport.(*resumeGate)
	if !ok {
		t.Fatalf("transport is %T", c.http.Transport)
	}
	tr, ok := gate.next.(*http.Transport)
	if !ok {
		t.Fatalf("transport is %T", gate.next)
	}
	return tr
}
