package pbxsim

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestMissingUserAgentIsRefusedBeforeAnythingElse(t *testing.T) {
	s := New()
	a := getToken(t, s, DefaultClientID, DefaultClientSecret, noUserAgent())
	wantCode(t, "get_token without User-Agent", a, 40002, "PARAMETER ERROR")
	if st := s.Stats(); st.LoginAttempts != 0 || st.LiveTokens != 0 {
		t.Fatalf("login ran without User-Agent: %+v", st)
	}

	wantCode(t, "query without token or User-Agent", query(t, s, "", "4", noUserAgent()), 40002, "PARAMETER ERROR")

	for range failuresToBlock {
		getToken(t, s, DefaultClientID, "wrong")
	}
	wantCode(t, "blocked IP without User-Agent", query(t, s, "", "4", noUserAgent()), 40002, "PARAMETER ERROR")
}

func TestRouting(t *testing.T) {
	s := New()
	tests := []struct {
		method, path string
		wantHTTP     int
		wantCode     int
	}{
		{http.MethodGet, "/openapi/v1.0/certificate/get", 200, 10001},
		{http.MethodGet, "/openapi/v1.0/", 200, 10001},
		{http.MethodGet, "/openapi/v1.0/get_token", 200, 10001}, // get_token is POST only
		{http.MethodPost, "/openapi/v1.0/certificate/query", 200, 10001},
		{http.MethodGet, "/openapi/v2.0/certificate/query", 404, 0},
		{http.MethodGet, "//openapi/v1.0/certificate/query", 404, 0},
		{http.MethodGet, "/", 404, 0},
	}
	for _, tt := range tests {
		r := httptest.NewRequestWithContext(t.Context(), tt.method, tt.path, nil)
		r.Header.Set("User-Agent", "OpenAPI")
		rec := serve(s, r)
		if rec.Code != tt.wantHTTP {
			t.Errorf("%s %s: HTTP %d, want %d", tt.method, tt.path, rec.Code, tt.wantHTTP)
			continue
		}
		if tt.wantHTTP == 200 {
			wantCode(t, tt.method+" "+tt.path, decode(t, rec), tt.wantCode, "INTERFACE NOT EXISTED")
		}
	}
}

func TestAnswersAreJSON(t *testing.T) {
	s := New()
	rec := serve(s, newRequest(http.MethodPost, "get_token", nil, map[string]string{"username": DefaultClientID, "password": DefaultClientSecret}))
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
}

func TestEveryAnswerClosesTheConnection(t *testing.T) {
	s := New()
	s.FailNext(1, http.StatusBadGateway)
	ts := NewTestServer(s)
	defer ts.Close()

	// A fault, an API answer, and a 404: every kind of answer closes.
	for _, path := range []string{"/" + APIPath + "/del_token", "/" + APIPath + "/del_token", "/elsewhere"} {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+path, nil)
		req.Header.Set("User-Agent", "OpenAPI")
		resp, err := ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if !resp.Close { // net/http sets Close from "Connection: close" and drops the header
			t.Errorf("GET %s: HTTP %d kept the connection open", path, resp.StatusCode)
		}
	}
	if st := s.Stats(); st.Connections != 3 {
		t.Fatalf("%d connections for 3 requests, want 3", st.Connections)
	}
}
