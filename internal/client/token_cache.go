package client

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/gofrs/flock"
)

// tokenCache keeps one access token per PBX and client ID in a file, so
// that consecutive Terraform runs on a machine reuse it instead of paying a
// login and a revoke each. A file lock serialises processes: the one that
// logs in writes the token before the others read, so the PBX holds one
// live token per machine and credential. The refresh token is not kept; it
// would extend what a stolen file gives from 30 minutes to a day.
type tokenCache struct {
	path string
	lock *flock.Flock
}

// cachedToken is the file's format.
type cachedToken struct {
	AccessToken string    `json:"access_token"`
	ExpiresAt   time.Time `json:"expires_at"`
	Lifetime    int64     `json:"lifetime_seconds"`
}

// lockPollInterval is how often a process waiting for the lock tries again.
const lockPollInterval = 20 * time.Millisecond

func newTokenCache(dir, baseURL, clientID string) (*tokenCache, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("token_cache_dir: %w", err)
	}
	sum := sha256.Sum256([]byte(baseURL + "\x00" + clientID))
	path := filepath.Join(dir, "pbx-token-"+hex.EncodeToString(sum[:16])+".json")
	return &tokenCache{path: path, lock: flock.New(path + ".lock")}, nil
}

// locked runs fn while holding the cache's lock across processes.
func (tc *tokenCache) locked(ctx context.Context, fn func() (*token, error)) (*token, error) {
	ok, err := tc.lock.TryLockContext(ctx, lockPollInterval)
	if err != nil || !ok {
		return nil, fmt.Errorf("locking the token cache %s: %w", tc.lock.Path(), errors.Join(err, ctx.Err()))
	}
	defer func() { _ = tc.lock.Unlock() }()
	return fn()
}

// load returns the cached token, or nil when there is none. A file it
// cannot read is treated as absent: the worst case is one more login.
func (tc *tokenCache) load() *token {
	data, err := os.ReadFile(tc.path)
	if err != nil {
		return nil
	}
	var cached cachedToken
	if json.Unmarshal(data, &cached) != nil || cached.AccessToken == "" {
		return nil
	}
	return &token{
		access:   cached.AccessToken,
		expires:  cached.ExpiresAt,
		lifetime: time.Duration(cached.Lifetime) * time.Second,
		cached:   true,
	}
}

// store writes t atomically with mode 0600, so no reader sees half a file
// and no other user can read the token.
func (tc *tokenCache) store(t *token) error {
	data, err := json.Marshal(cachedToken{
		AccessToken: t.access,
		ExpiresAt:   t.expires,
		Lifetime:    int64(t.lifetime / time.Second),
	})
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(tc.path), ".pbx-token-*")
	if err != nil {
		return err
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if err := tmp.Chmod(0o600); err != nil {
		_ = tmp.Close()
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), tc.path)
}

func (tc *tokenCache) discard() {
	if err := os.Remove(tc.path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		_ = os.WriteFile(tc.path, nil, 0o600) // an empty file reads as no token
	}
}
