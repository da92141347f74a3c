package pbxsim

import (
	"encoding/json"
	"net/url"
	"os"
	"reflect"
	"regexp"
	"slices"
	"testing"
)

// vendorExample is the vendor's documented answer with its trailing commas removed.
func vendorExample(t *testing.T) []byte {
	t.Helper()
	raw, err := os.ReadFile("../client/testdata/certificate-query-example.json")
	if err != nil {
		t.Fatal(err)
	}
	return regexp.MustCompile(`,(\s*[\]}])`).ReplaceAll(raw, []byte("$1"))
}

func TestQueryAnswerEqualsTheVendorExample(t *testing.T) {
	var want any
	if err := json.Unmarshal(vendorExample(t), &want); err != nil {
		t.Fatal(err)
	}
	s := New()
	access, _ := login(t, s)
	rec := serve(s, newRequest("GET", "certificate/query", url.Values{"access_token": {access}, "ids": {"4,5,6"}}, nil))
	var got any
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		g, _ := json.MarshalIndent(got, "", "  ")
		t.Fatalf("answer differs from the vendor example:\n%s", g)
	}
}

func TestVendorCertificatesAreFreshCopies(t *testing.T) {
	var example struct {
		List []Certificate `json:"certificate_list"`
	}
	if err := json.Unmarshal(vendorExample(t), &example); err != nil {
		t.Fatal(err)
	}
	a := VendorCertificates()
	if !reflect.DeepEqual(a, example.List) {
		t.Fatalf("VendorCertificates differs from the example")
	}
	*a[1].AutoRenewal = 0
	*a[1].AuthInfoList[0].IV = 1
	if b := VendorCertificates(); !reflect.DeepEqual(b, example.List) {
		t.Fatal("changing one result changed the next")
	}
}

func TestSetCertificatesCopiesAndSortsByID(t *testing.T) {
	s := New()
	certs := []Certificate{
		{ID: 9, Name: "b", Type: "server", AutoRenewal: ptr(0), AuthInfoList: []AuthInfo{{K: "APIKey", SV: ptr("secret")}}},
		{ID: 2, Name: "a", Type: "trusted"},
	}
	s.SetCertificates(certs)
	*certs[0].AuthInfoList[0].SV = "changed"
	access, _ := login(t, s)
	a := query(t, s, access, "9,2")
	if got := ids(a.CertificateList); !slices.Equal(got, []int64{2, 9}) {
		t.Fatalf("ids %v, want [2 9]", got)
	}
	if got := *a.CertificateList[1].AuthInfoList[0].SV; got != "secret" {
		t.Fatalf("the simulator shares memory with the caller: %q", got)
	}
	if a.CertificateList[1].AutoRenewal == nil || *a.CertificateList[1].AutoRenewal != 0 {
		t.Fatal("auto_renewal 0 was dropped")
	}
}

func TestQueryReturnsServerOrderAndOmitsUnknown(t *testing.T) {
	s := New()
	access, _ := login(t, s)
	a := query(t, s, access, "6,4")
	if got := ids(a.CertificateList); !slices.Equal(got, []int64{4, 6}) || a.TotalNumber != 2 {
		t.Fatalf("ids %v total %d, want [4 6] total 2", got, a.TotalNumber)
	}
	a = query(t, s, access, "99,5,5")
	if got := ids(a.CertificateList); !slices.Equal(got, []int64{5}) || a.TotalNumber != 1 {
		t.Fatalf("ids %v total %d, want [5] total 1", got, a.TotalNumber)
	}
	rec := serve(s, newRequest("GET", "certificate/query", url.Values{"access_token": {access}, "ids": {"99"}}, nil))
	if body := rec.Body.String(); body != `{"errcode":0,"errmsg":"SUCCESS","total_number":0,"certificate_list":[]}` {
		t.Fatalf("empty answer %s", body)
	}
}

func TestQueryUnknownIDsNotFoundMode(t *testing.T) {
	s := New()
	s.SetUnknownIDMode(UnknownIDsNotFound)
	access, _ := login(t, s)
	a := query(t, s, access, "4,99")
	wantCode(t, "unknown id", a, 60001, "DATA NOT FOUND")
	if a.CertificateList != nil {
		t.Fatalf("60001 carried certificates: %+v", a)
	}
	wantCode(t, "known ids", query(t, s, access, "5,4"), 0, "SUCCESS")
}

