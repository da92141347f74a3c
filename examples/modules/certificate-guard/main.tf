# Exactly one of the two data sources is read: by ID when ids are given, else the whole list.
data "pbx_certificates" "selected" {
  count = length(var.ids) > 0 ? 1 : 0

  ids = var.ids
}

data "pbx_certificate_list" "all" {
  count = length(var.ids) > 0 ? 0 : 1
}

module "evaluate" {
  source = "./modules/evaluate"

  # Only the fields the rules need: auth_info holds DNS credentials and must not reach any output.
  certificates = [
    for c in concat(
      flatten(data.pbx_certificates.selected[*].certificates),
      flatten(data.pbx_certificate_list.all[*].certificates),
      ) : {
      id             = c.id
      name           = c.name
      type           = c.type
      expires_at     = c.expires_at
      auto_renewal   = c.auto_renewal
      apply_status   = c.apply_status
      apply_tip_code = c.apply_tip_code
    }
  ]
  min_days_valid       = var.min_days_valid
  require_auto_renewal = var.require_auto_renewal
}
