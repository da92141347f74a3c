variable "certificates" {
  type = list(object({
    id             = number
    name           = string
    type           = string
    expires_at     = optional(string)
    auto_renewal   = optional(bool)
    apply_status   = optional(string)
    apply_tip_code = optional(number)
  }))
  description = "Certificates as pbx_certificates or pbx_certificate_list return them, without auth_info."
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
  description = "Whether a server certificate fails when the PBX does not renew it itself."
  default     = true
  nullable    = false
}