func TestQueryRejectsMalformedIDs(t *testing.T) {
	s := New()
	access, _ := login(t, s)
	for _, raw := range []string{"", "4,", ",4", "4,,5", "a", "0", "-4", " 4", "4 ,5", "4;5", "+4", "04", "99999999999999999999"} {
		a := query(t, s, access, raw)
		wantCode(t, "ids="+raw, a, 40001, "PARAMETER SYNTAX ERROR")
		if want := []invalidParam{{Field: "ids", Value: raw}}; !reflect.DeepEqual(a.InvalidParamList, want) {
			t.Errorf("ids=%q: invalid_param_list %+v", raw, a.InvalidParamList)
		}
	}
}

func listCerts() []Certificate {
	return []Certificate{
		{ID: 1, Name: "e", Type: "trusted", IssueTo: "z.example"},
		{ID: 2, Name: "d", Type: "server", IssueTo: "y.example"},
		{ID: 3, Name: "c", Type: "trusted", IssueTo: "x.example"},
		{ID: 4, Name: "b", Type: "server", IssueTo: "w.example"},
		{ID: 5, Name: "a", Type: "trusted", IssueTo: "v.example"},
	}
}

func TestListPagingSortingAndFilter(t *testing.T) {
	s := New()
	s.SetCertificates(listCerts())
	access, _ := login(t, s)
	tests := []struct {
		params    url.Values
		wantIDs   []int64
		wantTotal int
	}{
		{nil, []int64{1, 2, 3, 4, 5}, 5},
		{url.Values{"page_size": {"2"}}, []int64{1, 2}, 5},
		{url.Values{"page_size": {"2"}, "page": {"3"}}, []int64{5}, 5},
		{url.Values{"page_size": {"2"}, "page": {"4"}}, []int64{}, 5},
		{url.Values{"type": {"server"}}, []int64{2, 4}, 2},
		{url.Values{"type": {"trusted"}, "page_size": {"2"}, "page": {"2"}}, []int64{5}, 3},
		{url.Values{"sort_by": {"name"}}, []int64{5, 4, 3, 2, 1}, 5},
		{url.Values{"sort_by": {"issue_to"}, "order_by": {"desc"}}, []int64{1, 2, 3, 4, 5}, 5},
		{url.Values{"order_by": {"desc"}, "page_size": {"2"}}, []int64{5, 4}, 5},
		{url.Values{"sort_by": {"type"}}, []int64{2, 4, 1, 3, 5}, 5},
	}
	for _, tt := range tests {
		a := list(t, s, access, tt.params)
		wantCode(t, "list "+tt.params.Encode(), a, 0, "SUCCESS")
		if got := ids(a.CertificateList); !slices.Equal(got, tt.wantIDs) || a.TotalNumber != tt.wantTotal {
			t.Errorf("list %s: ids %v total %d, want %v total %d", tt.params.Encode(), got, a.TotalNumber, tt.wantIDs, tt.wantTotal)
		}
	}
}

func TestListDefaultPageSizeIsTen(t *testing.T) {
	s := New()
	var many []Certificate
	for id := range int64(12) {
		many = append(many, Certificate{ID: id + 1, Type: "trusted"})
	}
	s.SetCertificates(many)
	access, _ := login(t, s)
	if a := list(t, s, access, nil); len(a.CertificateList) != 10 || a.TotalNumber != 12 {
		t.Fatalf("got %d certificates, total %d", len(a.CertificateList), a.TotalNumber)
	}
}

func TestListRejectsBadParameters(t *testing.T) {
	s := New()
	access, _ := login(t, s)
	for field, value := range map[string]string{
		"page": "0", "page_size": "x", "sort_by": "secret", "order_by": "up", "type": "client",
	} {
		a := list(t, s, access, url.Values{field: {value}})
		wantCode(t, field+"="+value, a, 40001, "PARAMETER SYNTAX ERROR")
		if want := []invalidParam{{Field: field, Value: value}}; !reflect.DeepEqual(a.InvalidParamList, want) {
			t.Errorf("%s=%s: invalid_param_list %+v", field, value, a.InvalidParamList)
		}
	}
}
