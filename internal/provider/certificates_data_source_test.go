package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

const certificatesAddress = "data.pbx_certificates.this"

func certificatesBlock(ids string) string {
	return fmt.Sprintf(`
data "pbx_certificates" "this" {
  ids = %s
}
`, ids)
}

func certificatesPath() tfjsonpath.Path { return tfjsonpath.New("certificates") }

func authValuePath(index int, key, slot string) tfjsonpath.Path {
	return certificatesPath().AtSliceIndex(index).AtMapKey("auth_info").AtMapKey(key).AtMapKey(slot)
}

// The vendor's documented certificates, as the provider must expose them.
var (
	vendorTrustedCA = knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":             knownvalue.Int64Exact(4),
		"name":           knownvalue.StringExact("pbx_internal_ca.crt"),
		"type":           knownvalue.StringExact("trusted"),
		"issue_to":       knownvalue.StringExact("internal.company.local"),
		"apply_status":   knownvalue.StringExact("issuance_success"),
		"expiration":     knownvalue.StringExact("2025/05/25 10:45:42 AM"),
		"expires_at":     knownvalue.StringExact("2025-05-25T10:45:42Z"),
		"ca_type":        knownvalue.Null(),
		"auto_renewal":   knownvalue.Null(),
		"dns_provider":   knownvalue.Null(),
		"apply_tip_code": knownvalue.Null(),
		"auth_info":      knownvalue.MapSizeExact(0),
	})
	vendorProductionServer = knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":             knownvalue.Int64Exact(5),
		"name":           knownvalue.StringExact("production_server_cert.pem"),
		"type":           knownvalue.StringExact("server"),
		"issue_to":       knownvalue.StringExact("pbx.company.com"),
		"apply_status":   knownvalue.StringExact("issuance_success"),
		"expiration":     knownvalue.StringExact("2025/05/25 10:45:42 AM"),
		"expires_at":     knownvalue.StringExact("2025-05-25T10:45:42Z"),
		"ca_type":        knownvalue.StringExact("upload"),
		"auto_renewal":   knownvalue.Bool(true),
		"dns_provider":   knownvalue.StringExact("alidns"),
		"apply_tip_code": knownvalue.Null(),
		"auth_info": knownvalue.MapExact(map[string]knownvalue.Check{
			"TTL":                intAuthValue(600),
			"AccessKeyId":        stringAuthValue("AKIAIXXXXXXXXXXAMPLE"),
			"AccessKeySecret":    stringAuthValue("wJalrXUXXXXXXXXXXLEKEY"),
			"PropagationTimeout": intAuthValue(300),
			"PollingInterval":    intAuthValue(5),
		}),
	})
	vendorDocsServer = knownvalue.ObjectExact(map[string]knownvalue.Check{
		"id":             knownvalue.Int64Exact(6),
		"name":           knownvalue.StringExact("docs_server_cert.pem"),
		"type":           knownvalue.StringExact("server"),
		"issue_to":       knownvalue.StringExact("docs.company.com"),
		"apply_status":   knownvalue.StringExact("issuance_success"),
		"expiration":     knownvalue.StringExact("2026/04/19 08:56:08 AM"),
		"expires_at":     knownvalue.StringExact("2026-04-19T08:56:08Z"),
		"ca_type":        knownvalue.StringExact("apply"),
		"auto_renewal":   knownvalue.Bool(true),
		"dns_provider":   knownvalue.StringExact("alidns"),
		"apply_tip_code": knownvalue.Null(),
		"auth_info": knownvalue.MapExact(map[string]knownvalue.Check{
			"PropagationTimeout": intAuthValue(300),
			"PollingInterval":    intAuthValue(5),
			"TTL":                intAuthValue(600),
			"AccessKeyId":        stringAuthValue("AKIAIOSFODNN7EXAMPLE"),
			"AccessKeySecret":    stringAuthValue("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
		}),
	})
)

func intAuthValue(v int64) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"int_value": knownvalue.Int64Exact(v), "string_value": knownvalue.Null(), "bool_value": knownvalue.Null(),
	})
}

func stringAuthValue(v string) knownvalue.Check {
	return knownvalue.ObjectExact(map[string]knownvalue.Check{
		"int_value": knownvalue.Null(), "string_value": knownvalue.StringExact(v), "bool_value": knownvalue.Null(),
	})
}

