# Server and trusted CA certificates, looked up by ID, returned in the order of ids.
data "pbx_certificates" "this" {
  ids = [4, 5, 6]
}
