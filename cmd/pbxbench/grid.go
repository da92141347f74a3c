package main

import (
	"fmt"
	"time"
)

// A cell is one row of the table: a configuration planned against the
// simulated PBXs (side A) and against no provider at all (side B).
type cell struct {
	name       string
	pbxs       int // simulated PBXs, one provider alias each; 1 means the default provider
	blocks     int // pbx_certificates blocks per PBX
	latency    time.Duration
	tokenCache bool // a warm token_cache_dir (PBX_TOKEN_CACHE_DIR)
}

// grid is the grid, N × latency, plus the fleet row and the
// token-cache pair at 50 ms.
func grid() []cell {
	var cells []cell
	for _, ms := range []int{0, 20, 100} {
		for _, n := range []int{1, 10, 100} {
			cells = append(cells, cell{name: fmt.Sprintf("N=%d, %d ms", n, ms), pbxs: 1, blocks: n, latency: time.Duration(ms) * time.Millisecond})
		}
	}
	return append(cells,
		cell{name: "10 PBXs × 10 blocks, 20 ms", pbxs: fleetSize, blocks: 10, latency: 20 * time.Millisecond},
		cell{name: "N=1, 50 ms, no token cache", pbxs: 1, blocks: 1, latency: 50 * time.Millisecond},
		cell{name: "N=1, 50 ms, token cache warm", pbxs: 1, blocks: 1, latency: 50 * time.Millisecond, tokenCache: true},
	)
}

// idSets are the ID lists the blocks ask for, in turn: five distinct sets
// that cover a full PBX's 23 certificates, so with N > 5 blocks repeat
// sets, as data sources across a real configuration do.
var idSets = [][]int64{
	{1, 2, 3},
	{4, 5, 6, 7, 8},
	{9, 10, 11, 12, 13},
	{14, 15, 16, 17, 18},
	{19, 20, 21, 22, 23},
}

func (c cell) idsOf(block int) []int64 { return idSets[block%len(idSets)] }

func (c cell) distinctSets() int { return min(c.blocks, len(idSets)) }

// floorRequests is the target for one plan: per PBX a login, one
// query per distinct ID set, and a revoke; with a warm token cache only
// the queries.
func (c cell) floorRequests() int {
	if c.tokenCache {
		return c.pbxs * c.distinctSets()
	}
	return c.pbxs * (c.distinctSets() + 2)
}

// roundTrips is the "floor plus 3 round trips" allowance in time.
func (c cell) roundTrips(n int) time.Duration { return time.Duration(n) * c.latency }
