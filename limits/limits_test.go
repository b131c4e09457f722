package limits

import (
	"context"
	"errors"
	"sync"
	"testing"
	"testing/synctest"
	"time"
)

var t0 = time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)

// fakeClock is a clock that moves only when told.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

var key = Key{Account: "a", Category: "HEAVY"}

// iv is the spacing at 10 calls a second: 1/10 s, Margin wider.
var iv = time.Duration(float64(100*time.Millisecond) * DefaultConfig.Margin)

// TestEvenSpacingFCFS: 50 callers arriving at once get slots in arrival
// order, one interval (1.1/rate) apart: no burst, and the last waits the
// fair n/rate (×1.1), not more.
func TestEvenSpacingFCFS(t *testing.T) {
	clk := &fakeClock{now: t0}
	m := NewMemory(WithClock(clk.Now))
	p := Params{Rate: 10}
	var prev Reservation
	for i := range 50 {
		r, err := m.Reserve(t.Context(), key, p)
		if err != nil {
			t.Fatal(err)
		}
		want := time.Duration(i) * iv
		if r.Wait != want {
			t.Fatalf("caller %d waits %v, want %v", i, r.Wait, want)
		}
		if i > 0 && r.Slot <= prev.Slot {
			t.Fatalf("caller %d slot %d not after caller %d's %d", i, r.Slot, i-1, prev.Slot)
		}
		prev = r
	}
	if fair := 50 * time.Second / 10 * 11 / 10; prev.Wait > fair {
		t.Errorf("p100 wait %v > fair %v", prev.Wait, fair)
	}
}

// TestConcurrentWaitersFCFS: 50 goroutines arriving in order are admitted
// in that order, evenly spaced, in a fake-time bubble.
func TestConcurrentWaitersFCFS(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := NewMemory()
		var (
			mu    sync.Mutex
			order []int
			at    []time.Time
		)
		start := time.Now()
		var wg sync.WaitGroup
		for i := range 50 {
			wg.Go(func() {
				if _, _, err := Wait(t.Context(), m, key, Params{Rate: 10}, Hooks{}); err != nil {
					t.Error(err)
				}
				mu.Lock()
				order = append(order, i)
				at = append(at, time.Now())
				mu.Unlock()
			})
			synctest.Wait() // arrival order
		}
		wg.Wait()
		for i := range order {
			if order[i] != i {
				t.Fatalf("admission order %v", order)
			}
			if d := at[i].Sub(start); d != time.Duration(i)*iv {
				t.Fatalf("caller %d admitted after %v", i, d)
			}
		}
	})
}

// TestDeadlineRefusalConsumesNothing: a slot beyond MaxWait is refused at
// once and the next caller gets the same slot.
func TestDeadlineRefusalConsumesNothing(t *testing.T) {
	clk := &fakeClock{now: t0}
	m := NewMemory(WithClock(clk.Now))
	for range 10 {
		_, _ = m.Reserve(t.Context(), key, Params{Rate: 10})
	}
	_, err := m.Reserve(t.Context(), key, Params{Rate: 10, MaxWait: 500 * time.Millisecond})
	var re *RefusedError
	if !errors.As(err, &re) || !re.BeyondDeadline || re.RetryAfter != 10*iv || re.Ahead != 9 {
		t.Fatalf("err = %v (%+v)", err, re)
	}
	r, _ := m.Reserve(t.Context(), key, Params{Rate: 10})
	if r.Wait != 10*iv {
		t.Errorf("after a refusal the next slot is %v away, want 1.1s", r.Wait)
	}
	if _, err := m.Reserve(t.Context(), key, Params{Rate: 10, MaxQueue: 5}); !errors.As(err, &re) || re.BeyondDeadline {
		t.Errorf("queue bound: %v", err)
	}
}

// TestCancelGivesSlotBack: a waiter whose context ends returns at once
// and, being last, gives its slot back.
func TestCancelGivesSlotBack(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m := NewMemory()
		for range 5 {
			_, _ = m.Reserve(t.Context(), key, Params{Rate: 10})
		}
		ctx, cancel := context.WithCancel(t.Context())
		defer cancel()
		time.AfterFunc(100*time.Millisecond, cancel)
		start := time.Now()
		_, _, err := Wait(ctx, m, key, Params{Rate: 10}, Hooks{})
		if !errors.Is(err, context.Canceled) || time.Since(start) != 100*time.Millisecond {
			t.Fatalf("err %v after %v", err, time.Since(start))
		}
		r, _ := m.Reserve(t.Context(), key, Params{Rate: 10})
		if want := 5*iv - 100*time.Millisecond; r.Wait != want {
			t.Errorf("next slot %v away, want %v (the cancelled slot given back)", r.Wait, want)
		}
	})
}

