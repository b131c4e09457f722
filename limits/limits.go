// Package limits holds the shared state of rate limiting: admission per
// key (a Limiter: fair, first come first served, evenly spaced, adapting to
// what Zoom answers) and daily counters (a Counter). Each has an in-memory
// implementation for one process and a Redis one shared by replicas.
package limits

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Key names what one rate applies to: an account and a rate-limit category
// (LIGHT, MEDIUM, HEAVY, RESOURCE_INTENSIVE).
type Key struct {
	Account  string
	Category string
}

func (k Key) String() string { return k.Account + ":" + k.Category }

// Params are what a caller tells the limiter with each request.
type Params struct {
	// Rate is the starting rate, in requests a second as Zoom counts them
	// (the plan's figure): the rate of a key with no state yet, and the
	// ceiling it recovers to. The limiter spaces calls Config.Margin wider.
	Rate float64
	// MaxWait refuses a reservation whose slot lies further ahead (the
	// caller's deadline); 0: no bound.
	MaxWait time.Duration
	// MaxQueue refuses a reservation with this many or more reservations
	// ahead of it; 0: no bound.
	MaxQueue int
}

// Reservation is a slot reserved for one request.
type Reservation struct {
	Key   Key
	Wait  time.Duration // from the limiter's now until the slot; <= 0: go
	Ahead int           // reservations ahead of this one when it was made
	Slot  int64         // the slot, in microseconds of the limiter's clock
	TAT   int64         // the key's next free slot right after this reservation
	Epoch int64         // the key's adjustment epoch the slot belongs to
}

// Feedback is what Zoom said about a request.
type Feedback struct {
	Type       string        // X-RateLimit-Type: QPS or Daily-limit
	Limit      int           // X-RateLimit-Limit, 0 if absent
	Remaining  int           // X-RateLimit-Remaining, -1 if absent
	RetryAfter time.Duration // Retry-After, from now; 0 if absent
	TooMany    bool          // the answer was a 429
	Daily      bool          // a daily limit (never paced here: see Counter)
	Epoch      int64         // Reservation.Epoch of the request
	Slot       int64         // Reservation.Slot of the request, 0 if unknown
}

// QPS reports whether the feedback is about a per-second limit.
func (f Feedback) QPS() bool { return equalFold(f.Type, "QPS") }

// Limiter admits requests per key, first come first served and evenly
// spaced: each caller reserves the next slot (slot = max(tat, now), tat =
// slot + interval) and sleeps until it (see Wait). It is safe for concurrent
// use; the Redis one is shared by every replica on the same Redis.
type Limiter interface {
	// Reserve reserves the next slot of key, or refuses with *RefusedError,
	// consuming nothing, when it lies beyond p.MaxWait or p.MaxQueue.
	Reserve(ctx context.Context, key Key, p Params) (Reservation, error)
	// Confirm re-checks a reservation whose slot has come: the key's rate
	// may have been lowered, or its slots pushed past a Retry-After, since
	// it was made. The returned reservation's Wait says how much longer to
	// wait (<= 0: go). A slot moved beyond p.MaxWait is refused.
	Confirm(ctx context.Context, r Reservation, p Params) (Reservation, error)
	// Cancel gives back a reservation that will not be used, where that is
	// safe: when it is still the last one of its key.
	Cancel(ctx context.Context, r Reservation) error
	// Observe adapts the key's rate to Zoom's answer. For a per-second
	// 429 it returns a reservation for the retry, at Zoom's Retry-After
	// and ahead of the waiters, or nil when that lies beyond p.MaxWait.
	Observe(ctx context.Context, key Key, p Params, fb Feedback) (*Reservation, error)
}

// Counter counts per key per UTC day, in counters that expire after the
// day. It is safe for concurrent use.
type Counter interface {
	// Incr adds one to key's count for day's UTC date unless the count has
	// reached limit (limit <= 0: no limit). It returns the count after, and
	// ok false (nothing added) when refused.
	Incr(ctx context.Context, key string, day time.Time, limit int) (count int, ok bool, err error)
	// Decr takes back one Incr (of a request that was not sent after all).
	Decr(ctx context.Context, key string, day time.Time) error
	// Raise sets the count to n if it is lower: what Zoom reported used.
	Raise(ctx context.Context, key string, day time.Time, n int) error
	// Count returns the count.
	Count(ctx context.Context, key string, day time.Time) (int, error)
}

// Config tunes the adaptation; DefaultConfig is used where it is zero.
type Config struct {
	// Margin spaces requests this much wider than the rate (1.05: a
	// twentieth, 50 ms of jitter in Zoom's second; 1.1 capped the rate at 91%),
	// for the jitter between admission here and arrival at Zoom.
	Margin float64
	// Decrease multiplies the rate on a per-second 429 without a usable
	// X-RateLimit-Limit.
	Decrease float64
	// Floor is the lowest rate, in requests a second.
	Floor float64
	// Quiet is how long after the last lowering the rate starts to
	// recover; it then grows by Recover times its ceiling each second.
	Quiet   time.Duration
	Recover float64
	// Transforms is how many past adjustments are kept for waiters that
	// slept through them; older waiters re-reserve.
	Transforms int
}

