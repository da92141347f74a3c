package client

import (
	"strings"
	"testing"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

func TestNewValidates(t *testing.T) {
	ok := Config{BaseURL: "https://pbx.example:8088", ClientID: "id", ClientSecret: "secret-value-123"}
	cases := []struct {
		name    string
		mutate  func(*Config)
		wantErr string // "" = valid
	}{
		{"valid", func(*Config) {}, ""},
		{"access token only", func(c *Config) { c.ClientID, c.ClientSecret, c.AccessToken = "", "", "tok" }, ""},
		{"http", func(c *Config) { c.BaseURL = "http://10.0.0.1" }, ""},
		{"with path prefix", func(c *Config) { c.BaseURL = "https://gw.example/pbx/" }, ""},
		{"empty url", func(c *Config) { c.BaseURL = "" }, "base_url is required"},
		{"relative", func(c *Config) { c.BaseURL = "pbx.example:8088" }, "http:// or https://"},
		{"ftp", func(c *Config) { c.BaseURL = "ftp://pbx.example" }, "http:// or https://"},
		{"no host", func(c *Config) { c.BaseURL = "https:///path" }, "no host"},
		{"port only", func(c *Config) { c.BaseURL = "https://:8088" }, "no host"},
		{"query", func(c *Config) { c.BaseURL = "https://pbx.example/?access_token=leak-me-123" }, "query or fragment"},
		{"empty query", func(c *Config) { c.BaseURL = "https://pbx.example/?" }, "query or fragment"},
		{"fragment", func(c *Config) { c.BaseURL = "https://pbx.example/#x" }, "query or fragment"},
		{"bad escape", func(c *Config) { c.BaseURL = "https://u:leak-me-123@pbx.example/%zz" }, "not a valid URL"},
		{"api path query", func(c *Config) { c.APIPath = "openapi/v1.0?x=1" }, "api_path"},
		{"both auth", func(c *Config) { c.AccessToken = "tok" }, "not both"},
		{"id without secret", func(c *Config) { c.ClientSecret = "" }, "together"},
		{"secret without id", func(c *Config) { c.ClientID = "" }, "together"},
		{"no auth", func(c *Config) { c.ClientID, c.ClientSecret = "", "" }, "no credentials"},
		{"negative retries", func(c *Config) { c.MaxRetries = -1 }, "max_retries"},
		{"negative timeout", func(c *Config) { c.RequestTimeout = -1 }, "negative"},
		{"ca not pem", func(c *Config) { c.CACertPEM = []byte("hello") }, "ca cert is not PEM"},
		{"ca bad block", func(c *Config) {
			c.CACertPEM = []byte("-----BEGIN CERTIFICATE-----\naGVsbG8=\n-----END CERTIFICATE-----\n")
		}, "does not parse"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cfg := ok
			tc.mutate(&cfg)
			c, err := New(cfg)
			if tc.wantErr == "" {
				if err != nil || c == nil {
					t.Fatalf("New: %v", err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("got %v, want an error containing %q", err, tc.wantErr)
			}
			for _, secret := range []string{"leak-me-123", "secret-value-123"} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error leaks %q: %v", secret, err)
				}
			}
		})
	}
}

func TestValidateHelpersMatchNew(t *testing.T) {
	for _, u := range []string{"https://pbx:8088", "", "pbx:8088", "https://pbx/?a=1", "https://pbx/#f"} {
		_, errNew := New(Config{BaseURL: u, AccessToken: "t"})
		if errV := ValidateBaseURL(u); (errV == nil) != (errNew == nil) {
			t.Errorf("base_url %q: ValidateBaseURL %v, New %v", u, errV, errNew)
		}
	}
	if err := ValidateCACertPEM([]byte("not pem")); err == nil || !strings.Contains(err.Error(), "ca cert is not PEM") {
		t.Errorf("ValidateCACertPEM: %v", err)
	}
	_, caPEM, err := pbxsim.NewLoopbackTLS()
	if err != nil {
		t.Fatal(err)
	}
	if err := ValidateCACertPEM(caPEM); err != nil {
		t.Errorf("a real CA: %v", err)
	}
}

func TestEndpointURLJoin(t *testing.T) {
	cases := []struct{ base, apiPath, want string }{
		{"https://x:8088", "", "https://x:8088/openapi/v1.0/get_token"},
		{"https://x:8088/", "/openapi/v1.0/", "https://x:8088/openapi/v1.0/get_token"},
		{"https://x:8088//", "openapi/v1.0", "https://x:8088/openapi/v1.0/get_token"},
		{"https://gw/pbx/", "openapi/v2.0/", "https://gw/pbx/openapi/v2.0/get_token"},
		{"http://10.0.0.1", "/", "http://10.0.0.1/get_token"},
	}
	for _, tc := range cases {
		c := newTestClient(t, Config{BaseURL: tc.base, APIPath: tc.apiPath, AccessToken: "t"})
		if got := c.endpointBase + "get_token"; got != tc.want {
			t.Errorf("base %q + api_path %q = %q, want %q", tc.base, tc.apiPath, got, tc.want)
		}
	}
}

func TestNewMakesNoRequest(t *testing.T) {
	sim, srv := newSim(t)
	newTestClient(t, testConfig(srv.URL))
	newTestClient(t, Config{BaseURL: srv.URL, AccessToken: "configured"})
	if n := len(sim.Stats().Requests); n != 0 {
		t.Errorf("New sent requests: %v", sim.Stats().Requests)
	}
}

func TestDefaults(t *testing.T) {
	c := newTestClient(t, Config{BaseURL: "https://x", AccessToken: "t", RetryWaitMin: 2 * defaultRetryWaitMax})
	if c.timeout != defaultRequestTimeout || c.waitMax < c.waitMin || c.apiPath != pbxsim.APIPath {
		t.Errorf("defaults: timeout %v, waits %v..%v, api path %q", c.timeout, c.waitMin, c.waitMax, c.apiPath)
	}
}

func TestBaseURLErrorsRedactTheQuery(t *testing.T) {
	for _, raw := range []string{"ftp://pbx.example/?access_token=SECRETTOKEN1", "https:///?access_token=SECRETTOKEN1"} {
		err := ValidateBaseURL(raw)
		if err == nil {
			t.Fatalf("%q accepted", raw)
		}
		if strings.Contains(err.Error(), "SECRETTOKEN1") {
			t.Errorf("error shows the token: %s", err)
		}
	}
}