func TestCertificatesDataSourceReadsEveryFieldInOrderOfIDs(t *testing.T) {
	pbx := newTestPBX(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config: pbx.providerBlock() + certificatesBlock("[6, 4, 5]"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(certificatesAddress, tfjsonpath.New("total_number"), knownvalue.Int64Exact(3)),
				statecheck.ExpectKnownValue(certificatesAddress, certificatesPath(),
					knownvalue.ListExact([]knownvalue.Check{vendorDocsServer, vendorTrustedCA, vendorProductionServer})),
				statecheck.ExpectSensitiveValue(certificatesAddress, authValuePath(0, "AccessKeySecret", "string_value")),
				statecheck.ExpectSensitiveValue(certificatesAddress, authValuePath(0, "AccessKeyId", "string_value")),
				statecheck.ExpectSensitiveValue(certificatesAddress, authValuePath(2, "TTL", "int_value")),
				statecheck.ExpectSensitiveValue(certificatesAddress, authValuePath(2, "TTL", "bool_value")),
			},
		}},
	})
}

func TestCertificatesDataSourceHonoursTimeZoneAndDateFormat(t *testing.T) {
	pbx := newTestPBX(t)
	certs := pbxsim.VendorCertificates()[:1]
	certs[0].Expiration = "05/25/2025 22:45:42"
	pbx.sim.SetCertificates(certs)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config: pbx.providerBlock(`time_zone = "Asia/Shanghai"`, `date_format = "MM/DD/YYYY"`) + certificatesBlock("[4]"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(certificatesAddress, certificatesPath().AtSliceIndex(0).AtMapKey("expires_at"),
					knownvalue.StringExact("2025-05-25T14:45:42Z")),
			},
		}},
	})
}

func TestCertificatesDataSourceUnparseableExpirationIsNull(t *testing.T) {
	pbx := newTestPBX(t)
	certs := pbxsim.VendorCertificates()[:1]
	certs[0].Expiration = "someday"
	pbx.sim.SetCertificates(certs)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config: pbx.providerBlock() + certificatesBlock("[4]"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(certificatesAddress, certificatesPath().AtSliceIndex(0).AtMapKey("expires_at"), knownvalue.Null()),
				statecheck.ExpectKnownValue(certificatesAddress, certificatesPath().AtSliceIndex(0).AtMapKey("expiration"),
					knownvalue.StringExact("someday")),
			},
		}},
	})
}

func TestCertificatesDataSourceNamesEveryMissingID(t *testing.T) {
	for name, mode := range map[string]pbxsim.UnknownIDMode{
		"omitted from the answer": pbxsim.UnknownIDsOmitted,
		"answered with 60001":     pbxsim.UnknownIDsNotFound,
	} {
		t.Run(name, func(t *testing.T) {
			pbx := newTestPBX(t)
			pbx.sim.SetUnknownIDMode(mode)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: pbx.factories(),
				Steps: []resource.TestStep{{
					Config:      pbx.providerBlock() + certificatesBlock("[4, 9, 5, 7]"),
					ExpectError: regexp.MustCompile(`PBX Certificates Not Found[\s\S]*ID 7, 9\.`),
				}},
			})
		})
	}
}

func TestCertificatesDataSourceRefusesBadIDsBeforeAnyRequest(t *testing.T) {
	for _, tc := range []struct{ ids, want string }{
		{"[]", `Attribute ids list must contain at least 1 elements`},
		{"[0]", `Each certificate ID must be a whole number of at least 1, not 0`},
		{"[-4]", `Each certificate ID must be a whole number of at least 1, not -4`},
		{"[1.5]", `Each certificate ID must be a whole number of at least 1, not 1\.5`},
		{"[4, 4]", `This attribute contains duplicate values of: 4`},
		{"[4, null]", `Null List Value[\s\S]*contains a null value`},
		{`["four"]`, `a number is required`},
		{`"4"`, `list of number required`},
	} {
		t.Run(tc.ids, func(t *testing.T) {
			pbx := newTestPBX(t)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: pbx.factories(),
				Steps: []resource.TestStep{{
					Config:      pbx.providerBlock() + certificatesBlock(tc.ids),
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
			if requests := totalRequests(pbx.sim.Stats()); requests != 0 {
				t.Errorf("bad ids %s sent %d requests to the PBX, want 0", tc.ids, requests)
			}
		})
	}
}

func totalRequests(stats pbxsim.Stats) int {
	total := 0
	for _, n := range stats.Requests {
		total += n
	}
	return total
}

func TestCertificatesDataSourceWaitsForIDsUnknownUntilApply(t *testing.T) {
	pbx := newTestPBX(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config: pbx.providerBlock() + `
resource "terraform_data" "ids" {
  input = [5, 6]
}
` + certificatesBlock("terraform_data.ids.output"),
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{
					plancheck.ExpectUnknownValue(certificatesAddress, certificatesPath()),
				},
			},
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(certificatesAddress, certificatesPath(),
					knownvalue.ListExact([]knownvalue.Check{vendorProductionServer, vendorDocsServer})),
			},
		}},
	})
}

