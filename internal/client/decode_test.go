package client

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestStripTrailingCommas(t *testing.T) {
	cases := []struct{ in, want string }{
		{`[1,2,]`, `[1,2]`},
		{`{"a":1,}`, `{"a":1}`},
		{"[1,\n  ]", "[1\n  ]"},
		{"{\"a\":[{\"b\":1,},],}", `{"a":[{"b":1}]}`},
		{`{"a":"x,]"}`, `{"a":"x,]"}`},
		{`{"a":"a,}",}`, `{"a":"a,}"}`},
		{`["a,]",]`, `["a,]"]`},
		{`["say \",]",]`, `["say \",]"]`},
		{`["back\\",]`, `["back\\"]`},
		{`["back\\\",]",]`, `["back\\\",]"]`},
		{`{"k,}":"v,]",}`, `{"k,}":"v,]"}`},
		// Not trailing commas but broken JSON: left for the decoder.
		{`[,]`, `[,]`},
		{`{,}`, `{,}`},
		{`[1,,]`, `[1,,]`},
		{`,]`, `,]`},
		// Valid JSON passes through untouched.
		{`{"a":[1,2],"b":"c"}`, `{"a":[1,2],"b":"c"}`},
		{``, ``},
	}
	for _, tc := range cases {
		if got := string(stripTrailingCommas([]byte(tc.in))); got != tc.want {
			t.Errorf("stripTrailingCommas(%s) = %s, want %s", tc.in, got, tc.want)
		}
	}
}

func TestStripTrailingCommasVendorFixture(t *testing.T) {
	raw, err := os.ReadFile("testdata/certificate-query-example.json")
	if err != nil {
		t.Fatal(err)
	}
	if json.Valid(raw) {
		t.Fatal("the vendor fixture should hold its trailing comma; this test would prove nothing")
	}
	if !json.Valid(stripTrailingCommas(raw)) {
		t.Fatal("stripped vendor fixture is still not valid JSON")
	}
}

func vendorFixture(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile("testdata/certificate-query-example.json")
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

func decodeQueryBody(t *testing.T, body []byte) ([]Certificate, error) {
	t.Helper()
	env, err := decodeEnvelope(queryEndpoint, body)
	if err != nil {
		return nil, err
	}
	return decodeCertificates(queryEndpoint, env.Fields)
}

func TestDecodeVendorFixture(t *testing.T) {
	certs, err := decodeQueryBody(t, vendorFixture(t))
	if err != nil {
		t.Fatal(err)
	}
	assertVendorCertificates(t, certs)
}

func ptr[T any](v T) *T { return &v }

// vendorWant is the vendor example's three certificates, field by field.
func vendorWant() []Certificate {
	return []Certificate{
		{
			ID: 4, Name: "pbx_internal_ca.crt", Type: "trusted", IssueTo: "internal.company.local",
			Expiration: "2025/05/25 10:45:42 AM", ApplyStatus: "issuance_success",
		},
		{
			ID: 5, Name: "production_server_cert.pem", Type: "server", IssueTo: "pbx.company.com",
			Expiration: "2025/05/25 10:45:42 AM", ApplyStatus: "issuance_success",
			CAType: ptr("upload"), AutoRenewal: ptr(true), DNSProvider: ptr("alidns"),
			AuthInfo: []AuthParam{
				{Key: "TTL", Int: ptr[int64](600)},
				{Key: "AccessKeyId", String: ptr("AKIAIXXXXXXXXXXAMPLE")},
				{Key: "AccessKeySecret", String: ptr("wJalrXUXXXXXXXXXXLEKEY")},
				{Key: "PropagationTimeout", Int: ptr[int64](300)},
				{Key: "PollingInterval", Int: ptr[int64](5)},
			},
		},
		{
			ID: 6, Name: "docs_server_cert.pem", Type: "server", IssueTo: "docs.company.com",
			Expiration: "2026/04/19 08:56:08 AM", ApplyStatus: "issuance_success",
			CAType: ptr("apply"), AutoRenewal: ptr(true), DNSProvider: ptr("alidns"),
			AuthInfo: []AuthParam{
				{Key: "PropagationTimeout", Int: ptr[int64](300)},
				{Key: "PollingInterval", Int: ptr[int64](5)},
				{Key: "TTL", Int: ptr[int64](600)},
				{Key: "AccessKeyId", String: ptr("AKIAIOSFODNN7EXAMPLE")},
				{Key: "AccessKeySecret", String: ptr("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")},
			},
		},
	}
}

func assertVendorCertificates(t *testing.T, got []Certificate) {
	t.Helper()
	want := vendorWant()
	if len(got) != len(want) {
		t.Fatalf("got %d certificates, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := describeCert(got[i]), describeCert(want[i])
		if g != w {
			t.Errorf("certificate %d:\n got %s\nwant %s", i, g, w)
		}
	}
}

// describeCert renders every field, dereferencing pointers, so that a
// comparison covers values and presence alike.
func describeCert(c Certificate) string {
	b, _ := json.Marshal(c)
	return string(b)
}

func TestDecodeEnvelopeMalformed(t *testing.T) {
	cases := []struct{ name, body, want string }{
		{"empty", "", "empty"},
		{"blank", " \n\t", "empty"},
		{"html login page", "<!DOCTYPE html><html><body>Login</body></html>", "HTML"},
		{"truncated", `{"errcode":0,"errmsg":"SUCCESS","certificate_list":[{"id":4`, "truncated"},
		{"garbage", `Service Unavailable`, "not a JSON object"},
		{"array", `[1,2]`, "not a JSON object"},
		{"string", `"ok"`, "not a JSON object"},
		{"no errcode", `{"errmsg":"SUCCESS"}`, "no errcode"},
		{"errcode string", `{"errcode":"0"}`, "errcode is not an integer"},
		{"errcode fraction", `{"errcode":0.5}`, "errcode is not an integer"},
		{"errcode null", `{"errcode":null}`, "errcode is not an integer"},
		{"null", `null`, "no errcode"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := decodeEnvelope("certificate/query", []byte(tc.body))
			var re *ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("got %v, want *ResponseError", err)
			}
			if !strings.Contains(err.Error(), "certificate/query") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q should name the endpoint and say %q", err, tc.want)
			}
		})
	}
}

