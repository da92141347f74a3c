# Terraform 1.10 and later. Nothing read here is written to the plan or the state.
ephemeral "pbx_certificates" "dns" {
  ids = [5]
}

locals {
  # The DNS provider's credentials the PBX keeps for certificate 5.
  dns_auth = ephemeral.pbx_certificates.dns.certificates[0].auth_info
}

# Pass them on to an ephemeral-aware place, for example another provider's configuration.
provider "alicloud" {
  access_key = local.dns_auth["AccessKeyId"].string_value
  secret_key = local.dns_auth["AccessKeySecret"].string_value
}
