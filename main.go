package main

import (
	"context"
	"flag"
	"log"
	"os"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	pbxprovider "github.com/pbxops/terraform-provider-pbx/internal/provider"
)

// version is set at release through -ldflags "-X main.version=...".
var version = "dev"

// revokeTimeout bounds the token revocation at exit: go-plugin waits about
// two seconds for a plugin to exit before killing it.
const revokeTimeout = time.Second

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	quietUnlessLogging()
	pbx := pbxprovider.New(version)
	err := providerserver.Serve(context.Background(), func() provider.Provider { return pbx }, providerserver.ServeOpts{
		Address: "registry.terraform.io/pbxops/pbx",
		Debug:   debug,
	})

	// Serve returns once Terraform is done with the plugin: revoke the
	// token now so the PBX's limit of 8 live tokens is not used up.
	ctx, cancel := context.WithTimeout(context.Background(), revokeTimeout)
	defer cancel()
	if closeErr := pbx.Close(ctx); closeErr != nil {
		log.Printf("[WARN] revoking the PBX token: %s", closeErr)
	}
	if err != nil {
		log.Fatal(err.Error())
	}
}

// quietUnlessLogging turns the plugin libraries' own logging off when
// nobody asked for logs. Unset, they log at TRACE, and Terraform discards
// it; formatting those lines was a fifth of the provider's CPU in a plan.
func quietUnlessLogging() {
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "TF_LOG") {
			return
		}
	}
	for _, name := range []string{"TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK", "TF_LOG_PROVIDER"} {
		_ = os.Setenv(name, "OFF")
	}
}
