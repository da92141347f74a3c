package client

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-cleanhttp"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/net/http/httpproxy"
)

func newHTTPClient(cfg Config) (*http.Client, error) {
	tlsCfg := &tls.Config{
		MinVersion: tls.VersionTLS12,
		// The PBX closes every connection, so each request needs a
		// handshake; resumption makes the later ones cheap.
		ClientSessionCache: tls.NewLRUClientSessionCache(0),
		InsecureSkipVerify: cfg.InsecureSkipVerify, //nolint:gosec // the user's explicit choice
	}
	if len(cfg.CACertPEM) > 0 {
		pool, err := caPool(cfg.CACertPEM)
		if err != nil {
			return nil, err
		}
		tlsCfg.RootCAs = pool
	}
	tr := cleanhttp.DefaultPooledTransport() // its own transport: nothing shared is changed
	tr.TLSClientConfig = tlsCfg
	tr.Proxy = proxyFromEnvironment
	return &http.Client{
		Transport: newResumeGate(tr),
		// A redirect would carry the token in the query string to wherever
		// the PBX points; report it instead.
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}, nil
}

// proxyFromEnvironment reads HTTPS_PROXY, HTTP_PROXY and NO_PROXY on every
// request; http.ProxyFromEnvironment reads them once per process.
func proxyFromEnvironment(req *http.Request) (*url.URL, error) {
	return httpproxy.FromEnvironment().ProxyFunc()(req.URL)
}

// caPool adds the PEM certificates to the system pool (or an empty one
// where the system pool is unavailable).
func caPool(pemData []byte) (*x509.CertPool, error) {
	pool, err := x509.SystemCertPool()
	if err != nil || pool == nil {
		pool = x509.NewCertPool()
	}
	found := 0
	for rest := pemData; ; {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return nil, fmt.Errorf("ca cert is not PEM-encoded X.509: certificate %d does not parse: %w", found+1, err)
		}
		pool.AddCert(cert)
		found++
	}
	if found == 0 {
		return nil, errors.New("ca cert is not PEM: no \"-----BEGIN CERTIFICATE-----\" block found")
	}
	return pool, nil
}

// request is one API exchange, before the retry loop.
type request struct {
	endpoint string
	method   string      // GET or POST
	query    [][2]string // in order; values are escaped, commas kept
	body     any         // JSON body of a POST
	// login marks get_token: a rejected login is never retried, and a
	// transport failure only when the request was never fully sent, since
	// anything else may have reached credential checking.
	login bool
	// untilDeadline retries transient failures for as long as ctx's
	// deadline allows, at short intervals, instead of max_retries times:
	// for the revoke at exit, where a token left behind holds one of the
	// PBX's 8 for 30 minutes. Without a deadline it changes nothing.
	untilDeadline bool
}

// persistentWait bounds the waits of an untilDeadline request.
const persistentWait = 100 * time.Millisecond

// do runs req with retries. This small loop stands in for
// go-retryablehttp: that library prints the full URL, token included, in
// its logs and errors, and cannot see errcode -2 inside an HTTP 200 body.
func (c *Client) do(ctx context.Context, req request) (*envelope, error) {
	_, hasDeadline := ctx.Deadline()
	persistent := req.untilDeadline && hasDeadline // never retry forever
	var lastErr error
	for attempt := 1; ; attempt++ {
		env, retryable, wait, err := c.once(ctx, req, attempt)
		switch {
		case err == nil && env.Code == -2 && !req.login && attempt <= c.retries:
			retryable, err = true, c.apiError(req.endpoint, env)
		case err == nil:
			return env, nil // including -2 out of retries: the caller reports it
		}
		var te *TransportError
		if errors.As(err, &te) {
			te.Attempts = attempt
		}
		if !retryable || attempt > c.retries && !persistent {
			return nil, err
		}
		lastErr = err
		wait = max(wait, backoff(c.waitMin, c.waitMax, attempt))
		if persistent {
			wait = min(wait, persistentWait)
		}
		tflog.Debug(ctx, "PBX API call failed, retrying", map[string]any{
			"endpoint": req.endpoint, "attempt": attempt, "wait_ms": wait.Milliseconds(),
		})
		if err := sleep(ctx, wait); err != nil {
			return nil, fmt.Errorf("%s: gave up waiting to retry: %w; last error: %s", req.endpoint, err, lastErr.Error())
		}
	}
}

