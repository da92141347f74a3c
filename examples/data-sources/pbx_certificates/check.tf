# Warns on every plan and apply when a certificate expires within 30 days.
check "pbx_certificates_valid_for_30_days" {
  assert {
    # expires_at is null when the PBX's expiration text could not be parsed; count that as a failure.
    condition = alltrue([
      for c in data.pbx_certificates.this.certificates :
      c.expires_at != null ? timecmp(c.expires_at, timeadd(plantimestamp(), "720h")) > 0 : false
    ])
    error_message = "A PBX certificate expires within 30 days."
  }
}
