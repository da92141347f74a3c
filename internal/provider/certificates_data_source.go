package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
)

var _ datasource.DataSourceWithConfigure = (*certificatesDataSource)(nil)

// NewCertificatesDataSource is the pbx_certificates data source.
func NewCertificatesDataSource() datasource.DataSource {
	return &certificatesDataSource{}
}

type certificatesDataSource struct {
	data *providerData
}

func (d *certificatesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificates"
}

func (d *certificatesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads TLS certificates from the PBX by ID, during plan, for checks, preconditions and other modules.\n\n" +
			"The DNS provider credentials the PBX keeps for a certificate (`auth_info`) are marked sensitive: " +
			"Terraform hides them in plan output, but stores them in the state in plain text. Protect the state accordingly, " +
			"or use the `pbx_certificates` ephemeral resource, whose values never reach the plan or the state.",
		Attributes: dataSourceAttributes(certificatesSpecs),
	}
}

func (d *certificatesDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (d *certificatesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var data certificatesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	key := data.IDs.String()
	if state, ok := d.data.reads.get(key); ok {
		resp.State.Raw = state
		return
	}
	resp.Diagnostics.Append(d.data.queryCertificates(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &data)...)
	if len(resp.Diagnostics) == 0 {
		d.data.reads.put(key, resp.State.Raw)
	}
}
