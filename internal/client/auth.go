package client

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// token is one access token with its refresh token. Pointers identify a
// token: a caller that failed with token t asks for "anything but t".
type token struct {
	access         string
	refresh        string
	expires        time.Time // zero when the PBX did not say
	refreshExpires time.Time
	lifetime       time.Duration
	// cached: the token lives on in the token cache, for later runs, and
	// is not revoked at Close. Guarded by Client.mu once current.
	cached bool
}

// renewMargin is how long before expiry a token is renewed up front.
const renewMargin = 60 * time.Second

// nearExpiry reports whether t should be renewed before use. Short-lived
// tokens get a margin of a tenth of their lifetime instead.
func (t *token) nearExpiry(now time.Time) bool {
	if t.expires.IsZero() {
		return false
	}
	margin := min(renewMargin, t.lifetime/10)
	return !now.Before(t.expires.Add(-margin))
}

// tokenFlight is the singleflight key of every login and renewal.
const tokenFlight = "token"

// loginGrace is how long a login or renewal goes on once its caller gave
// up (Ctrl-C). The PBX may already have issued the token; reading the answer
// lets Close revoke it instead of leaving it live for 30 minutes.
const loginGrace = time.Second

// lingering returns a context that ends grace after ctx does.
func lingering(ctx context.Context, grace time.Duration) (context.Context, context.CancelFunc) {
	detached, cancel := context.WithCancel(context.WithoutCancel(ctx))
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(grace, cancel) })
	return detached, func() { stop(); cancel() }
}

// maxKeptSecrets bounds the list of past tokens scrubbed from errors.
const maxKeptSecrets = 32

// tokenFor returns the token to use. failed is the token that just got
// errcode 10004, or nil. Concurrent callers share one login or renewal,
// and a caller renews only when the token that failed is still current.
func (c *Client) tokenFor(ctx context.Context, failed *token) (*token, error) {
	if c.configured != nil {
		c.mu.Lock()
		closed := c.closed
		c.mu.Unlock()
		if closed {
			return nil, errClosed
		}
		return c.configured, nil
	}
	for range 3 {
		c.mu.Lock()
		cur, closed, loginErr := c.current, c.closed, c.loginErr
		c.mu.Unlock()
		switch {
		case closed:
			return nil, errClosed
		case loginErr != nil:
			return nil, loginErr
		case cur != nil && cur != failed && !cur.nearExpiry(c.now()):
			return cur, nil
		}
		// The shared work must not die with whichever caller started it;
		// each caller still stops waiting when its own ctx ends.
		ch := c.flight.DoChan(tokenFlight, func() (any, error) {
			flightCtx, cancel := lingering(ctx, loginGrace)
			defer cancel()
			return c.obtain(flightCtx, failed)
		})
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case r := <-ch:
			if r.Err != nil {
				return nil, r.Err
			}
			if t, ok := r.Val.(*token); ok && t != failed {
				return t, nil
			}
			// Joined a flight that started before this caller's token
			// failed: ask again.
		}
	}
	return nil, errors.New("could not obtain a fresh access token from the PBX")
}

// obtain runs alone under the singleflight and decides from the state it
// finds: log in when there is no token, renew when the current one failed
// or is near expiry, else hand out the current one.
func (c *Client) obtain(ctx context.Context, failed *token) (*token, error) {
	c.mu.Lock()
	cur, closed, loginErr := c.current, c.closed, c.loginErr
	c.mu.Unlock()
	switch {
	case closed:
		return nil, errClosed
	case loginErr != nil:
		return nil, loginErr
	case c.cache != nil && (cur == nil || c.isCached(cur) && (cur == failed || cur.nearExpiry(c.now()))):
		return c.obtainCached(ctx, failed)
	case cur == nil:
		return c.login(ctx)
	case cur == failed || cur.nearExpiry(c.now()):
		return c.renew(ctx, cur)
	}
	return cur, nil
}

func (c *Client) isCached(t *token) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return t.cached
}

