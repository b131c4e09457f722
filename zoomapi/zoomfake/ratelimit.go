package zoomfake

import (
	"net/http"
	"strconv"
	"time"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// rateState counts requests against the account's limits: per label per
// second, per label per UTC day, and per user per UTC day for the meeting
// and webinar create and update calls.
type rateState struct {
	second  map[zoomapi.RateLimit]window
	day     map[zoomapi.RateLimit]window
	userDay map[string]window // user ID -> create/update calls today
}

// window counts requests in one period, identified by its start.
type window struct {
	start time.Time
	n     int
}

func newRateState() rateState {
	return rateState{
		second:  make(map[zoomapi.RateLimit]window),
		day:     make(map[zoomapi.RateLimit]window),
		userDay: make(map[string]window),
	}
}

// category is how Zoom spells a label in X-RateLimit-Category.
func category(l zoomapi.RateLimit) string {
	switch l {
	case zoomapi.RateLight:
		return "Light"
	case zoomapi.RateMedium:
		return "Medium"
	case zoomapi.RateHeavy:
		return "Heavy"
	}
	return string(l)
}

// startOfDay is 00:00 UTC of t's day.
func startOfDay(t time.Time) time.Time {
	return t.UTC().Truncate(24 * time.Hour)
}

// take counts the request against the account's limits, or answers 429
// when a limit is spent. It sets the X-RateLimit headers either way.
func (rs *rateState) take(s *Server, c *call, h http.Header) *apiError {
	if s.opts.NoRateLimit {
		return nil
	}
	label := c.ep.RateLimit
	lim, ok := zoomapi.Limits(zoomapi.Plan(s.opts.Plan), label)
	if !ok {
		lim, _ = zoomapi.Limits(zoomapi.PlanPro, label)
	}
	h.Set("X-RateLimit-Category", category(label))

	sec := c.now.Truncate(time.Second)
	sw := rs.second[label]
	if !sw.start.Equal(sec) {
		sw = window{start: sec}
	}
	day := startOfDay(c.now)
	dw := rs.day[label]
	if !dw.start.Equal(day) {
		dw = window{start: day}
	}

	if lim.PerDay > 0 && dw.n >= lim.PerDay {
		h.Set("X-RateLimit-Type", "Daily-limit")
		h.Set("X-RateLimit-Limit", strconv.Itoa(lim.PerDay))
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("Retry-After", day.Add(24*time.Hour).Format(time.RFC3339))
		return newError(http.StatusTooManyRequests, codeRateLimited,
			"You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.")
	}
	if sw.n >= lim.PerSecond {
		h.Set("X-RateLimit-Type", "QPS")
		h.Set("X-RateLimit-Limit", strconv.Itoa(lim.PerSecond))
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("Retry-After", "1")
		return newError(http.StatusTooManyRequests, codeRateLimited,
			"You have reached the maximum per-second rate limit for this API. Try again later.")
	}
	sw.n++
	dw.n++
	rs.second[label] = sw
	rs.day[label] = dw
	if lim.PerDay > 0 {
		h.Set("X-RateLimit-Type", "Daily-limit")
		h.Set("X-RateLimit-Limit", strconv.Itoa(lim.PerDay))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(lim.PerDay-dw.n))
	} else {
		h.Set("X-RateLimit-Type", "QPS")
		h.Set("X-RateLimit-Limit", strconv.Itoa(lim.PerSecond))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(lim.PerSecond-sw.n))
	}
	return nil
}

// takeUser counts a meeting or webinar create or update for user, or
// answers Zoom's 429 for the daily per-user limit, which comes without
// Retry-After.
func (s *Server) takeUser(c *call, userID string) *apiError {
	if !c.ep.DailyLimited || s.opts.NoUserDailyLimit {
		return nil
	}
	rs := &s.limits
	day := startOfDay(c.now)
	w := rs.userDay[userID]
	if !w.start.Equal(day) {
		w = window{start: day}
	}
	if w.n >= zoomapi.DailyUserLimit {
		return newError(http.StatusTooManyRequests, codeRateLimited,
			"You have exceeded the daily rate limit (%d) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.",
			zoomapi.DailyUserLimit)
	}
	w.n++
	rs.userDay[userID] = w
	return nil
}