// DefaultConfig is the default adaptation.
var DefaultConfig = Config{Margin: 1.05, Decrease: 0.5, Floor: 0.2, Quiet: 10 * time.Second, Recover: 0.05, Transforms: 16}

func (c Config) withDefaults() Config {
	d := DefaultConfig
	if c.Margin >= 1 {
		d.Margin = c.Margin
	}
	if c.Decrease > 0 && c.Decrease < 1 {
		d.Decrease = c.Decrease
	}
	if c.Floor > 0 {
		d.Floor = c.Floor
	}
	if c.Quiet > 0 {
		d.Quiet = c.Quiet
	}
	if c.Recover > 0 {
		d.Recover = c.Recover
	}
	if c.Transforms > 0 {
		d.Transforms = c.Transforms
	}
	return d
}

// RefusedError is a reservation refused, consuming nothing: its slot would
// lie beyond the caller's deadline (BeyondDeadline) or behind too many
// others. Nothing was sent. RetryAfter is when the slot would have come.
type RefusedError struct {
	Key            Key
	Ahead          int
	RetryAfter     time.Duration
	BeyondDeadline bool
}

func (e *RefusedError) Error() string {
	why := fmt.Sprintf("%d requests are queued ahead", e.Ahead)
	if e.BeyondDeadline {
		why = "the next slot lies beyond the deadline"
	}
	return fmt.Sprintf("limits: %s: %s; not admitted, retry in %v", e.Key, why, e.RetryAfter.Round(time.Millisecond))
}

// ErrUnavailable matches an *UnavailableError with errors.Is.
var ErrUnavailable = errors.New("the shared rate limiter (Redis) is unreachable")

// UnavailableError is the shared store failing: the call fails closed,
// nothing is sent.
type UnavailableError struct {
	Op  string
	Err error
}

func (e *UnavailableError) Error() string {
	return fmt.Sprintf("the shared rate limiter (Redis) is unreachable, nothing was sent (%s: %v)", e.Op, e.Err)
}
func (e *UnavailableError) Unwrap() error   { return e.Err }
func (e *UnavailableError) Is(t error) bool { return t == ErrUnavailable }

// Hooks are the clock and callbacks of Wait.
type Hooks struct {
	Now   func() time.Time                                 // default time.Now
	Sleep func(ctx context.Context, d time.Duration) error // default a timer or ctx
	// Progress, if set, is called about once a second while a wait that
	// is expected to last more than a second goes on.
	Progress func(waited, expected time.Duration)
}

// Wait reserves a slot of key and sleeps until it; see WaitFor.
func Wait(ctx context.Context, l Limiter, key Key, p Params, h Hooks) (Reservation, time.Duration, error) {
	p.MaxWait = maxWait(ctx, p.MaxWait, h.now())
	r, err := l.Reserve(ctx, key, p)
	if err != nil {
		return r, 0, err
	}
	return WaitFor(ctx, l, r, p, h)
}

// WaitFor sleeps until r's slot, confirming it each time it comes, and
// returns the reservation admitted and how long it waited. A context that
// ends stops it at once and gives the slot back where safe.
func WaitFor(ctx context.Context, l Limiter, r Reservation, p Params, h Hooks) (Reservation, time.Duration, error) {
	start := h.now()
	for r.Wait > 0 {
		if err := h.sleep(ctx, r.Wait, start); err != nil {
			_ = l.Cancel(context.WithoutCancel(ctx), r)
			return r, h.now().Sub(start), err
		}
		p.MaxWait = maxWait(ctx, p.MaxWait, h.now())
		next, err := l.Confirm(ctx, r, p)
		if err != nil {
			return r, h.now().Sub(start), err
		}
		r = next
	}
	return r, h.now().Sub(start), nil
}

// maxWait narrows limit (0: none) to ctx's deadline.
func maxWait(ctx context.Context, limit time.Duration, now time.Time) time.Duration {
	if dl, ok := ctx.Deadline(); ok {
		d := max(dl.Sub(now), time.Nanosecond)
		if limit <= 0 || d < limit {
			return d
		}
	}
	return limit
}

func (h Hooks) now() time.Time {
	if h.Now != nil {
		return h.Now()
	}
	return time.Now()
}

// sleep sleeps d, reporting progress of the wait begun at start.
func (h Hooks) sleep(ctx context.Context, d time.Duration, start time.Time) error {
	sl := h.Sleep
	if sl == nil {
		sl = Sleep
	}
	if h.Progress == nil {
		return sl(ctx, d)
	}
	end := h.now().Add(d)
	for {
		now := h.now()
		left := end.Sub(now)
		if left <= 0 {
			return nil
		}
		waited := now.Sub(start)
		if waited+left > time.Second {
			h.Progress(waited, waited+left)
		}
		if err := sl(ctx, min(left, time.Second)); err != nil {
			return err
		}
	}
}

// Sleep waits d, or until ctx ends (its error then).
func Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// UTCDay is the date of t in UTC, as counters key it.
func UTCDay(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// NextUTCMidnight is when the counters of t's day reset.
func NextUTCMidnight(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

func equalFold(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// SleepFor sleeps d with h's sleep, reporting progress as Wait does.
func (h Hooks) SleepFor(ctx context.Context, d time.Duration) error {
	return h.sleep(ctx, d, h.now())
}
