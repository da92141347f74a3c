// Package provider maps Terraform's schema and state to the PBX client.
// Nothing here speaks HTTP.
package provider

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"sync"

	"github.com/hashicorp/terraform-plugin-framework-validators/providervalidator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/pbxops/terraform-provider-pbx/internal/client"
)

var (
	_ provider.Provider                       = (*PBXProvider)(nil)
	_ provider.ProviderWithConfigValidators   = (*PBXProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*PBXProvider)(nil)
)

// PBXProvider is the pbx provider. One process serves one instance; Close
// revokes the tokens its clients obtained.
type PBXProvider struct {
	version string

	mu sync.Mutex
	// Keyed by the resolved client configuration, so a second Configure
	// with the same settings in one process reuses the login.
	clients map[string]*client.Client
}

// New returns a provider for providerserver.Serve.
func New(version string) *PBXProvider {
	return &PBXProvider{version: version, clients: map[string]*client.Client{}}
}

// providerData is what data sources receive from Configure.
type providerData struct {
	client     *client.Client
	expiration *expirationClock
	reads      readMemo // pbx_certificates states, by ids
}

func (p *PBXProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "pbx"
	resp.Version = p.version
}

func (p *PBXProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "Reads a Yeastar P-Series PBX through its OpenAPI. " +
			"Authenticate with `client_id` and `client_secret` (or an already-issued `access_token`), " +
			"preferably through environment variables.",
		Attributes: map[string]schema.Attribute{
			"base_url": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The PBX's address, for example `https://192.168.5.150:8088` or `https://pbx.example.com`. " +
					"An absolute `http` or `https` URL without a query. May also be set with `PBX_BASE_URL`. " +
					"Plain `http` sends the credentials in clear text.",
			},
			"api_path": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "The OpenAPI path below `base_url`. Defaults to `" + client.DefaultAPIPath + "`. May also be set with `PBX_API_PATH`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"client_id": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The API application's client ID (PBX web portal: Integrations > API). " +
					"Goes with `client_secret`. May also be set with `PBX_CLIENT_ID`.",
			},
			"client_secret": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "The API application's client secret. Goes with `client_id`. " +
					"Prefer `PBX_CLIENT_SECRET` or an ephemeral variable, so the secret stays out of the saved plan.",
			},
			"access_token": schema.StringAttribute{
				Optional:  true,
				Sensitive: true,
				MarkdownDescription: "An access token already issued by the PBX, instead of `client_id` and `client_secret`. " +
					"The provider never renews or revokes it. May also be set with `PBX_ACCESS_TOKEN`.",
			},
			"ca_cert_pem": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "Extra CA certificates, PEM-encoded, trusted in addition to the system's to verify the PBX. " +
					"`PBX_CA_CERT_FILE` may name a PEM file instead. Conflicts with `insecure_skip_verify`.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"insecure_skip_verify": schema.BoolAttribute{
				Optional: true,
				MarkdownDescription: "Skip verification of the PBX's TLS certificate. Defaults to `false`. " +
					"Anyone on the path can then read the credentials. May also be set with `PBX_INSECURE_SKIP_VERIFY`.",
			},
			"request_timeout": schema.StringAttribute{
				Optional:            true,
				MarkdownDescription: "How long each HTTP request to the PBX may take, as a Go duration such as `30s` or `1m`. Defaults to `30s`.",
				Validators:          []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"max_retries": schema.NumberAttribute{
				Optional: true,
				MarkdownDescription: "How many times a request is retried after a transient failure (network error, HTTP 5xx or 429, errcode -2), " +
					"with exponential backoff. Defaults to `3`. A refused login is never retried.",
				Validators: []validator.Number{wholeNumberBetween(0, maxMaxRetries)},
			},
			"time_zone": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The PBX's time zone as an IANA name, such as `Europe/Berlin`: the PBX shows certificate expiry in local time. " +
					"`pbx` learns the PBX's UTC offset from the PBX itself. Defaults to `UTC`. May also be set with `PBX_TIME_ZONE`.",
			},
			"token_cache_dir": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "A folder where the provider keeps its access token between runs, so consecutive plans reuse it " +
					"instead of logging in and revoking each time. Unset by default: no cache. The token stays live on the PBX, " +
					"and readable in the folder, for up to 30 minutes. May also be set with `PBX_TOKEN_CACHE_DIR`. " +
					"Ignored with `access_token`.",
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
			"date_format": schema.StringAttribute{
				Optional: true,
				MarkdownDescription: "The PBX's date display format: `YYYY/MM/DD` (the default), `MM/DD/YYYY`, or `DD/MM/YYYY`, " +
					"or `pbx` to ask the PBX. It must match the PBX's setting for `expires_at` to be right.",
				Validators: []validator.String{stringvalidator.OneOf(append(slices.Clone(DateFormats), fromPBX)...)},
			},
		},
	}
}

func (p *PBXProvider) ConfigValidators(context.Context) []provider.ConfigValidator {
	return []provider.ConfigValidator{
		providervalidator.Conflicting(path.MatchRoot("ca_cert_pem"), path.MatchRoot("insecure_skip_verify")),
	}
}

func (p *PBXProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config providerModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	settings, diags := resolveSettings(config, osEnv)
	resp.Diagnostics.Append(diags...)
	if resp.Diagnostics.HasError() {
		return
	}

	pbx, err := p.client(settings.client)
	if err != nil {
		resp.Diagnostics.AddError("Unable to Create PBX Client", "The provider configuration could not be used: "+err.Error())
		return
	}
	data := &providerData{client: pbx, expiration: settings.expiration}
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
}

// client returns the process's client for these settings; it never logs in.
func (p *PBXProvider) client(cfg client.Config) (*client.Client, error) {
	key, err := configKey(cfg)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if c, ok := p.clients[key]; ok {
		return c, nil
	}
	c, err := client.New(cfg)
	if err != nil {
		return nil, err
	}
	p.clients[key] = c
	return c, nil
}

func configKey(cfg client.Config) (string, error) {
	encoded, err := json.Marshal(cfg)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256(encoded)
	return hex.EncodeToString(sum[:]), nil
}

// Close revokes every token the provider's clients obtained. main calls it
// once Terraform has stopped the plugin.
func (p *PBXProvider) Close(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for key, c := range p.clients {
		errs = append(errs, c.Close(ctx))
		delete(p.clients, key)
	}
	return errors.Join(errs...)
}

func (p *PBXProvider) DataSources(context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{NewCertificatesDataSource, NewCertificateListDataSource}
}

func (p *PBXProvider) EphemeralResources(context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{NewCertificatesEphemeralResource}
}

func (p *PBXProvider) Resources(context.Context) []func() resource.Resource {
	return nil
}
