package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral/schema"
)

var _ ephemeral.EphemeralResourceWithConfigure = (*certificatesEphemeralResource)(nil)

// NewCertificatesEphemeralResource is the pbx_certificates ephemeral
// resource: the data source's twin, whose values never reach the plan or
// the state.
func NewCertificatesEphemeralResource() ephemeral.EphemeralResource {
	return &certificatesEphemeralResource{}
}

type certificatesEphemeralResource struct {
	data *providerData
}

func (r *certificatesEphemeralResource) Metadata(_ context.Context, req ephemeral.MetadataRequest, resp *ephemeral.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_certificates"
}

func (r *certificatesEphemeralResource) Schema(_ context.Context, _ ephemeral.SchemaRequest, resp *ephemeral.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads TLS certificates from the PBX by ID, like the `pbx_certificates` data source, " +
			"but nothing it returns is written to the plan or the state (Terraform 1.10 and later).\n\n" +
			"Use it to pass the DNS provider credentials in `auth_info` on to other ephemeral-aware places, such as a " +
			"provider configuration or a write-only argument, or wherever those credentials must not be kept in state at all.",
		Attributes: ephemeralAttributes(certificatesSpecs),
	}
}

func (r *certificatesEphemeralResource) Configure(_ context.Context, req ephemeral.ConfigureRequest, resp *ephemeral.ConfigureResponse) {
	r.data = configuredData(req.ProviderData, &resp.Diagnostics)
}

func (r *certificatesEphemeralResource) Open(ctx context.Context, req ephemeral.OpenRequest, resp *ephemeral.OpenResponse) {
	var data certificatesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(r.data.queryCertificates(ctx, &data)...)
	if resp.Diagnostics.HasError() {
		return
	}
	resp.Diagnostics.Append(resp.Result.Set(ctx, &data)...)
}
