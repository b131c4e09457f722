package zoomfake

import (
	"fmt"
	"testing"
	"time"
)

func TestRateLimitQPS(t *testing.T) {
	e := newEnv(t, Options{Plan: PlanFree, TokenTTL: 48 * time.Hour})
	// Free: Light 4/s.
	for i := range 4 {
		rec := e.do("GET", "/users/me", nil)
		if rec.Code != 200 || rec.Header().Get("X-RateLimit-Category") != "Light" || rec.Header().Get("X-RateLimit-Remaining") == "" {
			t.Fatalf("request %d: %d %v", i, rec.Code, rec.Header())
		}
	}
	rec := e.do("GET", "/users/me", nil)
	e.wantError(rec, 429, 429, "You have reached the maximum per-second rate limit for this API. Try again later.")
	h := rec.Header()
	if h.Get("X-RateLimit-Type") != "QPS" || h.Get("X-RateLimit-Limit") != "4" || h.Get("X-RateLimit-Remaining") != "0" || h.Get("Retry-After") != "1" {
		t.Fatalf("headers %v", h)
	}
	// Other labels have their own budget; the next second resets.
	e.call("GET", "/users", nil, 200)
	e.clock.Advance(time.Second)
	e.call("GET", "/users/me", nil, 200)
}

func TestRateLimitDaily(t *testing.T) {
	e := newEnv(t, Options{Plan: PlanFree, TokenTTL: 48 * time.Hour})
	path := "/report/meetings/" + itoa(SeedTeamSyncMeetingID) // Heavy: 1/s, 1000/day
	for i := range 1000 {
		rec := e.do("GET", path, nil)
		if rec.Code != 200 {
			t.Fatalf("request %d: %d %s", i, rec.Code, rec.Body)
		}
		e.clock.Advance(time.Second)
	}
	rec := e.do("GET", path, nil)
	e.wantError(rec, 429, 429, "You have reached the maximum daily rate limit for this API.")
	h := rec.Header()
	next := time.Date(2026, 6, 16, 0, 0, 0, 0, time.UTC).Format(time.RFC3339)
	if h.Get("X-RateLimit-Type") != "Daily-limit" || h.Get("Retry-After") != next || h.Get("X-RateLimit-Category") != "Heavy" {
		t.Fatalf("headers %v", h)
	}
	e.clock.Advance(12 * time.Hour) // past 00:00 UTC
	e.call("GET", path, nil, 200)
}

func TestUserDailyLimit(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true, TokenTTL: 48 * time.Hour})
	for i := range 100 {
		e.call("POST", "/users/me/meetings", map[string]any{"topic": fmt.Sprint("m", i)}, 201)
	}
	rec := e.do("POST", "/users/me/meetings", map[string]any{"topic": "one too many"})
	e.wantError(rec, 429, 429, "You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user. You may resume these requests at GMT 00:00:00.")
	if rec.Header().Get("Retry-After") != "" {
		t.Fatal("per-user limit answered with Retry-After")
	}
	// Updates count toward the host's limit too; other users are not affected.
	e.wantError(e.do("PATCH", "/meetings/"+itoa(SeedRegistrationMeetingID), map[string]any{"topic": "x"}), 429, 429, "You have exceeded")
	e.call("POST", "/users/"+SeedAdminID+"/meetings", map[string]any{"topic": "admin"}, 201)
	e.clock.Advance(12 * time.Hour)
	e.call("POST", "/users/me/meetings", map[string]any{"topic": "tomorrow"}, 201)

	off := newEnv(t, Options{NoRateLimit: true, NoUserDailyLimit: true})
	for range 101 {
		off.call("POST", "/users/me/meetings", map[string]any{}, 201)
	}
}
