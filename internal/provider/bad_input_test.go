package provider

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/pbxops/terraform-provider-pbx/internal/client"
	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// badInput is one bad value for a provider argument, an environment
// variable or ids, and the error Terraform must show for it.
type badInput struct {
	name string
	// args replace or add provider arguments (HCL expressions); an empty
	// expression removes the argument. Defaults: base_url, client_id and
	// client_secret for the simulator.
	args map[string]string
	env  map[string]string // set with t.Setenv, so these cases run alone
	ids  string            // default [4]
	// later adds `resource "terraform_data" "later" { input = <later> }`,
	// whose output is unknown until apply.
	later string
	// want are phrases that must appear in this order; words may be split
	// across lines, as Terraform wraps long messages.
	want []string
	// deferred: no error, but nothing may be read before apply.
	deferred bool
}

// Every provider argument, environment variable and ids with values that
// are empty, of the wrong type, unknown at plan time, out of range or
// malformed. Each is refused with an error that names the argument and says
// what is expected, before any request reaches the PBX.
func TestBadInputIsRefusedBeforeAnyRequest(t *testing.T) {
	notPEM := filepath.Join(t.TempDir(), "not-a-ca.pem")
	if err := os.WriteFile(notPEM, []byte("just text, no certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	const unknownDetail = "only known after apply"
	cases := []badInput{
		// base_url
		{name: "base_url empty", args: map[string]string{"base_url": `""`},
			want: []string{"Missing PBX Base URL", "Set base_url in the provider configuration or the PBX_BASE_URL environment variable"}},
		{name: "base_url wrong type", args: map[string]string{"base_url": `["https://pbx.example.com"]`},
			want: []string{`Inappropriate value for attribute "base_url": string required`}},
		{name: "base_url unknown", args: map[string]string{"base_url": "terraform_data.later.output"}, later: `"https://pbx.example.com"`,
			want: []string{"Unknown PBX Provider Argument: base_url", unknownDetail, "PBX_BASE_URL"}},
		{name: "base_url without scheme", args: map[string]string{"base_url": `"pbx.example.com:8088"`},
			want: []string{"Invalid PBX Base URL", "base_url must be an absolute http or https URL"}},
		{name: "base_url malformed", args: map[string]string{"base_url": `"https://pbx example.com"`},
			want: []string{"Invalid PBX Base URL", "base_url is not a valid URL"}},
		{name: "base_url with a query", args: map[string]string{"base_url": `"https://pbx.example.com/?access_token=abc"`},
			want: []string{"Invalid PBX Base URL", "base_url must not have a query or fragment", "access_token=REDACTED"}},
		{name: "base_url ftp", args: map[string]string{"base_url": `"ftp://pbx.example.com"`},
			want: []string{"Invalid PBX Base URL", "base_url must start with http:// or https://"}},

		// api_path
		{name: "api_path empty", args: map[string]string{"api_path": `""`},
			want: []string{"Invalid Attribute Value Length", "Attribute api_path string length must be at least 1, got: 0"}},
		{name: "api_path wrong type", args: map[string]string{"api_path": `{ v = 1 }`},
			want: []string{`Inappropriate value for attribute "api_path": string required`}},
		{name: "api_path unknown", args: map[string]string{"api_path": "terraform_data.later.output"}, later: `"openapi/v1.0"`,
			want: []string{"Unknown PBX Provider Argument: api_path", unknownDetail, "PBX_API_PATH"}},
		{name: "api_path with a query", args: map[string]string{"api_path": `"openapi/v1.0?x=1"`},
			want: []string{"Invalid PBX API Path", "api_path must be a path such as openapi/v1.0, without a query or fragment"}},

		// client_id, client_secret, access_token
		{name: "client_id empty", args: map[string]string{"client_id": `""`},
			want: []string{"Incomplete PBX Credentials", "Only client_secret is set"}},
		{name: "client_id wrong type", args: map[string]string{"client_id": `["id"]`},
			want: []string{`Inappropriate value for attribute "client_id": string required`}},
		{name: "client_id unknown", args: map[string]string{"client_id": "terraform_data.later.output"}, later: `"id"`,
			want: []string{"Unknown PBX Provider Argument: client_id", unknownDetail, "PBX_CLIENT_ID"}},
		{name: "client_secret empty", args: map[string]string{"client_secret": `""`},
			want: []string{"Incomplete PBX Credentials", "Only client_id is set"}},
		{name: "client_secret wrong type", args: map[string]string{"client_secret": `{ s = "x" }`},
			want: []string{`Inappropriate value for attribute "client_secret": string required`}},
		{name: "client_secret unknown", args: map[string]string{"client_secret": "terraform_data.later.output"}, later: `"secret"`,
			want: []string{"Unknown PBX Provider Argument: client_secret", unknownDetail, "PBX_CLIENT_SECRET"}},
		{name: "access_token empty", args: map[string]string{"client_id": "", "client_secret": "", "access_token": `""`},
			want: []string{"Missing PBX Credentials", "None of them is set"}},
		{name: "access_token wrong type", args: map[string]string{"access_token": `["tok"]`},
			want: []string{`Inappropriate value for attribute "access_token": string required`}},
		{name: "access_token unknown", args: map[string]string{"client_id": "", "client_secret": "", "access_token": "terraform_data.later.output"},
			later: `"tok"`, want: []string{"Unknown PBX Provider Argument: access_token", unknownDetail, "PBX_ACCESS_TOKEN"}},
		{name: "access_token with client_id", args: map[string]string{"access_token": `"tok-0123456789"`},
			want: []string{"Conflicting PBX Credentials", "These are all set: client_id, client_secret, access_token"}},

		// ca_cert_pem and insecure_skip_verify
		{name: "ca_cert_pem empty", args: map[string]string{"ca_cert_pem": `""`},
			want: []string{"Invalid Attribute Value Length", "Attribute ca_cert_pem string length must be at least 1, got: 0"}},
		{name: "ca_cert_pem not PEM", args: map[string]string{"ca_cert_pem": `"not a certificate"`},
			want: []string{"Invalid PBX CA Certificate", `no "-----BEGIN CERTIFICATE-----" block found`}},
		{name: "ca_cert_pem broken certificate", args: map[string]string{"ca_cert_pem": `"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"`},
			want: []string{"Invalid PBX CA Certificate", "certificate 1 does not parse"}},
		{name: "ca_cert_pem wrong type", args: map[string]string{"ca_cert_pem": `["pem"]`},
			want: []string{`Inappropriate value for attribute "ca_cert_pem": string required`}},
		{name: "ca_cert_pem unknown", args: map[string]string{"ca_cert_pem": "terraform_data.later.output"}, later: `"pem"`,
			want: []string{"Unknown PBX Provider Argument: ca_cert_pem", unknownDetail, "PBX_CA_CERT_FILE"}},
		{name: "insecure_skip_verify wrong type", args: map[string]string{"insecure_skip_verify": `"maybe"`},
			want: []string{`Inappropriate value for attribute "insecure_skip_verify": a bool is required`}},
		{name: "insecure_skip_verify unknown", args: map[string]string{"insecure_skip_verify": "terraform_data.later.output"}, later: "true",
			want: []string{"Unknown PBX Provider Argument: insecure_skip_verify", unknownDetail, "PBX_INSECURE_SKIP_VERIFY"}},
		{name: "insecure_skip_verify with ca_cert_pem", args: map[string]string{"insecure_skip_verify": "true", "ca_cert_pem": `"pem"`},
			want: []string{"Invalid Attribute Combination", "These attributes cannot be configured together"}},

		// request_timeout
		{name: "request_timeout empty", args: map[string]string{"request_timeout": `""`},
			want: []string{"Invalid Attribute Value Length", "Attribute request_timeout string length must be at least 1, got: 0"}},
		{name: "request_timeout bad duration", args: map[string]string{"request_timeout": `"soon"`},
			want: []string{"Invalid Request Timeout", `request_timeout must be a positive Go duration such as 30s or 2m, not "soon"`}},
		{name: "request_timeout without unit", args: map[string]string{"request_timeout": "30"},
			want: []string{"Invalid Request Timeout", `not "30"`}},
		{name: "request_timeout negative", args: map[string]string{"request_timeout": `"-5s"`},
			want: []string{"Invalid Request Timeout", `not "-5s"`}},
		{name: "request_timeout wrong type", args: map[string]string{"request_timeout": `["30s"]`},
			want: []string{`Inappropriate value for attribute "request_timeout": string required`}},
		{name: "request_timeout unknown", args: map[string]string{"request_timeout": "terraform_data.later.output"}, later: `"30s"`,
			want: []string{"Unknown PBX Provider Argument: request_timeout", unknownDetail}},

		// max_retries
		{name: "max_retries empty", args: map[string]string{"max_retries": `""`},
			want: []string{`Inappropriate value for attribute "max_retries": a number is required`}},
		{name: "max_retries wrong type", args: map[string]string{"max_retries": `"three"`},
			want: []string{`Inappropriate value for attribute "max_retries": a number is required`}},
		{name: "max_retries above range", args: map[string]string{"max_retries": "11"},
			want: []string{"Invalid Attribute Value", "Attribute max_retries value must be between 0 and 10, got: 11"}},
		{name: "max_retries below range", args: map[string]string{"max_retries": "-1"},
			want: []string{"Invalid Attribute Value", "Attribute max_retries value must be between 0 and 10, got: -1"}},
		{name: "max_retries fraction", args: map[string]string{"max_retries": "1.5"},
			want: []string{"Invalid Attribute Value", "Attribute max_retries value must be a whole number between 0 and 10, got: 1.5"}},
		{name: "max_retries unknown", args: map[string]string{"max_retries": "terraform_data.later.output"}, later: "3",
			want: []string{"Unknown PBX Provider Argument: max_retries", unknownDetail}},

		// time_zone
		{name: "time_zone empty", args: map[string]string{"time_zone": `""`},
			want: []string{"Invalid PBX Time Zone", `time_zone: unknown time zone ""`}},
		{name: "time_zone unknown name", args: map[string]string{"time_zone": `"Mars/Olympus"`},
			want: []string{"Invalid PBX Time Zone", `unknown time zone "Mars/Olympus"`, "IANA"}},
		{name: "time_zone Local", args: map[string]string{"time_zone": `"Local"`},
			want: []string{"Invalid PBX Time Zone", `unknown time zone "Local"`}},
		{name: "time_zone wrong type", args: map[string]string{"time_zone": `["UTC"]`},
			want: []string{`Inappropriate value for attribute "time_zone": string required`}},
		{name: "time_zone unknown", args: map[string]string{"time_zone": "terraform_data.later.output"}, later: `"UTC"`,
			want: []string{"Unknown PBX Provider Argument: time_zone", unknownDetail, "PBX_TIME_ZONE"}},

		// token_cache_dir
		{name: "token_cache_dir empty", args: map[string]string{"token_cache_dir": `""`},
			want: []string{"Invalid Attribute Value Length", "Attribute token_cache_dir string length must be at least 1, got: 0"}},
		{name: "token_cache_dir wrong type", args: map[string]string{"token_cache_dir": `["/tmp"]`},
			want: []string{`Inappropriate value for attribute "token_cache_dir": string required`}},
		{name: "token_cache_dir unknown", args: map[string]string{"token_cache_dir": "terraform_data.later.output"}, later: `"/tmp"`,
			want: []string{"Unknown PBX Provider Argument: token_cache_dir", unknownDetail, "PBX_TOKEN_CACHE_DIR"}},
		{name: "token_cache_dir is a file", args: map[string]string{"token_cache_dir": fmt.Sprintf("%q", notPEM)},
			want: []string{"token_cache_dir", "not a directory"}},

		// date_format
		{name: "date_format empty", args: map[string]string{"date_format": `""`},
			want: []string{"Invalid Attribute Value Match", `Attribute date_format value must be one of`, `got: ""`}},
		{name: "date_format with dashes", args: map[string]string{"date_format": `"YYYY-MM-DD"`},
			want: []string{"Invalid Attribute Value Match", `Attribute date_format value must be one of`, `got: "YYYY-MM-DD"`}},
		{name: "date_format Go layout", args: map[string]string{"date_format": `"2006/01/02"`},
			want: []string{"Invalid Attribute Value Match", `got: "2006/01/02"`}},
		{name: "date_format wrong type", args: map[string]string{"date_format": `["YYYY/MM/DD"]`},
			want: []string{`Inappropriate value for attribute "date_format": string required`}},
		{name: "date_format unknown", args: map[string]string{"date_format": "terraform_data.later.output"}, later: `"YYYY/MM/DD"`,
			want: []string{"Unknown PBX Provider Argument: date_format", unknownDetail}},

		// Environment variables
		{name: "PBX_INSECURE_SKIP_VERIFY=maybe", env: map[string]string{envInsecureSkipVerify: "maybe"},
			want: []string{"Invalid PBX_INSECURE_SKIP_VERIFY", `PBX_INSECURE_SKIP_VERIFY must be true or false, not "maybe"`}},
		{name: "PBX_BASE_URL malformed", args: map[string]string{"base_url": ""}, env: map[string]string{envBaseURL: "pbx.example.com"},
			want: []string{"Invalid PBX Base URL", "PBX_BASE_URL (the environment variable for base_url) must be an absolute http or https URL"}},
		{name: "PBX_TIME_ZONE unknown name", env: map[string]string{envTimeZone: "Nowhere/Special"},
			want: []string{"Invalid PBX Time Zone", "PBX_TIME_ZONE (the environment variable for time_zone)", `"Nowhere/Special"`}},
		{name: "PBX_CA_CERT_FILE missing", env: map[string]string{envCACertFile: filepath.Join(t.TempDir(), "absent.pem")},
			want: []string{"Unable to Read PBX_CA_CERT_FILE", "PBX_CA_CERT_FILE names a file that could not be read", "no such file"}},
		{name: "PBX_CA_CERT_FILE not PEM", env: map[string]string{envCACertFile: notPEM},
			want: []string{"Invalid PBX CA Certificate", "PBX_CA_CERT_FILE (the environment variable for ca_cert_pem) must hold one or more PEM-encoded certificates"}},
		{name: "PBX_CLIENT_SECRET alone", args: map[string]string{"client_id": "", "client_secret": ""}, env: map[string]string{envClientSecret: "secret-from-env"},
			want: []string{"Incomplete PBX Credentials", "Only PBX_CLIENT_SECRET (the environment variable for client_secret) is set"}},

		// ids
		{name: "ids empty", ids: "[]", want: []string{"Attribute ids list must contain at least 1 elements"}},
		{name: "ids wrong type", ids: `"4"`, want: []string{`Inappropriate value for attribute "ids": list of number required`}},
		{name: "ids element wrong type", ids: `["four"]`, want: []string{`Inappropriate value for attribute "ids"`, "a number is required"}},
		{name: "ids zero", ids: "[0]", want: []string{"Invalid Certificate ID", "Each certificate ID must be a whole number of at least 1, not 0"}},
		{name: "ids negative", ids: "[-4]", want: []string{"Invalid Certificate ID", "not -4"}},
		{name: "ids fraction", ids: "[4.5]", want: []string{"Invalid Certificate ID", "not 4.5"}},
		{name: "ids beyond int64", ids: "[9223372036854775808]", want: []string{"Invalid Certificate ID", "Each certificate ID must be a whole number of at least 1"}},
		{name: "ids duplicate", ids: "[4, 4]", want: []string{"This attribute contains duplicate values of: 4"}},
		{name: "ids null element", ids: "[4, null]", want: []string{"Null List Value", "contains a null value"}},
		{name: "ids unknown", ids: "terraform_data.later.output", later: "[4]", deferred: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if len(tc.env) == 0 {
				t.Parallel()
			}
			for name, value := range tc.env {
				t.Setenv(name, value)
			}
			pbx := newTestPBX(t)
			step := resource.TestStep{Config: tc.config(pbx)}
			if tc.deferred {
				step.PlanOnly, step.ExpectNonEmptyPlan = true, true
			} else {
				step.ExpectError = phrasesInOrder(tc.want...)
			}
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: pbx.factories(),
				Steps:                    []resource.TestStep{step},
			})
			if requests := totalRequests(pbx.sim.Stats()); requests != 0 {
				t.Errorf("%d requests reached the PBX, want 0", requests)
			}
		})
	}
}

