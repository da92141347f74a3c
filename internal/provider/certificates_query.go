package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

// What the pbx_certificates data source and ephemeral resource share.

// certificatesModel is the pbx_certificates data source's and ephemeral
// resource's model.
type certificatesModel struct {
	IDs          types.List         `tfsdk:"ids"`
	TotalNumber  types.Int64        `tfsdk:"total_number"`
	Certificates []certificateModel `tfsdk:"certificates"`
}

func idsValidators() []validator.List {
	return []validator.List{
		listvalidator.SizeAtLeast(1),
		listvalidator.NoNullValues(),
		listvalidator.UniqueValues(),
		listvalidator.ValueNumbersAre(certificateIDValidator()),
	}
}

// queryCertificates fills model's computed attributes from the PBX.
func (d *providerData) queryCertificates(ctx context.Context, model *certificatesModel) diag.Diagnostics {
	ids, diags := wholeNumbers(ctx, model.IDs)
	if diags.HasError() {
		return diags
	}
	result, err := d.client.QueryCertificates(ctx, ids)
	if err != nil {
		addClientError(&diags, path.Root("ids"), "Unable to Read PBX Certificates", err)
		return diags
	}
	parser, parserDiags := d.expirationParser(ctx)
	diags.Append(parserDiags...)
	model.TotalNumber = types.Int64Value(result.TotalNumber)
	var certDiags diag.Diagnostics
	model.Certificates, certDiags = newCertificateModels(result.Certificates, parser)
	diags.Append(certDiags...)
	return diags
}

// configuredData is what every data source's and ephemeral resource's
// Configure does with the provider's data.
func configuredData(raw any, diags *diag.Diagnostics) *providerData {
	if raw == nil {
		return nil // not configured yet: validation only
	}
	data, ok := raw.(*providerData)
	if !ok {
		diags.AddError("Unexpected Provider Data Type",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", raw))
	}
	return data
}
