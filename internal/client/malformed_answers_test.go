package client

import (
	"bytes"
	"errors"
	"net/http"
	"regexp"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// authValueSecret sits in the bodies below as a DNS-provider credential:
// no error may quote it.
const authValueSecret = "AUTH-VALUE-wJalrXUtnFEMI-K7MDENG"

// hugeAnswerBytes is far above maxBodyBytes, and the client must stop
// reading long before its end.
const hugeAnswerBytes = 50 << 20

// What the client does with each malformed certificate/query answer (HTTP
// 200). A refusal is a *ResponseError naming the endpoint and is not
// retried; the three shapes the decoder accepts on purpose are decoded as
// decode.go documents: a null list is empty, an auth parameter without a
// value slot has all values nil, and a key that comes twice is returned
// twice, for the provider to refuse.
func TestMalformedQueryAnswers(t *testing.T) {
	cases := []struct {
		name string
		body string // answered once by the simulator; "" with huge unset is an empty body
		huge bool   // stream hugeAnswerBytes instead
		want string // a regexp the error must match; "" means the answer decodes
		// missing: the decoded answer lacks id 4, which QueryCertificates reports.
		missing bool
		check   func(t *testing.T, certs []Certificate)
	}{
		{
			name: "HTML login page with status 200",
			body: "<!DOCTYPE html>\n<html><head><title>PBX Login</title></head><body><form action=\"/login\">" +
				"<input name=\"password\" value=\"" + authValueSecret + "\"></form></body></html>",
			want: `^certificate/query: unusable answer from the PBX: the answer is HTML .*check base_url and api_path$`,
		},
		{
			name: "empty body",
			body: "",
			want: `^certificate/query: unusable answer from the PBX: the answer is empty, not JSON; check base_url and api_path$`,
		},
		{
			name: "truncated JSON",
			body: `{"errcode":0,"errmsg":"SUCCESS","certificate_list":[{"id":4,"auth_info_list":[{"k":"AccessKeySecret","sv":"` + authValueSecret,
			want: `^certificate/query: unusable answer from the PBX: the answer is not a JSON object: it ends early \(truncated\)$`,
		},
		{
			name: "50 MB body",
			huge: true,
			want: `^certificate/query: unusable answer from the PBX: the answer is larger than 8 MiB$`,
		},
		{
			name: "id as a string",
			body: `{"errcode":0,"certificate_list":[{"id":"4","auth_info_list":[{"k":"AccessKeySecret","sv":"` + authValueSecret + `"}]}]}`,
			want: `^certificate/query: unusable answer from the PBX: certificate_list\[0\]: field id is a string, expected an integer$`,
		},
		{
			name: "missing errcode",
			body: `{"errmsg":"SUCCESS","certificate_list":[{"id":4}]}`,
			want: `^certificate/query: unusable answer from the PBX: the answer has no errcode$`,
		},
		{
			name:    "certificate_list null",
			body:    `{"errcode":0,"errmsg":"SUCCESS","total_number":0,"certificate_list":null}`,
			missing: true,
		},
		{
			name: "auth_info_list entry with no value slot",
			body: `{"errcode":0,"certificate_list":[{"id":4,"auth_info_list":[{"k":"TTL"}]}]}`,
			check: func(t *testing.T, certs []Certificate) {
				want := []AuthParam{{Key: "TTL"}}
				if len(certs) != 1 || len(certs[0].AuthInfo) != 1 || certs[0].AuthInfo[0] != want[0] {
					t.Errorf("got %s, want one certificate whose TTL has no value", describeCerts(certs))
				}
			},
		},
		{
			name: "duplicated k",
			body: `{"errcode":0,"certificate_list":[{"id":4,"auth_info_list":[{"k":"TTL","iv":600},{"k":"TTL","sv":"` + authValueSecret + `"}]}]}`,
			check: func(t *testing.T, certs []Certificate) {
				if len(certs) != 1 || len(certs[0].AuthInfo) != 2 {
					t.Fatalf("got %s, want both TTL entries", describeCerts(certs))
				}
				first, second := certs[0].AuthInfo[0], certs[0].AuthInfo[1]
				if first.Key != "TTL" || first.Int == nil || *first.Int != 600 ||
					second.Key != "TTL" || second.String == nil || *second.String != authValueSecret {
					t.Errorf("got %s, want TTL=600 then TTL=%q in PBX order", describeCerts(certs), authValueSecret)
				}
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sim := pbxsim.New()
			var handler http.Handler = sim
			var sent, hugeQueries atomic.Int64
			queries := func() int { return sim.Stats().Requests[queryEndpoint] }
			if tc.huge {
				handler = hugeQueryAnswers(sim, &sent, &hugeQueries)
				queries = func() int { return int(hugeQueries.Load()) }
			} else {
				sim.MalformedNext(1, tc.body)
			}
			srv := newServer(t, handler)
			var logs syncBuffer
			ctx := tflogtest.RootLogger(ctxT(t), &logs)
			c := newTestClient(t, testConfig(srv.URL))

			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			res, err := c.QueryCertificates(ctx, []int64{4})
			elapsed := time.Since(start)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			if closeErr := c.Close(ctx); closeErr != nil {
				t.Errorf("Close: %v", closeErr)
			}

			switch {
			case tc.want != "":
				var re *ResponseError
				if !errors.As(err, &re) || re.Endpoint != queryEndpoint {
					t.Fatalf("got %v (%T), want a *ResponseError naming %s", err, err, queryEndpoint)
				}
				if !regexp.MustCompile(tc.want).MatchString(err.Error()) {
					t.Errorf("error %q does not match %s", err, tc.want)
				}
			case tc.missing:
				var me *MissingCertificatesError
				if !errors.As(err, &me) || err.Error() != "the PBX has no certificate with id 4" {
					t.Fatalf("got %v (%T), want the missing id 4", err, err)
				}
			default:
				if err != nil {
					t.Fatalf("want the documented decode, got %v", err)
				}
				tc.check(t, res.Certificates)
			}

			if n := queries(); n != 1 {
				t.Errorf("%d certificate/query requests, want 1: a malformed answer is not retried", n)
			}
			if live := sim.Stats().LiveTokens; live != 0 {
				t.Errorf("%d live tokens after Close, want 0", live)
			}
			text := logs.String()
			if err != nil {
				text += "\n" + err.Error()
			}
			assertNoSecrets(t, sim, text, pbxsim.DefaultClientSecret, authValueSecret)

			if tc.huge {
				// The client stops after the limit plus a small drain; what
				// the server got out beyond that sat in socket buffers.
				if n := sent.Load(); n >= hugeAnswerBytes || n < maxBodyBytes {
					t.Errorf("the server sent %d bytes, want between %d and %d", n, maxBodyBytes, hugeAnswerBytes)
				}
				if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 48<<20 {
					t.Errorf("the query allocated %d MiB: the answer was read whole", alloc>>20)
				}
				t.Logf("the server sent %d MiB; the query allocated %d MiB in %s", sent.Load()>>20, (after.TotalAlloc-before.TotalAlloc)>>20, elapsed)
				if elapsed > 5*time.Second {
					t.Errorf("refusing the answer took %s", elapsed)
				}
			}
		})
	}
}

// hugeQueryAnswers answers certificate/query with a JSON body of
// hugeAnswerBytes, streamed in chunks so the test itself holds little; sent
// counts the bytes written before the client hung up.
func hugeQueryAnswers(sim *pbxsim.Server, sent, queries *atomic.Int64) http.Handler {
	chunk := bytes.Repeat([]byte(`{"id":4,"name":"padding.pem"},`), 2048)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasSuffix(r.URL.Path, "/"+queryEndpoint) {
			sim.ServeHTTP(w, r)
			return
		}
		queries.Add(1)
		w.Header().Set("Content-Type", "application/json")
		n, err := w.Write([]byte(`{"errcode":0,"errmsg":"SUCCESS","certificate_list":[`))
		sent.Add(int64(n))
		for err == nil && sent.Load() < hugeAnswerBytes {
			n, err = w.Write(chunk)
			sent.Add(int64(n))
		}
	})
}

func describeCerts(certs []Certificate) string {
	parts := make([]string, len(certs))
	for i, c := range certs {
		parts[i] = describeCert(c)
	}
	return "[" + strings.Join(parts, ",") + "]"
}