// once sends req one time. retryable says whether a failure is transient;
// wait is a server-requested delay (Retry-After), if any.
func (c *Client) once(ctx context.Context, req request, attempt int) (env *envelope, retryable bool, wait time.Duration, err error) {
	if err := ctx.Err(); err != nil {
		return nil, false, 0, fmt.Errorf("%s: %w", req.endpoint, err)
	}
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var wrote atomic.Bool // set on the transport's goroutine
	actx = httptrace.WithClientTrace(actx, &httptrace.ClientTrace{
		WroteRequest: func(httptrace.WroteRequestInfo) { wrote.Store(true) },
	})

	hreq, err := c.newHTTPRequest(actx, req)
	if err != nil {
		return nil, false, 0, redactError(fmt.Errorf("%s: building the request: %w", req.endpoint, err), c.secretList())
	}
	resp, err := c.http.Do(hreq)
	if err != nil {
		certProblem := isCertificateError(err)
		err = redactError(err, c.secretList())
		tflog.Debug(ctx, "PBX API call got no answer", map[string]any{"endpoint": req.endpoint, "attempt": attempt})
		if ctx.Err() != nil || certProblem {
			return nil, false, 0, &TransportError{Endpoint: req.endpoint, Err: err, certProblem: certProblem}
		}
		return nil, !req.login || !wrote.Load(), 0, &TransportError{Endpoint: req.endpoint, Err: err}
	}
	defer func() {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		_ = resp.Body.Close()
	}()

	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		tflog.Debug(ctx, "PBX API call answered", map[string]any{"endpoint": req.endpoint, "attempt": attempt, "status": resp.StatusCode})
		te := &TransportError{Endpoint: req.endpoint, StatusCode: resp.StatusCode}
		if loc := resp.Header.Get("Location"); loc != "" && resp.StatusCode >= 300 && resp.StatusCode < 400 {
			te.location = redirectTarget(loc)
		}
		transient := resp.StatusCode == http.StatusTooManyRequests ||
			(resp.StatusCode >= 500 && resp.StatusCode != http.StatusNotImplemented)
		return nil, transient, retryAfter(resp.Header.Get("Retry-After"), c.waitMax), te
	}

	body, err := readBody(req.endpoint, resp.Body)
	if err != nil {
		var re *ResponseError
		if errors.As(err, &re) {
			return nil, false, 0, err
		}
		err = redactError(err, c.secretList())
		if ctx.Err() != nil {
			return nil, false, 0, &TransportError{Endpoint: req.endpoint, Err: err}
		}
		// The PBX has processed the request: a login is not sent again.
		return nil, !req.login, 0, &TransportError{Endpoint: req.endpoint, Err: err}
	}
	env, err = decodeEnvelope(req.endpoint, body)
	if err != nil {
		tflog.Debug(ctx, "PBX API call answered unusably", map[string]any{"endpoint": req.endpoint, "attempt": attempt, "status": resp.StatusCode})
		return nil, false, 0, err
	}
	tflog.Debug(ctx, "PBX API call answered", map[string]any{
		"endpoint": req.endpoint, "attempt": attempt, "status": resp.StatusCode, "errcode": env.Code,
	})
	return env, false, 0, nil
}

func (c *Client) newHTTPRequest(ctx context.Context, req request) (*http.Request, error) {
	u := c.endpointBase + req.endpoint
	if len(req.query) > 0 {
		var q strings.Builder
		for i, kv := range req.query {
			if i > 0 {
				q.WriteByte('&')
			}
			q.WriteString(url.QueryEscape(kv[0]))
			q.WriteByte('=')
			// The PBX documents ids=4,5,6 with bare commas.
			q.WriteString(strings.ReplaceAll(url.QueryEscape(kv[1]), "%2C", ","))
		}
		u += "?" + q.String()
	}
	var body io.Reader
	if req.body != nil {
		b, err := json.Marshal(req.body)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	hreq, err := http.NewRequestWithContext(ctx, req.method, u, body)
	if err != nil {
		return nil, err
	}
	hreq.Header.Set("User-Agent", UserAgent)
	hreq.Header.Set("Accept", "application/json")
	if body != nil {
		hreq.Header.Set("Content-Type", "application/json")
	}
	return hreq, nil
}

// isCertificateError reports a TLS verification failure: retrying cannot
// fix it, only ca_cert_pem or base_url can.
func isCertificateError(err error) bool {
	var verify *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var host x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verify) || errors.As(err, &unknown) || errors.As(err, &host) || errors.As(err, &invalid)
}

// redirectTarget keeps only scheme, host and path of a Location header:
// enough to fix base_url, with no query that could hold a token.
func redirectTarget(loc string) string {
	u, err := url.Parse(loc)
	if err != nil {
		return "an unparsable address"
	}
	u.RawQuery, u.Fragment, u.User = "", "", nil
	return u.String()
}
