# The module itself, with a mocked provider: which data source it reads, what it refuses, and what it
# returns for a PBX without certificates. The mock cannot return certificates (Terraform 1.11 cannot
# override the items of a nested list attribute), so rules.tftest.hcl tests the rules with real data.

mock_provider "pbx" {}

run "ids_are_read_by_id" {
  command = plan

  variables {
    ids = [4, 5, 6]
  }

  assert {
    condition     = length(data.pbx_certificates.selected) == 1 && length(data.pbx_certificate_list.all) == 0
    error_message = "With ids, only pbx_certificates should be read."
  }

  assert {
    condition     = data.pbx_certificates.selected[0].ids == tolist([4, 5, 6])
    error_message = "pbx_certificates should read exactly the given ids."
  }
}

run "no_ids_list_every_certificate" {
  command = plan

  assert {
    condition     = length(data.pbx_certificate_list.all) == 1 && length(data.pbx_certificates.selected) == 0
    error_message = "Without ids, only pbx_certificate_list should be read."
  }

  assert {
    condition     = data.pbx_certificate_list.all[0].type == null
    error_message = "pbx_certificate_list should list both server and trusted certificates."
  }
}

run "no_certificates_means_nothing_fails" {
  command = plan

  assert {
    condition     = length(output.expirations) == 0
    error_message = "expirations should be empty, got ${jsonencode(output.expirations)}."
  }

  assert {
    condition     = output.soonest_expiry == null
    error_message = "soonest_expiry should be null, got ${jsonencode(output.soonest_expiry)}."
  }

  assert {
    condition     = output.failing == []
    error_message = "failing should be empty, got ${jsonencode(output.failing)}."
  }
}

run "negative_min_days_valid_is_refused" {
  command = plan

  variables {
    min_days_valid = -1
  }

  expect_failures = [var.min_days_valid]
}

run "min_days_valid_beyond_a_century_is_refused" {
  command = plan

  variables {
    min_days_valid = 36501
  }

  expect_failures = [var.min_days_valid]
}
