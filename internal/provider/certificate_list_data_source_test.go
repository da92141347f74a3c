package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

func TestCertificateListDataSource(t *testing.T) {
	pbx := newTestPBX(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config: pbx.providerBlock() + `
data "pbx_certificate_list" "all" {}

data "pbx_certificate_list" "servers" {
  type = "server"
}

data "pbx_certificates" "servers" {
  ids = data.pbx_certificate_list.servers.ids
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.pbx_certificate_list.all", tfjsonpath.New("ids"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.Int64Exact(4), knownvalue.Int64Exact(5), knownvalue.Int64Exact(6)})),
				statecheck.ExpectKnownValue("data.pbx_certificate_list.all", tfjsonpath.New("certificates"),
					knownvalue.ListExact([]knownvalue.Check{vendorTrustedCA, vendorProductionServer, vendorDocsServer})),
				statecheck.ExpectSensitiveValue("data.pbx_certificate_list.all",
					tfjsonpath.New("certificates").AtSliceIndex(1).AtMapKey("auth_info").AtMapKey("AccessKeySecret").AtMapKey("string_value")),
				statecheck.ExpectKnownValue("data.pbx_certificate_list.servers", tfjsonpath.New("ids"),
					knownvalue.ListExact([]knownvalue.Check{knownvalue.Int64Exact(5), knownvalue.Int64Exact(6)})),
				statecheck.ExpectKnownValue("data.pbx_certificates.servers", certificatesPath(),
					knownvalue.ListExact([]knownvalue.Check{vendorProductionServer, vendorDocsServer})),
			},
		}},
	})
}

func TestCertificateListDataSourceOfAnEmptyPBX(t *testing.T) {
	pbx := newTestPBX(t)
	pbx.sim.SetCertificates(nil)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config: pbx.providerBlock() + `data "pbx_certificate_list" "all" {}`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.pbx_certificate_list.all", tfjsonpath.New("ids"), knownvalue.ListSizeExact(0)),
				statecheck.ExpectKnownValue("data.pbx_certificate_list.all", tfjsonpath.New("certificates"), knownvalue.ListSizeExact(0)),
			},
		}},
	})
}

func TestCertificateListDataSourceRefusesAnUnknownType(t *testing.T) {
	pbx := newTestPBX(t)
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps: []resource.TestStep{{
			Config:      pbx.providerBlock() + fmt.Sprintf("data \"pbx_certificate_list\" \"all\" {\n  type = %q\n}\n", "client"),
			ExpectError: regexp.MustCompile(`Attribute type value must be one of:[\s\S]*"server"[\s\S]*"trusted"`),
		}},
	})
}
