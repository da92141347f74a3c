terraform {
  # plantimestamp() needs 1.5; the parent module's tests need 1.7.
  required_version = ">= 1.7"
}
