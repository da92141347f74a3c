package provider

import (
	"context"
	"encoding/pem"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/echoprovider"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// testPBX is a simulated PBX plus the provider instances Terraform started
// against it. Each Terraform command gets a fresh instance, as each run of
// the real binary would; the previous one is closed first, as main does
// when the plugin process ends.
type testPBX struct {
	t      *testing.T
	sim    *pbxsim.Server
	server *httptest.Server

	// liveTokensAfter is how many tokens may outlive the run: 0, unless
	// a token cache keeps one on purpose.
	liveTokensAfter int

	mu      sync.Mutex
	current *PBXProvider
}

func newTestPBX(t *testing.T) *testPBX {
	return startTestPBX(t, httptest.NewServer)
}

func newTestPBXWithTLS(t *testing.T) *testPBX {
	return startTestPBX(t, httptest.NewTLSServer)
}

func startTestPBX(t *testing.T, start func(h http.Handler) *httptest.Server) *testPBX {
	t.Helper()
	pbx := &testPBX{t: t, sim: pbxsim.New()}
	pbx.server = start(pbx.sim)
	t.Cleanup(pbx.server.Close)
	t.Cleanup(pbx.assertNoLiveTokens)
	return pbx
}

// factoriesWithEcho adds the echo provider, which copies an ephemeral
// value into state so a test can look at it.
func (p *testPBX) factoriesWithEcho() map[string]func() (tfprotov6.ProviderServer, error) {
	factories := p.factories()
	factories["echo"] = echoprovider.NewProviderServer()
	return factories
}

// factories serves the provider in-process for terraform-plugin-testing.
func (p *testPBX) factories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"pbx": func() (tfprotov6.ProviderServer, error) {
			p.mu.Lock()
			defer p.mu.Unlock()
			p.closeCurrentLocked()
			p.current = New("test")
			return providerserver.NewProtocol6WithError(p.current)()
		},
	}
}

func (p *testPBX) closeCurrentLocked() {
	if p.current == nil {
		return
	}
	if err := p.current.Close(context.Background()); err != nil {
		p.t.Errorf("closing the provider: %s", err)
	}
	p.current = nil
}

// assertNoLiveTokens closes the last provider and checks that every token
// the run obtained was revoked.
func (p *testPBX) assertNoLiveTokens() {
	p.mu.Lock()
	p.closeCurrentLocked()
	p.mu.Unlock()
	if live := p.sim.Stats().LiveTokens; live != p.liveTokensAfter {
		p.t.Errorf("the simulator holds %d live tokens after the run, want %d", live, p.liveTokensAfter)
	}
}

// providerBlock configures the provider for the simulator; extra lines go
// inside the block.
func (p *testPBX) providerBlock(extra ...string) string {
	return fmt.Sprintf(`
provider "pbx" {
  base_url      = %q
  client_id     = %q
  client_secret = %q
  %s
}
`, p.server.URL, pbxsim.DefaultClientID, pbxsim.DefaultClientSecret, strings.Join(extra, "\n  "))
}

// caPEM is the certificate of the TLS test server, for ca_cert_pem.
func (p *testPBX) caPEM() string {
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.server.Certificate().Raw}))
}
