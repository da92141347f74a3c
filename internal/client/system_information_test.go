package client

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pbxops/terraform-provider-pbx/internal/pbxsim"
)

// withSystemInformation answers system/information with body and leaves
// everything else to the simulator.
func withSystemInformation(sim *pbxsim.Server, body string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/system/information") {
			_, _ = w.Write([]byte(body))
			return
		}
		sim.ServeHTTP(w, r)
	})
}

func TestSystemInformation(t *testing.T) {
	for name, body := range map[string]string{
		"top level": `{"errcode":0,"errmsg":"SUCCESS","system_time":"2026/12/04 21:00:00","system_date_format":"YYYY/MM/DD",` +
			`"system_time_format":"24","timestamp":1796418000}`,
		"in an object": `{"errcode":0,"errmsg":"SUCCESS","data":{"system_time":"2026/12/04 21:00:00","system_date_format":"YYYY/MM/DD",` +
			`"system_time_format":"24","timestamp":1796418000}}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv := newServer(t, withSystemInformation(pbxsim.New(), body))
			info, err := newTestClient(t, testConfig(srv.URL)).SystemInformation(ctxT(t))
			if err != nil {
				t.Fatal(err)
			}
			want := SystemInformation{SystemTime: "2026/12/04 21:00:00", SystemDateFormat: "YYYY/MM/DD", SystemTimeFormat: "24", Timestamp: 1796418000}
			if *info != want {
				t.Errorf("got %+v, want %+v", *info, want)
			}
		})
	}
}

func TestSystemInformationWithoutAClock(t *testing.T) {
	srv := newServer(t, withSystemInformation(pbxsim.New(), `{"errcode":0,"errmsg":"SUCCESS"}`))
	_, err := newTestClient(t, testConfig(srv.URL)).SystemInformation(ctxT(t))
	if err == nil || !strings.Contains(err.Error(), "system/information") {
		t.Fatalf("got %v, want an error naming the endpoint", err)
	}
}
