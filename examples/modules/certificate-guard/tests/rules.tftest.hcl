# The rules, fed certificates directly: the provider mock cannot return any (see guard.tftest.hcl).
# "Now" is plantimestamp(), so expiry times sit far from it: 2000 has passed, 2999 is far off,
# and 2100 is within 36500 days (a century) of any plan made from 2000 on.

run "every_output_for_a_mixed_pbx" {
  command = plan

  module {
    source = "./modules/evaluate"
  }

  variables {
    certificates = [
      { id = 4, name = "fine-server.pem", type = "server", expires_at = "2999-01-01T00:00:00Z", auto_renewal = true, apply_status = "issuance_success" },
      { id = 5, name = "expired-server.pem", type = "server", expires_at = "2000-01-01T00:00:00Z", auto_renewal = true, apply_status = "issuance_success" },
      { id = 6, name = "trusted-ca.pem", type = "trusted", expires_at = "2998-01-01T00:00:00Z" },
      { id = 7, name = "unread.pem", type = "server", expires_at = null, auto_renewal = true, apply_status = "issuance_success" },
      { id = 8, name = "manual-server.pem", type = "server", expires_at = "2999-06-01T00:00:00Z", auto_renewal = false, apply_status = "issuance_success" },
      { id = 9, name = "failed-server.pem", type = "server", expires_at = "2001-01-01T00:00:00Z", auto_renewal = true, apply_status = "issuance_fail", apply_tip_code = 3 },
    ]
  }

  assert {
    condition = output.expirations == tomap({
      "fine-server.pem"    = "2999-01-01T00:00:00Z"
      "expired-server.pem" = "2000-01-01T00:00:00Z"
      "trusted-ca.pem"     = "2998-01-01T00:00:00Z"
      "unread.pem"         = null
      "manual-server.pem"  = "2999-06-01T00:00:00Z"
      "failed-server.pem"  = "2001-01-01T00:00:00Z"
    })
    error_message = "Unexpected expirations: ${jsonencode(output.expirations)}."
  }

  assert {
    condition     = output.soonest_expiry == { name = "expired-server.pem", id = 5, expires_at = "2000-01-01T00:00:00Z" }
    error_message = "Unexpected soonest_expiry: ${jsonencode(output.soonest_expiry)}."
  }

  assert {
    condition = output.failing == [
      { id = 5, name = "expired-server.pem", reason = "expired at 2000-01-01T00:00:00Z" },
      { id = 7, name = "unread.pem", reason = "expiry unknown: expires_at is null because the provider could not read the PBX's expiration text (check its date_format and time_zone)" },
      { id = 8, name = "manual-server.pem", reason = "server certificate without auto-renewal" },
      { id = 9, name = "failed-server.pem", reason = "expired at 2001-01-01T00:00:00Z" },
      { id = 9, name = "failed-server.pem", reason = "issuance failed (DNS provider code 3)" },
    ]
    error_message = "Unexpected failing: ${jsonencode(output.failing)}."
  }

  expect_failures = [check.certificates_expiry, check.certificates_auto_renewal, check.certificates_issuance]
}

run "certificate_expiring_within_min_days_valid_fails" {
  command = plan

  module {
    source = "./modules/evaluate"
  }

  variables {
    certificates = [
      { id = 4, name = "late.pem", type = "trusted", expires_at = "2100-01-01T00:00:00Z" },
    ]
    min_days_valid = 36500
  }

  assert {
    condition     = output.failing == [{ id = 4, name = "late.pem", reason = "expires at 2100-01-01T00:00:00Z, within 36500 days" }]
    error_message = "Unexpected failing: ${jsonencode(output.failing)}."
  }

  expect_failures = [check.certificates_expiry]
}

run "certificate_expiring_after_min_days_valid_passes" {
  command = plan

  module {
    source = "./modules/evaluate"
  }

  variables {
    certificates = [
      { id = 4, name = "late.pem", type = "trusted", expires_at = "2100-01-01T00:00:00Z" },
    ]
  }

  assert {
    condition     = output.failing == []
    error_message = "Unexpected failing: ${jsonencode(output.failing)}."
  }
}

run "zero_min_days_valid_fails_only_expired_certificates" {
  command = plan

  module {
    source = "./modules/evaluate"
  }

  variables {
    certificates = [
      { id = 4, name = "late.pem", type = "trusted", expires_at = "2100-01-01T00:00:00Z" },
      { id = 5, name = "expired.pem", type = "trusted", expires_at = "2000-01-01T00:00:00Z" },
    ]
    min_days_valid = 0
  }

  assert {
    condition     = output.failing == [{ id = 5, name = "expired.pem", reason = "expired at 2000-01-01T00:00:00Z" }]
    error_message = "Unexpected failing: ${jsonencode(output.failing)}."
  }

  expect_failures = [check.certificates_expiry]
}

