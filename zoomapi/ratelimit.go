package zoomapi

import (
	"context"
	"net/http"
	"strconv"

	"golang.org/x/time/rate"
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
	limiters map[RateLimit]*rate.Limiter
}

func newPacer(p Plan) *pacer {
	pc := &pacer{limiters: map[RateLimit]*rate.Limiter{}}
	for label, l := range planLimits[p] {
		pc.limiters[label] = rate.NewLimiter(rate.Limit(l.PerSecond), l.PerSecond)
	}
	return pc
}

func (p *pacer) wait(ctx context.Context, label RateLimit) error {
	if p == nil {
		return nil
	}
	if l := p.limiters[label]; l != nil {
		return l.Wait(ctx)
	}
	return nil
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
