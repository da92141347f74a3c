# Certificate name => expiry time (RFC 3339, UTC).
output "expirations" {
  value = { for c in data.pbx_certificates.this.certificates : c.name => c.expires_at }
}

# Names of the certificates the PBX failed to issue or renew.
output "failed_issuance" {
  value = [for c in data.pbx_certificates.this.certificates : c.name if c.apply_status == "issuance_fail"]
}