// obtainCached takes the token cache's token, or logs in and caches the
// new one. It holds the cache's lock throughout, so concurrent Terraform
// runs share one login. failed is the token that just got errcode 10004.
func (c *Client) obtainCached(ctx context.Context, failed *token) (*token, error) {
	return c.cache.locked(ctx, func() (*token, error) {
		cached := c.cache.load()
		fresh := cached != nil && (failed == nil || cached.access != failed.access)
		if fresh && !cached.nearExpiry(c.now()) {
			tflog.Debug(ctx, "PBX token taken from the token cache")
			return c.setCurrent(ctx, cached)
		}
		c.cache.discard()
		// A cached token near its expiry is still live: end it, or the
		// login below would leave two. One that failed is dead already.
		if fresh && c.now().Before(cached.expires) {
			if err := c.revoke(ctx, cached); err != nil {
				return nil, err
			}
		}
		t, err := c.login(ctx)
		if err != nil {
			return nil, err
		}
		if err := c.cache.store(t); err != nil {
			tflog.Warn(ctx, "PBX token cache could not be written; the token will be revoked at exit", map[string]any{"error": err.Error()})
			return t, nil
		}
		c.mu.Lock()
		t.cached = true
		c.mu.Unlock()
		return t, nil
	})
}

// renew replaces old: by refresh_token if possible, else by a new login.
// The PBX may end old on refresh, but a new login does not end it, so old
// is revoked before logging in again: the PBX never holds two live tokens
// from this client.
func (c *Client) renew(ctx context.Context, old *token) (*token, error) {
	if old.refresh != "" && (old.refreshExpires.IsZero() || c.now().Before(old.refreshExpires)) {
		t, err := c.refresh(ctx, old)
		if err == nil {
			return c.setCurrent(ctx, t)
		}
		tflog.Debug(ctx, "PBX token refresh failed, logging in again", map[string]any{"endpoint": "refresh_token"})
	}
	if err := c.revoke(ctx, old); err != nil {
		// old may still be live: logging in now could leave two tokens.
		return nil, err
	}
	c.mu.Lock()
	if c.current == old {
		c.current = nil
	}
	c.mu.Unlock()
	return c.login(ctx)
}

func (c *Client) login(ctx context.Context) (*token, error) {
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil, errClosed // a renewal racing Close must not log in again
	}
	issued := c.now()
	env, err := c.do(ctx, request{
		endpoint: "get_token",
		method:   "POST",
		body:     map[string]string{"username": c.clientID, "password": c.clientSecret},
		login:    true,
	})
	if err != nil {
		return nil, err // never reached credential checking, or unknown: not remembered
	}
	if env.Code != 0 {
		return nil, c.rememberLoginFailure(c.loginError(env))
	}
	t, err := parseToken("get_token", env, issued)
	if err != nil {
		// A token was probably issued; logging in again would pile them up.
		return nil, c.rememberLoginFailure(err)
	}
	return c.setCurrent(ctx, t)
}

func (c *Client) rememberLoginFailure(err error) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.loginErr = err
	return err
}

// loginError tells a refused client ID/secret from answers that say
// something else (blocked IP, wrong api_path, token limit).
func (c *Client) loginError(env *envelope) error {
	ae := c.apiError("get_token", env)
	switch env.Code {
	case -2, 10001, 10002, 10003, 40002, 70004, 70087:
		return ae
	case -1:
		if strings.Contains(strings.ToUpper(env.Message), "MAX TOKEN") {
			return ae
		}
	}
	return &LoginRefusedError{Code: env.Code, Message: ae.Message}
}

func (c *Client) refresh(ctx context.Context, old *token) (*token, error) {
	issued := c.now()
	env, err := c.do(ctx, request{
		endpoint: "refresh_token",
		method:   "POST",
		body:     map[string]string{"refresh_token": old.refresh},
	})
	if err != nil {
		return nil, err
	}
	if env.Code != 0 {
		return nil, c.apiError("refresh_token", env)
	}
	return parseToken("refresh_token", env, issued)
}

// revoke ends t on the PBX. A token the PBX no longer knows (10004) counts
// as revoked. Transient failures are retried until ctx ends, so give it a
// deadline.
func (c *Client) revoke(ctx context.Context, t *token) error {
	env, err := c.do(ctx, request{
		endpoint:      "del_token",
		method:        "GET",
		query:         [][2]string{{"access_token", t.access}},
		untilDeadline: true,
	})
	if err != nil {
		return err
	}
	if env.Code != 0 && env.Code != 10004 {
		return c.apiError("del_token", env)
	}
	return nil
}