func (tc badInput) config(pbx *testPBX) string {
	args := map[string]string{
		"base_url":      fmt.Sprintf("%q", pbx.server.URL),
		"client_id":     fmt.Sprintf("%q", pbxsim.DefaultClientID),
		"client_secret": fmt.Sprintf("%q", pbxsim.DefaultClientSecret),
	}
	for name, expr := range tc.args {
		args[name] = expr
	}
	names := make([]string, 0, len(args))
	for name, expr := range args {
		if expr != "" {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var b strings.Builder
	if tc.later != "" {
		fmt.Fprintf(&b, "resource \"terraform_data\" \"later\" {\n  input = %s\n}\n\n", tc.later)
	}
	b.WriteString("provider \"pbx\" {\n")
	for _, name := range names {
		fmt.Fprintf(&b, "  %s = %s\n", name, args[name])
	}
	b.WriteString("}\n")
	ids := tc.ids
	if ids == "" {
		ids = "[4]"
	}
	b.WriteString(certificatesBlock(ids))
	return b.String()
}

// phrasesInOrder matches the phrases in order, allowing any whitespace,
// including Terraform's line wrapping, between their words.
func phrasesInOrder(phrases ...string) *regexp.Regexp {
	patterns := make([]string, len(phrases))
	for i, phrase := range phrases {
		words := strings.Fields(phrase)
		for j, word := range words {
			words[j] = regexp.QuoteMeta(word)
		}
		patterns[i] = strings.Join(words, `\s+`)
	}
	return regexp.MustCompile(strings.Join(patterns, `[\s\S]*`))
}

// A map cannot hold a DNS-provider parameter twice, and keeping either
// value would hide the other credential, so the read fails, naming the key
// and the certificate but neither value.
func TestDuplicateAuthParameterIsRefused(t *testing.T) {
	const first, second = "first-credential-0123456789", "second-credential-0123456789"
	parser, err := NewExpirationParser(DateFormatYMD, "UTC")
	if err != nil {
		t.Fatal(err)
	}
	certs := []client.Certificate{{
		ID: 5, Name: "production_server_cert.pem", Expiration: "2025/05/25 10:45:42 AM",
		AuthInfo: []client.AuthParam{
			{Key: "AccessKeySecret", String: ptrTo(first)},
			{Key: "TTL", Int: ptrTo[int64](600)},
			{Key: "AccessKeySecret", String: ptrTo(second)},
		},
	}}
	_, diags := newCertificateModels(certs, parser)
	if len(diags.Errors()) != 1 {
		t.Fatalf("want one error, got %v", diags)
	}
	d := diags.Errors()[0]
	text := d.Summary() + "\n" + d.Detail()
	if d.Summary() != "Duplicate PBX Authentication Parameter" ||
		!strings.Contains(d.Detail(), `"AccessKeySecret" twice for certificate 5 (production_server_cert.pem)`) {
		t.Errorf("the error should name the key and the certificate: %s", text)
	}
	if strings.Contains(text, first) || strings.Contains(text, second) {
		t.Errorf("the error shows a credential: %s", text)
	}

	// The same through Terraform, with the simulator answering the duplicate.
	pbx := newTestPBX(t)
	pbx.sim.MalformedNext(1, `{"errcode":0,"errmsg":"SUCCESS","certificate_list":[{"id":5,"name":"production_server_cert.pem",`+
		`"auth_info_list":[{"k":"AccessKeySecret","sv":"`+first+`"},{"k":"AccessKeySecret","sv":"`+second+`"}]}]}`)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config:      pbx.providerBlock() + certificatesBlock("[5]"),
			ExpectError: phrasesInOrder("Duplicate PBX Authentication Parameter", `parameter "AccessKeySecret" twice for certificate 5`),
		}},
	})
}

func ptrTo[T any](v T) *T { return &v }
