package provider

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/pbxops/terraform-provider-pbx/internal/client"
	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

func TestCertificatesDataSourceLearnsThePBXsClock(t *testing.T) {
	for _, tc := range []struct {
		name       string
		clock      pbxsim.SystemClock
		expiration string
	}{
		{"MM/DD/YYYY, 24-hour, UTC+8", pbxsim.SystemClock{Location: time.FixedZone("UTC+8", 8*3600), DateFormat: DateFormatMDY}, "05/25/2025 18:45:42"},
		{"DD/MM/YYYY, AM/PM, UTC-5", pbxsim.SystemClock{Location: time.FixedZone("UTC-5", -5*3600), DateFormat: DateFormatDMY, Hour12: true}, "25/05/2025 05:45:42 AM"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pbx := newTestPBX(t)
			pbx.sim.SetSystemClock(tc.clock)
			certs := pbxsim.VendorCertificates()[:1]
			certs[0].Expiration = tc.expiration
			pbx.sim.SetCertificates(certs)
			resource.UnitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: pbx.factories(),
				Steps: []resource.TestStep{{
					Config: pbx.providerBlock(`time_zone = "pbx"`, `date_format = "pbx"`) + certificatesBlock("[4]"),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(certificatesAddress, certificatesPath().AtSliceIndex(0).AtMapKey("expires_at"),
							knownvalue.StringExact("2025-05-25T10:45:42Z")),
					},
				}},
			})
		})
	}
}

func clockTestData(t *testing.T, sim *pbxsim.Server, dateFormat, timeZone string) *providerData {
	t.Helper()
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	c, err := client.New(client.Config{BaseURL: srv.URL, ClientID: pbxsim.DefaultClientID, ClientSecret: pbxsim.DefaultClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	clock, err := newExpirationClock(dateFormat, timeZone)
	if err != nil {
		t.Fatal(err)
	}
	return &providerData{client: c, expiration: clock}
}

func TestPBXClockIsReadOnceAndOnlyWhenAsked(t *testing.T) {
	sim := pbxsim.New()
	sim.SetSystemClock(pbxsim.SystemClock{Location: time.FixedZone("UTC+8", 8*3600), DateFormat: DateFormatMDY})
	data := clockTestData(t, sim, fromPBX, fromPBX)
	for range 3 {
		parser, diags := data.expirationParser(t.Context())
		if diags.HasError() || diags.WarningsCount() != 0 {
			t.Fatalf("diagnostics: %v", diags)
		}
		if got, ok := parser.Parse("05/25/2025 18:45:42"); !ok || !got.Equal(time.Date(2025, 5, 25, 10, 45, 42, 0, time.UTC)) {
			t.Fatalf("parsed %s, %v", got, ok)
		}
	}
	if n := sim.Stats().Requests["system/information"]; n != 1 {
		t.Errorf("system/information read %d times, want once", n)
	}

	other := pbxsim.New()
	explicit := clockTestData(t, other, DateFormatYMD, "UTC")
	if _, diags := explicit.expirationParser(t.Context()); diags.HasError() {
		t.Fatal(diags)
	}
	if n := other.Stats().Requests["system/information"]; n != 0 {
		t.Errorf("system/information read without time_zone or date_format \"pbx\"")
	}
}

func TestPBXClockFallsBackWithAWarning(t *testing.T) {
	sim := pbxsim.New()
	sim.DenySystemInformation(true)
	data := clockTestData(t, sim, fromPBX, fromPBX)
	parser, diags := data.expirationParser(t.Context())
	if diags.WarningsCount() != 1 || diags.Warnings()[0].Summary() != "Unable to Read the PBX's Clock" {
		t.Fatalf("diagnostics %v, want one warning", diags)
	}
	detail := diags.Warnings()[0].Detail()
	for _, want := range []string{"10005", "Integrations > API", "YYYY/MM/DD", "UTC"} {
		if !strings.Contains(detail, want) {
			t.Errorf("warning %q does not mention %q", detail, want)
		}
	}
	if got, ok := parser.Parse("2025/05/25 10:45:42 AM"); !ok || got.Format(time.RFC3339) != "2025-05-25T10:45:42Z" {
		t.Errorf("fallback parsed %s, %v; want UTC and YYYY/MM/DD", got, ok)
	}
	if _, again := data.expirationParser(t.Context()); again.WarningsCount() != 0 {
		t.Error("the warning repeats on every read")
	}
}
