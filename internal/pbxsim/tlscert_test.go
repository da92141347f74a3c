package pbxsim

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestNewLoopbackTLS(t *testing.T) {
	cfg, caPEM, err := NewLoopbackTLS()
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(New())
	ts.TLS = cfg
	ts.StartTLS()
	defer ts.Close()

	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		t.Fatal("CA PEM does not parse")
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+"/"+APIPath+"/del_token", nil)
	req.Header.Set("User-Agent", "OpenAPI")
	a, err := do(client, req)
	if err != nil {
		t.Fatalf("request trusting only the CA: %v", err)
	}
	wantCode(t, "del_token over TLS", a, 10004, "TOKEN EXPIRED")

	leaf, err := x509.ParseCertificate(cfg.Certificates[0].Certificate[0])
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"localhost", "127.0.0.1", "::1"} {
		if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: name}); err != nil {
			t.Errorf("certificate not valid for %s: %v", name, err)
		}
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: x509.NewCertPool(), DNSName: "localhost"}); err == nil {
		t.Error("certificate verified without its CA")
	}

	_, otherCA, err := NewLoopbackTLS()
	if err != nil {
		t.Fatal(err)
	}
	otherPool := x509.NewCertPool()
	otherPool.AppendCertsFromPEM(otherCA)
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: otherPool, DNSName: "localhost"}); err == nil {
		t.Error("every call shares one CA")
	}
}
