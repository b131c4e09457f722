package zoomapi_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// TestIntegrationDailyUserLimit spends the 100 meeting creates and updates
// a user may make a day: the next one is a per-user daily 429 to be retried
// at 00:00 UTC, which the client does not retry.
func TestIntegrationDailyUserLimit(t *testing.T) {
	t.Parallel()
	clk := frozenClock(itEpoch)
	e := newEnv(t, zoomfake.Options{NoRateLimit: true}, clk, zoomapi.WithoutPacing())
	ctx := t.Context()
	var last int64
	for i := range zoomapi.DailyUserLimit {
		m, _, err := e.c.Meetings.Create(ctx, "me", &zoomapi.MeetingCreateRequest{Topic: fmt.Sprintf("m%d", i)})
		if err != nil {
			t.Fatalf("create %d: %v", i+1, err)
		}
		last = m.ID
	}
	before := e.sim.RequestsFor(zoomapi.OpCreateMeeting)
	_, _, err := e.c.Meetings.Create(ctx, "me", &zoomapi.MeetingCreateRequest{Topic: "one too many"})
	var rl *zoomapi.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("create 101: err = %T %v, want *zoomapi.RateLimitError", err, err)
	}
	midnight := time.Date(2026, 11, 17, 0, 0, 0, 0, time.UTC)
	if !rl.Daily || !rl.PerUser || !rl.RetryAt.Equal(midnight) || rl.StatusCode != 429 {
		t.Errorf("daily 429: Daily %v PerUser %v RetryAt %v (want %v) HTTP %d", rl.Daily, rl.PerUser, rl.RetryAt, midnight, rl.StatusCode)
	}
	if n := e.sim.RequestsFor(zoomapi.OpCreateMeeting) - before; n != 1 {
		t.Errorf("the client retried a daily limit: %d requests", n)
	}
	// Updates share the limit; other users do not.
	_, err = e.c.Meetings.Update(ctx, last, &zoomapi.MeetingUpdateRequest{Topic: zoomapi.Ptr("x")}, nil)
	if !errors.As(err, &rl) || !rl.PerUser {
		t.Errorf("update after the limit: %v", err)
	}
	_, _, err = e.c.Meetings.Create(ctx, zoomfake.SeedAdminEmail, &zoomapi.MeetingCreateRequest{Topic: "Ben's"})
	mustOK(t, err)
	// Reads are not limited.
	_, _, err = e.c.Meetings.Get(ctx, last, nil)
	mustOK(t, err)
	// A new UTC day resets the limit.
	clk.Advance(midnight.Sub(clk.Now()))
	_, _, err = e.c.Meetings.Create(ctx, "me", &zoomapi.MeetingCreateRequest{Topic: "tomorrow"})
	mustOK(t, err)
}

// TestIntegrationRetryWaitsOutQPS makes a second HEAVY call inside the free
// plan's one-per-second window: with WithRetryOnRateLimit(2, 5s) the client
// waits the second out and succeeds.
func TestIntegrationRetryWaitsOutQPS(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomfake.Options{Plan: zoomfake.PlanFree}, nil,
		zoomapi.WithoutPacing(), zoomapi.WithRetryOnRateLimit(2, 5*time.Second))
	ctx := t.Context()
	_, _, err := e.c.Reports.MeetingDetails(ctx, zoomfake.SeedPastUUID)
	mustOK(t, err)
	start := time.Now()
	d, _, err := e.c.Reports.MeetingDetails(ctx, zoomfake.SeedPastSlashUUID)
	mustOK(t, err)
	if d.UUID != zoomfake.SeedPastSlashUUID {
		t.Errorf("uuid = %s", d.UUID)
	}
	if n := e.sim.RequestsFor(zoomapi.OpReportMeetingDetails); n != 3 {
		t.Errorf("requests = %d, want 3 (one 429 retried)", n)
	}
	if el := time.Since(start); el < 500*time.Millisecond || el > 3*time.Second {
		t.Errorf("waited %v for a 1s Retry-After", el)
	}
}

// TestIntegrationPacingAvoids429 bursts LIGHT calls from many goroutines
// with the default client on the free plan (4/s): pacing must keep every
// call inside Zoom's per-second limit, so the simulator never answers 429.
// (A token-bucket pacer with a burst of PerSecond once let 13 requests
// through for these 10 calls, 3 of them answered 429.)
func TestIntegrationPacingAvoids429(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomfake.Options{Plan: zoomfake.PlanFree}, nil)
	ctx := t.Context()
	const calls = 10
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	for range calls {
		wg.Go(func() {
			_, _, err := e.c.Meetings.Get(ctx, zoomfake.SeedRegistrationMeetingID, nil)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		mustOK(t, err)
	}
	if n := e.sim.RequestsFor(zoomapi.OpGetMeeting); n != calls {
		t.Errorf("pacing let calls past the per-second limit: simulator got %d requests for %d calls (%d answered 429)", n, calls, n-calls)
	}
}
