package provider

import (
	"sync"

	"github.com/hashicorp/terraform-plugin-go/tftypes"
)

// readMemo keeps the state each distinct ids list produced in this
// process. The client already shares the PBX's answer; turning it into
// state by reflection was then the largest CPU cost of a plan with many
// blocks. Reads with diagnostics are not kept, so every block still shows
// its own warnings.
type readMemo struct {
	mu     sync.Mutex
	states map[string]tftypes.Value
}

func (m *readMemo) get(key string) (tftypes.Value, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	state, ok := m.states[key]
	return state, ok
}

func (m *readMemo) put(key string, state tftypes.Value) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.states == nil {
		m.states = map[string]tftypes.Value{}
	}
	m.states[key] = state
}
