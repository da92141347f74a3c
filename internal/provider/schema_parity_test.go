package provider

import (
	"context"
	"reflect"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	fwprovider "github.com/hashicorp/terraform-plugin-framework/provider"
)

// A field added to a schema but not to its model (or the reverse) fails
// here rather than at a user's first read.
func TestSchemasMatchModels(t *testing.T) {
	var dsResp datasource.SchemaResponse
	NewCertificatesDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &dsResp)
	certs, ok := dsResp.Schema.Attributes["certificates"].(schema.ListNestedAttribute)
	if !ok {
		t.Fatalf("certificates is %T, want a list nested attribute", dsResp.Schema.Attributes["certificates"])
	}
	authInfo, ok := certs.NestedObject.Attributes["auth_info"].(schema.MapNestedAttribute)
	if !ok {
		t.Fatalf("auth_info is %T, want a map nested attribute", certs.NestedObject.Attributes["auth_info"])
	}
	var providerResp fwprovider.SchemaResponse
	New("test").Schema(context.Background(), fwprovider.SchemaRequest{}, &providerResp)
	var listResp datasource.SchemaResponse
	NewCertificateListDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &listResp)
	var ephResp ephemeral.SchemaResponse
	NewCertificatesEphemeralResource().Schema(context.Background(), ephemeral.SchemaRequest{}, &ephResp)

	// The ephemeral twin must return exactly what the data source does.
	if dsType, ephType := dsResp.Schema.Type(), ephResp.Schema.Type(); !dsType.Equal(ephType) {
		t.Errorf("the ephemeral resource's type %s differs from the data source's %s", ephType, dsType)
	}
	if listCerts, ok := listResp.Schema.Attributes["certificates"].(schema.ListNestedAttribute); !ok ||
		!listCerts.GetType().Equal(certs.GetType()) {
		t.Errorf("pbx_certificate_list's certificates differ from pbx_certificates'")
	}

	for _, tc := range []struct {
		name   string
		model  any
		schema []string
	}{
		{"pbx_certificates", certificatesModel{}, keys(dsResp.Schema.Attributes)},
		{"certificates", certificateModel{}, keys(certs.NestedObject.Attributes)},
		{"auth_info", authInfoModel{}, keys(authInfo.NestedObject.Attributes)},
		{"provider", providerModel{}, keys(providerResp.Schema.Attributes)},
	} {
		if fields := tfsdkTags(tc.model); !slices.Equal(fields, tc.schema) {
			t.Errorf("%s: model fields %v, schema attributes %v", tc.name, fields, tc.schema)
		}
	}
}

func TestEveryAttributeHasADescription(t *testing.T) {
	var dsResp datasource.SchemaResponse
	NewCertificatesDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &dsResp)
	var walk func(prefix string, attrs map[string]schema.Attribute)
	walk = func(prefix string, attrs map[string]schema.Attribute) {
		for name, attr := range attrs {
			if attr.GetMarkdownDescription() == "" {
				t.Errorf("%s%s has no description", prefix, name)
			}
			switch nested := attr.(type) {
			case schema.ListNestedAttribute:
				walk(prefix+name+".", nested.NestedObject.Attributes)
			case schema.MapNestedAttribute:
				walk(prefix+name+".", nested.NestedObject.Attributes)
			}
		}
	}
	walk("", dsResp.Schema.Attributes)

	var providerResp fwprovider.SchemaResponse
	New("test").Schema(context.Background(), fwprovider.SchemaRequest{}, &providerResp)
	for name, attr := range providerResp.Schema.Attributes {
		if attr.GetMarkdownDescription() == "" {
			t.Errorf("provider argument %s has no description", name)
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func tfsdkTags(model any) []string {
	typ := reflect.TypeOf(model)
	out := make([]string, 0, typ.NumField())
	for i := range typ.NumField() {
		out = append(out, typ.Field(i).Tag.Get("tfsdk"))
	}
	slices.Sort(out)
	return out
}
