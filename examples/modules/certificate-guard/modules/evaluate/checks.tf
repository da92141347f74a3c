# Checks warn on every plan and apply without stopping either. A root module that must stop
# instead tests the failing output in a precondition.

check "certificates_expiry" {
  assert {
    condition = length([for f in local.findings : f if f.kind == "expiry"]) == 0
    error_message = format(
      "PBX certificates have expired, expire within %v days, or have no known expiry: %s.",
      var.min_days_valid,
      join("; ", [for f in local.findings : "${f.name} (id ${f.id}) ${f.reason}" if f.kind == "expiry"]),
    )
  }
}

check "certificates_auto_renewal" {
  assert {
    condition = length([for f in local.findings : f if f.kind == "auto_renewal"]) == 0
    error_message = format(
      "PBX server certificates are not renewed automatically: %s. Turn on auto-renewal on the PBX, or set require_auto_renewal = false.",
      join(", ", [for f in local.findings : "${f.name} (id ${f.id})" if f.kind == "auto_renewal"]),
    )
  }
}

check "certificates_issuance" {
  assert {
    condition = length([for f in local.findings : f if f.kind == "issuance"]) == 0
    error_message = format(
      "The PBX failed to issue or renew certificates: %s.",
      join("; ", [for f in local.findings : "${f.name} (id ${f.id}) ${f.reason}" if f.kind == "issuance"]),
    )
  }
}
