package pbxsim

import (
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"time"
)

func systemInformationOf(t *testing.T, s *Server) systemInformation {
	t.Helper()
	tok, _ := login(t, s)
	rec := serve(s, newRequest(http.MethodGet, "system/information", url.Values{"access_token": {tok}}, nil))
	var got systemInformation
	if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
		t.Fatalf("answer is not JSON: %v: %q", err, rec.Body.String())
	}
	return got
}

func TestSystemInformationReportsTheClock(t *testing.T) {
	sim := New()
	at := time.Date(2026, 12, 4, 13, 5, 9, 0, time.UTC)
	sim.SetNow(func() time.Time { return at })
	sim.SetSystemClock(SystemClock{Location: time.FixedZone("UTC-5", -5*3600), DateFormat: "DD/MM/YYYY", Hour12: true})
	want := systemInformation{
		status:     statusOf(codeSuccess),
		SystemTime: "04/12/2026 08:05:09 AM", SystemDateFormat: "DD/MM/YYYY", SystemTimeFormat: "12", Timestamp: at.Unix(),
	}
	if got := systemInformationOf(t, sim); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestSystemInformationCanBeDenied(t *testing.T) {
	sim := New()
	sim.DenySystemInformation(true)
	if got := systemInformationOf(t, sim); got.Errcode != codeAccessDenied || got.Errmsg != "ACCESS DENIED" {
		t.Errorf("got %+v, want 10005 ACCESS DENIED", got)
	}
	if sim.Stats().Requests[epSystemInfo] != 1 {
		t.Error("system/information not counted")
	}
}
