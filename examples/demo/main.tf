# Used by `make demo`, which starts the PBX simulator and exports PBX_BASE_URL, PBX_CLIENT_ID,
# PBX_CLIENT_SECRET and PBX_CA_CERT_FILE. Against a real PBX, export those yourself.
terraform {
  required_version = ">= 1.5"

  required_providers {
    pbx = {
      source = "pbxops/pbx"
    }
  }
}

# Configured entirely from the environment, so no credential is written here.
provider "pbx" {}

data "pbx_certificates" "this" {
  ids = [4, 5, 6]
}

# The simulator serves the vendor's example certificates, which have expired, so this warns.
check "pbx_certificates_valid_for_30_days" {
  assert {
    condition = alltrue([
      for c in data.pbx_certificates.this.certificates :
      c.expires_at != null ? timecmp(c.expires_at, timeadd(plantimestamp(), "720h")) > 0 : false
    ])
    error_message = "A PBX certificate expires within 30 days."
  }
}

output "certificates" {
  description = "Each certificate's name, expiry time (RFC 3339, UTC) and issuance status, in the order of ids."
  value = [
    for c in data.pbx_certificates.this.certificates : {
      id           = c.id
      name         = c.name
      expiration   = c.expiration
      expires_at   = c.expires_at
      apply_status = c.apply_status
    }
  ]
}

output "expirations" {
  value = { for c in data.pbx_certificates.this.certificates : c.name => c.expires_at }
}
