package provider

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

func nullProviderModel() providerModel {
	return providerModel{
		BaseURL: types.StringNull(), APIPath: types.StringNull(), ClientID: types.StringNull(),
		ClientSecret: types.StringNull(), AccessToken: types.StringNull(), CACertPEM: types.StringNull(),
		InsecureSkipVerify: types.BoolNull(), RequestTimeout: types.StringNull(), MaxRetries: types.NumberNull(),
		TimeZone: types.StringNull(), DateFormat: types.StringNull(), TokenCacheDir: types.StringNull(),
	}
}

// validProviderModel authenticates with a client ID and secret.
func validProviderModel() providerModel {
	m := nullProviderModel()
	m.BaseURL = types.StringValue("https://pbx.example.com:8088")
	m.ClientID = types.StringValue("id")
	m.ClientSecret = types.StringValue("s3cret")
	return m
}

func env(values map[string]string) func(string) string {
	return func(name string) string { return values[name] }
}

// selfSignedCAPEM makes a throwaway CA certificate.
func selfSignedCAPEM(t *testing.T) []byte {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	template := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test PBX CA"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, template, template, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
}

func TestResolveSettingsDefaultsAndEnvironmentFallback(t *testing.T) {
	settings, diags := resolveSettings(nullProviderModel(), env(map[string]string{
		envBaseURL:      "https://pbx.example.com",
		envAPIPath:      "openapi/v2.0",
		envClientID:     "id-from-env",
		envClientSecret: "secret-from-env",
		envTimeZone:     "Europe/Berlin",
	}))
	if diags.HasError() {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	cfg := settings.client
	if cfg.BaseURL != "https://pbx.example.com" || cfg.APIPath != "openapi/v2.0" ||
		cfg.ClientID != "id-from-env" || cfg.ClientSecret != "secret-from-env" {
		t.Errorf("environment not used: %+v", cfg)
	}
	if cfg.RequestTimeout != 30*time.Second || cfg.MaxRetries != 3 || cfg.InsecureSkipVerify {
		t.Errorf("defaults not applied: %+v", cfg)
	}
	got, ok := settings.expiration.parser.Parse("2025/01/01 12:00:00")
	if !ok || got.Format(time.RFC3339) != "2025-01-01T11:00:00Z" {
		t.Errorf("time zone from the environment not applied: %s %v", got, ok)
	}

	settings, diags = resolveSettings(validProviderModel(), env(map[string]string{envBaseURL: "https://ignored.example.com"}))
	if diags.HasError() || settings.client.BaseURL != "https://pbx.example.com:8088" || settings.client.APIPath != "openapi/v1.0" {
		t.Errorf("configuration must win over the environment: %+v %v", settings.client, diags)
	}
}

func TestResolveSettingsErrors(t *testing.T) {
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	if err := os.WriteFile(caFile, selfSignedCAPEM(t), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		change func(*providerModel)
		env    map[string]string
		want   []string // every fragment must appear in one error
		// path is the attribute the error points at; empty for none.
		path string
	}{
		{name: "no base URL", change: func(m *providerModel) { m.BaseURL = types.StringNull() },
			want: []string{"Missing PBX Base URL", "base_url", envBaseURL}},
		{name: "relative base URL", change: func(m *providerModel) { m.BaseURL = types.StringValue("pbx.example.com:8088") },
			want: []string{"Invalid PBX Base URL", "absolute http or https URL"}, path: "base_url"},
		{name: "base URL with a query", change: func(m *providerModel) { m.BaseURL = types.StringValue("https://pbx.example.com/?a=b") },
			want: []string{"Invalid PBX Base URL"}, path: "base_url"},
		{name: "ftp base URL from the environment", change: func(m *providerModel) { m.BaseURL = types.StringNull() },
			env: map[string]string{envBaseURL: "ftp://pbx.example.com"}, want: []string{"Invalid PBX Base URL", envBaseURL}},
		{name: "no credentials", change: func(m *providerModel) { m.ClientID, m.ClientSecret = types.StringNull(), types.StringNull() },
			want: []string{"Missing PBX Credentials", "client_id", "client_secret", "access_token", envClientID, envClientSecret, envAccessToken}},
		{name: "client ID without secret", change: func(m *providerModel) { m.ClientSecret = types.StringNull() },
			want: []string{"Incomplete PBX Credentials", "Only client_id is set"}},
		{name: "secret from env without client ID", change: func(m *providerModel) { m.ClientID, m.ClientSecret = types.StringNull(), types.StringNull() },
			env: map[string]string{envClientSecret: "x"}, want: []string{"Incomplete PBX Credentials", envClientSecret}},
		{name: "token and client ID", change: func(m *providerModel) { m.AccessToken = types.StringValue("tok") },
			want: []string{"Conflicting PBX Credentials", "client_id", "client_secret", "access_token"}},
		{name: "unknown secret", change: func(m *providerModel) { m.ClientSecret = types.StringUnknown() },
			want: []string{"Unknown PBX Provider Argument: client_secret", envClientSecret}},
		{name: "unknown base URL", change: func(m *providerModel) { m.BaseURL = types.StringUnknown() },
			want: []string{"Unknown PBX Provider Argument: base_url", envBaseURL}, path: "base_url"},
		{name: "unknown timeout", change: func(m *providerModel) { m.RequestTimeout = types.StringUnknown() },
			want: []string{"Unknown PBX Provider Argument: request_timeout", "known at plan time"}, path: "request_timeout"},
		{name: "bad insecure env value", env: map[string]string{envInsecureSkipVerify: "maybe"},
			want: []string{"Invalid " + envInsecureSkipVerify, `"maybe"`}},
		{name: "insecure with a CA", change: func(m *providerModel) { m.InsecureSkipVerify = types.BoolValue(true) },
			env: map[string]string{envCACertFile: caFile}, want: []string{"Conflicting PBX TLS Settings", envCACertFile}},
		{name: "CA not PEM", change: func(m *providerModel) { m.CACertPEM = types.StringValue("not a certificate") },
			want: []string{"Invalid PBX CA Certificate", "PEM"}, path: "ca_cert_pem"},
		{name: "CA file missing", env: map[string]string{envCACertFile: filepath.Join(t.TempDir(), "absent.pem")},
			want: []string{"Unable to Read " + envCACertFile}},
		{name: "bad duration", change: func(m *providerModel) { m.RequestTimeout = types.StringValue("soon") },
			want: []string{"Invalid Request Timeout", `"soon"`}, path: "request_timeout"},
		{name: "negative duration", change: func(m *providerModel) { m.RequestTimeout = types.StringValue("-5s") },
			want: []string{"Invalid Request Timeout"}, path: "request_timeout"},
		{name: "bad time zone", change: func(m *providerModel) { m.TimeZone = types.StringValue("Mars/Olympus") },
			want: []string{"Invalid PBX Time Zone", "Mars/Olympus"}, path: "time_zone"},
		{name: "bad time zone from env", env: map[string]string{envTimeZone: "Nowhere"},
			want: []string{"Invalid PBX Time Zone", envTimeZone}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			model := validProviderModel()
			if tc.change != nil {
				tc.change(&model)
			}
			_, diags := resolveSettings(model, env(tc.env))
			found := findError(diags, tc.want)
			if found == nil {
				t.Fatalf("no error containing %q in %v", tc.want, diags)
			}
			var gotPath string
			if withPath, ok := found.(diag.DiagnosticWithPath); ok {
				gotPath = withPath.Path().String()
			}
			if gotPath != tc.path {
				t.Errorf("error points at %q, want %q", gotPath, tc.path)
			}
		})
	}
}

