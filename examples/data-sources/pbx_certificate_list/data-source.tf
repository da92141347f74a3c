# Every certificate on the PBX, without knowing their IDs.
data "pbx_certificate_list" "all" {}

# Only the PBX's server certificates.
data "pbx_certificate_list" "servers" {
  type = "server"
}

# Feed the IDs to pbx_certificates, or use data.pbx_certificate_list.servers.certificates directly.
data "pbx_certificates" "servers" {
  ids = data.pbx_certificate_list.servers.ids
}

output "server_certificate_expirations" {
  value = { for c in data.pbx_certificate_list.servers.certificates : c.name => c.expires_at }
}
