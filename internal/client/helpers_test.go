package client

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// newSim starts the simulator behind a plain HTTP test server.
func newSim(t *testing.T) (*pbxsim.Server, *httptest.Server) {
	t.Helper()
	sim := pbxsim.New()
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	return sim, srv
}

// testConfig logs in with the simulator's credentials and retries fast.
func testConfig(baseURL string) Config {
	return Config{
		BaseURL:        baseURL,
		ClientID:       pbxsim.DefaultClientID,
		ClientSecret:   pbxsim.DefaultClientSecret,
		RequestTimeout: 5 * time.Second,
		MaxRetries:     3,
		RetryWaitMin:   time.Millisecond,
		RetryWaitMax:   5 * time.Millisecond,
	}
}

func newTestClient(t *testing.T, cfg Config) *Client {
	t.Helper()
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func ctxT(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// assertNoSecrets fails when text holds any token the simulator issued or
// the given extra secrets.
func assertNoSecrets(t *testing.T, sim *pbxsim.Server, text string, extra ...string) {
	t.Helper()
	for _, s := range append(sim.IssuedSecrets(), extra...) {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("text leaks a secret %q...: %s", s[:min(4, len(s))], text)
		}
	}
}

// seen is what a recorder keeps of one request.
type seen struct {
	Method, Path, RawQuery string
	Header                 http.Header
	Body                   []byte
}

// recorder wraps a handler and keeps copies of the requests it saw.
type recorder struct {
	next http.Handler
	reqs chan seen
}

func newRecorder(next http.Handler) *recorder {
	return &recorder{next: next, reqs: make(chan seen, 1000)}
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	req.Body = io.NopCloser(bytes.NewReader(body))
	r.reqs <- seen{Method: req.Method, Path: req.URL.Path, RawQuery: req.URL.RawQuery, Header: req.Header.Clone(), Body: body}
	r.next.ServeHTTP(w, req)
}

func (r *recorder) all() []seen {
	var out []seen
	for {
		select {
		case req := <-r.reqs:
			out = append(out, req)
		default:
			return out
		}
	}
}

func newServer(t *testing.T, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}
