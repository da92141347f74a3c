package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/pbxops/terraform-provider-pbx/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*certificateListDataSource)(nil)

// NewCertificateListDataSource is the pbx_certificate_list data source.
func NewCertificateListDataSource() datasource.DataSource {
	return &certificateListDataSource{}
}

type certificateListDataSource struct {
	data *providerData
}

type certificateListModel struct {
	Type         types.String       `tfsdk:"type"`
	IDs          []types.Int64      `tfsdk:"ids"`
	Certificates []certificateModel `tfsdk:"certificates"`
}

func (d *certificateListDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificate_list"
}

func (d *certificateListDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Lists every certificate on the PBX, or every one of a type, without knowing their IDs.\n\n" +
			"Use its `certificates` directly, or pass its `ids` to `pbx_certificates`. As with `pbx_certificates`, the DNS provider " +
			"credentials in `auth_info` are sensitive: hidden in plan output, but stored in the state.",
		Attributes: map[string]schema.Attribute{
			"type": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "Only certificates of this type: `server` or `trusted`. All certificates when unset.",
				Validators:          []validator.String{stringvalidator.OneOf(client.TypeServer, client.TypeTrusted)},
			},
			"ids": schema.ListAttribute{
				Computed:            true,
				ElementType:         types.Int64Type,
				MarkdownDescription: "The IDs of the certificates, ascending.",
			},
			"certificates": schema.ListNestedAttribute{
				Computed:            true,
				MarkdownDescription: "The certificates, in ascending ID order.",
				NestedObject:        schema.NestedAttributeObject{Attributes: dataSourceAttributes(certificateSpecs)},
			},
		},
	}
}

func (d *certificateListDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *certificateListDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data certificateListModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	certs, err := d.data.client.ListCertificates(ctx, data.Type.ValueString())
	if err != nil {
		addClientError(&resp.Diagnostics, path.Root("type"), "Unable to List PBX Certificates", err)
		return
	}
	parser, diags := d.data.expirationParser(ctx)
	resp.Diagnostics.Append(diags...)
	data.Certificates, diags = newCertificateModels(certs, parser)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}
	data.IDs = make([]types.Int64, len(certs))
	for i, cert := range certs {
		data.IDs[i] = types.Int64Value(cert.ID)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
}
