package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
	"github.com/hashicorp/terraform-plugin-testing/tfversion"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

const ephemeralCertificatesBlock = `
ephemeral "pbx_certificates" "this" {
  ids = [6, 4]
}
`

func TestCertificatesEphemeralResourceReadsEveryField(t *testing.T) {
	pbx := newTestPBX(t)
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: pbx.factoriesWithEcho(),
		Steps: []resource.TestStep{{
			Config: pbx.providerBlock() + ephemeralCertificatesBlock + `
provider "echo" {
  data = ephemeral.pbx_certificates.this
}

resource "echo" "certificates" {}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("echo.certificates", tfjsonpath.New("data").AtMapKey("certificates"),
					knownvalue.ListExact([]knownvalue.Check{vendorDocsServer, vendorTrustedCA})),
				statecheck.ExpectKnownValue("echo.certificates", tfjsonpath.New("data").AtMapKey("total_number"), knownvalue.Int64Exact(2)),
			},
		}},
	})
}

// vendorAuthValues are every auth value of the vendor's certificates.
func vendorAuthValues() []string {
	var values []string
	for _, cert := range pbxsim.VendorCertificates() {
		for _, auth := range cert.AuthInfoList {
			if auth.SV != nil {
				values = append(values, *auth.SV)
			}
		}
	}
	return values
}

func TestCertificatesEphemeralResourceLeavesNothingInPlanOrState(t *testing.T) {
	pbx := newTestPBX(t)
	config := pbx.providerBlock() + ephemeralCertificatesBlock + `
resource "terraform_data" "unrelated" {
  input = "x"
}
`
	resource.UnitTest(t, resource.TestCase{
		TerraformVersionChecks:   []tfversion.TerraformVersionCheck{tfversion.SkipBelow(tfversion.Version1_10_0)},
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{planWithout(vendorAuthValues())},
			},
			ConfigStateChecks: []statecheck.StateCheck{stateWithout(vendorAuthValues())},
		}},
	})
	if queries := pbx.sim.Stats().Requests["certificate/query"]; queries == 0 {
		t.Fatal("the ephemeral resource was never opened, so the check proves nothing")
	}
}

type planWithout []string

func (p planWithout) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = absentFrom("the saved plan", req.Plan, p)
}

type stateWithout []string

func (s stateWithout) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	resp.Error = absentFrom("the state", req.State, s)
}

// absentFrom fails when the JSON form of v (as `terraform show -json`
// prints it) holds any of values.
func absentFrom(what string, v any, values []string) error {
	encoded, err := json.Marshal(v)
	if err != nil {
		return err
	}
	for _, value := range values {
		if strings.Contains(string(encoded), value) {
			return fmt.Errorf("%s holds the auth value %q...", what, value[:4])
		}
	}
	return nil
}
