package client

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// certificateSets are the answers benchmarked: the vendor's example, a full
// PBX, and far more than any PBX holds, to show how decoding scales.
func certificateSets() []struct {
	name  string
	certs []pbxsim.Certificate
} {
	return []struct {
		name  string
		certs []pbxsim.Certificate
	}{
		{"3", pbxsim.VendorCertificates()},
		{"23", pbxsim.FullPBXCertificates()},
		{"1000", pbxsim.SyntheticCertificates(130, 870)},
	}
}

// queryAnswerBody is a certificate/query answer as the PBX sends it.
func queryAnswerBody(b *testing.B, certs []pbxsim.Certificate) []byte {
	b.Helper()
	body, err := json.Marshal(map[string]any{
		"errcode": 0, "errmsg": "SUCCESS", "total_number": len(certs), "certificate_list": certs,
	})
	if err != nil {
		b.Fatal(err)
	}
	return body
}

// decodeQueryAnswer is what Client.query does with a body once it has
// arrived: read it, check the envelope, decode every certificate.
func decodeQueryAnswer(body []byte) (int64, []Certificate, error) {
	raw, err := readBody(queryEndpoint, bytes.NewReader(body))
	if err != nil {
		return 0, nil, err
	}
	env, err := decodeEnvelope(queryEndpoint, raw)
	if err != nil {
		return 0, nil, err
	}
	certs, err := decodeCertificates(queryEndpoint, env.Fields)
	if err != nil {
		return 0, nil, err
	}
	total := int64(len(certs))
	if err := decodeField(queryEndpoint, env.Fields, "total_number", &total); err != nil {
		return 0, nil, err
	}
	return total, certs, nil
}

func BenchmarkDecodeCertificateQuery(b *testing.B) {
	for _, set := range certificateSets() {
		body := queryAnswerBody(b, set.certs)
		b.Run(set.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				total, certs, err := decodeQueryAnswer(body)
				if err != nil || int(total) != len(set.certs) || len(certs) != len(set.certs) {
					b.Fatalf("decoded %d of %d certificates: %v", len(certs), len(set.certs), err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(set.certs)), "ns/cert")
		})
	}
}

// TestDecodeQueryAnswerMatchesTheSimulator keeps the benchmark honest: what
// it decodes is every certificate, field for field.
func TestDecodeQueryAnswerMatchesTheSimulator(t *testing.T) {
	want := pbxsim.FullPBXCertificates()
	body, err := json.Marshal(map[string]any{"errcode": 0, "errmsg": "SUCCESS", "total_number": len(want), "certificate_list": want})
	if err != nil {
		t.Fatal(err)
	}
	total, certs, err := decodeQueryAnswer(body)
	if err != nil || total != 23 || len(certs) != 23 {
		t.Fatalf("total %d, %d certificates, err %v", total, len(certs), err)
	}
	for i, c := range certs {
		w := want[i]
		if c.ID != w.ID || c.Name != w.Name || c.Expiration != w.Expiration || len(c.AuthInfo) != len(w.AuthInfoList) {
			t.Fatalf("certificate %d decoded as %+v, want %+v", i, c, w)
		}
		if (c.CAType != nil) != (w.CAType != "") || (c.AutoRenewal != nil) != (w.AutoRenewal != nil) {
			t.Fatalf("certificate %d: server-only fields %s", i, fmt.Sprint(c.CAType, c.AutoRenewal))
		}
	}
}