run "unknown_expiry_fails" {
  command = plan

  module {
    source = "./modules/evaluate"
  }

  variables {
    certificates = [
      { id = 4, name = "null.pem", type = "trusted", expires_at = null },
      { id = 5, name = "text.pem", type = "trusted", expires_at = "2025/05/25 10:45:42 AM" },
    ]
  }

  assert {
    condition = output.failing == [
      { id = 4, name = "null.pem", reason = "expiry unknown: expires_at is null because the provider could not read the PBX's expiration text (check its date_format and time_zone)" },
      { id = 5, name = "text.pem", reason = "expiry unknown: expires_at \"2025/05/25 10:45:42 AM\" is not an RFC 3339 time" },
    ]
    error_message = "Unexpected failing: ${jsonencode(output.failing)}."
  }

  assert {
    condition     = output.soonest_expiry == null
    error_message = "No certificate has a known expiry, so soonest_expiry should be null, got ${jsonencode(output.soonest_expiry)}."
  }

  assert {
    condition     = output.expirations == tomap({ "null.pem" = null, "text.pem" = "2025/05/25 10:45:42 AM" })
    error_message = "Unexpected expirations: ${jsonencode(output.expirations)}."
  }

  expect_failures = [check.certificates_expiry]
}

run "server_without_auto_renewal_fails_when_required" {
  command = plan

  module {
    source = "./modules/evaluate"
  }

  variables {
    certificates = [
      { id = 4, name = "off.pem", type = "server", expires_at = "2999-01-01T00:00:00Z", auto_renewal = false },
      { id = 5, name = "unreported.pem", type = "server", expires_at = "2999-01-01T00:00:00Z", auto_renewal = null },
    ]
  }

  assert {
    condition = output.failing == [
      { id = 4, name = "off.pem", reason = "server certificate without auto-renewal" },
      { id = 5, name = "unreported.pem", reason = "server certificate whose auto-renewal setting the PBX did not report" },
    ]
    error_message = "Unexpected failing: ${jsonencode(output.failing)}."
  }

  expect_failures = [check.certificates_auto_renewal]
}

run "server_without_auto_renewal_passes_when_not_required" {
  command = plan

  module {
    source = "./modules/evaluate"
  }

  variables {
    certificates = [
      { id = 4, name = "off.pem", type = "server", expires_at = "2999-01-01T00:00:00Z", auto_renewal = false },
    ]
    require_auto_renewal = false
  }

  assert {
    condition     = output.failing == []
    error_message = "Unexpected failing: ${jsonencode(output.failing)}."
  }
}

run "trusted_certificate_without_auto_renewal_passes" {
  command = plan

  module {
    source = "./modules/evaluate"
  }

  variables {
    certificates = [
      { id = 4, name = "ca-null.pem", type = "trusted", expires_at = "2999-01-01T00:00:00Z", auto_renewal = null },
      { id = 5, name = "ca-off.pem", type = "trusted", expires_at = "2999-01-01T00:00:00Z", auto_renewal = false },
    ]
  }

  assert {
    condition     = output.failing == []
    error_message = "Unexpected failing: ${jsonencode(output.failing)}."
  }
}

run "failed_issuance_fails" {
  command = plan

  module {
    source = "./modules/evaluate"
  }

  variables {
    certificates = [
      { id = 4, name = "coded.pem", type = "server", expires_at = "2999-01-01T00:00:00Z", auto_renewal = true, apply_status = "issuance_fail", apply_tip_code = 7 },
      { id = 5, name = "uncoded.pem", type = "server", expires_at = "2999-01-01T00:00:00Z", auto_renewal = true, apply_status = "issuance_fail" },
      { id = 6, name = "issuing.pem", type = "server", expires_at = "2999-01-01T00:00:00Z", auto_renewal = true, apply_status = "issuing" },
    ]
  }

  assert {
    condition = output.failing == [
      { id = 4, name = "coded.pem", reason = "issuance failed (DNS provider code 7)" },
      { id = 5, name = "uncoded.pem", reason = "issuance failed" },
    ]
    error_message = "Unexpected failing: ${jsonencode(output.failing)}."
  }

  expect_failures = [check.certificates_issuance]
}

run "soonest_expiry_compares_instants_not_text" {
  command = plan

  module {
    source = "./modules/evaluate"
  }

  variables {
    # 00:30 at UTC+1 is 23:30 UTC the day before: the sooner instant, though the later text.
    certificates = [
      { id = 4, name = "utc.pem", type = "trusted", expires_at = "2999-01-01T00:00:00Z" },
      { id = 5, name = "offset.pem", type = "trusted", expires_at = "2999-01-01T00:30:00+01:00" },
      { id = 6, name = "tie.pem", type = "trusted", expires_at = "2998-12-31T23:30:00Z" },
    ]
  }

  assert {
    condition     = output.soonest_expiry == { name = "offset.pem", id = 5, expires_at = "2999-01-01T00:30:00+01:00" }
    error_message = "Of two equal instants the first listed should win, got ${jsonencode(output.soonest_expiry)}."
  }
}

run "repeated_name_keeps_the_sooner_expiry" {
  command = plan

  module {
    source = "./modules/evaluate"
  }

  variables {
    certificates = [
      { id = 4, name = "pbx.pem", type = "trusted", expires_at = "2999-01-01T00:00:00Z" },
      { id = 5, name = "pbx.pem", type = "server", expires_at = "2998-01-01T00:00:00Z", auto_renewal = true },
      { id = 6, name = null, type = "trusted", expires_at = "2997-01-01T00:00:00Z" },
    ]
  }

  assert {
    condition     = output.expirations == tomap({ "pbx.pem" = "2998-01-01T00:00:00Z", "id 6" = "2997-01-01T00:00:00Z" })
    error_message = "Unexpected expirations: ${jsonencode(output.expirations)}."
  }
}

run "negative_min_days_valid_is_refused" {
  command = plan

  module {
    source = "./modules/evaluate"
  }

  variables {
    certificates   = []
    min_days_valid = -1
  }

  expect_failures = [var.min_days_valid]
}