func TestCertificatesDataSourceConfiguredFromEnvironmentOnly(t *testing.T) {
	pbx := newTestPBX(t)
	t.Setenv(envBaseURL, pbx.server.URL)
	t.Setenv(envClientID, pbxsim.DefaultClientID)
	t.Setenv(envClientSecret, pbxsim.DefaultClientSecret)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config: `provider "pbx" {}` + certificatesBlock("[5]"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(certificatesAddress, certificatesPath(), knownvalue.ListExact([]knownvalue.Check{vendorProductionServer})),
			},
		}},
	})
}

func TestCertificatesDataSourceOverHTTPS(t *testing.T) {
	t.Run("trusts the configured CA", func(t *testing.T) {
		pbx := newTestPBXWithTLS(t)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: pbx.factories(),
			Steps: []resource.TestStep{{
				Config: pbx.providerBlock(fmt.Sprintf("ca_cert_pem = <<-EOT\n%sEOT", pbx.caPEM())) + certificatesBlock("[4]"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(certificatesAddress, certificatesPath(), knownvalue.ListExact([]knownvalue.Check{vendorTrustedCA})),
				},
			}},
		})
	})
	t.Run("trusts the CA file named in the environment", func(t *testing.T) {
		pbx := newTestPBXWithTLS(t)
		caFile := filepath.Join(t.TempDir(), "ca.pem")
		if err := os.WriteFile(caFile, []byte(pbx.caPEM()), 0o600); err != nil {
			t.Fatal(err)
		}
		t.Setenv(envCACertFile, caFile)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: pbx.factories(),
			Steps: []resource.TestStep{{
				Config: pbx.providerBlock() + certificatesBlock("[4]"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(certificatesAddress, certificatesPath(), knownvalue.ListExact([]knownvalue.Check{vendorTrustedCA})),
				},
			}},
		})
	})
	t.Run("refuses a self-signed certificate", func(t *testing.T) {
		pbx := newTestPBXWithTLS(t)
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: pbx.factories(),
			Steps: []resource.TestStep{{
				Config:      pbx.providerBlock() + certificatesBlock("[4]"),
				ExpectError: regexp.MustCompile(`certificate signed by unknown authority`),
			}},
		})
		if logins := pbx.sim.Stats().LoginAttempts; logins != 0 {
			t.Errorf("%d logins reached an unverified PBX, want 0", logins)
		}
	})
}

