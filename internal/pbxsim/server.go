// Package pbxsim simulates the parts of a Yeastar P-Series PBX OpenAPI the
// provider uses, including the PBX's limits (8 live tokens, IP blocking after
// 5 failed logins) and injectable faults, so clients can be tested offline.
package pbxsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

const (
	DefaultClientID     = "pbxsim-client-id"
	DefaultClientSecret = "pbxsim-client-secret-0123456789"
	APIPath             = "openapi/v1.0"
)

const apiPrefix = "/" + APIPath + "/"

// Error codes and messages as the PBX spells them.
const (
	codeSuccess             = 0
	codeFailure             = -1
	codeInterfaceNotExisted = 10001
	codeTokenExpired        = 10004
	codeAccessDenied        = 10005
	codeParamSyntax         = 40001
	codeParamError          = 40002
	codeDataNotFound        = 60001
	codeIPBlocked           = 70004
)

var errmsgs = map[int]string{
	codeSuccess:             "SUCCESS",
	codeFailure:             "FAILURE",
	codeInterfaceNotExisted: "INTERFACE NOT EXISTED",
	codeTokenExpired:        "TOKEN EXPIRED",
	codeAccessDenied:        "ACCESS DENIED",
	codeParamSyntax:         "PARAMETER SYNTAX ERROR",
	codeParamError:          "PARAMETER ERROR",
	codeDataNotFound:        "DATA NOT FOUND",
	codeIPBlocked:           "ACCOUNT IP BLOCKED",
}

// Endpoint names, also the keys of Stats.Requests.
const (
	epGetToken     = "get_token"
	epRefreshToken = "refresh_token"
	epDelToken     = "del_token"
	epCertQuery    = "certificate/query"
	epCertList     = "certificate/list"
	epSystemInfo   = "system/information"
)

var endpointMethods = map[string]string{
	epGetToken:     http.MethodPost,
	epRefreshToken: http.MethodPost,
	epDelToken:     http.MethodGet,
	epCertQuery:    http.MethodGet,
	epCertList:     http.MethodGet,
	epSystemInfo:   http.MethodGet,
}

// Server is an http.Handler that answers like a PBX. All state sits behind mu
// so tests can drive it from many goroutines.
type Server struct {
	mu sync.Mutex

	clientID, clientSecret string
	certs                  []Certificate
	unknownIDs             UnknownIDMode
	now                    func() time.Time

	faults faults
	tokens tokenStore
	// Per caller IP: consecutive failed logins, and whether it is blocked.
	streaks     map[string]int
	blocked     map[string]bool
	lastLoginIP string

	clock                 SystemClock
	denySystemInformation bool

	counters Stats
	// Kept across Reset so a leak scan after a reset still knows every secret.
	issued []string
}

// New returns a simulator holding VendorCertificates() and the default credentials.
func New() *Server {
	s := &Server{}
	s.init()
	return s
}

// init sets the fresh state; callers hold mu (or own s exclusively).
func (s *Server) init() {
	s.clientID = DefaultClientID
	s.clientSecret = DefaultClientSecret
	s.certs = VendorCertificates()
	s.unknownIDs = UnknownIDsOmitted
	s.now = time.Now
	s.faults = faults{}
	s.tokens = newTokenStore()
	s.streaks = map[string]int{}
	s.blocked = map[string]bool{}
	s.lastLoginIP = ""
	s.clock = SystemClock{}
	s.denySystemInformation = false
	s.counters = Stats{Requests: map[string]int{}}
}

// Reset returns the simulator to the state New gives (certificates,
// credentials, faults, latency, clock, counters, tokens, blocklist).
// IssuedSecrets keeps its history.
func (s *Server) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
}

func (s *Server) SetCredentials(clientID, clientSecret string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clientID, s.clientSecret = clientID, clientSecret
}

// SetNow sets the clock used for token lifetimes; nil restores time.Now.
func (s *Server) SetNow(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.now = now
}

// reply is what a handler decided, built under mu and written after it is released.
type reply struct {
	body     any // encoded as JSON
	raw      []byte
	verbatim bool // write raw instead of body
}

type status struct {
	Errcode int    `json:"errcode"`
	Errmsg  string `json:"errmsg"`
}

func statusOf(code int) status { return status{Errcode: code, Errmsg: errmsgs[code]} }

type invalidParam struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

type paramError struct {
	status
	InvalidParamList []invalidParam `json:"invalid_param_list"`
}

func errorReply(code int) reply { return reply{body: statusOf(code)} }

func paramSyntaxReply(field, value string) reply {
	return reply{body: paramError{
		status:           statusOf(codeParamSyntax),
		InvalidParamList: []invalidParam{{Field: field, Value: value}},
	}}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Read the body first: net/http notices a caller hanging up only once
	// the body is consumed, and the latency below should end with it.
	if body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20)); err == nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	name, underAPI := strings.CutPrefix(r.URL.Path, apiPrefix)
	before, after := s.arrive(name)
	if !sleepCtx(r, before) {
		return // the caller went away; a real server's answer would be lost too
	}
	respond := s.decide(name, underAPI, r)
	// The PBX has acted by now (a token issued stays issued); a slow link
	// may still lose the answer on its way back.
	if !sleepCtx(r, after) {
		return
	}
	// The PBX closes the connection after every answer, so each request
	// pays for a new connection and TLS handshake; net/http does likewise.
	w.Header().Set("Connection", "close")
	respond(w, r)
}

// decide does the request's work and returns how to answer it.
func (s *Server) decide(name string, underAPI bool, r *http.Request) http.HandlerFunc {
	if code, ok := s.takeFault(); ok {
		return func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(code)
			fmt.Fprintf(w, "%d %s\n", code, http.StatusText(code))
		}
	}
	if !underAPI {
		return http.NotFound
	}
	rep := s.answer(name, r)
	return func(w http.ResponseWriter, _ *http.Request) { writeReply(w, rep) }
}

func (s *Server) answer(name string, r *http.Request) reply {
	if r.UserAgent() == "" {
		return errorReply(codeParamError)
	}
	ip := callerIP(r)
	if s.isBlocked(ip) {
		return errorReply(codeIPBlocked)
	}
	method, known := endpointMethods[name]
	if !known || r.Method != method {
		return errorReply(codeInterfaceNotExisted)
	}
	switch name {
	case epGetToken:
		return s.getToken(r, ip)
	case epRefreshToken:
		return s.refreshToken(r)
	case epDelToken:
		return s.delToken(r.URL.Query().Get("access_token"))
	case epCertQuery:
		return s.authenticated(r, s.queryCertificates)
	case epSystemInfo:
		return s.authenticated(r, s.systemInformation)
	default: // epCertList
		return s.authenticated(r, s.listCertificates)
	}
}

func (s *Server) isBlocked(ip string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.blocked[ip]
}

func callerIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func writeReply(w http.ResponseWriter, rep reply) {
	body := rep.raw
	if !rep.verbatim {
		var err error
		if body, err = json.Marshal(rep.body); err != nil {
			http.Error(w, "pbxsim: "+err.Error(), http.StatusInternalServerError)
			return
		}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}
