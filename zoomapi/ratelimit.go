package zoomapi

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/zoommcp/zoom-mcp/limits"
)

// Plan is a Zoom account plan; per-second rate limits depend on it.
type Plan string

// Zoom plans with distinct rate limits. Business also covers Education,
// Enterprise and Partner accounts.
const (
	PlanFree     Plan = "free"
	PlanPro      Plan = "pro"
	PlanBusiness Plan = "business"
	// PlanUnlimited paces nothing and counts nothing: for benchmarks of
	// the server itself against a simulator.
	PlanUnlimited Plan = "unlimited"
)

// PlanLimit is one label's limits on one plan.
type PlanLimit struct {
	PerSecond int
	PerMinute int // Resource-intensive calls, paced per minute (PerSecond 0)
	PerDay    int // 0: no daily limit of its own
}

// planLimits are Zoom's published account-wide limits per label and plan.
var planLimits = map[Plan]map[RateLimit]PlanLimit{
	PlanFree: {
		RateLight:  {PerSecond: 4, PerDay: 6000},
		RateMedium: {PerSecond: 2, PerDay: 2000},
		RateHeavy:  {PerSecond: 1, PerDay: 1000},
		// Zoom documents no Resource-intensive figure for Free accounts.
		RateResourceIntensive: {PerMinute: 10},
	},
	PlanPro: {
		RateLight:  {PerSecond: 30},
		RateMedium: {PerSecond: 20},
		RateHeavy:  {PerSecond: 10, PerDay: 30000},
		// The daily quota is shared with Heavy (see dailyCategory).
		RateResourceIntensive: {PerMinute: 10},
	},
	PlanBusiness: {
		RateLight:             {PerSecond: 80},
		RateMedium:            {PerSecond: 60},
		RateHeavy:             {PerSecond: 40, PerDay: 60000},
		RateResourceIntensive: {PerMinute: 20},
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

// DefaultMaxQueue is how many calls may wait in the limiter for one
// rate-limit category before the next is refused with *QueueFullError (see
// WithMaxQueue).
const DefaultMaxQueue = 256

// QueueFullError is a call refused at once, and not sent, by the client's
// rate limiter: its slot would lie beyond the call's deadline
// (BeyondDeadline), or too many calls already wait for the same rate-limit
// category (see WithMaxQueue). Waiting would only fail later or make every
// caller wait longer. RetryAfter is when its slot would have come. It
// matches ErrRateLimited with errors.Is.
type QueueFullError struct {
	Category       RateLimit     // the rate-limit label of the endpoint
	Waiting        int           // calls waiting ahead when this one was refused
	RetryAfter     time.Duration // when a slot would have come
	BeyondDeadline bool          // refused because the slot lies past the deadline
}

func (e *QueueFullError) Error() string {
	if e.BeyondDeadline {
		return fmt.Sprintf("zoomapi: the next slot under Zoom's %s rate limit is in %v, beyond the call's deadline (%d calls wait ahead); call not sent",
			e.Category, e.RetryAfter.Round(time.Millisecond), e.Waiting)
	}
	return fmt.Sprintf("zoomapi: %d calls already wait for Zoom's %s rate limit; call not sent, retry in %v",
		e.Waiting, e.Category, e.RetryAfter.Round(time.Millisecond))
}

// Is makes QueueFullError match ErrRateLimited.
func (e *QueueFullError) Is(t error) bool { return t == ErrRateLimited }

// LimiterUnavailableError is a call not sent because the shared rate
// limiter or daily counter (Redis) failed: the client fails closed rather
// than pace by this replica alone. Err is the *limits.UnavailableError.
type LimiterUnavailableError struct {
	Endpoint string
	Err      error
}

func (e *LimiterUnavailableError) Error() string {
	return fmt.Sprintf("zoom %s: the shared rate limiter (Redis) is unreachable, nothing was sent: %v", e.Endpoint, e.Err)
}

func (e *LimiterUnavailableError) Unwrap() error { return e.Err }

// ProgressFunc is told, about once a second, of a call waiting more than
// a second for the rate limiter or to retry a 429: how long it has waited,
// how long it is expected to wait in all, and why.
type ProgressFunc func(waited, expected time.Duration, reason string)

type progressKey struct{}

// WithProgress returns a context whose calls report long waits to fn.
func WithProgress(ctx context.Context, fn ProgressFunc) context.Context {
	return context.WithValue(ctx, progressKey{}, fn)
}

func progressFrom(ctx context.Context) ProgressFunc {
	fn, _ := ctx.Value(progressKey{}).(ProgressFunc)
	return fn
}

// limiterParams are the limiter's parameters for a label on the plan, and
// whether the label is paced at all.
func limiterParams(p Plan, label RateLimit, maxQueue int) (limits.Params, bool) {
	l, ok := planLimits[p][label]
	if !ok {
		return limits.Params{}, false
	}
	rate := float64(l.PerSecond)
	if rate <= 0 {
		rate = float64(l.PerMinute) / 60
	}
	if rate <= 0 {
		return limits.Params{}, false
	}
	return limits.Params{Rate: rate, MaxQueue: maxQueue}, true
}

// dailyCategory is the label whose daily quota label counts against:
// Resource-intensive calls share the Heavy quota.
func dailyCategory(label RateLimit) RateLimit {
	if label == RateResourceIntensive {
		return RateHeavy
	}
	return label
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

// RateResourceIntensive is Zoom's Resource-intensive label (no endpoint of
// the table carries it yet): paced per minute, its daily quota shared with
// Heavy.
const RateResourceIntensive RateLimit = "RESOURCE_INTENSIVE"
