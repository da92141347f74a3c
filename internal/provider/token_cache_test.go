package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
)

func TestTokenCacheDirReusesOneTokenAcrossRuns(t *testing.T) {
	pbx := newTestPBX(t)
	pbx.liveTokensAfter = 1 // kept for the next run, on purpose
	config := pbx.providerBlock(fmt.Sprintf("token_cache_dir = %q", t.TempDir())) + certificatesBlock("[4]")
	step := resource.TestStep{
		Config: config,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue(certificatesAddress, certificatesPath(), knownvalue.ListExact([]knownvalue.Check{vendorTrustedCA})),
		},
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: pbx.factories(),
		Steps:                    []resource.TestStep{step, step},
	})
	stats := pbx.sim.Stats()
	if stats.Logins != 1 || stats.Revokes != 0 {
		t.Errorf("every Terraform run of two steps cost %d logins and %d revokes, want 1 and 0", stats.Logins, stats.Revokes)
	}
}
