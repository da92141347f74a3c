// Package client talks to the OpenAPI of a Yeastar P-Series PBX. It logs in
// lazily and at most once per client, renews the token on expiry, retries
// transient faults, and keeps every token and secret out of errors and logs.
package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/sync/singleflight"
)

const (
	DefaultAPIPath = "openapi/v1.0"
	UserAgent      = "OpenAPI"

	defaultRequestTimeout = 30 * time.Second
	defaultRetryWaitMin   = 500 * time.Millisecond
	defaultRetryWaitMax   = 10 * time.Second
)

// Config configures a Client. Authenticate with ClientID and ClientSecret,
// or with an already-issued AccessToken, not both.
type Config struct {
	BaseURL            string // absolute http(s) URL, no query, no fragment
	APIPath            string // default DefaultAPIPath
	ClientID           string
	ClientSecret       string
	AccessToken        string // an already-issued token; never renewed by login, never revoked
	CACertPEM          []byte // extra CAs, added to the system pool
	InsecureSkipVerify bool
	RequestTimeout     time.Duration // per HTTP request; default 30s
	MaxRetries         int           // retries for transient failures; 0 = none
	RetryWaitMin       time.Duration // default 500ms
	RetryWaitMax       time.Duration // default 10s
	// ShareAnswers makes reads of the same certificate ids share one
	// request and its answer for the client's life: right for a client
	// that serves one Terraform run, where round trips are the cost.
	ShareAnswers bool
	// TokenCacheDir, when set, keeps the login's access token in a file
	// there for later runs, instead of revoking it at Close. Ignored with
	// AccessToken.
	TokenCacheDir string
}

// Client is safe for concurrent use. It holds at most one live token.
type Client struct {
	endpointBase string // base URL and API path, ending in "/"
	apiPath      string
	clientID     string
	clientSecret string
	http         *http.Client
	timeout      time.Duration
	retries      int
	waitMin      time.Duration
	waitMax      time.Duration
	now          func() time.Time

	flight  singleflight.Group // logins and renewals
	queries singleflight.Group // certificate queries, by id set

	mu           sync.Mutex
	configured   *token // from Config.AccessToken; never renewed or revoked
	current      *token // obtained by login or refresh; nil before the first login
	loginErr     error  // a refused login, returned to every later call
	closed       bool
	shareAnswers bool
	listPageSize int
	cache        *tokenCache             // nil unless Config.TokenCacheDir
	answers      map[string]*queryAnswer // by id set; see answerFor
	// Recent tokens this client held, scrubbed from error text.
	tokenSecrets []string
}

var errClosed = errors.New("the PBX client is closed")

// New validates cfg and builds the HTTP client. It makes no request: the
// login happens on the first call that needs a token.
func New(cfg Config) (*Client, error) {
	base, err := validateBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	apiPath := cfg.APIPath
	if apiPath == "" {
		apiPath = DefaultAPIPath
	}
	apiPath = strings.Trim(apiPath, "/")
	if err := ValidateAPIPath(apiPath); err != nil {
		return nil, err
	}
	hasCreds := cfg.ClientID != "" || cfg.ClientSecret != ""
	switch {
	case hasCreds && cfg.AccessToken != "":
		return nil, errors.New("configure either client_id and client_secret, or access_token, not both")
	case hasCreds && (cfg.ClientID == "" || cfg.ClientSecret == ""):
		return nil, errors.New("client_id and client_secret must be set together")
	case !hasCreds && cfg.AccessToken == "":
		return nil, errors.New("no credentials: set client_id and client_secret, or access_token")
	}
	if cfg.MaxRetries < 0 {
		return nil, errors.New("max_retries must not be negative")
	}
	if cfg.RequestTimeout < 0 || cfg.RetryWaitMin < 0 || cfg.RetryWaitMax < 0 {
		return nil, errors.New("timeouts and retry waits must not be negative")
	}
	hc, err := newHTTPClient(cfg)
	if err != nil {
		return nil, err
	}
	c := &Client{
		endpointBase: strings.TrimRight(base, "/") + "/",
		apiPath:      apiPath,
		clientID:     cfg.ClientID,
		clientSecret: cfg.ClientSecret,
		http:         hc,
		timeout:      orDefault(cfg.RequestTimeout, defaultRequestTimeout),
		retries:      cfg.MaxRetries,
		waitMin:      orDefault(cfg.RetryWaitMin, defaultRetryWaitMin),
		waitMax:      orDefault(cfg.RetryWaitMax, defaultRetryWaitMax),
		now:          time.Now,
		shareAnswers: cfg.ShareAnswers,
		listPageSize: defaultListPageSize,
		answers:      map[string]*queryAnswer{},
	}
	if apiPath != "" {
		c.endpointBase += apiPath + "/"
	}
	if c.waitMax < c.waitMin {
		c.waitMax = c.waitMin
	}
	if cfg.AccessToken != "" {
		c.configured = &token{access: cfg.AccessToken}
	} else if cfg.TokenCacheDir != "" {
		if c.cache, err = newTokenCache(cfg.TokenCacheDir, c.endpointBase, cfg.ClientID); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// ValidateBaseURL checks a base_url the way New does, so configuration
// errors can be reported against the attribute before a client exists.
func ValidateBaseURL(raw string) error {
	_, err := validateBaseURL(raw)
	return err
}

// ValidateAPIPath checks an api_path the way New does.
func ValidateAPIPath(apiPath string) error {
	if strings.ContainsAny(apiPath, "?#") {
		return fmt.Errorf("api_path must be a path such as %s, without a query or fragment", DefaultAPIPath)
	}
	return nil
}

// ValidateCACertPEM checks ca_cert_pem the way New does.
func ValidateCACertPEM(pemData []byte) error {
	_, err := caPool(pemData)
	return err
}

func validateBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", errors.New("base_url is required")
	}
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse quotes its input, which may carry userinfo.
		return "", fmt.Errorf("base_url is not a valid URL: %s", RedactURL(raw))
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("base_url must start with http:// or https://, got %q", RedactURL(u.Redacted()))
	}
	if u.Host == "" || u.Hostname() == "" {
		return "", fmt.Errorf("base_url has no host: %q", RedactURL(u.Redacted()))
	}
	if u.RawQuery != "" || u.ForceQuery || u.Fragment != "" || strings.Contains(raw, "#") {
		return "", fmt.Errorf("base_url must not have a query or fragment: %q", RedactURL(u.Redacted()))
	}
	return raw, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d == 0 {
		return def
	}
	return d
}

// Close revokes the token this client obtained by login. A configured
// AccessToken is never revoked. Later calls fail; Close again is a no-op.
// A login still in flight is waited for, within ctx, so that its token is
// revoked too.
func (c *Client) Close(ctx context.Context) error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	c.mu.Unlock()

	// Joins a login or renewal in flight; it sees closed and revokes what
	// it obtains. With none in flight this returns at once.
	select {
	case <-c.flight.DoChan(tokenFlight, func() (any, error) { return nil, nil }):
	case <-ctx.Done():
		return ctx.Err()
	}

	c.mu.Lock()
	tok := c.current
	c.current = nil
	keep := tok != nil && tok.cached
	c.mu.Unlock()
	if tok == nil || keep {
		return nil
	}
	return c.revoke(ctx, tok)
}

// secretList is a snapshot of every secret to scrub from error text.
func (c *Client) secretList() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := append([]string{c.clientSecret}, c.tokenSecrets...)
	if c.configured != nil {
		s = append(s, c.configured.access)
	}
	return s
}
