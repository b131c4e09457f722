package zoomfake

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// The simulator keeps its own copy of Zoom's rate-limit table, apart from
// the client's (zoomapi.Limits), so that the two can disagree and a test
// can see it (TestLimitsAgainstClient).
//
// Source: Zoom's "Rate limits" page,
// https://developers.zoom.us/docs/api/rate-limits/ (formerly
// https://marketplace.zoom.us/docs/api-reference/rate-limits; the same
// table is at https://developers.zoom.us/docs/commerce/rate-limits/):
//
//	                     Free                Pro                 Business+
//	Light                4/s, 6,000/day      30/s                80/s
//	Medium               2/s, 2,000/day      20/s                60/s
//	Heavy                1/s, 1,000/day      10/s *              40/s *
//	Resource-intensive   10/min, 30,000/day  10/min *            20/min *
//
//	* Pro: 30,000 requests a day shared by Heavy and Resource-intensive;
//	  Business+ (Business, Education, Enterprise, Partner): 60,000.
//
// Limits are per account, shared by every app of the account. Meeting and
// webinar create and update requests are also limited to 100 a day per user
// (reset 00:00 UTC).
//
// Headers, from the same page ("Best practices for handling errors") and
// Zoom's developer forum (devforum.zoom.us/t/14899, /t/18928): a 429 carries
// X-RateLimit-Category (Light, Medium, Heavy, Resource-intensive),
// X-RateLimit-Type (QPS or Daily-limit), X-RateLimit-Limit,
// X-RateLimit-Remaining and Retry-After (seconds for QPS, an RFC 3339 time
// of the next 00:00 UTC for Daily-limit); a success carries only
// X-RateLimit-Category, X-RateLimit-Limit and X-RateLimit-Remaining — the
// daily figures where the category has a daily limit (a Free account's
// Light call answers "6000" and "5893"), else the per-second ones. The
// per-user 429 carries no Retry-After.
//
// Counting: Zoom does not document its window. The simulator counts per
// second evenly with a sliding window: a request is allowed when fewer than
// Limit requests of the category were allowed in the window before it, for
// every window, not only those aligned on whole seconds. (Fixed one-second
// windows, which the simulator used before, let 2×Limit through in a
// moment astride a boundary; a client that paces itself to Zoom must not
// rely on that.) Daily limits count per UTC day.

// Category is Zoom's rate-limit category of an endpoint ("Request Type"),
// as spelt in X-RateLimit-Category.
type Category string

// Zoom's rate-limit categories.
const (
	CategoryLight             Category = "Light"
	CategoryMedium            Category = "Medium"
	CategoryHeavy             Category = "Heavy"
	CategoryResourceIntensive Category = "Resource-intensive"
)

// Limit is one category's limits on one plan.
type Limit struct {
	// Requests may be made per Per (a second, or a minute for
	// Resource-intensive APIs).
	Requests int
	Per      time.Duration
	// PerDay is the daily limit, 0 for none. DailyPool is the category
	// whose daily count the requests draw from (Resource-intensive shares
	// Heavy's on Pro and Business+); empty means its own.
	PerDay    int
	DailyPool Category
}

// UserDailyLimit is Zoom's limit of meeting and webinar create and update
// requests per user per UTC day.
const UserDailyLimit = 100

var zoomLimits = sync.OnceValue(func() map[Plan]map[Category]Limit {
	return map[Plan]map[Category]Limit{
		PlanFree: {
			CategoryLight:             {Requests: 4, Per: time.Second, PerDay: 6000},
			CategoryMedium:            {Requests: 2, Per: time.Second, PerDay: 2000},
			CategoryHeavy:             {Requests: 1, Per: time.Second, PerDay: 1000},
			CategoryResourceIntensive: {Requests: 10, Per: time.Minute, PerDay: 30000},
		},
		PlanPro: {
			CategoryLight:             {Requests: 30, Per: time.Second},
			CategoryMedium:            {Requests: 20, Per: time.Second},
			CategoryHeavy:             {Requests: 10, Per: time.Second, PerDay: 30000},
			CategoryResourceIntensive: {Requests: 10, Per: time.Minute, PerDay: 30000, DailyPool: CategoryHeavy},
		},
		PlanBusiness: {
			CategoryLight:             {Requests: 80, Per: time.Second},
			CategoryMedium:            {Requests: 60, Per: time.Second},
			CategoryHeavy:             {Requests: 40, Per: time.Second, PerDay: 60000},
			CategoryResourceIntensive: {Requests: 20, Per: time.Minute, PerDay: 60000, DailyPool: CategoryHeavy},
		},
	}
})

