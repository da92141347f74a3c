// Package e2e runs the real terraform binary with the provider binary
// against the PBX simulator. Acceptance tests serve the provider in-process,
// so they cannot see what happens when Terraform starts, stops or interrupts
// the plugin, nor what reaches Terraform's logs; these tests can.
package e2e
