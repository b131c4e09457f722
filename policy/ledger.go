package policy

import (
	"context"
	"sync"
	"time"

	"github.com/zoommcp/zoom-mcp/limits"
)

// Ledger keeps the state the limits need across calls: which meetings and
// webinars each agent's calls created (limits "own") and how many daily
// writes each agent made per UTC day (limits.daily_writes). Replicas of
// one deployment must share it; the in-memory ledger serves one process,
// and is rebuilt from the audit log at start-up.
type Ledger interface {
	// Own records that agent's call created the object kind/id.
	Own(ctx context.Context, agent, kind, id string) error
	// Owns reports whether agent's calls created kind/id.
	Owns(ctx context.Context, agent, kind, id string) (bool, error)
	// Reserve takes one of agent's daily writes of day (yyyy-mm-dd, UTC)
	// if fewer than limit were taken; used is the count before.
	Reserve(ctx context.Context, agent, day string, limit int) (used int, ok bool, err error)
	// Release gives back a write Reserve took for a call that did not
	// reach Zoom or that Zoom refused.
	Release(ctx context.Context, agent, day string) error
}

// MemoryLedger is a Ledger in this process's memory.
type MemoryLedger struct {
	mu     sync.Mutex
	owned  map[string]bool // agent \x00 kind \x00 id
	writes map[string]int  // agent \x00 day
}

// NewMemoryLedger returns an empty ledger.
func NewMemoryLedger() *MemoryLedger {
	return &MemoryLedger{owned: map[string]bool{}, writes: map[string]int{}}
}

// Own implements Ledger.
func (m *MemoryLedger) Own(_ context.Context, agent, kind, id string) error {
	m.mu.Lock()
	m.owned[agent+"\x00"+kind+"\x00"+id] = true
	m.mu.Unlock()
	return nil
}

// Owns implements Ledger.
func (m *MemoryLedger) Owns(_ context.Context, agent, kind, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.owned[agent+"\x00"+kind+"\x00"+id], nil
}

// Reserve implements Ledger.
func (m *MemoryLedger) Reserve(_ context.Context, agent, day string, limit int) (int, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := agent + "\x00" + day
	used := m.writes[k]
	if used >= limit {
		return used, false, nil
	}
	m.writes[k] = used + 1
	return used, true, nil
}

// Release implements Ledger.
func (m *MemoryLedger) Release(_ context.Context, agent, day string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := agent + "\x00" + day
	if m.writes[k] > 0 {
		m.writes[k]--
	}
	return nil
}

// Count adds n writes of day to agent without a limit (rebuilding the
// ledger from the audit log).
func (m *MemoryLedger) Count(agent, day string, n int) {
	m.mu.Lock()
	m.writes[agent+"\x00"+day] += n
	m.mu.Unlock()
}

// Owners records which agent created which meeting or webinar (for the
// "own" limits). MemoryLedger is one; redisstate.Owners shares them.
type Owners interface {
	Own(ctx context.Context, agent, kind, id string) error
	Owns(ctx context.Context, agent, kind, id string) (bool, error)
}

// CounterLedger is a Ledger whose daily writes live in a limits.Counter:
// the counter the Zoom clients count Zoom's own daily limits in, in
// memory or shared by replicas through Redis, so that the per-agent
// budgets and Zoom's limits are enforced from the same counters.
type CounterLedger struct {
	Counter limits.Counter
	Owners  Owners
}

func writesKey(agent string) string { return "agent-writes:" + agent }

func parseDay(day string) (time.Time, error) { return time.Parse(time.DateOnly, day) }

// Own implements Ledger.
func (l CounterLedger) Own(ctx context.Context, agent, kind, id string) error {
	return l.Owners.Own(ctx, agent, kind, id)
}

// Owns implements Ledger.
func (l CounterLedger) Owns(ctx context.Context, agent, kind, id string) (bool, error) {
	return l.Owners.Owns(ctx, agent, kind, id)
}

// Reserve implements Ledger.
func (l CounterLedger) Reserve(ctx context.Context, agent, day string, limit int) (int, bool, error) {
	d, err := parseDay(day)
	if err != nil {
		return 0, false, err
	}
	n, ok, err := l.Counter.Incr(ctx, writesKey(agent), d, limit)
	if err != nil || !ok {
		return n, false, err
	}
	return n - 1, true, nil
}

// Release implements Ledger.
func (l CounterLedger) Release(ctx context.Context, agent, day string) error {
	d, err := parseDay(day)
	if err != nil {
		return err
	}
	return l.Counter.Decr(ctx, writesKey(agent), d)
}

// Raise makes agent's writes of day at least n (rebuilding from the audit
// log: with replicas, the shared count already holds the others' writes).
func (l CounterLedger) Raise(ctx context.Context, agent, day string, n int) error {
	d, err := parseDay(day)
	if err != nil {
		return err
	}
	return l.Counter.Raise(ctx, writesKey(agent), d, n)
}
