package main

import (
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestBlocksCycleOverFiveDistinctSets(t *testing.T) {
	c := cell{pbxs: 1, blocks: 100}
	distinct := map[string]int{}
	for i := range c.blocks {
		distinct[hclList(c.idsOf(i))]++
	}
	if len(distinct) != 5 || c.distinctSets() != 5 {
		t.Fatalf("%d distinct sets (%d counted), want 5", len(distinct), c.distinctSets())
	}
	for set, n := range distinct {
		if n != 20 {
			t.Errorf("set %s asked for by %d blocks, want 20", set, n)
		}
	}
}

func TestFloorRequests(t *testing.T) {
	cases := []struct {
		c    cell
		want int
	}{
		{cell{pbxs: 1, blocks: 1}, 3},
		{cell{pbxs: 1, blocks: 10}, 7},
		{cell{pbxs: 1, blocks: 100}, 7},
		{cell{pbxs: 10, blocks: 10}, 70},
		{cell{pbxs: 1, blocks: 1, tokenCache: true}, 1},
	}
	for _, tc := range cases {
		if got := tc.c.floorRequests(); got != tc.want {
			t.Errorf("%+v: floor %d, want %d", tc.c, got, tc.want)
		}
	}
}

func TestBothSidesHaveEveryBlock(t *testing.T) {
	f := &fleet{}
	c := cell{pbxs: 1, blocks: 10}
	a, b := providerConfig(c, f), floorConfig(c)
	if n := strings.Count(a, "data \"pbx_certificates\""); n != 10 {
		t.Fatalf("side A has %d data sources, want 10", n)
	}
	if strings.Contains(b, "pbx_certificates") || strings.Contains(b, "provider \"") || strings.Contains(b, "required_providers") {
		t.Fatal("the floor must not need the provider")
	}
	for i := range 10 {
		ref := blockName(0, i) + ".certificates[*].expires_at"
		if !strings.Contains(a, "data.pbx_certificates."+ref) || !strings.Contains(b, "local."+ref) {
			t.Fatalf("block %d does not reach the output on both sides", i)
		}
	}
	// The floor holds what the data source reads: 3 server certificates
	// with their 5 DNS-provider parameters in set 1, trusted ones after.
	if n := strings.Count(b, "\"AccessKeyId\""); n != 2*3 {
		t.Fatalf("floor holds %d AccessKeyId entries, want 6", n)
	}
	if !strings.Contains(b, `expires_at     = "2026-01-01T08:00:00Z"`) {
		t.Fatal("floor lacks the first certificate's expires_at in RFC 3339")
	}
}

func TestAliasesNameTheirPBX(t *testing.T) {
	f := &fleet{servers: []*httptest.Server{{URL: "https://127.0.0.1:1001"}, {URL: "https://127.0.0.1:1002"}}}
	a := providerConfig(cell{pbxs: 2, blocks: 3}, f)
	for p, url := range []string{"https://127.0.0.1:1001", "https://127.0.0.1:1002"} {
		alias := fmt.Sprintf("alias    = \"p%d\"\n  base_url = %q", p, url)
		if !strings.Contains(a, alias) {
			t.Fatalf("no alias p%d for %s in\n%s", p, url, a)
		}
		if n := strings.Count(a, fmt.Sprintf("provider = pbx.p%d\n", p)); n != 3 {
			t.Fatalf("alias p%d serves %d blocks, want 3", p, n)
		}
	}
}

func TestMedian(t *testing.T) {
	if got := median([]time.Duration{50, 10, 30}); got != 30 {
		t.Fatalf("median of 50, 10, 30 = %d", got)
	}
	in := []time.Duration{10, 40, 20, 30}
	if got := median(in); got != 25 {
		t.Fatalf("median of 10, 40, 20, 30 = %d", got)
	}
	if !slices.Equal(in, []time.Duration{10, 40, 20, 30}) {
		t.Fatal("median sorted its argument")
	}
}
