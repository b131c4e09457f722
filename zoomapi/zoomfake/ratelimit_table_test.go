package zoomfake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// TestLimitsMatchDocs pins the simulator's table to Zoom's "Rate limits"
// page (see ratelimit.go for the source).
func TestLimitsMatchDocs(t *testing.T) {
	s, m := time.Second, time.Minute
	docs := []struct {
		plan Plan
		cat  Category
		want Limit
	}{
		{PlanFree, CategoryLight, Limit{4, s, 6000, ""}},
		{PlanFree, CategoryMedium, Limit{2, s, 2000, ""}},
		{PlanFree, CategoryHeavy, Limit{1, s, 1000, ""}},
		{PlanFree, CategoryResourceIntensive, Limit{10, m, 30000, ""}},
		{PlanPro, CategoryLight, Limit{30, s, 0, ""}},
		{PlanPro, CategoryMedium, Limit{20, s, 0, ""}},
		{PlanPro, CategoryHeavy, Limit{10, s, 30000, ""}},
		{PlanPro, CategoryResourceIntensive, Limit{10, m, 30000, CategoryHeavy}},
		{PlanBusiness, CategoryLight, Limit{80, s, 0, ""}},
		{PlanBusiness, CategoryMedium, Limit{60, s, 0, ""}},
		{PlanBusiness, CategoryHeavy, Limit{40, s, 60000, ""}},
		{PlanBusiness, CategoryResourceIntensive, Limit{20, m, 60000, CategoryHeavy}},
	}
	for _, d := range docs {
		if got, ok := Limits(d.plan, d.cat); !ok || got != d.want {
			t.Errorf("%s %s: %+v, want %+v", d.plan, d.cat, got, d.want)
		}
	}
	if _, ok := Limits(PlanUnlimited, CategoryLight); ok {
		t.Error("PlanUnlimited has limits")
	}
}

// TestLimitsAgainstClient compares the client's table (zoomapi.Limits),
// which its pacer works from, with the simulator's, which is Zoom's: they
// must agree on every label the client knows. Where Zoom documents more
// than the client models, the difference is listed here, so that a change
// on either side shows.
func TestLimitsAgainstClient(t *testing.T) {
	labels := map[zoomapi.RateLimit]Category{
		zoomapi.RateLight: CategoryLight, zoomapi.RateMedium: CategoryMedium, zoomapi.RateHeavy: CategoryHeavy,
	}
	for _, p := range []Plan{PlanFree, PlanPro, PlanBusiness} {
		for label, cat := range labels {
			sim, _ := Limits(p, cat)
			cl, ok := zoomapi.Limits(zoomapi.Plan(p), label)
			if !ok {
				t.Errorf("%s %s: the client has no limit; Zoom's is %d per %v", p, label, sim.Requests, sim.Per)
				continue
			}
			if sim.Per != time.Second || cl.PerSecond != sim.Requests {
				t.Errorf("%s %s: the client paces to %d/s; Zoom allows %d per %v", p, label, cl.PerSecond, sim.Requests, sim.Per)
			}
			if cl.PerDay != sim.PerDay {
				t.Errorf("%s %s: the client's daily limit is %d; Zoom's is %d", p, label, cl.PerDay, sim.PerDay)
			}
		}
		// Documented differences: the client has no Resource-intensive
		// label (no endpoint it calls is one), so it neither paces to
		// 10 or 20 a minute nor knows that they share Heavy's daily count.
		if _, ok := zoomapi.Limits(zoomapi.Plan(p), "RESOURCE-INTENSIVE"); ok {
			t.Errorf("%s: the client now knows Resource-intensive: check it against Limits(%s, %s) and update this test", p, p, CategoryResourceIntensive)
		}
	}
}

// TestRateScale: 0.2 makes Pro's Heavy 10/s 2/s and Free's Heavy 1/s one
// per 5 s; daily limits are not scaled.
func TestRateScale(t *testing.T) {
	path := "/report/meetings/" + itoa(SeedTeamSyncMeetingID) // Heavy
	e := newEnv(t, Options{Plan: PlanPro, RateScale: 0.2})
	for range 2 {
		e.call("GET", path, nil, 200)
	}
	rec := e.do("GET", path, nil)
	e.wantError(rec, 429, 429, "You have reached the maximum per-second rate limit")
	if h := rec.Header(); h.Get("X-RateLimit-Limit") != "2" || h.Get("Retry-After") != "1" || h.Get("X-RateLimit-Type") != "QPS" {
		t.Fatalf("headers %v", h)
	}
	e.clock.Advance(time.Second)
	e.call("GET", path, nil, 200)

	f := newEnv(t, Options{Plan: PlanFree, RateScale: 0.2, TokenTTL: 48 * time.Hour})
	f.call("GET", path, nil, 200)
	rec = f.do("GET", path, nil)
	if rec.Code != 429 || rec.Header().Get("Retry-After") != "5" || rec.Header().Get("X-RateLimit-Limit") != "1" {
		t.Fatalf("free ×0.2: %d %v", rec.Code, rec.Header())
	}
	f.clock.Advance(4 * time.Second)
	if rec = f.do("GET", path, nil); rec.Code != 429 || rec.Header().Get("Retry-After") != "1" {
		t.Fatalf("free ×0.2 after 4 s: %d %v", rec.Code, rec.Header())
	}
	f.clock.Advance(time.Second)
	f.call("GET", path, nil, 200)

	for _, c := range []struct {
		scale float64
		lim   Limit
		n     int
		w     time.Duration
	}{
		{0, Limit{Requests: 30, Per: time.Second}, 30, time.Second},
		{1, Limit{Requests: 30, Per: time.Second}, 30, time.Second},
		{0.2, Limit{Requests: 30, Per: time.Second}, 6, time.Second},
		{0.15, Limit{Requests: 10, Per: time.Second}, 1, time.Second * 2 / 3},
		{2, Limit{Requests: 10, Per: time.Second}, 20, time.Second},
		{0.5, Limit{Requests: 10, Per: time.Minute}, 5, time.Minute},
	} {
		n, w := c.lim.Scaled(c.scale)
		if n != c.n || (w-c.w).Abs() > time.Microsecond {
			t.Errorf("%+v ×%v: %d per %v, want %d per %v", c.lim, c.scale, n, w, c.n, c.w)
		}
	}
}

