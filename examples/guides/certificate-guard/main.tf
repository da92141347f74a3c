terraform {
  required_providers {
    pbx = {
      source = "pbxops/pbx"
    }
  }
}

# Configured from PBX_BASE_URL, PBX_CLIENT_ID and PBX_CLIENT_SECRET.
provider "pbx" {}

module "certs" {
  source = "git::https://github.com/pbxops/terraform-provider-pbx.git//examples/modules/certificate-guard"

  providers = {
    pbx = pbx
  }

  # Leave ids out to check every certificate on the PBX.
  ids            = [4, 5, 6]
  min_days_valid = 21
}

output "pbx_certificates_failing" {
  value = module.certs.failing
}

output "pbx_certificate_expirations" {
  value = module.certs.expirations
}

# A warning is not enough here: refuse to go on while any PBX certificate fails.
resource "terraform_data" "pbx_rollout" {
  lifecycle {
    precondition {
      condition     = length(module.certs.failing) == 0
      error_message = join("\n", [for f in module.certs.failing : "${f.name} (id ${f.id}): ${f.reason}"])
    }
  }
}