// setCurrent installs t. A token that arrives after Close is revoked at
// once, so none outlives the client.
func (c *Client) setCurrent(ctx context.Context, t *token) (*token, error) {
	c.mu.Lock()
	c.tokenSecrets = append(c.tokenSecrets, t.access)
	if t.refresh != "" {
		c.tokenSecrets = append(c.tokenSecrets, t.refresh)
	}
	if n := len(c.tokenSecrets); n > maxKeptSecrets {
		c.tokenSecrets = append([]string(nil), c.tokenSecrets[n-maxKeptSecrets:]...)
	}
	if c.closed {
		c.mu.Unlock()
		if t.cached {
			return nil, errClosed // other runs may be using it
		}
		// Close may have returned already, and ctx may be ending: revoke
		// on a context of its own.
		revokeCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), c.timeout)
		defer cancel()
		_ = c.revoke(revokeCtx, t)
		return nil, errClosed
	}
	c.current = t
	c.mu.Unlock()
	return t, nil
}

func parseToken(endpoint string, env *envelope, issued time.Time) (*token, error) {
	var access, refresh string
	var accessTTL, refreshTTL int64
	for _, f := range []struct {
		name string
		v    any
	}{
		{"access_token", &access}, {"refresh_token", &refresh},
		{"access_token_expire_time", &accessTTL}, {"refresh_token_expire_time", &refreshTTL},
	} {
		if err := decodeField(endpoint, env.Fields, f.name, f.v); err != nil {
			return nil, err
		}
	}
	if access == "" {
		return nil, &ResponseError{Endpoint: endpoint, Reason: "the answer has errcode 0 but no access_token"}
	}
	t := &token{access: access, refresh: refresh}
	if accessTTL > 0 {
		t.lifetime = time.Duration(accessTTL) * time.Second
		t.expires = issued.Add(t.lifetime)
	}
	if refreshTTL > 0 {
		t.refreshExpires = issued.Add(time.Duration(refreshTTL) * time.Second)
	}
	return t, nil
}

// apiError builds the error for errcode != 0, scrubbing any secret the PBX
// might echo.
func (c *Client) apiError(endpoint string, env *envelope) *APIError {
	secrets := c.secretList()
	e := &APIError{
		Endpoint: endpoint,
		Code:     env.Code,
		Message:  scrubString(env.Message, secrets),
		SubMsg:   scrubString(env.SubMsg, secrets),
		apiPath:  c.apiPath,
	}
	for _, p := range env.InvalidParams {
		p.Value = scrubString(RedactURL(p.Value), secrets)
		if sensitiveKeys[strings.ToLower(p.Field)] {
			p.Value = redacted
		}
		e.InvalidParams = append(e.InvalidParams, p)
	}
	return e
}

// call runs an authenticated GET. On errcode 10004 it renews the token and
// repeats the call: at least once (the vendor's advice), and up to
// MaxRetries times when concurrent renewals keep racing.
func (c *Client) call(ctx context.Context, endpoint string, params [][2]string) (*envelope, error) {
	var failed *token
	renewals := max(1, c.retries)
	for round := 0; ; round++ {
		tok, err := c.tokenFor(ctx, failed)
		if err != nil {
			return nil, err
		}
		q := append([][2]string{{"access_token", tok.access}}, params...)
		env, err := c.do(ctx, request{endpoint: endpoint, method: "GET", query: q})
		if err != nil {
			return nil, err
		}
		if env.Code == 10004 {
			if tok == c.configured {
				ae := c.apiError(endpoint, env)
				ae.configuredToken = true
				return nil, fmt.Errorf("the configured access token expired or is invalid: %w", ae)
			}
			if round < renewals {
				tflog.Debug(ctx, "PBX token expired, renewing", map[string]any{"endpoint": endpoint, "errcode": env.Code})
				failed = tok
				continue
			}
		}
		if env.Code != 0 {
			return nil, c.apiError(endpoint, env)
		}
		return env, nil
	}
}
