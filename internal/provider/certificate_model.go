package provider

import (
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pbxops/terraform-provider-pbx/internal/client"
)

// certificateModel is one certificate as Terraform holds it. The schema in
// certificateSpecs must list exactly these fields (a test checks).
type certificateModel struct {
	ID           types.Int64              `tfsdk:"id"`
	Name         types.String             `tfsdk:"name"`
	Type         types.String             `tfsdk:"type"`
	IssueTo      types.String             `tfsdk:"issue_to"`
	ApplyStatus  types.String             `tfsdk:"apply_status"`
	Expiration   types.String             `tfsdk:"expiration"`
	ExpiresAt    types.String             `tfsdk:"expires_at"`
	CAType       types.String             `tfsdk:"ca_type"`
	AutoRenewal  types.Bool               `tfsdk:"auto_renewal"`
	DNSProvider  types.String             `tfsdk:"dns_provider"`
	ApplyTipCode types.Int64              `tfsdk:"apply_tip_code"`
	AuthInfo     map[string]authInfoModel `tfsdk:"auth_info"`
}

type authInfoModel struct {
	IntValue    types.Int64  `tfsdk:"int_value"`
	StringValue types.String `tfsdk:"string_value"`
	BoolValue   types.Bool   `tfsdk:"bool_value"`
}

// newCertificateModels maps the client's certificates to state. A text the
// parser cannot read leaves expires_at null and adds a warning, so one odd
// certificate does not hide the others.
func newCertificateModels(certs []client.Certificate, parser ExpirationParser) ([]certificateModel, diag.Diagnostics) {
	var diags diag.Diagnostics
	models := make([]certificateModel, 0, len(certs))
	for _, cert := range certs {
		model := certificateModel{
			ID:           types.Int64Value(cert.ID),
			Name:         types.StringValue(cert.Name),
			Type:         types.StringValue(cert.Type),
			IssueTo:      types.StringValue(cert.IssueTo),
			ApplyStatus:  types.StringValue(cert.ApplyStatus),
			Expiration:   types.StringValue(cert.Expiration),
			ExpiresAt:    types.StringNull(),
			CAType:       types.StringPointerValue(cert.CAType),
			AutoRenewal:  types.BoolPointerValue(cert.AutoRenewal),
			DNSProvider:  types.StringPointerValue(cert.DNSProvider),
			ApplyTipCode: types.Int64PointerValue(cert.ApplyTipCode),
			AuthInfo:     make(map[string]authInfoModel, len(cert.AuthInfo)),
		}
		if expiresAt, ok := parser.Parse(cert.Expiration); ok {
			model.ExpiresAt = types.StringValue(expiresAt.Format(time.RFC3339))
		} else {
			diags.AddWarning("Unrecognised PBX Certificate Expiration",
				fmt.Sprintf("Certificate %d (%s) expires %q, which does not match the provider's date_format and a 12- or 24-hour clock, "+
					"so its expires_at is null. Set date_format to the PBX's date display format.", cert.ID, cert.Name, cert.Expiration))
		}
		for _, param := range cert.AuthInfo {
			if _, dup := model.AuthInfo[param.Key]; dup {
				// A map cannot hold both, and picking one would hide a credential.
				diags.AddError("Duplicate PBX Authentication Parameter",
					fmt.Sprintf("The PBX returned the DNS provider parameter %q twice for certificate %d (%s). "+
						"Check the certificate's DNS provider settings on the PBX.", param.Key, cert.ID, cert.Name))
				continue
			}
			model.AuthInfo[param.Key] = authInfoModel{
				IntValue:    types.Int64PointerValue(param.Int),
				StringValue: types.StringPointerValue(param.String),
				BoolValue:   types.BoolPointerValue(param.Bool),
			}
		}
		models = append(models, model)
	}
	return models, diags
}
