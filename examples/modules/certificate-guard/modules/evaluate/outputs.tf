output "expirations" {
  description = "Certificate name => expiry time (RFC 3339, UTC), null when unknown. When names repeat, the sooner expiry."
  # Soonest first, so grouping by name keeps the sooner of two certificates that share a name.
  value = tomap({
    for name, times in { for c in concat(local.soonest_first, local.undated) : c.name => c.expires_at... } :
    name => times[0]
  })
}

output "soonest_expiry" {
  description = "The certificate that expires first, as { name, id, expires_at }; null when no certificate has a known expiry."
  value = length(local.soonest_first) == 0 ? null : {
    name       = local.soonest_first[0].name
    id         = local.soonest_first[0].id
    expires_at = local.soonest_first[0].expires_at
  }
}

output "failing" {
  description = "One { id, name, reason } per reason a certificate fails, in certificate order; empty when all pass."
  value       = [for f in local.findings : { id = f.id, name = f.name, reason = f.reason }]
}