// Limits returns the simulator's limits of a category on a plan, as Zoom
// documents them (RateScale not applied). PlanUnlimited has none.
func Limits(p Plan, c Category) (Limit, bool) {
	l, ok := zoomLimits()[p][c]
	return l, ok
}

// CategoryOf is the category of an endpoint's rate-limit label.
func CategoryOf(l zoomapi.RateLimit) Category {
	switch l {
	case zoomapi.RateLight:
		return CategoryLight
	case zoomapi.RateMedium:
		return CategoryMedium
	case zoomapi.RateHeavy:
		return CategoryHeavy
	case "RESOURCE-INTENSIVE", "RESOURCE_INTENSIVE":
		return CategoryResourceIntensive
	}
	return CategoryLight
}

// Scaled is l with its per-window limit multiplied by scale (daily limits
// unchanged): n requests per window, at least one, the window stretched so
// that n/window is the scaled rate. Scale 0.2 makes Pro's Heavy 10/s 2/s,
// and Free's Heavy 1/s one per 5 s.
func (l Limit) Scaled(scale float64) (n int, window time.Duration) {
	if scale <= 0 || scale == 1 {
		return l.Requests, l.Per
	}
	rate := float64(l.Requests) * scale // per l.Per
	n = max(1, int(math.Floor(rate+1e-9)))
	return n, time.Duration(float64(l.Per) * float64(n) / rate)
}

// rateState counts requests against the account's limits: per category in
// a sliding window, per daily pool per UTC day, and per user per UTC day
// for the meeting and webinar create and update calls. It also counts the
// 429s it answers, for [Stats].
type rateState struct {
	recent  map[Category]*slidingLog
	day     map[Category]window
	userDay map[string]window // user ID -> create/update calls today
	limited map[string]int64  // "Heavy QPS" -> 429s answered
	total   int64             // 429s answered
}

// window counts requests in one period, identified by its start.
type window struct {
	start time.Time
	n     int
}

// slidingLog holds the times of the last n allowed requests of a category:
// one more is allowed when the oldest left the window.
type slidingLog struct {
	times  []time.Time // ring, oldest at next
	next   int
	window time.Duration
}

func newSlidingLog(n int, w time.Duration) *slidingLog {
	return &slidingLog{times: make([]time.Time, n), window: w}
}

// wait is how long until a request at now is allowed (0: now).
func (l *slidingLog) wait(now time.Time) time.Duration {
	oldest := l.times[l.next]
	if oldest.IsZero() {
		return 0
	}
	return max(0, oldest.Add(l.window).Sub(now))
}

func (l *slidingLog) add(now time.Time) {
	l.times[l.next] = now
	l.next = (l.next + 1) % len(l.times)
}

// remaining is how many more requests would be allowed at now.
func (l *slidingLog) remaining(now time.Time) int {
	n := 0
	for _, t := range l.times {
		if t.IsZero() || !now.Before(t.Add(l.window)) {
			n++
		}
	}
	return n
}

func newRateState() rateState {
	return rateState{
		recent:  make(map[Category]*slidingLog),
		day:     make(map[Category]window),
		userDay: make(map[string]window),
		limited: make(map[string]int64),
	}
}

// startOfDay is 00:00 UTC of t's day.
func startOfDay(t time.Time) time.Time {
	return t.UTC().Truncate(24 * time.Hour)
}

