terraform {
  required_providers {
    pbx = {
      source = "pbxops/pbx"
    }
  }
}

# Simplest and safest: leave the block empty and export PBX_BASE_URL, PBX_CLIENT_ID and
# PBX_CLIENT_SECRET, so no credential appears in the configuration or in a saved plan.
provider "pbx" {
  base_url      = "https://192.168.5.150:8088"
  client_id     = var.pbx_client_id
  client_secret = var.pbx_client_secret

  # Match the PBX's date and time settings, so expiration texts become correct RFC 3339 times.
  time_zone   = "Europe/Berlin"
  date_format = "YYYY/MM/DD"
}

variable "pbx_client_id" {
  type        = string
  description = "Client ID of the PBX API application (Integrations > API)."
}

variable "pbx_client_secret" {
  type        = string
  description = "Client secret of the PBX API application."
  sensitive   = true
  # Terraform 1.10 and later: keeps the secret out of saved plan files. Remove on older versions.
  ephemeral = true
}