func TestDecodeEnvelopeLenient(t *testing.T) {
	env, err := decodeEnvelope("x", []byte(`{"errcode":40001,"errmsg":"PARAMETER SYNTAX ERROR","submsg":7,"future":{"a":[1,]},
		"invalid_param_list":[{"field":"ids","value":"a,b"},{"field":"page","validation_type":"min"},{"field":"n","value":12},]}`))
	if err != nil {
		t.Fatal(err)
	}
	if env.Code != 40001 || env.Message != "PARAMETER SYNTAX ERROR" || env.SubMsg != "7" {
		t.Errorf("envelope = %+v", env)
	}
	want := []InvalidParam{{Field: "ids", Value: "a,b"}, {Field: "page", ValidationType: "min"}, {Field: "n", Value: "12"}}
	if len(env.InvalidParams) != len(want) {
		t.Fatalf("invalid params = %+v", env.InvalidParams)
	}
	for i := range want {
		if env.InvalidParams[i] != want[i] {
			t.Errorf("invalid param %d = %+v, want %+v", i, env.InvalidParams[i], want[i])
		}
	}

	// An unreadable invalid_param_list must not hide the errcode.
	env, err = decodeEnvelope("x", []byte(`{"errcode":40001,"invalid_param_list":"oops"}`))
	if err != nil || env.Code != 40001 || env.InvalidParams != nil {
		t.Errorf("got %+v, %v", env, err)
	}
}

func TestReadBodyLimit(t *testing.T) {
	big := strings.NewReader(strings.Repeat(" ", maxBodyBytes+1))
	_, err := readBody("certificate/query", big)
	var re *ResponseError
	if !errors.As(err, &re) || !strings.Contains(err.Error(), "certificate/query") || !strings.Contains(err.Error(), "MiB") {
		t.Fatalf("got %v, want a size error naming the endpoint", err)
	}
	body, err := readBody("x", strings.NewReader(strings.Repeat(" ", maxBodyBytes)))
	if err != nil || len(body) != maxBodyBytes {
		t.Fatalf("a body of exactly the limit should pass: %v", err)
	}
}