// unlimited reports whether the server enforces no limit at all.
func (s *Server) unlimited() bool {
	return s.opts.NoRateLimit || s.opts.Plan == PlanUnlimited
}

// limit is the server's limit of category c: the plan's (Pro's for an
// unknown plan), with the rate scale applied.
func (s *Server) limit(c Category) (lim Limit, n int, w time.Duration) {
	lim, ok := Limits(s.opts.Plan, c)
	if !ok {
		lim, _ = Limits(PlanPro, c)
	}
	n, w = lim.Scaled(s.opts.RateScale)
	return lim, n, w
}

// take counts the request against the account's limits, or answers 429
// when a limit is spent. It sets the X-RateLimit headers either way.
func (rs *rateState) take(s *Server, c *call, h http.Header) *apiError {
	if s.unlimited() {
		return nil
	}
	cat := CategoryOf(c.ep.RateLimit)
	lim, n, w := s.limit(cat)
	h.Set("X-RateLimit-Category", string(cat))

	lg := rs.recent[cat]
	if lg == nil || len(lg.times) != n || lg.window != w {
		lg = newSlidingLog(n, w)
		rs.recent[cat] = lg
	}
	pool := cat
	if lim.DailyPool != "" {
		pool = lim.DailyPool
	}
	day := startOfDay(c.now)
	dw := rs.day[pool]
	if !dw.start.Equal(day) {
		dw = window{start: day}
	}

	if lim.PerDay > 0 && dw.n >= lim.PerDay {
		rs.count(cat, "Daily-limit")
		h.Set("X-RateLimit-Type", "Daily-limit")
		h.Set("X-RateLimit-Limit", strconv.Itoa(lim.PerDay))
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("Retry-After", day.Add(24*time.Hour).Format(time.RFC3339))
		return newError(http.StatusTooManyRequests, codeRateLimited,
			"You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.")
	}
	if wait := lg.wait(c.now); wait > 0 {
		rs.count(cat, "QPS")
		h.Set("X-RateLimit-Type", "QPS")
		h.Set("X-RateLimit-Limit", strconv.Itoa(n))
		h.Set("X-RateLimit-Remaining", "0")
		h.Set("Retry-After", strconv.Itoa(max(1, int(math.Ceil(wait.Seconds())))))
		return newError(http.StatusTooManyRequests, codeRateLimited,
			"You have reached the maximum per-second rate limit for this API. Try again later.")
	}
	lg.add(c.now)
	dw.n++
	rs.day[pool] = dw
	if lim.PerDay > 0 {
		h.Set("X-RateLimit-Limit", strconv.Itoa(lim.PerDay))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(lim.PerDay-dw.n))
	} else {
		h.Set("X-RateLimit-Limit", strconv.Itoa(n))
		h.Set("X-RateLimit-Remaining", strconv.Itoa(lg.remaining(c.now)))
	}
	return nil
}

// count records a 429 of category cat and type typ.
func (rs *rateState) count(cat Category, typ string) {
	rs.total++
	rs.limited[string(cat)+" "+typ]++
}

// takeUser counts a meeting or webinar create or update for user, or
// answers Zoom's 429 for the daily per-user limit, which comes without
// Retry-After.
func (s *Server) takeUser(c *call, userID string) *apiError {
	if !c.ep.DailyLimited || s.opts.NoUserDailyLimit || s.opts.Plan == PlanUnlimited {
		return nil
	}
	rs := &s.limits
	day := startOfDay(c.now)
	w := rs.userDay[userID]
	if !w.start.Equal(day) {
		w = window{start: day}
	}
	if w.n >= UserDailyLimit {
		rs.count(CategoryOf(c.ep.RateLimit), "User-daily-limit")
		return newError(http.StatusTooManyRequests, codeRateLimited,
			"You have exceeded the daily rate limit (%d) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.",
			UserDailyLimit)
	}
	w.n++
	rs.userDay[userID] = w
	return nil
}
