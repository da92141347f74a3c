package main

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// providerConfig is side A: cell.blocks pbx_certificates blocks per PBX.
// Credentials and the CA come from the environment; with several PBXs,
// each alias names its PBX's base_url.
func providerConfig(c cell, f *fleet) string {
	var b strings.Builder
	b.WriteString("terraform {\n  required_providers {\n    pbx = { source = \"pbxops/pbx\" }\n  }\n}\n\n")
	if c.pbxs == 1 {
		b.WriteString("provider \"pbx\" {}\n\n")
	} else {
		for p := range c.pbxs {
			fmt.Fprintf(&b, "provider \"pbx\" {\n  alias    = \"p%d\"\n  base_url = %q\n}\n\n", p, f.url(p))
		}
	}
	var refs []string
	for p := range c.pbxs {
		for i := range c.blocks {
			name := blockName(p, i)
			fmt.Fprintf(&b, "data \"pbx_certificates\" %q {\n", name)
			if c.pbxs > 1 {
				fmt.Fprintf(&b, "  provider = pbx.p%d\n", p)
			}
			fmt.Fprintf(&b, "  ids      = %s\n}\n\n", hclList(c.idsOf(i)))
			refs = append(refs, "data.pbx_certificates."+name)
		}
	}
	writeOutput(&b, refs)
	return b.String()
}

// floorConfig is side B: the same configuration with each data source
// replaced by a local holding the values it would read, so Terraform
// evaluates the same data and starts no provider.
func floorConfig(c cell) string {
	var b strings.Builder
	b.WriteString("locals {\n")
	var refs []string
	for p := range c.pbxs {
		for i := range c.blocks {
			name := blockName(p, i)
			fmt.Fprintf(&b, "  %s = %s\n", name, blockLiteral(c.idsOf(i)))
			refs = append(refs, "local."+name)
		}
	}
	b.WriteString("}\n\n")
	writeOutput(&b, refs)
	return b.String()
}

// blockLiteral is what one pbx_certificates block reads, as an HCL object.
func blockLiteral(ids []int64) string {
	certs := map[int64]pbxsim.Certificate{}
	for _, cert := range pbxsim.FullPBXCertificates() {
		certs[cert.ID] = cert
	}
	var b strings.Builder
	fmt.Fprintf(&b, "{\n    ids          = %s\n    total_number = %d\n    certificates = [\n", hclList(ids), len(ids))
	for _, id := range ids {
		b.WriteString(certificateLiteral(certs[id]))
	}
	b.WriteString("    ]\n  }")
	return b.String()
}

func blockName(pbx, block int) string { return fmt.Sprintf("p%d_c%03d", pbx, block) }

// writeOutput makes every block's values reach an output, on both sides.
func writeOutput(b *strings.Builder, refs []string) {
	b.WriteString("output \"expirations\" {\n  value = length(flatten([\n")
	for _, r := range refs {
		fmt.Fprintf(b, "    %s.certificates[*].expires_at,\n", r)
	}
	b.WriteString("  ]))\n}\n")
}

// certificateLiteral is one certificate as the data source's state holds it.
func certificateLiteral(c pbxsim.Certificate) string {
	var b strings.Builder
	b.WriteString("      {\n")
	field := func(name, value string) { fmt.Fprintf(&b, "        %-14s = %s\n", name, value) }
	field("id", strconv.FormatInt(c.ID, 10))
	field("name", strconv.Quote(c.Name))
	field("type", strconv.Quote(c.Type))
	field("issue_to", strconv.Quote(c.IssueTo))
	field("apply_status", strconv.Quote(c.ApplyStatus))
	field("expiration", strconv.Quote(c.Expiration))
	field("expires_at", strconv.Quote(expiresAt(c.Expiration)))
	field("ca_type", quoteOrNull(c.CAType))
	field("auto_renewal", "null")
	if c.AutoRenewal != nil {
		field("auto_renewal", strconv.FormatBool(*c.AutoRenewal == 1))
	}
	field("dns_provider", quoteOrNull(c.DNSProvider))
	field("apply_tip_code", "null")
	b.WriteString("        auth_info      = {\n")
	for _, a := range c.AuthInfoList {
		iv, sv := "null", "null"
		if a.IV != nil {
			iv = strconv.FormatInt(*a.IV, 10)
		}
		if a.SV != nil {
			sv = strconv.Quote(*a.SV)
		}
		fmt.Fprintf(&b, "          %q = { int_value = %s, string_value = %s, bool_value = null }\n", a.K, iv, sv)
	}
	b.WriteString("        }\n      },\n")
	return b.String()
}

// expiresAt is the provider's reading of the PBX's display time in UTC.
func expiresAt(expiration string) string {
	t, err := time.Parse("2006/01/02 03:04:05 PM", expiration)
	if err != nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

func quoteOrNull(s string) string {
	if s == "" {
		return "null"
	}
	return strconv.Quote(s)
}

func hclList(ids []int64) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(id, 10)
	}
	return "[" + strings.Join(s, ", ") + "]"
}
