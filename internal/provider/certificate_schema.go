package provider

import (
	dsschema "github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	ephschema "github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// The certificates' schema is written once, as specs, and rendered
// for each schema package that needs it: the data sources and the
// ephemeral resource must never drift apart, and the framework's schema
// types are per package.

type attributeKind int

const (
	kindString attributeKind = iota
	kindInt64
	kindBool
	kindNestedMap  // nested attributes keyed by name
	kindNestedList // nested attributes in a list
	kindNumberList // a list of numbers
)

type attributeSpec struct {
	name        string
	kind        attributeKind
	required    bool // an argument; otherwise computed
	sensitive   bool
	description string
	nested      []attributeSpec
	validators  []validator.List // kindNumberList only
}

// certificatesSpecs are pbx_certificates' attributes, for the data source
// and the ephemeral resource alike.
var certificatesSpecs = []attributeSpec{
	{name: "ids", kind: kindNumberList, required: true, validators: idsValidators(),
		description: "The IDs of the certificates to read: at least one, each a whole number of 1 or more, no duplicates."},
	{name: "total_number", kind: kindInt64, description: "The number of certificates the PBX reported for the query."},
	{name: "certificates", kind: kindNestedList, description: "The certificates, in the order of `ids`.", nested: certificateSpecs},
}

var certificateSpecs = []attributeSpec{
	{name: "id", kind: kindInt64, description: "The certificate's ID on the PBX."},
	{name: "name", kind: kindString, description: "The certificate's file name, for example `production_server_cert.pem`."},
	{name: "type", kind: kindString, description: "`server` for a PBX server certificate, `trusted` for a trusted CA certificate."},
	{name: "issue_to", kind: kindString, description: "The domain the certificate is issued to."},
	{name: "apply_status", kind: kindString, description: "The state of the certificate's issuance: `issuing`, `issuance_success`, or `issuance_fail`."},
	{name: "expiration", kind: kindString, description: "The expiry exactly as the PBX displays it, for example `2025/05/25 10:45:42 AM`, " +
		"in the PBX's date format and local time."},
	{name: "expires_at", kind: kindString, description: "The expiry as an RFC 3339 timestamp in UTC, parsed from `expiration` with the provider's " +
		"`time_zone` and `date_format`; use it with `timecmp`. Null, with a warning, when the text cannot be parsed."},
	{name: "ca_type", kind: kindString, description: "Server certificates only: `upload` (imported) or `apply` (requested through the PBX). Null otherwise."},
	{name: "auto_renewal", kind: kindBool, description: "Server certificates only: whether the PBX renews the certificate itself. Null otherwise."},
	{name: "dns_provider", kind: kindString, description: "Server certificates only: the DNS provider used for validation, for example `alidns` or `route53`. Null otherwise."},
	{name: "apply_tip_code", kind: kindInt64, description: "The DNS provider's code for a failed application or renewal. Null when nothing failed."},
	{name: "auth_info", kind: kindNestedMap, description: "The DNS provider's parameters, keyed by name (for example `AccessKeyId`, `TTL`). " +
		"They include cloud credentials, so every value is sensitive. Empty when the PBX returns none.",
		nested: []attributeSpec{
			{name: "int_value", kind: kindInt64, sensitive: true, description: "The value when it is a number, for example a TTL. Null otherwise."},
			{name: "string_value", kind: kindString, sensitive: true, description: "The value when it is a string, for example an access key. Null otherwise."},
			{name: "bool_value", kind: kindBool, sensitive: true, description: "The value when it is a boolean. Null otherwise."},
		}},
}

// dataSourceAttributes renders computed attributes for a data source.
func dataSourceAttributes(specs []attributeSpec) map[string]dsschema.Attribute {
	attrs := make(map[string]dsschema.Attribute, len(specs))
	for _, spec := range specs {
		switch spec.kind {
		case kindString:
			attrs[spec.name] = dsschema.StringAttribute{Computed: true, Sensitive: spec.sensitive, MarkdownDescription: spec.description}
		case kindInt64:
			attrs[spec.name] = dsschema.Int64Attribute{Computed: true, Sensitive: spec.sensitive, MarkdownDescription: spec.description}
		case kindBool:
			attrs[spec.name] = dsschema.BoolAttribute{Computed: true, Sensitive: spec.sensitive, MarkdownDescription: spec.description}
		case kindNestedMap:
			attrs[spec.name] = dsschema.MapNestedAttribute{
				Computed: true, Sensitive: spec.sensitive, MarkdownDescription: spec.description,
				NestedObject: dsschema.NestedAttributeObject{Attributes: dataSourceAttributes(spec.nested)},
			}
		case kindNestedList:
			attrs[spec.name] = dsschema.ListNestedAttribute{
				Computed: true, Sensitive: spec.sensitive, MarkdownDescription: spec.description,
				NestedObject: dsschema.NestedAttributeObject{Attributes: dataSourceAttributes(spec.nested)},
			}
		case kindNumberList:
			attrs[spec.name] = dsschema.ListAttribute{
				Required: spec.required, Computed: !spec.required, Sensitive: spec.sensitive, MarkdownDescription: spec.description,
				ElementType: types.NumberType, Validators: spec.validators,
			}
		}
	}
	return attrs
}

// ephemeralAttributes renders computed attributes for an ephemeral resource.
func ephemeralAttributes(specs []attributeSpec) map[string]ephschema.Attribute {
	attrs := make(map[string]ephschema.Attribute, len(specs))
	for _, spec := range specs {
		switch spec.kind {
		case kindString:
			attrs[spec.name] = ephschema.StringAttribute{Computed: true, Sensitive: spec.sensitive, MarkdownDescription: spec.description}
		case kindInt64:
			attrs[spec.name] = ephschema.Int64Attribute{Computed: true, Sensitive: spec.sensitive, MarkdownDescription: spec.description}
		case kindBool:
			attrs[spec.name] = ephschema.BoolAttribute{Computed: true, Sensitive: spec.sensitive, MarkdownDescription: spec.description}
		case kindNestedMap:
			attrs[spec.name] = ephschema.MapNestedAttribute{
				Computed: true, Sensitive: spec.sensitive, MarkdownDescription: spec.description,
				NestedObject: ephschema.NestedAttributeObject{Attributes: ephemeralAttributes(spec.nested)},
			}
		case kindNestedList:
			attrs[spec.name] = ephschema.ListNestedAttribute{
				Computed: true, Sensitive: spec.sensitive, MarkdownDescription: spec.description,
				NestedObject: ephschema.NestedAttributeObject{Attributes: ephemeralAttributes(spec.nested)},
			}
		case kindNumberList:
			attrs[spec.name] = ephschema.ListAttribute{
				Required: spec.required, Computed: !spec.required, Sensitive: spec.sensitive, MarkdownDescription: spec.description,
				ElementType: types.NumberType, Validators: spec.validators,
			}
		}
	}
	return attrs
}