// TestRateLimitSlidingWindow: the window slides, so four calls late in one
// second leave no room at the start of the next (fixed windows would let
// eight through in 0.2 s).
func TestRateLimitSlidingWindow(t *testing.T) {
	e := newEnv(t, Options{Plan: PlanFree, TokenTTL: 48 * time.Hour}) // Light 4/s
	e.clock.Advance(900 * time.Millisecond)
	for range 4 {
		e.call("GET", "/users/me", nil, 200)
	}
	e.clock.Advance(200 * time.Millisecond) // a new whole second
	if rec := e.do("GET", "/users/me", nil); rec.Code != 429 {
		t.Fatalf("fifth call 0.2 s after four: %d", rec.Code)
	}
	e.clock.Advance(800 * time.Millisecond) // 1 s after the four
	for range 4 {
		e.call("GET", "/users/me", nil, 200)
	}
}

// TestRateLimitHeadersOnSuccess: a success carries the category, the limit
// and what remains of it (the daily figures where there is a daily limit),
// and neither X-RateLimit-Type nor Retry-After.
func TestRateLimitHeadersOnSuccess(t *testing.T) {
	for _, c := range []struct {
		plan             Plan
		path             string
		cat, lim, remain string
	}{
		{PlanFree, "/users/me", "Light", "6000", "5999"},
		{PlanPro, "/users/me", "Light", "30", "29"},
		{PlanPro, "/report/meetings/" + itoa(SeedTeamSyncMeetingID), "Heavy", "30000", "29999"},
		{PlanBusiness, "/users", "Medium", "60", "59"},
	} {
		e := newEnv(t, Options{Plan: c.plan})
		rec := e.do("GET", c.path, nil)
		h := rec.Header()
		if rec.Code != 200 || h.Get("X-RateLimit-Category") != c.cat || h.Get("X-RateLimit-Limit") != c.lim ||
			h.Get("X-RateLimit-Remaining") != c.remain || h.Get("X-RateLimit-Type") != "" || h.Get("Retry-After") != "" {
			t.Errorf("%s GET %s: %d %v", c.plan, c.path, rec.Code, h)
		}
	}
}

// TestUnlimitedNever429: PlanUnlimited answers a burst of every category,
// and more than 100 creates for one user, without a 429 or rate headers.
func TestUnlimitedNever429(t *testing.T) {
	e := newEnv(t, Options{Plan: PlanUnlimited})
	heavy := "/report/meetings/" + itoa(SeedTeamSyncMeetingID)
	for i := range 500 {
		for _, p := range []string{"/users/me", "/users", heavy} {
			if rec := e.do("GET", p, nil); rec.Code != 200 || rec.Header().Get("X-RateLimit-Limit") != "" {
				t.Fatalf("call %d GET %s: %d %v", i, p, rec.Code, rec.Header())
			}
		}
	}
	for range UserDailyLimit + 5 {
		e.call("POST", "/users/me/meetings", map[string]any{"topic": "t"}, 201)
	}
	if st := stats(t, e); st.RateLimited != 0 {
		t.Errorf("stats: %+v", st)
	}
}

// TestStatsCountRateLimited: Stats counts the 429s by category and type.
func TestStatsCountRateLimited(t *testing.T) {
	e := newEnv(t, Options{Plan: PlanFree, TokenTTL: 48 * time.Hour})
	heavy := "/report/meetings/" + itoa(SeedTeamSyncMeetingID)
	e.call("GET", heavy, nil, 200)
	e.do("GET", heavy, nil)
	e.do("GET", heavy, nil)
	st := stats(t, e)
	if st.RateLimited != 2 || st.RateLimitedBy["Heavy QPS"] != 2 {
		t.Errorf("stats: %+v", st)
	}
}

func stats(t *testing.T, e *env) Stats {
	t.Helper()
	rec := httptest.NewRecorder()
	e.s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, StatsPath, nil))
	var st Stats
	if err := json.Unmarshal(rec.Body.Bytes(), &st); err != nil {
		t.Fatal(err)
	}
	return st
}
