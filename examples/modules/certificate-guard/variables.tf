variable "ids" {
  type        = list(number)
  description = "IDs of the certificates to check. Empty (the default) checks every certificate on the PBX."
  default     = []
  nullable    = false
}

variable "min_days_valid" {
  type        = number
  description = "A certificate that expires within this many days fails. 0 fails only expired certificates."
  default     = 30
  nullable    = false

  validation {
    # The upper bound keeps the duration below what timeadd() can represent (about 292 years).
    condition     = var.min_days_valid >= 0 && var.min_days_valid <= 36500
    error_message = "min_days_valid must be a number of days from 0 to 36500."
  }
}

variable "require_auto_renewal" {
  type        = bool
  description = "Whether a server certificate fails when the PBX does not renew it itself. Trusted CA certificates are never held to this."
  default     = true
  nullable    = false
}
