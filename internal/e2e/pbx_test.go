package e2e

import (
	"bytes"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// Auth values of the extra certificate: long and odd enough that finding
// one in any text is a leak, never a coincidence (the vendor's TTL of 600
// could be anything).
const (
	distinctAuthInt    = 7301946285
	distinctAuthString = "e2e-dns-key-N4vQ8rTz2LkW"
)

// The simulator's credentials, under shorter names.
const (
	pbxDefaultID     = pbxsim.DefaultClientID
	pbxDefaultSecret = pbxsim.DefaultClientSecret
)

// testPBX is a simulator served over HTTPS on loopback, one per test so
// its counters belong to that test alone.
type testPBX struct {
	sim    *pbxsim.Server
	url    string
	caFile string
	certs  []pbxsim.Certificate

	mu         sync.Mutex
	queryFault *queryFault
}

// queryFault breaks only certificate/query, so a run gets a token first
// and then fails with it in hand: the case where a URL carrying the token
// would end up in an error.
type queryFault struct {
	delay  time.Duration
	status int // 0: pass to the simulator after the delay
}

func startPBX(t *testing.T) *testPBX {
	t.Helper()
	p := &testPBX{sim: pbxsim.New(), certs: testCertificates()}
	p.sim.SetCertificates(p.certs)

	tlsConfig, caPEM, err := pbxsim.NewLoopbackTLS()
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(p.serve))
	srv.TLS = p.sim.TLSConfig(tlsConfig) // counts full and resumed handshakes
	// Clients that hang up mid-handshake are expected here (interrupts, timeouts).
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	t.Cleanup(srv.Close)
	p.url = srv.URL

	p.caFile = filepath.Join(t.TempDir(), "pbx-ca.pem")
	if err := os.WriteFile(p.caFile, caPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func (p *testPBX) breakQueries(f queryFault) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.queryFault = &f
}

func (p *testPBX) serve(w http.ResponseWriter, r *http.Request) {
	// net/http notices a caller hanging up only once the request body has
	// been read; the simulator reads it after its latency, so an
	// interrupted login would hold the server's Close for that long.
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))

	p.mu.Lock()
	f := p.queryFault
	p.mu.Unlock()
	if f == nil || !strings.HasSuffix(r.URL.Path, "/certificate/query") {
		p.sim.ServeHTTP(w, r)
		return
	}
	select {
	case <-time.After(f.delay):
	case <-r.Context().Done():
		return
	}
	if f.status == 0 {
		p.sim.ServeHTTP(w, r)
		return
	}
	http.Error(w, http.StatusText(f.status), f.status)
}

// testCertificates are the vendor's example (ids 4, 5, 6), id 7 whose
// auth values are distinctive, and two plain CA certificates (8, 9) so
// that many blocks can each ask for a different set of ids.
func testCertificates() []pbxsim.Certificate {
	one := 1
	intValue := int64(distinctAuthInt)
	stringValue := distinctAuthString
	boolValue := true
	return append(pbxsim.VendorCertificates(), pbxsim.Certificate{
		ID:          7,
		Name:        "e2e_server_cert.pem",
		Type:        "server",
		IssueTo:     "e2e.company.com",
		Expiration:  "2030/01/02 03:04:05 PM",
		CAType:      "apply",
		AutoRenewal: &one,
		DNSProvider: "route53",
		ApplyStatus: "issuance_success",
		AuthInfoList: []pbxsim.AuthInfo{
			{K: "HostedZoneTTL", IV: &intValue},
			{K: "SecretAccessKey", SV: &stringValue},
			{K: "UsePrivateZone", BV: &boolValue},
		},
	},
		pbxsim.Certificate{ID: 8, Name: "e2e_ca_8.crt", Type: "trusted", IssueTo: "ca8.company.local", Expiration: "2031/01/01 00:00:00 AM", ApplyStatus: "issuance_success"},
		pbxsim.Certificate{ID: 9, Name: "e2e_ca_9.crt", Type: "trusted", IssueTo: "ca9.company.local", Expiration: "2031/01/01 00:00:00 AM", ApplyStatus: "issuance_success"},
	)
}
