locals {
  now      = plantimestamp()
  deadline = timeadd(local.now, "${var.min_days_valid * 24}h")

  certificates = [
    for c in var.certificates : merge(c, {
      # A name is a map key and part of messages, so it must never be null.
      name = coalesce(c.name, "id ${c.id}")
      # The provider writes null for an expiration text it cannot read; any other unreadable value counts too.
      dated = can(timecmp(c.expires_at, c.expires_at))
    })
  ]

  dated   = [for c in local.certificates : c if c.dated]
  undated = [for c in local.certificates : c if !c.dated]

  # timecmp orders every RFC 3339 form, where sort() would compare text. Ties keep their order.
  expiry_ranks = [
    for i, c in local.dated : length([
      for j, other in local.dated : j
      if timecmp(other.expires_at, c.expires_at) < 0 || (timecmp(other.expires_at, c.expires_at) == 0 && j < i)
    ])
  ]
  soonest_first = [for rank in range(length(local.dated)) : local.dated[index(local.expiry_ranks, rank)]]

  # One finding per reason a certificate fails; each check picks its kind.
  findings = flatten([
    for c in local.certificates : [
      for f in [
        {
          kind = "expiry"
          reason = (
            !c.dated ? (
              c.expires_at == null ?
              "expiry unknown: expires_at is null because the provider could not read the PBX's expiration text (check its date_format and time_zone)" :
              "expiry unknown: expires_at \"${c.expires_at}\" is not an RFC 3339 time"
            ) :
            timecmp(c.expires_at, local.now) <= 0 ? "expired at ${c.expires_at}" :
            timecmp(c.expires_at, local.deadline) <= 0 ? "expires at ${c.expires_at}, within ${var.min_days_valid} days" :
            null
          )
        },
        {
          kind = "auto_renewal"
          reason = (
            !var.require_auto_renewal || c.type != "server" || c.auto_renewal == true ? null :
            c.auto_renewal == false ? "server certificate without auto-renewal" :
            "server certificate whose auto-renewal setting the PBX did not report"
          )
        },
        {
          kind = "issuance"
          reason = (
            c.apply_status != "issuance_fail" ? null :
            c.apply_tip_code == null ? "issuance failed" :
            "issuance failed (DNS provider code ${c.apply_tip_code})"
          )
        },
      ] : { id = c.id, name = c.name, kind = f.kind, reason = f.reason }
      if f.reason != null
    ]
  ])
}
