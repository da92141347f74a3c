terraform {
  # 1.7 for mock_provider in the module's tests; plantimestamp() needs 1.5.
  required_version = ">= 1.7"

  required_providers {
    pbx = {
      source = "pbxops/pbx"
    }
  }
}
