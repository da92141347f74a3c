// Command emptyprovider is the start-up baseline for pbxbench: a
// terraform-plugin-framework provider with no arguments, data sources or
// resources, served the same way as the pbx provider.
package main

import (
	"context"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

type emptyProvider struct{}

func (emptyProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "empty"
}

func (emptyProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{}
}

func (emptyProvider) Configure(context.Context, provider.ConfigureRequest, *provider.ConfigureResponse) {
}

func (emptyProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

func (emptyProvider) Resources(context.Context) []func() resource.Resource { return nil }

func main() {
	err := providerserver.Serve(context.Background(), func() provider.Provider { return emptyProvider{} }, providerserver.ServeOpts{
		Address: "registry.terraform.io/pbxops/empty",
	})
	if err != nil {
		log.Fatal(err.Error())
	}
}
