package provider

import (
	"context"
	"math/big"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/pbxops/terraform-provider-pbx/internal/client"
	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// clientCertificates is what the client hands over after decoding certs.
func clientCertificates(certs []pbxsim.Certificate) []client.Certificate {
	out := make([]client.Certificate, 0, len(certs))
	for _, c := range certs {
		cc := client.Certificate{
			ID: c.ID, Name: c.Name, Type: c.Type, IssueTo: c.IssueTo,
			Expiration: c.Expiration, ApplyStatus: c.ApplyStatus,
		}
		if c.CAType != "" {
			cc.CAType = &c.CAType
		}
		if c.DNSProvider != "" {
			cc.DNSProvider = &c.DNSProvider
		}
		if c.AutoRenewal != nil {
			on := *c.AutoRenewal == 1
			cc.AutoRenewal = &on
		}
		for _, a := range c.AuthInfoList {
			cc.AuthInfo = append(cc.AuthInfo, client.AuthParam{Key: a.K, Int: a.IV, String: a.SV, Bool: a.BV})
		}
		out = append(out, cc)
	}
	return out
}

type stateBench struct {
	certs  []client.Certificate
	ids    types.List
	parser ExpirationParser
	schema datasource.SchemaResponse
}

func newStateBench(tb testing.TB, certs []pbxsim.Certificate) *stateBench {
	tb.Helper()
	sb := &stateBench{certs: clientCertificates(certs)}
	ids := make([]attr.Value, len(certs))
	for i, c := range certs {
		ids[i] = types.NumberValue(new(big.Float).SetInt64(c.ID))
	}
	sb.ids = types.ListValueMust(types.NumberType, ids)
	var err error
	if sb.parser, err = NewExpirationParser(DateFormatYMD, "UTC"); err != nil {
		tb.Fatal(err)
	}
	NewCertificatesDataSource().Schema(context.Background(), datasource.SchemaRequest{}, &sb.schema)
	if sb.schema.Diagnostics.HasError() {
		tb.Fatal(sb.schema.Diagnostics)
	}
	return sb
}

// toState is the end of the data source's Read: the models set into a
// fresh state, as the framework hands it to Read.
func (sb *stateBench) toState(ctx context.Context) (tfsdk.State, diag.Diagnostics) {
	models, diags := newCertificateModels(sb.certs, sb.parser)
	state := tfsdk.State{
		Schema: sb.schema.Schema,
		Raw:    tftypes.NewValue(sb.schema.Schema.Type().TerraformType(ctx), nil),
	}
	diags.Append(state.Set(ctx, &certificatesModel{
		IDs:          sb.ids,
		TotalNumber:  types.Int64Value(int64(len(sb.certs))),
		Certificates: models,
	})...)
	return state, diags
}

func BenchmarkCertificateState(b *testing.B) {
	sets := []struct {
		name  string
		certs []pbxsim.Certificate
	}{
		{"3", pbxsim.VendorCertificates()},
		{"23", pbxsim.FullPBXCertificates()},
		{"1000", pbxsim.SyntheticCertificates(130, 870)},
	}
	ctx := context.Background()
	for _, set := range sets {
		sb := newStateBench(b, set.certs)
		b.Run("models/"+set.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if models, diags := newCertificateModels(sb.certs, sb.parser); diags.HasError() || len(models) != len(set.certs) {
					b.Fatal(diags)
				}
			}
		})
		b.Run("state/"+set.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, diags := sb.toState(ctx); diags.HasError() {
					b.Fatal(diags)
				}
			}
		})
		// What the framework then does to send the state to Terraform.
		b.Run("wire/"+set.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				state, diags := sb.toState(ctx)
				if diags.HasError() {
					b.Fatal(diags)
				}
				if _, err := tfprotov6.NewDynamicValue(sb.schema.Schema.Type().TerraformType(ctx), state.Raw); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCertificateStateBenchHoldsEveryCertificate keeps the benchmark
// honest: the state it builds holds every certificate, fully converted.
func TestCertificateStateBenchHoldsEveryCertificate(t *testing.T) {
	ctx := t.Context()
	state, diags := newStateBench(t, pbxsim.FullPBXCertificates()).toState(ctx)
	if diags.HasError() {
		t.Fatal(diags)
	}
	var got certificatesModel
	if diags := state.Get(ctx, &got); diags.HasError() {
		t.Fatal(diags)
	}
	if len(got.Certificates) != 23 || got.TotalNumber.ValueInt64() != 23 {
		t.Fatalf("state holds %d certificates, total %s", len(got.Certificates), got.TotalNumber)
	}
	for _, c := range got.Certificates {
		if c.ExpiresAt.IsNull() || (c.Type.ValueString() == "server") != (len(c.AuthInfo) == 5) {
			t.Fatalf("certificate %s converted as %+v", c.ID, c)
		}
	}
}