func findError(diags diag.Diagnostics, fragments []string) diag.Diagnostic {
	for _, d := range diags.Errors() {
		text := d.Summary() + "\n" + d.Detail()
		matched := true
		for _, fragment := range fragments {
			matched = matched && strings.Contains(text, fragment)
		}
		if matched {
			return d
		}
	}
	return nil
}

func TestResolveSettingsWarnings(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*providerModel)
		want   string
	}{
		{"plain http", func(m *providerModel) { m.BaseURL = types.StringValue("http://pbx.example.com") }, "PBX Credentials Sent in Clear Text"},
		{"insecure", func(m *providerModel) { m.InsecureSkipVerify = types.BoolValue(true) }, "PBX Certificate Not Verified"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			model := validProviderModel()
			tc.change(&model)
			_, diags := resolveSettings(model, env(nil))
			if diags.HasError() {
				t.Fatalf("unexpected errors: %v", diags)
			}
			if len(diags.Warnings()) != 1 || diags.Warnings()[0].Summary() != tc.want {
				t.Errorf("warnings %v, want one %q", diags.Warnings(), tc.want)
			}
		})
	}
}

func TestResolveSettingsNeverPrintsSecrets(t *testing.T) {
	model := validProviderModel()
	model.AccessToken = types.StringValue("token-value-123")
	model.BaseURL = types.StringValue("http://pbx.example.com")
	_, diags := resolveSettings(model, env(nil))
	for _, d := range diags {
		text := d.Summary() + d.Detail()
		if strings.Contains(text, "s3cret") || strings.Contains(text, "token-value-123") {
			t.Errorf("diagnostic shows a secret: %s", text)
		}
	}
}
