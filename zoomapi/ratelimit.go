package zoomapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Plan is a Zoom account plan; per-second rate limits depend on it.
type Plan string

// Zoom plans with distinct rate limits. Business also covers Education,
// Enterprise and Partner accounts.
const (
	PlanFree     Plan = "free"
	PlanPro      Plan = "pro"
	PlanBusiness Plan = "business"
)

// PlanLimit is one label's limits on one plan.
type PlanLimit struct {
	PerSecond int
	PerDay    int // 0: no daily limit of its own
}

// planLimits are Zoom's published account-wide limits per label and plan.
var planLimits = map[Plan]map[RateLimit]PlanLimit{
	PlanFree: {
		RateLight:  {PerSecond: 4, PerDay: 6000},
		RateMedium: {PerSecond: 2, PerDay: 2000},
		RateHeavy:  {PerSecond: 1, PerDay: 1000},
	},
	PlanPro: {
		RateLight:  {PerSecond: 30},
		RateMedium: {PerSecond: 20},
		RateHeavy:  {PerSecond: 10, PerDay: 30000},
	},
	PlanBusiness: {
		RateLight:  {PerSecond: 80},
		RateMedium: {PerSecond: 60},
		RateHeavy:  {PerSecond: 40, PerDay: 60000},
	},
}

// Limits returns Zoom's limits for a label on a plan.
func Limits(p Plan, l RateLimit) (PlanLimit, bool) {
	pl, ok := planLimits[p][l]
	return pl, ok
}

// DailyUserLimit is Zoom's per-user limit of meeting and webinar create and
// update requests a day (reset 00:00 UTC).
const DailyUserLimit = 100

// pacer keeps calls inside the per-second limits, so that a busy agent waits
// a few milliseconds instead of collecting 429s. A nil pacer never waits.
type pacer struct {
	windows map[RateLimit]*window
}

func newPacer(p Plan) *pacer {
	pc := &pacer{windows: map[RateLimit]*window{}}
	for label, l := range planLimits[p] {
		pc.windows[label] = newWindow(l.PerSecond, time.Second+paceMargin)
		pc.windows[label].maxWaiting = DefaultMaxQueue
	}
	return pc
}

// DefaultMaxQueue is how many calls may wait in the pacer for one rate-limit
// label before the next is refused with *QueueFullError (see WithMaxQueue).
const DefaultMaxQueue = 256

// setMaxQueue bounds the waiters of every window.
func (p *pacer) setMaxQueue(n int) {
	if p == nil {
		return
	}
	for _, w := range p.windows {
		w.mu.Lock()
		w.maxWaiting = n
		w.mu.Unlock()
	}
}

// paceMargin widens the pacing window beyond Zoom's second, for the
// jitter between admitting a request here and its arrival at Zoom: two
// requests admitted a window apart must not land in one of Zoom's seconds.
// It costs a tenth of the limit, and only at full speed.
const paceMargin = 100 * time.Millisecond

func (p *pacer) wait(ctx context.Context, label RateLimit) error {
	if p == nil {
		return nil
	}
	if w := p.windows[label]; w != nil {
		if err := w.wait(ctx); err != nil {
			var qf *QueueFullError
			if errors.As(err, &qf) {
				qf.Category = label
			}
			return err
		}
	}
	return nil
}

// QueueFullError is a call refused at once, and not sent, because too many
// calls already wait in the client for the same rate-limit label (see
// WithMaxQueue): queueing it too would only make every caller wait longer.
// RetryAfter estimates when the waiting calls will have been sent. It
// matches ErrRateLimited with errors.Is.
type QueueFullError struct {
	Category   RateLimit     // the rate-limit label of the endpoint
	Waiting    int           // calls waiting when this one was refused
	RetryAfter time.Duration // estimated time until the queue has drained
}

func (e *QueueFullError) Error() string {
	return fmt.Sprintf("zoomapi: %d calls already wait for Zoom's %s rate limit; call not sent, retry in %v",
		e.Waiting, e.Category, e.RetryAfter.Round(time.Millisecond))
}

// Is makes QueueFullError match ErrRateLimited.
func (e *QueueFullError) Is(t error) bool { return t == ErrRateLimited }

// window admits at most limit calls in any span of time: a sliding-window
// log. Whatever second Zoom counts in, it sees no more than limit calls, and
// calls below the limit never wait. (A token bucket with a burst of limit
// would let nearly twice the limit into one second.) At most maxWaiting
// calls wait for a slot (none if maxWaiting is 0: no bound); the next is
// refused with *QueueFullError.
type window struct {
	span       time.Duration
	mu         sync.Mutex
	log        []time.Time // when the last len(log) calls were admitted, a ring
	next       int         // the oldest entry, overwritten by the next admission
	waiting    int         // calls sleeping until a slot frees
	maxWaiting int         // bound on waiting; 0: none

	admitted func(time.Time) // tests: told of each admission, under mu
}

func newWindow(limit int, span time.Duration) *window {
	return &window{span: span, log: make([]time.Time, max(limit, 1))}
}

func (w *window) wait(ctx context.Context) error {
	queued := false
	for {
		w.mu.Lock()
		now := time.Now()
		oldest := w.log[w.next]
		if oldest.IsZero() || now.Sub(oldest) >= w.span {
			w.log[w.next] = now
			w.next = (w.next + 1) % len(w.log)
			if queued {
				w.waiting--
			}
			if w.admitted != nil {
				w.admitted(now)
			}
			w.mu.Unlock()
			return nil
		}
		d := w.span - now.Sub(oldest)
		if !queued {
			if w.maxWaiting > 0 && w.waiting >= w.maxWaiting {
				err := &QueueFullError{Waiting: w.waiting, RetryAfter: d + time.Duration(w.waiting/len(w.log))*w.span}
				w.mu.Unlock()
				return err
			}
			w.waiting++
			queued = true
		}
		w.mu.Unlock()
		if err := sleep(ctx, d); err != nil {
			w.mu.Lock()
			w.waiting--
			w.mu.Unlock()
			return err
		}
	}
}

// Rate is the rate-limit state Zoom reported with a response.
type Rate struct {
	Category  string // X-RateLimit-Category: Light, Medium, Heavy
	Type      string // X-RateLimit-Type: QPS or Daily-limit
	Limit     int    // X-RateLimit-Limit
	Remaining int    // X-RateLimit-Remaining, -1 if absent
}

func parseRate(h http.Header) Rate {
	r := Rate{Category: h.Get("X-RateLimit-Category"), Type: h.Get("X-RateLimit-Type"), Remaining: -1}
	r.Limit, _ = strconv.Atoi(h.Get("X-RateLimit-Limit"))
	if v := h.Get("X-RateLimit-Remaining"); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			r.Remaining = n
		}
	}
	return r
}
