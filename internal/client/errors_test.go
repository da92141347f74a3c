package client

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Every failure path at once: no error text, hint or log line may hold a
// token, a refresh token, the client secret or a URL with its query.
func TestNoSecretsInErrorsOrLogs(t *testing.T) {
	sim := pbxsim.New()
	var hijack, echo bool
	var mu sync.Mutex
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		h, e := hijack, echo
		mu.Unlock()
		if strings.HasSuffix(r.URL.Path, "/certificate/query") {
			if h {
				hijacking(sim).ServeHTTP(w, r)
				return
			}
			if e {
				// A PBX that echoes the token back in its error.
				tok := r.URL.Query().Get("access_token")
				_, _ = w.Write([]byte(`{"errcode":40001,"errmsg":"BAD ` + tok + `","submsg":"token ` + tok + `",` +
					`"invalid_param_list":[{"field":"access_token","value":"` + tok + `"},{"field":"url","value":"/x?access_token=` + tok + `"}]}`))
				return
			}
		}
		sim.ServeHTTP(w, r)
	}))
	set := func(h, e bool) { mu.Lock(); hijack, echo = h, e; mu.Unlock() }

	var logs syncBuffer
	ctx := tflogtest.RootLogger(ctxT(t), &logs)
	var texts []string
	record := func(err error) {
		if err == nil {
			t.Error("scenario did not fail")
			return
		}
		texts = append(texts, err.Error())
		var ae *APIError
		if errors.As(err, &ae) {
			texts = append(texts, ae.Hint())
			for _, p := range ae.InvalidParams {
				texts = append(texts, p.Value)
			}
		}
	}

	c := newTestClient(t, testConfig(srv.URL))
	_, err := c.QueryCertificates(ctx, []int64{4})
	if err != nil {
		t.Fatal(err)
	}
	set(true, false)
	_, err = c.QueryCertificates(ctx, []int64{4})
	record(err)
	set(false, true)
	_, err = c.QueryCertificates(ctx, []int64{4})
	record(err)
	set(false, false)

	fast := loggedIn(t, srv.URL, func(cfg *Config) { cfg.RequestTimeout = 20 * time.Millisecond; cfg.MaxRetries = 1 })
	sim.SetLatency(150 * time.Millisecond)
	_, err = fast.QueryCertificates(ctx, []int64{4})
	record(err)
	sim.SetLatency(0)

	sim.FailNext(100, 503)
	_, err = c.QueryCertificates(ctx, []int64{4})
	record(err)
	sim.FailNext(0, 503)
	sim.MalformedNext(1, `{"errcode":0,"certificate_list":[{"id":5,"auth_info_list":[{"k":"AccessKeySecret","sv":7}]}]}`)
	_, err = c.QueryCertificates(ctx, []int64{5})
	record(err)

	tok := sim.IssuedSecrets()[0]
	sim.ExpireAllTokens()
	configured := newTestClient(t, Config{BaseURL: srv.URL, AccessToken: tok})
	_, err = configured.QueryCertificates(ctx, []int64{4})
	record(err)

	sim.SetCredentials(pbxsim.DefaultClientID, "the-real-secret-0000")
	wrong := newTestClient(t, testConfig(srv.URL))
	_, err = wrong.QueryCertificates(ctx, []int64{4})
	record(err)

	if err := c.Close(ctx); err != nil {
		t.Fatal(err)
	}

	logText := logs.String()
	if !strings.Contains(logText, `"endpoint":"certificate/query"`) || !strings.Contains(logText, `"errcode"`) {
		t.Fatalf("expected request logs with endpoint and errcode, got:\n%s", logText)
	}
	all := strings.Join(texts, "\n") + "\n" + logText
	assertNoSecrets(t, sim, all, pbxsim.DefaultClientSecret, "the-real-secret-0000")
	if strings.Contains(logText, "http://") || strings.Contains(logText, "access_token=") {
		t.Errorf("a log line holds a URL:\n%s", logText)
	}
	if !strings.Contains(all, "REDACTED") {
		t.Error("no redaction happened; the scenarios prove nothing")
	}
}

func TestConfigSecretsNotInErrors(t *testing.T) {
	const secret = "configured-secret-token-value"
	_, srv := newSim(t)
	c := newTestClient(t, Config{BaseURL: srv.URL, AccessToken: secret, RetryWaitMin: time.Millisecond})
	_, err := c.QueryCertificates(context.Background(), []int64{4})
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Fatalf("got %v", err)
	}
}
