package client

import (
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"
)

func cachingConfig(baseURL, dir string) Config {
	cfg := testConfig(baseURL)
	cfg.TokenCacheDir = dir
	return cfg
}

// run is one Terraform run: a client that reads and then closes.
func run(t *testing.T, cfg Config) {
	t.Helper()
	c := newTestClient(t, cfg)
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(ctxT(t)); err != nil {
		t.Fatal(err)
	}
}

func TestTokenCacheReusedAcrossRuns(t *testing.T) {
	sim, srv := newSim(t)
	cfg := cachingConfig(srv.URL, t.TempDir())
	run(t, cfg)
	run(t, cfg)
	st := sim.Stats()
	if st.Logins != 1 || st.Revokes != 0 || st.LiveTokens != 1 {
		t.Errorf("two runs: %d logins, %d revokes, %d live; want 1, 0, 1", st.Logins, st.Revokes, st.LiveTokens)
	}
	if q := st.Requests["certificate/query"]; q != 2 {
		t.Errorf("%d queries, want 2", q)
	}
}

func TestTokenCacheFileIsPrivateAndKeyed(t *testing.T) {
	_, srv := newSim(t)
	_, other := newSim(t)
	dir := t.TempDir()
	run(t, cachingConfig(srv.URL, dir))
	run(t, cachingConfig(other.URL, dir))
	files, err := filepath.Glob(filepath.Join(dir, "pbx-token-*.json"))
	if err != nil || len(files) != 2 {
		t.Fatalf("want one token file per PBX, got %v (%v)", files, err)
	}
	for _, f := range files {
		info, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if mode := info.Mode().Perm(); mode != 0o600 {
			t.Errorf("%s has mode %o, want 600", f, mode)
		}
	}
}

func TestTokenCacheConcurrentRunsShareOneToken(t *testing.T) {
	sim, srv := newSim(t)
	sim.SetLatency(10 * time.Millisecond) // keeps the runs overlapping
	cfg := cachingConfig(srv.URL, t.TempDir())
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() { run(t, cfg) })
	}
	wg.Wait()
	st := sim.Stats()
	if st.Logins != 1 || st.MaxLiveTokens != 1 {
		t.Errorf("8 concurrent runs: %d logins, at most %d live tokens; want 1, 1", st.Logins, st.MaxLiveTokens)
	}
}

func TestTokenCacheDiscardsAnExpiredToken(t *testing.T) {
	sim, srv := newSim(t)
	cfg := cachingConfig(srv.URL, t.TempDir())
	run(t, cfg)
	sim.ExpireAllTokens()
	run(t, cfg)
	run(t, cfg)
	st := sim.Stats()
	if st.Logins != 2 || st.Refreshes != 0 || st.LiveTokens != 1 {
		t.Errorf("%d logins, %d refreshes, %d live; want a second login, no refresh, 1 live", st.Logins, st.Refreshes, st.LiveTokens)
	}
}

func TestTokenCacheReplacesATokenNearExpiry(t *testing.T) {
	sim, srv := newSim(t)
	start := time.Now()
	var mu sync.Mutex
	clock := start
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	sim.SetNow(now)
	cfg := cachingConfig(srv.URL, t.TempDir())
	first := newTestClient(t, cfg)
	first.now = now
	if _, err := first.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	clock = start.Add(1800*time.Second - 30*time.Second)
	mu.Unlock()
	second := newTestClient(t, cfg)
	second.now = now
	if _, err := second.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	st := sim.Stats()
	if st.Logins != 2 || st.Revokes != 1 || st.MaxLiveTokens != 1 {
		t.Errorf("%d logins, %d revokes, at most %d live; want the old token revoked before the new login", st.Logins, st.Revokes, st.MaxLiveTokens)
	}
}

func TestTokenCacheUnreadableFileMeansLogin(t *testing.T) {
	sim, srv := newSim(t)
	dir := t.TempDir()
	cfg := cachingConfig(srv.URL, dir)
	run(t, cfg)
	files, _ := filepath.Glob(filepath.Join(dir, "pbx-token-*.json"))
	if len(files) != 1 {
		t.Fatalf("token files: %v", files)
	}
	if err := os.WriteFile(files[0], []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	run(t, cfg)
	if st := sim.Stats(); st.Logins != 2 {
		t.Errorf("%d logins, want a new login after a corrupt cache file", st.Logins)
	}
}
