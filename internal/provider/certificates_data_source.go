package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-validators/listvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var _ datasource.DataSourceWithConfigure = (*certificatesDataSource)(nil)

// NewCertificatesDataSource is the pbx_certificates data source.
func NewCertificatesDataSource() datasource.DataSource {
	return &certificatesDataSource{}
}

type certificatesDataSource struct {
	data *providerData
}

type certificatesDataSourceModel struct {
	IDs          types.List         `tfsdk:"ids"`
	TotalNumber  types.Int64        `tfsdk:"total_number"`
	Certificates []certificateModel `tfsdk:"certificates"`
}

func (d *certificatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificates"
}

func (d *certificatesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads TLS certificates from the PBX by ID, during plan, for checks, preconditions and other modules.\n\n" +
			"The DNS provider credentials the PBX keeps for a certificate (`auth_info`) are marked sensitive: " +
			"Terraform hides them in plan output, but stores them in the state in plain text. Protect the state accordingly.",
		Attributes: map[string]schema.Attribute{
			"ids": schema.ListAttribute{
				Required:            true,
				ElementType:         types.NumberType,
				MarkdownDescription: "The IDs of the certificates to read: at least one, each a whole number of 1 or more, no duplicates.",
				Validators: []validator.List{
					listvalidator.SizeAtLeast(1),
					listvalidator.NoNullValues(),
					listvalidator.UniqueValues(),
					listvalidator.ValueNumbersAre(wholeNumberAtLeast(1)),
				},
			},
			"total_number": schema.Int64Attribute{
				Computed:            true,
				MarkdownDescription: "The number of certificates the PBX reported for the query.",
			},
			"certificates": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The certificates, in the order of `ids`.",
				NestedObject:        schema.NestedAttributeObject{Attributes: certificateAttributes()},
			},
		},
	}
}

func (d *certificatesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	data, ok := req.ProviderData.(*providerData)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Data Source Configure Type",
			fmt.Sprintf("Expected *providerData, got %T. This is a bug in the provider; please report it.", req.ProviderData))
		return
	}
	d.data = data
}

func (d *certificatesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data certificatesDataSourceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}

	ids, diags := wholeNumbers(ctx, data.IDs)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	result, err := d.data.client.QueryCertificates(ctx, ids)
	if err != nil {
		addClientError(&resp.Diagnostics, path.Root("ids"), "Unable to Read PBX Certificates", err)
		return
	}

	data.TotalNumber = types.Int64Value(result.TotalNumber)
	data.Certificates, diags = newCertificateModels(result.Certificates, d.data.expiration)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}