func TestCertificatesDataSourceRenewsATokenThatExpiresMidRun(t *testing.T) {
	pbx := newTestPBX(t)
	pbx.sim.ExpireTokensAfterUses(1)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config: pbx.providerBlock() + certificatesBlock("[4]") + `
data "pbx_certificates" "second" {
  ids = [5]
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.pbx_certificates.second", certificatesPath(),
					knownvalue.ListExact([]knownvalue.Check{vendorProductionServer})),
			},
		}},
	})
	stats := pbx.sim.Stats()
	if stats.ExpiredByUses == 0 || stats.Refreshes == 0 {
		t.Errorf("no token expired and was renewed: %+v", stats)
	}
	if stats.MaxLiveTokens > 1 {
		t.Errorf("the PBX held %d live tokens at once, want at most 1", stats.MaxLiveTokens)
	}
}

func TestCertificatesDataSourceRetriesServerErrors(t *testing.T) {
	pbx := newTestPBX(t)
	pbx.sim.FailNext(2, 503)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config: pbx.providerBlock() + certificatesBlock("[4]"),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(certificatesAddress, certificatesPath(), knownvalue.ListExact([]knownvalue.Check{vendorTrustedCA})),
			},
		}},
	})
	if faults := pbx.sim.Stats().Faults5xx; faults != 2 {
		t.Errorf("the simulator injected %d faults, want 2", faults)
	}
}

func TestCertificatesDataSourceWrongSecretCostsOneLoginAttempt(t *testing.T) {
	pbx := newTestPBX(t)
	pbx.sim.SetCredentials(pbxsim.DefaultClientID, "a-different-secret")
	var blocks strings.Builder
	for i := range 5 {
		fmt.Fprintf(&blocks, "data \"pbx_certificates\" \"c%d\" {\n  ids = [4]\n}\n", i)
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config:      pbx.providerBlock() + blocks.String(),
			ExpectError: regexp.MustCompile(`PBX Refused the Credentials[\s\S]*Five failed logins in a row block`),
		}},
	})
	if attempts := pbx.sim.Stats().LoginAttempts; attempts != 1 {
		t.Errorf("%d login attempts, want exactly 1", attempts)
	}
}

func TestCertificatesDataSourceManyDataSourcesShareOneLogin(t *testing.T) {
	// run returns the logins and queries that one configuration cost.
	run := func(blocks, idSets int) (int, int) {
		pbx := newTestPBX(t)
		var config strings.Builder
		config.WriteString(pbx.providerBlock())
		for i := range blocks {
			fmt.Fprintf(&config, "data \"pbx_certificates\" \"c%d\" {\n  ids = [%d]\n}\n", i, 4+i%idSets)
		}
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: pbx.factories(),
			Steps:                    []resource.TestStep{{Config: config.String()}},
		})
		stats := pbx.sim.Stats()
		if stats.MaxLiveTokens > 1 {
			t.Errorf("%d data sources: the PBX held %d live tokens at once, want 1", blocks, stats.MaxLiveTokens)
		}
		return stats.Logins, stats.Requests["certificate/query"]
	}
	// Terraform runs the provider several times per test step; compare
	// with one data source to learn how many.
	oneLogins, oneQueries := run(1, 1)
	manyLogins, manyQueries := run(30, 3)
	if oneLogins == 0 || manyLogins != oneLogins {
		t.Errorf("30 data sources cost %d logins, one data source %d: want the same, one per Terraform run", manyLogins, oneLogins)
	}
	if manyQueries != 3*oneQueries {
		t.Errorf("30 data sources over 3 id sets cost %d queries, one data source %d: want one query per id set and run",
			manyQueries, oneQueries)
	}
}

func TestCertificatesDataSourceCheckBlockFailsForExpiredCertificate(t *testing.T) {
	pbx := newTestPBX(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config: pbx.providerBlock() + certificatesBlock("[4, 5, 6]") + `
check "pbx_certificates_valid_for_30_days" {
  assert {
    condition = alltrue([for c in data.pbx_certificates.this.certificates :
    timecmp(c.expires_at, timeadd(plantimestamp(), "720h")) > 0])
    error_message = "A PBX certificate expires within 30 days."
  }
}
`,
			ConfigStateChecks: []statecheck.StateCheck{expectCheckFailed("pbx_certificates_valid_for_30_days")},
		}},
	})
}

// expectCheckFailed asserts that Terraform recorded the named check block
// as failed: a failed check is a warning, so the run itself succeeds.
func expectCheckFailed(name string) statecheck.StateCheck {
	return checkStatus{name: name, want: tfjson.CheckStatusFail}
}

type checkStatus struct {
	name string
	want tfjson.CheckStatus
}

func (c checkStatus) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	for _, check := range req.State.Checks {
		if check.Address.Kind == tfjson.CheckKindCheckBlock && check.Address.Name == c.name {
			if check.Status != c.want {
				resp.Error = fmt.Errorf("check %s is %s, want %s", c.name, check.Status, c.want)
			}
			return
		}
	}
	resp.Error = fmt.Errorf("no check block %s in the state", c.name)
}

// Blocks asking for the same ids share one read; each must still get the
// full state.
func TestCertificatesDataSourceBlocksWithTheSameIDs(t *testing.T) {
	pbx := newTestPBX(t)
	var checks []statecheck.StateCheck
	var config strings.Builder
	config.WriteString(pbx.providerBlock())
	for i := range 4 {
		fmt.Fprintf(&config, "data \"pbx_certificates\" \"c%d\" {\n  ids = [5, 4]\n}\n", i)
		checks = append(checks, statecheck.ExpectKnownValue(fmt.Sprintf("data.pbx_certificates.c%d", i), certificatesPath(),
			knownvalue.ListExact([]knownvalue.Check{vendorProductionServer, vendorTrustedCA})),
			statecheck.ExpectSensitiveValue(fmt.Sprintf("data.pbx_certificates.c%d", i), authValuePath(0, "AccessKeySecret", "string_value")))
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps:                    []resource.TestStep{{Config: config.String(), ConfigStateChecks: checks}},
	})
}
