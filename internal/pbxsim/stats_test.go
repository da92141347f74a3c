package pbxsim

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"sync"
	"testing"
	"time"
)

func TestCounters(t *testing.T) {
	s := New()
	getToken(t, s, DefaultClientID, "wrong")
	access, refreshTok := login(t, s)
	query(t, s, access, "4")
	list(t, s, access, nil)
	a := refresh(t, s, refreshTok)
	login(t, s)
	delToken(t, s, a.AccessToken)
	delToken(t, s, a.AccessToken)
	serve(s, newRequest(http.MethodGet, "nothing", nil, nil))

	want := Stats{
		Requests: map[string]int{
			"get_token": 3, "refresh_token": 1, "del_token": 2,
			"certificate/query": 1, "certificate/list": 1,
		},
		LoginAttempts: 3,
		Logins:        2,
		FailedLogins:  1,
		FailedStreak:  0,
		Refreshes:     1,
		Revokes:       1,
		LiveTokens:    1,
		MaxLiveTokens: 2,
	}
	got := s.Stats()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("stats\n got %+v\nwant %+v", got, want)
	}
	if n := got.TotalRequests(); n != 8 {
		t.Fatalf("TotalRequests %d, want 8", n)
	}
	if len(s.IssuedSecrets()) != 6 {
		t.Fatalf("IssuedSecrets %d, want 6", len(s.IssuedSecrets()))
	}
}

func TestStatsIsASnapshot(t *testing.T) {
	s := New()
	st := s.Stats()
	st.Requests["get_token"] = 99
	if s.Stats().Requests["get_token"] != 0 {
		t.Fatal("Stats shares its map with the simulator")
	}
}

func TestReset(t *testing.T) {
	s := New()
	access, _ := login(t, s)
	s.SetCredentials("x", "y")
	s.SetCertificates(nil)
	s.SetUnknownIDMode(UnknownIDsNotFound)
	s.ExpireTokensAfterUses(1)
	s.MalformedNext(5, "junk")
	for range failuresToBlock {
		getToken(t, s, "x", "wrong")
	}
	s.SetLatency(time.Hour)
	s.SetAnswerDelay(time.Hour)
	s.FailNext(3, http.StatusBadGateway)
	s.SetNow(func() time.Time { return time.Unix(0, 0) })

	s.Reset()
	if st := s.Stats(); !reflect.DeepEqual(st, Stats{Requests: map[string]int{}}) {
		t.Fatalf("stats after Reset %+v", st)
	}
	wantCode(t, "old token", query(t, s, access, "4"), 10004, "TOKEN EXPIRED")
	fresh, _ := login(t, s) // default credentials, not blocked, no latency, no answer delay
	a := query(t, s, fresh, "4,5,6,99")
	wantCode(t, "vendor certificates", a, 0, "SUCCESS")
	if !reflect.DeepEqual(a.CertificateList, VendorCertificates()) {
		t.Fatalf("certificates after Reset %+v", a.CertificateList)
	}
	wantCode(t, "no uses limit", query(t, s, fresh, "4"), 0, "SUCCESS")
	if got := s.IssuedSecrets(); len(got) != 4 || got[0] != access {
		t.Fatalf("IssuedSecrets lost history across Reset: %d", len(got))
	}
}

// TestConcurrentClients runs many clients over real HTTP; with -race it
// checks that all state is guarded.
func TestConcurrentClients(t *testing.T) {
	s := New()
	s.SetLatencyJitter(2 * time.Millisecond)
	ts := httptest.NewServer(s)
	defer ts.Close()
	post := func(endpoint string, body any) (answer, error) {
		b, _ := json.Marshal(body)
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, ts.URL+"/"+APIPath+"/"+endpoint, bytes.NewReader(b))
		req.Header.Set("User-Agent", "OpenAPI")
		req.Header.Set("Content-Type", "application/json")
		return do(ts.Client(), req)
	}
	get := func(endpoint string, q url.Values) (answer, error) {
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, ts.URL+"/"+APIPath+"/"+endpoint+"?"+q.Encode(), nil)
		req.Header.Set("User-Agent", "OpenAPI")
		return do(ts.Client(), req)
	}

	const clients = 8
	var wg sync.WaitGroup
	errs := make(chan error, clients)
	for range clients {
		wg.Go(func() {
			a, err := post("get_token", map[string]string{"username": DefaultClientID, "password": DefaultClientSecret})
			if err != nil || a.Errcode != 0 {
				errs <- fmt.Errorf("login: %w %+v", err, a)
				return
			}
			for range 5 {
				if q, err := get("certificate/query", url.Values{"access_token": {a.AccessToken}, "ids": {"4,5,6"}}); err != nil || q.TotalNumber != 3 {
					errs <- fmt.Errorf("query: %w %+v", err, q)
					return
				}
			}
			if d, err := get("del_token", url.Values{"access_token": {a.AccessToken}}); err != nil || d.Errcode != 0 {
				errs <- fmt.Errorf("del_token: %w %+v", err, d)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	st := s.Stats()
	if st.Logins != clients || st.Revokes != clients || st.LiveTokens != 0 || st.Requests["certificate/query"] != 5*clients {
		t.Fatalf("stats %+v", st)
	}
}

func do(c *http.Client, req *http.Request) (answer, error) {
	resp, err := c.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	var a answer
	return a, json.NewDecoder(resp.Body).Decode(&a)
}
