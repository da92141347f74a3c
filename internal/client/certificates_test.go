package client

import (
	"errors"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

func ids(certs []Certificate) []int64 {
	out := make([]int64, len(certs))
	for i, c := range certs {
		out[i] = c.ID
	}
	return out
}

func TestQueryVendorCertificates(t *testing.T) {
	_, srv := newSim(t)
	res, err := newTestClient(t, testConfig(srv.URL)).QueryCertificates(ctxT(t), []int64{4, 5, 6})
	if err != nil {
		t.Fatal(err)
	}
	if res.TotalNumber != 3 {
		t.Errorf("total %d, want 3", res.TotalNumber)
	}
	assertVendorCertificates(t, res.Certificates)
}

// The vendor's documented answer, trailing comma and all, over HTTP.
func TestQueryVendorFixtureVerbatim(t *testing.T) {
	fixture, err := os.ReadFile("testdata/certificate-query-example.json")
	if err != nil {
		t.Fatal(err)
	}
	sim := pbxsim.New()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/certificate/query") {
			_, _ = w.Write(fixture)
			return
		}
		sim.ServeHTTP(w, r)
	}))
	res, err := newTestClient(t, testConfig(srv.URL)).QueryCertificates(ctxT(t), []int64{4, 5, 6})
	if err != nil {
		t.Fatal(err)
	}
	assertVendorCertificates(t, res.Certificates)
}

func TestQueryOrderFollowsIDs(t *testing.T) {
	_, srv := newSim(t)
	c := newTestClient(t, testConfig(srv.URL))
	for _, want := range [][]int64{{6, 4, 5}, {5, 6}, {6}, {5, 5, 4}} {
		res, err := c.QueryCertificates(ctxT(t), want)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(res.Certificates); !slices.Equal(got, want) {
			t.Errorf("asked %v, got %v", want, got)
		}
	}
}

func TestQueryDeduplicatesRequest(t *testing.T) {
	sim := pbxsim.New()
	rec := newRecorder(sim)
	srv := newServer(t, rec)
	if _, err := newTestClient(t, testConfig(srv.URL)).QueryCertificates(ctxT(t), []int64{5, 5, 4, 5}); err != nil {
		t.Fatal(err)
	}
	reqs := rec.all()
	if q := reqs[len(reqs)-1].RawQuery; !strings.HasSuffix(q, "&ids=5,4") {
		t.Errorf("query %q", RedactURL(q))
	}
}

func TestQueryMissingOmitted(t *testing.T) {
	sim, srv := newSim(t)
	_, err := newTestClient(t, testConfig(srv.URL)).QueryCertificates(ctxT(t), []int64{9, 4, 7, 5})
	var me *MissingCertificatesError
	if !errors.As(err, &me) || !slices.Equal(me.IDs, []int64{7, 9}) {
		t.Fatalf("got %v, want missing [7 9]", err)
	}
	if err.Error() != "the PBX has no certificate with ids 7, 9" {
		t.Errorf("message %q", err)
	}
	if q := sim.Stats().Requests["certificate/query"]; q != 1 {
		t.Errorf("%d queries, want 1", q)
	}
}

func TestQueryMissingNotFound(t *testing.T) {
	sim, srv := newSim(t)
	sim.SetUnknownIDMode(pbxsim.UnknownIDsNotFound)
	c := newTestClient(t, testConfig(srv.URL))

	_, err := c.QueryCertificates(ctxT(t), []int64{9, 4, 7, 5})
	var me *MissingCertificatesError
	if !errors.As(err, &me) || !slices.Equal(me.IDs, []int64{7, 9}) {
		t.Fatalf("got %v, want missing [7 9]", err)
	}
	if q := sim.Stats().Requests["certificate/query"]; q != 1+4 {
		t.Errorf("%d queries, want 1 + one per id", q)
	}

	_, err = c.QueryCertificates(ctxT(t), []int64{8})
	if !errors.As(err, &me) || !slices.Equal(me.IDs, []int64{8}) || me.Error() != "the PBX has no certificate with id 8" {
		t.Fatalf("got %v, want missing [8]", err)
	}
	if q := sim.Stats().Requests["certificate/query"]; q != 5+1 {
		t.Errorf("a single unknown id needs no probing: %d queries", q)
	}

	res, err := c.QueryCertificates(ctxT(t), []int64{6, 4})
	if err != nil || !slices.Equal(ids(res.Certificates), []int64{6, 4}) {
		t.Fatalf("known ids: %v, %v", res, err)
	}
}

