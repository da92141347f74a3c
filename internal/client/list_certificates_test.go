package client

import (
	"fmt"
	"slices"
	"testing"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// fullPBX holds 3 server and 20 trusted certificates, ids in no order.
func fullPBX() []pbxsim.Certificate {
	var certs []pbxsim.Certificate
	for i := range 23 {
		cert := pbxsim.VendorCertificates()[0]
		cert.ID = int64(100 - 3*i)
		cert.Name = fmt.Sprintf("cert-%d.pem", cert.ID)
		if i < 3 {
			cert.Type = TypeServer
		}
		certs = append(certs, cert)
	}
	return certs
}

func TestListCertificatesWalksEveryPage(t *testing.T) {
	sim, srv := newSim(t)
	sim.SetCertificates(fullPBX())
	c := newTestClient(t, testConfig(srv.URL))
	c.listPageSize = 5

	all, err := c.ListCertificates(ctxT(t), "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 23 || !slices.IsSorted(ids(all)) {
		t.Fatalf("got %d certificates %v, want all 23 in ascending id order", len(all), ids(all))
	}
	if pages := sim.Stats().Requests[listEndpoint]; pages != 5 {
		t.Errorf("%d requests for 23 certificates at 5 a page, want 5", pages)
	}

	servers, err := c.ListCertificates(ctxT(t), TypeServer)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(ids(servers), []int64{94, 97, 100}) {
		t.Errorf("server certificates %v, want [94 97 100]", ids(servers))
	}
}

func TestListCertificatesOfAnEmptyPBX(t *testing.T) {
	sim, srv := newSim(t)
	sim.SetCertificates(nil)
	all, err := newTestClient(t, testConfig(srv.URL)).ListCertificates(ctxT(t), "")
	if err != nil || len(all) != 0 {
		t.Fatalf("got %v, %v; want no certificates and no error", all, err)
	}
	if pages := sim.Stats().Requests[listEndpoint]; pages != 1 {
		t.Errorf("%d requests, want 1", pages)
	}
}

func TestListCertificatesStopsOnAnEmptyPage(t *testing.T) {
	sim, srv := newSim(t)
	c := newTestClient(t, testConfig(srv.URL))
	if _, err := c.ListCertificates(ctxT(t), ""); err != nil { // logs in
		t.Fatal(err)
	}
	// total_number promises more than the pages hold, as when
	// certificates are deleted during the walk.
	sim.MalformedNext(1, `{"errcode":0,"errmsg":"SUCCESS","total_number":50,"certificate_list":[]}`)
	all, err := c.ListCertificates(ctxT(t), "")
	if err != nil || len(all) != 0 {
		t.Fatalf("got %v, %v", all, err)
	}
}

func TestListCertificatesStopsWhenPagesRepeat(t *testing.T) {
	sim, srv := newSim(t)
	c := newTestClient(t, testConfig(srv.URL))
	if _, err := c.ListCertificates(ctxT(t), ""); err != nil { // logs in
		t.Fatal(err)
	}
	// A PBX that ignores page answers the first page every time.
	page := `{"errcode":0,"errmsg":"SUCCESS","total_number":50,"certificate_list":[{"id":4,"name":"a","type":"trusted"}]}`
	sim.MalformedNext(5, page)
	all, err := c.ListCertificates(ctxT(t), "")
	if err != nil || len(all) != 1 {
		t.Fatalf("got %v, %v", all, err)
	}
	if pages := sim.Stats().Requests[listEndpoint]; pages != 1+2 {
		t.Errorf("%d list requests, want the walk to stop at the first repeated page (3 in all)", pages)
	}
}
