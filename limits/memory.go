package limits

import (
	"context"
	"sync"
	"time"
)

// Memory is a Limiter for one process.
type Memory struct {
	cfg Config
	now func() time.Time

	mu   sync.Mutex
	keys map[Key]*state
}

// MemoryOption configures a Memory limiter.
type MemoryOption func(*Memory)

// WithClock sets the memory limiter's clock (tests; Wait takes the
// matching sleep in Hooks).
func WithClock(now func() time.Time) MemoryOption { return func(m *Memory) { m.now = now } }

// WithConfig sets the adaptation of a memory limiter.
func WithConfig(c Config) MemoryOption { return func(m *Memory) { m.cfg = c.withDefaults() } }

// NewMemory returns an in-memory limiter.
func NewMemory(opts ...MemoryOption) *Memory {
	m := &Memory{cfg: DefaultConfig, now: time.Now, keys: map[Key]*state{}}
	for _, o := range opts {
		o(m)
	}
	return m
}

func (m *Memory) state(key Key, base float64) *state {
	s := m.keys[key]
	if s == nil {
		s = newState(base)
		m.keys[key] = s
	}
	s.clamp(base)
	return s
}

// Reserve implements Limiter.
func (m *Memory) Reserve(ctx context.Context, key Key, p Params) (Reservation, error) {
	if err := ctx.Err(); err != nil {
		return Reservation{}, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state(key, p.Rate).reserve(m.cfg, key, m.now().UnixMicro(), p)
}

// Confirm implements Limiter.
func (m *Memory) Confirm(ctx context.Context, r Reservation, p Params) (Reservation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state(r.Key, p.Rate).confirm(m.cfg, m.now().UnixMicro(), r, p)
}

// Cancel implements Limiter.
func (m *Memory) Cancel(ctx context.Context, r Reservation) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.keys[r.Key]; s != nil {
		s.cancel(r)
	}
	return nil
}

// Observe implements Limiter.
func (m *Memory) Observe(ctx context.Context, key Key, p Params, fb Feedback) (*Reservation, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state(key, p.Rate).observe(m.cfg, key, m.now().UnixMicro(), p, fb), nil
}

// Rate returns the key's current rate in requests a second (as Zoom
// counts them; the spacing is Config.Margin wider), 0 if it has no state.
func (m *Memory) Rate(key Key) float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	if s := m.keys[key]; s != nil {
		return s.eff(m.cfg, m.now().UnixMicro())
	}
	return 0
}

// MemoryCounter is a Counter for one process.
type MemoryCounter struct {
	mu     sync.Mutex
	counts map[string]int // day + "\x00" + key
	days   map[string]bool
}

// NewMemoryCounter returns an in-memory counter.
func NewMemoryCounter() *MemoryCounter {
	return &MemoryCounter{counts: map[string]int{}, days: map[string]bool{}}
}

func (c *MemoryCounter) slot(key string, day time.Time) string {
	d := UTCDay(day)
	if !c.days[d] {
		// A new day: drop the counts of days over (keep yesterday's, for
		// callers whose clocks lag).
		for k := range c.counts {
			if kd := k[:len(d)]; kd < UTCDay(day.AddDate(0, 0, -1)) {
				delete(c.counts, k)
				delete(c.days, kd)
			}
		}
		c.days[d] = true
	}
	return d + "\x00" + key
}

// Incr implements Counter.
func (c *MemoryCounter) Incr(ctx context.Context, key string, day time.Time, limit int) (int, bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := c.slot(key, day)
	n := c.counts[k]
	if limit > 0 && n >= limit {
		return n, false, nil
	}
	c.counts[k] = n + 1
	return n + 1, true, nil
}

// Decr implements Counter.
func (c *MemoryCounter) Decr(ctx context.Context, key string, day time.Time) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k := c.slot(key, day); c.counts[k] > 0 {
		c.counts[k]--
	}
	return nil
}

// Raise implements Counter.
func (c *MemoryCounter) Raise(ctx context.Context, key string, day time.Time, n int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if k := c.slot(key, day); c.counts[k] < n {
		c.counts[k] = n
	}
	return nil
}

// Count implements Counter.
func (c *MemoryCounter) Count(ctx context.Context, key string, day time.Time) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[c.slot(key, day)], nil
}