// When the PBX fails a multi-id call with 60001 yet knows every id alone,
// the original error stands.
func TestQueryNotFoundWithoutMissingID(t *testing.T) {
	sim := pbxsim.New()
	var queries atomic.Int32
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/certificate/query") {
			queries.Add(1)
			if strings.Contains(r.URL.Query().Get("ids"), ",") {
				_, _ = w.Write([]byte(`{"errcode":60001,"errmsg":"DATA NOT FOUND"}`))
				return
			}
		}
		sim.ServeHTTP(w, r)
	}))
	_, err := newTestClient(t, testConfig(srv.URL)).QueryCertificates(ctxT(t), []int64{4, 5})
	var ae *APIError
	var me *MissingCertificatesError
	if !errors.As(err, &ae) || ae.Code != 60001 || errors.As(err, &me) {
		t.Fatalf("got %v, want the original APIError 60001", err)
	}
	if queries.Load() != 3 {
		t.Errorf("%d queries, want 3", queries.Load())
	}
}

func TestQueryRejectsBadIDs(t *testing.T) {
	sim, srv := newSim(t)
	c := newTestClient(t, testConfig(srv.URL))
	for _, in := range [][]int64{nil, {}, {0}, {4, -1}} {
		if _, err := c.QueryCertificates(ctxT(t), in); err == nil {
			t.Errorf("ids %v: want an error", in)
		}
	}
	if len(sim.Stats().Requests) != 0 {
		t.Errorf("bad ids sent requests: %v", sim.Stats().Requests)
	}
}

func TestQueryEmptyList(t *testing.T) {
	sim, srv := newSim(t)
	c := loggedIn(t, srv.URL, nil)
	sim.MalformedNext(1, `{"errcode":0,"errmsg":"SUCCESS","total_number":0,"certificate_list":null}`)
	_, err := c.QueryCertificates(ctxT(t), []int64{4, 5})
	var me *MissingCertificatesError
	if !errors.As(err, &me) || !slices.Equal(me.IDs, []int64{4, 5}) {
		t.Fatalf("got %v", err)
	}
}

func TestQueryServerOnlyFieldsAbsent(t *testing.T) {
	sim, srv := newSim(t)
	tip := 3
	sim.SetCertificates([]pbxsim.Certificate{
		{ID: 1, Name: "ca.crt", Type: "trusted", IssueTo: "ca", Expiration: "x", ApplyStatus: "issuance_success"},
		{ID: 2, Name: "s.pem", Type: "server", ApplyStatus: "issuance_fail", ApplyTipCode: &tip,
			AuthInfoList: []pbxsim.AuthInfo{{K: "Flag", BV: ptr(false)}}},
	})
	res, err := newTestClient(t, testConfig(srv.URL)).QueryCertificates(ctxT(t), []int64{1, 2})
	if err != nil {
		t.Fatal(err)
	}
	ca, server := res.Certificates[0], res.Certificates[1]
	if ca.CAType != nil || ca.AutoRenewal != nil || ca.DNSProvider != nil || ca.ApplyTipCode != nil || ca.AuthInfo != nil {
		t.Errorf("trusted cert should have no server-only fields: %s", describeCert(ca))
	}
	if server.ApplyTipCode == nil || *server.ApplyTipCode != 3 || len(server.AuthInfo) != 1 ||
		server.AuthInfo[0].Bool == nil || *server.AuthInfo[0].Bool {
		t.Errorf("server cert: %s", describeCert(server))
	}
}
