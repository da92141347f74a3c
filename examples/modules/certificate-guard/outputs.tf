output "expirations" {
  description = "Certificate name => expiry time (RFC 3339, UTC), null when unknown. When names repeat, the sooner expiry."
  value       = module.evaluate.expirations
}

output "soonest_expiry" {
  description = "The certificate that expires first, as { name, id, expires_at }; null when no certificate has a known expiry."
  value       = module.evaluate.soonest_expiry
}

output "failing" {
  description = "One { id, name, reason } per reason a certificate fails, in certificate order; empty when all pass."
  value       = module.evaluate.failing
}
