package e2e

import (
	"fmt"
	"slices"
	"strings"
)

// providerSettings are the provider arguments a test sets in its
// configuration. Credentials and the address always come from the
// environment, as the docs recommend.
type providerSettings struct {
	requestTimeout string
	maxRetries     int
}

// quick keeps failing runs short: the client waits at least 500 ms
// before each retry.
var quick = providerSettings{requestTimeout: "5s", maxRetries: 1}

// allIDs asks for every test certificate, including the one with
// distinctive auth values.
const allIDs = "[4, 5, 6, 7]"

// distinctIDSets returns n different non-empty sets of the ids 4 to 9,
// written as HCL lists. The client may share the answer of identical
// queries within a run; distinct sets make every block a request.
func distinctIDSets(n int) []string {
	const first, count = 4, 6
	if n >= 1<<count {
		panic("distinctIDSets: not enough distinct sets")
	}
	sets := make([]string, n)
	for i := range n {
		var ids []string
		for bit := range count {
			if (i+1)&(1<<bit) != 0 {
				ids = append(ids, fmt.Sprint(first+bit))
			}
		}
		sets[i] = "[" + strings.Join(ids, ", ") + "]"
	}
	return sets
}

// certificatesConfig writes n separate pbx_certificates blocks (c0, c1, ...)
// and an output with the names c0 read.
func certificatesConfig(p providerSettings, n int, ids string) string {
	return certificatesConfigWith(p, slices.Repeat([]string{ids}, n))
}

// certificatesConfigWith writes one pbx_certificates block per id list.
func certificatesConfigWith(p providerSettings, idSets []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `terraform {
  required_providers {
    pbx = {
      source = "pbxops/pbx"
    }
  }
}

provider "pbx" {
  request_timeout = %q
  max_retries     = %d
}

output "names" {
  value = data.pbx_certificates.c0.certificates[*].name
}
`, p.requestTimeout, p.maxRetries)
	for i, ids := range idSets {
		fmt.Fprintf(&b, "\ndata \"pbx_certificates\" \"c%d\" {\n  ids = %s\n}\n", i, ids)
	}
	return b.String()
}
