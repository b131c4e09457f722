package limits

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/zoommcp/zoom-mcp/internal/redistest"
)

// TestRedisReplicasShareRate: two limiters (replicas) on one Redis admit
// 40 callers at the combined rate of 20/s, not twice it, evenly spaced.
func TestRedisReplicasShareRate(t *testing.T) {
	srv := redistest.Start(t)
	a, b := NewRedis(srv.Client(t)), NewRedis(srv.Client(t))
	var (
		mu sync.Mutex
		at []int64 // the admitted slots, µs of Redis's clock
	)
	var wg sync.WaitGroup
	start := time.Now()
	for i := range 40 {
		l := a
		if i%2 == 1 {
			l = b
		}
		wg.Go(func() {
			r, _, err := Wait(t.Context(), l, key, Params{Rate: 20}, Hooks{})
			if err != nil {
				t.Error(err)
			}
			mu.Lock()
			at = append(at, r.Slot)
			mu.Unlock()
		})
	}
	wg.Wait()
	took := time.Since(start)
	// 40 at 20/s × Margin: the last after 39 × 52.5 ms ≈ 2.05 s.
	if took < 1900*time.Millisecond || took > 4*time.Second {
		t.Errorf("40 calls at a shared 20/s took %v, want about 2.15s", took)
	}
	// The slots, not the wake-ups (which a loaded machine delays and
	// bunches), are what the limiter promises to space.
	for _, x := range at {
		n := 0
		for _, y := range at {
			if y >= x && y-x < int64(time.Second/time.Microsecond) {
				n++
			}
		}
		if n > 20 {
			t.Fatalf("%d admissions within a second", n)
		}
	}
	t.Logf("40 calls over two replicas at 20/s: %v", took)
}

// TestRedisAdaptationShared: a 429 observed by one replica slows the other.
func TestRedisAdaptationShared(t *testing.T) {
	srv := redistest.Start(t)
	a, b := NewRedis(srv.Client(t)), NewRedis(srv.Client(t))
	ctx := t.Context()
	r, err := a.Reserve(ctx, key, Params{Rate: 10})
	if err != nil {
		t.Fatal(err)
	}
	w, _ := b.Reserve(ctx, key, Params{Rate: 10})
	retry, err := a.Observe(ctx, key, Params{Rate: 10}, Feedback{Type: "QPS", Limit: 2, TooMany: true, RetryAfter: time.Second, Epoch: r.Epoch, Slot: r.Slot})
	if err != nil || retry == nil || retry.Wait < 900*time.Millisecond {
		t.Fatalf("retry %+v, %v", retry, err)
	}
	c, err := b.Confirm(ctx, w, Params{Rate: 10})
	if want := int64(DefaultConfig.Margin / 2 * 1e6); err != nil || c.Slot-retry.Slot != want {
		t.Errorf("other replica's waiter moved to %d µs after the retry, want %d (%v)", c.Slot-retry.Slot, want, err)
	}
	if rate, _ := b.Rate(ctx, key); rate != 2 {
		t.Errorf("rate seen by the other replica: %v", rate)
	}
	// Refusal beyond the deadline consumes nothing; cancel gives back.
	n1, _ := b.Reserve(ctx, key, Params{Rate: 10})
	_ = b.Cancel(ctx, n1)
	if _, err := a.Reserve(ctx, key, Params{Rate: 10, MaxWait: time.Millisecond}); err == nil {
		t.Fatal("slot beyond the deadline admitted")
	}
	n2, _ := a.Reserve(ctx, key, Params{Rate: 10})
	if n2.Slot != n1.Slot {
		t.Errorf("slot %d after refusal and cancel, want %d", n2.Slot, n1.Slot)
	}
}

func TestRedisCounter(t *testing.T) {
	srv := redistest.Start(t)
	t0 := time.Now() // Redis expires the counters by its own clock
	testCounter(t, NewRedisCounter(srv.Client(t)), t0)
	// Shared: another replica sees the counts.
	other := NewRedisCounter(srv.Client(t))
	if n, _ := other.Count(t.Context(), "other", t0); n != 7 {
		t.Errorf("other replica counts %d", n)
	}
	ttl := srv.Client(t).TTL(t.Context(), DefaultPrefix+"day:"+UTCDay(t0)+":other").Val()
	if ttl <= 0 {
		t.Errorf("counter without expiry: %v", ttl)
	}
}

// TestRedisDown: an unreachable Redis fails closed with the clear error.
func TestRedisDown(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1, DialTimeout: 200 * time.Millisecond})
	defer rdb.Close()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	_, err := NewRedis(rdb).Reserve(ctx, key, Params{Rate: 10})
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("limiter: err = %v", err)
	}
	_, _, err = NewRedisCounter(rdb).Incr(ctx, "k", t0, 3)
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("counter: err = %v", err)
	}
	t.Log(err)
}