func TestDecodeCertificates(t *testing.T) {
	cases := []struct {
		name    string
		body    string
		wantErr string // "" = success
		check   func(t *testing.T, certs []Certificate)
	}{
		{
			name: "null list", body: `{"errcode":0,"certificate_list":null}`,
			check: func(t *testing.T, c []Certificate) {
				if c == nil || len(c) != 0 {
					t.Errorf("want an empty, non-nil list, got %#v", c)
				}
			},
		},
		{
			name: "absent list", body: `{"errcode":0}`,
			check: func(t *testing.T, c []Certificate) {
				if len(c) != 0 {
					t.Errorf("want empty, got %#v", c)
				}
			},
		},
		{
			name: "only id, unknown fields",
			body: `{"errcode":0,"certificate_list":[{"id":9,"new_field":{"x":[1]},"name":null,"auto_renewal":0,"apply_tip_code":17}]}`,
			check: func(t *testing.T, c []Certificate) {
				if len(c) != 1 || c[0].ID != 9 || c[0].Name != "" || c[0].CAType != nil || c[0].AuthInfo != nil {
					t.Fatalf("got %#v", c)
				}
				if c[0].AutoRenewal == nil || *c[0].AutoRenewal {
					t.Errorf("auto_renewal 0 should be false")
				}
				if c[0].ApplyTipCode == nil || *c[0].ApplyTipCode != 17 {
					t.Errorf("apply_tip_code = %v", c[0].ApplyTipCode)
				}
			},
		},
		{
			name: "bool auth value",
			body: `{"errcode":0,"certificate_list":[{"id":1,"auth_info_list":[{"k":"Flag","bv":true},{"k":"Empty"}]}]}`,
			check: func(t *testing.T, c []Certificate) {
				a := c[0].AuthInfo
				if len(a) != 2 || a[0].Bool == nil || !*a[0].Bool || a[1].Key != "Empty" || a[1].Int != nil || a[1].String != nil || a[1].Bool != nil {
					t.Errorf("auth info = %#v", a)
				}
			},
		},
		{name: "auto_renewal 2", body: `{"errcode":0,"certificate_list":[{"id":5,"auto_renewal":2}]}`, wantErr: "certificate 5: field auto_renewal is 2, expected 0 or 1"},
		{name: "auto_renewal bool", body: `{"errcode":0,"certificate_list":[{"id":5,"auto_renewal":true}]}`, wantErr: "certificate 5: field auto_renewal is a boolean"},
		{name: "auto_renewal string", body: `{"errcode":0,"certificate_list":[{"id":7,"auto_renewal":"1"}]}`, wantErr: "certificate 7: field auto_renewal is a string"},
		{name: "id string", body: `{"errcode":0,"certificate_list":[{"id":"5"}]}`, wantErr: "certificate_list[0]: field id is a string"},
		{name: "id missing", body: `{"errcode":0,"certificate_list":[{"name":"x"}]}`, wantErr: "certificate_list[0]: has no id"},
		{name: "entry null", body: `{"errcode":0,"certificate_list":[null]}`, wantErr: "certificate_list[0]: is null"},
		{name: "name number", body: `{"errcode":0,"certificate_list":[{"id":3,"name":5}]}`, wantErr: "certificate 3: field name is a non-integer number, expected a string"},
		{name: "list object", body: `{"errcode":0,"certificate_list":{"id":3}}`, wantErr: "field certificate_list"},
		{name: "auth list string", body: `{"errcode":0,"certificate_list":[{"id":3,"auth_info_list":"x"}]}`, wantErr: "certificate 3: field auth_info_list"},
		{name: "iv string", body: `{"errcode":0,"certificate_list":[{"id":3,"auth_info_list":[{"k":"TTL","iv":"SECRET-VALUE-1"}]}]}`, wantErr: `certificate 3: auth_info_list[0] (k "TTL"): field iv is a string, expected an integer`},
		{name: "bv number", body: `{"errcode":0,"certificate_list":[{"id":3,"auth_info_list":[{"k":"B","bv":1}]}]}`, wantErr: `field bv is a non-integer number, expected a boolean`},
		{name: "total_number string", body: `{"errcode":0,"total_number":"3"}`, wantErr: "field total_number"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			env, err := decodeEnvelope(queryEndpoint, []byte(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			certs, err := decodeCertificates(queryEndpoint, env.Fields)
			if err == nil && strings.Contains(tc.name, "total_number") {
				var n int64
				err = decodeField(queryEndpoint, env.Fields, "total_number", &n)
			}
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				tc.check(t, certs)
				return
			}
			var re *ResponseError
			if !errors.As(err, &re) {
				t.Fatalf("got %v, want *ResponseError", err)
			}
			if !strings.Contains(err.Error(), tc.wantErr) || !strings.Contains(err.Error(), queryEndpoint) {
				t.Errorf("error %q should contain %q and the endpoint", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "SECRET-VALUE") {
				t.Errorf("error quotes a value: %q", err)
			}
		})
	}
}
