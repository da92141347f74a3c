package pbxsim

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const testIP = "127.0.0.1"

// answer holds every field any endpoint may return.
type answer struct {
	Errcode          int            `json:"errcode"`
	Errmsg           string         `json:"errmsg"`
	AccessToken      string         `json:"access_token"`
	AccessExpire     int            `json:"access_token_expire_time"`
	RefreshToken     string         `json:"refresh_token"`
	RefreshExpire    int            `json:"refresh_token_expire_time"`
	TotalNumber      int            `json:"total_number"`
	CertificateList  []Certificate  `json:"certificate_list"`
	InvalidParamList []invalidParam `json:"invalid_param_list"`
}

type reqOpt func(*http.Request)

func fromIP(ip string) reqOpt { return func(r *http.Request) { r.RemoteAddr = ip + ":40000" } }
func noUserAgent() reqOpt     { return func(r *http.Request) { r.Header.Del("User-Agent") } }

func newRequest(method, endpoint string, query url.Values, body any, opts ...reqOpt) *http.Request {
	target := "/" + APIPath + "/" + endpoint
	if query != nil {
		target += "?" + query.Encode()
	}
	var r *http.Request
	if body != nil {
		b, _ := json.Marshal(body)
		r = httptest.NewRequestWithContext(context.Background(), method, target, strings.NewReader(string(b)))
		r.Header.Set("Content-Type", "application/json")
	} else {
		r = httptest.NewRequestWithContext(context.Background(), method, target, nil)
	}
	r.Header.Set("User-Agent", "OpenAPI")
	r.RemoteAddr = testIP + ":40000"
	for _, o := range opts {
		o(r)
	}
	return r
}

func serve(s *Server, r *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	return rec
}

// decode fails the test unless the answer is HTTP 200 JSON.
func decode(t *testing.T, rec *httptest.ResponseRecorder) answer {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("HTTP %d, body %q", rec.Code, rec.Body.String())
	}
	var a answer
	if err := json.Unmarshal(rec.Body.Bytes(), &a); err != nil {
		t.Fatalf("answer is not JSON: %v: %q", err, rec.Body.String())
	}
	return a
}

func getToken(t *testing.T, s *Server, id, secret string, opts ...reqOpt) answer {
	t.Helper()
	body := map[string]string{"username": id, "password": secret}
	return decode(t, serve(s, newRequest(http.MethodPost, "get_token", nil, body, opts...)))
}

// login returns a fresh access and refresh token or fails the test.
func login(t *testing.T, s *Server) (string, string) {
	t.Helper()
	a := getToken(t, s, DefaultClientID, DefaultClientSecret)
	if a.Errcode != 0 || a.AccessToken == "" || a.RefreshToken == "" {
		t.Fatalf("login: %+v", a)
	}
	return a.AccessToken, a.RefreshToken
}

func refresh(t *testing.T, s *Server, tok string) answer {
	t.Helper()
	return decode(t, serve(s, newRequest(http.MethodPost, "refresh_token", nil, map[string]string{"refresh_token": tok})))
}

func delToken(t *testing.T, s *Server, tok string) answer {
	t.Helper()
	return decode(t, serve(s, newRequest(http.MethodGet, "del_token", url.Values{"access_token": {tok}}, nil)))
}

func query(t *testing.T, s *Server, tok, ids string, opts ...reqOpt) answer {
	t.Helper()
	return decode(t, serve(s, newRequest(http.MethodGet, "certificate/query", url.Values{"access_token": {tok}, "ids": {ids}}, nil, opts...)))
}

func list(t *testing.T, s *Server, tok string, params url.Values) answer {
	t.Helper()
	q := url.Values{"access_token": {tok}}
	for k, v := range params {
		q[k] = v
	}
	return decode(t, serve(s, newRequest(http.MethodGet, "certificate/list", q, nil)))
}

func wantCode(t *testing.T, what string, a answer, code int, msg string) {
	t.Helper()
	if a.Errcode != code || a.Errmsg != msg {
		t.Fatalf("%s: got %d %q, want %d %q", what, a.Errcode, a.Errmsg, code, msg)
	}
}

func ids(certs []Certificate) []int64 {
	out := []int64{}
	for _, c := range certs {
		out = append(out, c.ID)
	}
	return out
}
