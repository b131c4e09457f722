package zoomapi_test

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// TestIntegrationDailyUserLimit spends the 100 meeting creates and updates
// a user may make a day: the client counts them and refuses the next one
// itself, never sending it, with a per-user daily *RateLimitError to be
// retried at 00:00 UTC.
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
	if !rl.Daily || !rl.PerUser || !rl.RetryAt.Equal(midnight) || !strings.Contains(rl.Message, "not sent") {
		t.Errorf("daily refusal: Daily %v PerUser %v RetryAt %v (want %v): %v", rl.Daily, rl.PerUser, rl.RetryAt, midnight, rl)
	}
	if n := e.sim.RequestsFor(zoomapi.OpCreateMeeting) - before; n != 0 {
		t.Errorf("the client sent a call over the per-user daily limit: %d requests", n)
	}
	// Updates share the limit (Zoom's 429, not retried); other users do not.
	before = e.sim.RequestsFor(zoomapi.OpUpdateMeeting)
	_, err = e.c.Meetings.Update(ctx, last, &zoomapi.MeetingUpdateRequest{Topic: zoomapi.Ptr("x")}, nil)
	if !errors.As(err, &rl) || !rl.PerUser {
		t.Errorf("update after the limit: %v", err)
	}
	if n := e.sim.RequestsFor(zoomapi.OpUpdateMeeting) - before; n != 1 {
		t.Errorf("the client retried a daily limit: %d requests", n)
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
	// Even spacing keeps every call inside Zoom's second; one 429 is
	// tolerated for the scheduling jitter of a loaded test machine.
	if n := e.sim.RequestsFor(zoomapi.OpGetMeeting); n > calls+1 {
		t.Errorf("pacing let calls past the per-second limit: simulator got %d requests for %d calls (%d answered 429)", n, calls, n-calls)
	}
}

// TestIntegrationStricterZoomConverges makes 12 concurrent Heavy calls
// with a client that believes the Pro plan (10/s) against a simulator of
// the Free plan (1/s): the first 429 lowers the rate to Zoom's
// X-RateLimit-Limit and respaces the waiters, so that every call succeeds
// and few are answered 429. Progress is reported during the long waits.
func TestIntegrationStricterZoomConverges(t *testing.T) {
	t.Parallel()
	obs := &countObserver{}
	e := newEnv(t, zoomfake.Options{Plan: zoomfake.PlanFree}, nil, zoomapi.WithPlan(zoomapi.PlanPro), zoomapi.WithObserver(obs))
	var progress atomic.Int32
	ctx := zoomapi.WithProgress(t.Context(), func(waited, expected time.Duration, reason string) { progress.Add(1) })
	const calls = 12
	var wg sync.WaitGroup
	errs := make(chan error, calls)
	start := time.Now()
	for range calls {
		wg.Go(func() {
			_, _, err := e.c.Reports.MeetingDetails(ctx, zoomfake.SeedPastUUID)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		mustOK(t, err)
	}
	n := e.sim.RequestsFor(zoomapi.OpReportMeetingDetails)
	t.Logf("%d calls: %d requests, %d answered 429, %v, %d progress reports", calls, n, obs.n429.Load(), time.Since(start).Round(time.Millisecond), progress.Load())
	if n > calls+2 {
		t.Errorf("%d requests for %d calls: the limiter did not converge", n, calls)
	}
	if progress.Load() == 0 {
		t.Error("no progress reported during waits of several seconds")
	}
}

// countObserver counts 429s.
type countObserver struct{ n429 atomic.Int32 }

func (o *countObserver) Request(string, int, time.Duration)        {}
func (o *countObserver) Waited(zoomapi.RateLimit, time.Duration)   {}
func (o *countObserver) RateLimited(zoomapi.RateLimit, bool, bool) { o.n429.Add(1) }
func (o *countObserver) Retried(string, string)                    {}
func (o *countObserver) Refused(string, string)                    {}
