package client

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"
)

func sharingClient(t *testing.T, baseURL string) *Client {
	t.Helper()
	cfg := testConfig(baseURL)
	cfg.ShareAnswers = true
	return newTestClient(t, cfg)
}

func TestSharedAnswersOneRequestPerIDSet(t *testing.T) {
	sim, srv := newSim(t)
	sim.SetLatency(20 * time.Millisecond) // keeps concurrent readers overlapping
	c := sharingClient(t, srv.URL)

	var wg sync.WaitGroup
	orders := [][]int64{{4, 5}, {5, 4}, {6}}
	errs := make(chan error, 30)
	for i := range 30 {
		ids := orders[i%len(orders)]
		wg.Go(func() {
			res, err := c.QueryCertificates(ctxT(t), ids)
			if err == nil {
				var got []int64
				for _, cert := range res.Certificates {
					got = append(got, cert.ID)
				}
				if !slices.Equal(got, ids) {
					err = errors.New("certificates not in the order asked for")
				}
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	// A later read of a known set costs nothing.
	if _, err := c.QueryCertificates(ctxT(t), []int64{5, 4}); err != nil {
		t.Fatal(err)
	}
	if q := sim.Stats().Requests["certificate/query"]; q != 2 {
		t.Errorf("%d queries for 2 distinct id sets, want 2", q)
	}
}

func TestSharedAnswersKeepNoFailure(t *testing.T) {
	sim, srv := newSim(t)
	c := sharingClient(t, srv.URL)
	if _, err := c.QueryCertificates(ctxT(t), []int64{6}); err != nil { // logs in
		t.Fatal(err)
	}
	sim.FailNext(1, 501)
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err == nil {
		t.Fatal("want the injected failure")
	}
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatalf("a failure was kept: %v", err)
	}
}

func TestNoAnswersAfterClose(t *testing.T) {
	_, srv := newSim(t)
	c := sharingClient(t, srv.URL)
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(ctxT(t)); err != nil {
		t.Fatal(err)
	}
	if _, err := c.QueryCertificates(ctxT(t), []int64{4}); !errors.Is(err, errClosed) {
		t.Fatalf("read after Close: %v", err)
	}
}
