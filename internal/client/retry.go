package client

import (
	"context"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// backoff is the wait before retry number attempt (1-based): exponential
// from waitMin, capped at waitMax, with full jitter in [waitMin, cap] so
// that many callers hitting one fault do not retry in step.
func backoff(waitMin, waitMax time.Duration, attempt int) time.Duration {
	ceiling := waitMax
	if shift := attempt - 1; shift < 30 && waitMin<<shift > 0 && waitMin<<shift < waitMax {
		ceiling = waitMin << shift
	}
	if ceiling <= waitMin {
		return waitMin
	}
	return waitMin + rand.N(ceiling-waitMin+1)
}

// retryAfter reads a Retry-After header given in seconds, capped at
// limit; 0 when absent or in a form not worth parsing.
func retryAfter(h string, limit time.Duration) time.Duration {
	secs, err := strconv.Atoi(strings.TrimSpace(h))
	if err != nil || secs <= 0 {
		return 0
	}
	secs = min(secs, 3600) // keeps the multiplication from overflowing
	return min(time.Duration(secs)*time.Second, limit)
}

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