// TestAdaptation: a QPS 429 with X-RateLimit-Limit lowers the rate to it
// and respaces the waiters behind Retry-After, the retry first; without a
// limit the rate halves, never below the floor; after the quiet period it
// recovers to the start rate.
func TestAdaptation(t *testing.T) {
	clk := &fakeClock{now: t0}
	m := NewMemory(WithClock(clk.Now))
	p := Params{Rate: 10}
	first, _ := m.Reserve(t.Context(), key, p)
	var waiters []Reservation
	for range 3 {
		r, _ := m.Reserve(t.Context(), key, p)
		waiters = append(waiters, r)
	}
	retry, _ := m.Observe(t.Context(), key, p, Feedback{Type: "QPS", Limit: 2, TooMany: true, RetryAfter: time.Second, Epoch: first.Epoch, Slot: first.Slot})
	if retry == nil || retry.Wait != time.Second {
		t.Fatalf("retry %+v, want a slot at Retry-After", retry)
	}
	if got := m.Rate(key); got != 2 {
		t.Fatalf("rate %v after a 429 with limit 2", got)
	}
	prev := retry.Slot
	for i, w := range waiters {
		c, err := m.Confirm(t.Context(), w, p)
		if err != nil {
			t.Fatal(err)
		}
		if want := int64(DefaultConfig.Margin / 2 * 1e6); c.Slot-prev != want {
			t.Errorf("waiter %d: %dµs after the previous, want %d (Margin/2 s)", i, c.Slot-prev, want)
		}
		prev = c.Slot
	}
	// A second 429 of a request admitted before the change: no new cut.
	_, _ = m.Observe(t.Context(), key, p, Feedback{Type: "QPS", Limit: 2, TooMany: true, RetryAfter: time.Second, Epoch: first.Epoch})
	if got := m.Rate(key); got != 2 {
		t.Fatalf("a stale 429 cut the rate to %v", got)
	}
	// Without a limit: halves, down to the floor.
	for range 10 {
		r, _ := m.Reserve(t.Context(), key, p)
		_, _ = m.Observe(t.Context(), key, p, Feedback{TooMany: true, Epoch: r.Epoch})
	}
	if got := m.Rate(key); got != DefaultConfig.Floor {
		t.Fatalf("rate %v, want the floor %v", got, DefaultConfig.Floor)
	}
	clk.Advance(DefaultConfig.Quiet)
	if got := m.Rate(key); got != DefaultConfig.Floor {
		t.Errorf("recovered within the quiet period: %v", got)
	}
	clk.Advance(5 * time.Second)
	if got := m.Rate(key); got < 0.69 || got > 0.71 {
		t.Errorf("after 5s of recovery the rate is %v, want 0.2 + 5s × 0.05 × 2/s", got)
	}
	clk.Advance(time.Minute)
	if got := m.Rate(key); got != 2 {
		t.Errorf("recovered to %v, want the observed limit 2", got)
	}
	// A success reporting Zoom's limit higher lets it back to the plan's.
	_, _ = m.Observe(t.Context(), key, p, Feedback{Type: "QPS", Limit: 30})
	if got := m.Rate(key); got != 10 {
		t.Errorf("rate %v, want the start rate 10", got)
	}
}

func TestMemoryCounter(t *testing.T) {
	c := NewMemoryCounter()
	testCounter(t, c, t0)
}

func testCounter(t *testing.T, c Counter, t0 time.Time) {
	ctx := t.Context()
	for i := 1; i <= 3; i++ {
		n, ok, err := c.Incr(ctx, "k", t0, 3)
		if err != nil || !ok || n != i {
			t.Fatalf("incr %d: %d %v %v", i, n, ok, err)
		}
	}
	if n, ok, _ := c.Incr(ctx, "k", t0, 3); ok || n != 3 {
		t.Fatalf("over the limit: %d %v", n, ok)
	}
	if n, ok, _ := c.Incr(ctx, "k", t0.AddDate(0, 0, 1), 3); !ok || n != 1 {
		t.Errorf("next day: %d %v", n, ok)
	}
	_ = c.Decr(ctx, "k", t0)
	_ = c.Raise(ctx, "other", t0, 7)
	if n, _ := c.Count(ctx, "k", t0); n != 2 {
		t.Errorf("after decr: %d", n)
	}
	if n, _ := c.Count(ctx, "other", t0); n != 7 {
		t.Errorf("after raise: %d", n)
	}
}

// TestGentleStepAtTheRightRate: a 429 whose X-RateLimit-Limit is the rate
// already paced to steps the rate down a tenth, not by half: the 429 came
// from jitter, and halving cost a long run a quarter of its rate.
func TestGentleStepAtTheRightRate(t *testing.T) {
	clk := &fakeClock{now: t0}
	m := NewMemory(WithClock(clk.Now))
	p := Params{Rate: 10}
	first, _ := m.Reserve(t.Context(), key, p)
	if _, err := m.Observe(t.Context(), key, p, Feedback{Type: "QPS", Limit: 10, TooMany: true, RetryAfter: time.Second, Epoch: first.Epoch, Slot: first.Slot}); err != nil {
		t.Fatal(err)
	}
	if got := m.Rate(key); got != 9 {
		t.Errorf("rate %v after a 429 at Zoom's own limit, want 9", got)
	}
	second, _ := m.Reserve(t.Context(), key, p)
	if _, err := m.Observe(t.Context(), key, p, Feedback{Type: "QPS", TooMany: true, RetryAfter: time.Second, Epoch: second.Epoch, Slot: second.Slot}); err != nil {
		t.Fatal(err)
	}
	if got := m.Rate(key); got != 4.5 {
		t.Errorf("rate %v after a 429 without a limit, want halved to 4.5", got)
	}
}
