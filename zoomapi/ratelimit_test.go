package zoomapi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 5, 30, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"3", now.Add(3 * time.Second), true},
		{"2026-05-31T00:00:00Z", time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC), true},
		{"Sun, 31 May 2026 00:00:00 GMT", time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC), true},
		{"99999999999999999", now.Add(maxRetryAfter * time.Second), true}, // no overflow into the past
		{"-1", time.Time{}, false},
		{"soon", time.Time{}, false},
		{"", time.Time{}, false},
	}
	for _, tt := range tests {
		got, ok := parseRetryAfter(tt.in, now)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDotPathSegmentsRejected(t *testing.T) {
	c, err := NewClient(WithTokenSource(&fakeTokens{}))
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{".", ".."} {
		_, _, err := c.Meetings.List(context.Background(), id, nil)
		var ae *ArgumentError
		if !errors.As(err, &ae) {
			t.Errorf("user %q: err = %v, want *ArgumentError", id, err)
		}
	}
}

// countingTransport answers every request with a user and counts them. Like
// an in-process transport, it does not look at the request's context: what
// reaches it is sent.
type countingTransport struct{ n atomic.Int32 }

func (ct *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	ct.n.Add(1)
	return &http.Response{
		StatusCode: http.StatusOK,
		Header:     http.Header{"Content-Type": {"application/json"}},
		Body:       io.NopCloser(strings.NewReader(`{"id":"u1"}`)),
		Request:    r,
	}, nil
}

// lateTokens hands out a token only once the caller's context has ended,
// as a token source whose fetch completes at that moment does.
type lateTokens struct{}

func (lateTokens) Token(ctx context.Context) (*oauth2.Token, error) {
	<-ctx.Done()
	return &oauth2.Token{AccessToken: "late"}, nil
}

func (lateTokens) Invalidate(*oauth2.Token) {}

// fillLimiter reserves n slots of label's key, so that the next call
// waits n intervals.
func fillLimiter(t *testing.T, c *Client, label RateLimit, n int) {
	t.Helper()
	p, _ := limiterParams(c.plan, label, 0)
	for range n {
		if _, err := c.limiter.Reserve(t.Context(), c.key(label), p); err != nil {
			t.Fatal(err)
		}
	}
}

// TestCancelledCallsAreNotSent: a call whose context ends while it waits
// for the pacer or for a token returns the context's error and sends
// nothing, even through a transport that would send it anyway.
func TestCancelledCallsAreNotSent(t *testing.T) {
	tests := []struct {
		name   string
		opts   []Option
		block  bool          // fill the pacer's window first
		cancel time.Duration // cancel after this long; 0: before the call
	}{
		{name: "cancelled while the pacer is blocked", opts: []Option{WithPlan(PlanFree)}, block: true, cancel: 50 * time.Millisecond},
		{name: "cancelled while waiting for a token", opts: []Option{WithTokenSource(lateTokens{})}, cancel: 50 * time.Millisecond},
		{name: "cancelled before the call", opts: []Option{WithPlan(PlanFree)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := &countingTransport{}
			opts := append([]Option{WithTokenSource(&fakeTokens{}), WithHTTPClient(&http.Client{Transport: ct})}, tt.opts...)
			c, err := NewClient(opts...)
			if err != nil {
				t.Fatal(err)
			}
			if tt.block {
				fillLimiter(t, c, MustEndpoint(OpGetUser).RateLimit, 8)
			}
			ctx, cancel := context.WithCancel(t.Context())
			if tt.cancel == 0 {
				cancel()
			} else {
				time.AfterFunc(tt.cancel, cancel)
			}
			start := time.Now()
			_, _, err = c.Users.Get(ctx, "me", nil)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("err = %v, want context.Canceled", err)
			}
			if took := time.Since(start); took > 500*time.Millisecond {
				t.Errorf("the call took %v to notice it was cancelled", took)
			}
			if n := ct.n.Load(); n != 0 {
				t.Errorf("%d requests sent after the call was cancelled", n)
			}
		})
	}
}

// TestQueueIsBounded: past its bound of waiting calls per rate-limit label,
// a call is refused at once with *QueueFullError and nothing is sent.
func TestQueueIsBounded(t *testing.T) {
	for _, bound := range []int{1, 5, DefaultMaxQueue} {
		ct := &countingTransport{}
		c, err := NewClient(WithTokenSource(&fakeTokens{}), WithHTTPClient(&http.Client{Transport: ct}), WithPlan(PlanFree), WithMaxQueue(bound))
		if err != nil {
			t.Fatal(err)
		}
		label := MustEndpoint(OpGetUser).RateLimit
		fillLimiter(t, c, label, bound+1) // one at its slot, bound waiting
		start := time.Now()
		_, _, err = c.Users.Get(t.Context(), "me", nil)
		var qf *QueueFullError
		if !errors.As(err, &qf) {
			t.Fatalf("bound %d: err = %T %v, want *QueueFullError", bound, err, err)
		}
		if took := time.Since(start); took > 200*time.Millisecond {
			t.Errorf("refusal took %v, want at once", took)
		}
		if qf.Category != label || qf.Waiting != bound || qf.RetryAfter <= 0 || qf.BeyondDeadline || !errors.Is(err, ErrRateLimited) {
			t.Errorf("bound %d: QueueFullError = %+v", bound, qf)
		}
		if n := ct.n.Load(); n != 0 {
			t.Errorf("%d requests sent", n)
		}
	}
}

// TestSlotBeyondDeadlineRefused: a call whose slot lies past its deadline
// is refused at once, sends nothing and takes no slot.
func TestSlotBeyondDeadlineRefused(t *testing.T) {
	ct := &countingTransport{}
	obs := &fakeObserver{}
	c, err := NewClient(WithTokenSource(&fakeTokens{}), WithHTTPClient(&http.Client{Transport: ct}), WithPlan(PlanFree), WithObserver(obs))
	if err != nil {
		t.Fatal(err)
	}
	label := MustEndpoint(OpGetUser).RateLimit
	fillLimiter(t, c, label, 8) // 8 × 275 ms ahead
	p, _ := limiterParams(c.plan, label, 0)
	before, _ := c.limiter.Reserve(t.Context(), c.key(label), p)
	_ = c.limiter.Cancel(t.Context(), before)
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, _, err = c.Users.Get(ctx, "me", nil)
	var qf *QueueFullError
	if !errors.As(err, &qf) || !qf.BeyondDeadline || qf.RetryAfter < time.Second {
		t.Fatalf("err = %T %v, want *QueueFullError beyond the deadline", err, err)
	}
	if took := time.Since(start); took > 100*time.Millisecond {
		t.Errorf("refusal took %v", took)
	}
	after, _ := c.limiter.Reserve(t.Context(), c.key(label), p)
	if after.Slot != before.Slot {
		t.Errorf("the refused call took a slot: next slot %d, was %d", after.Slot, before.Slot)
	}
	if ct.n.Load() != 0 || !obs.has("refused "+OpGetUser+" queue_full") {
		t.Errorf("sent %d; observer %v", ct.n.Load(), obs.calls())
	}
}

// fakeObserver records the observer calls.
type fakeObserver struct {
	mu  sync.Mutex
	log []string
}

func (o *fakeObserver) add(s string) { o.mu.Lock(); o.log = append(o.log, s); o.mu.Unlock() }
func (o *fakeObserver) calls() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]string(nil), o.log...)
}
func (o *fakeObserver) has(s string) bool { return slices.Contains(o.calls(), s) }
func (o *fakeObserver) Request(op string, status int, d time.Duration) {
	o.add(fmt.Sprintf("request %s %d", op, status))
}
func (o *fakeObserver) Waited(cat RateLimit, d time.Duration) {
	if d >= 500*time.Millisecond {
		o.add(fmt.Sprintf("waited %s long", cat))
	}
}
func (o *fakeObserver) RateLimited(cat RateLimit, daily, surfaced bool) {
	o.add(fmt.Sprintf("429 %s daily=%v surfaced=%v", cat, daily, surfaced))
}
func (o *fakeObserver) Retried(op, reason string) { o.add("retried " + op + " " + reason) }
func (o *fakeObserver) Refused(op, reason string) { o.add("refused " + op + " " + reason) }

// qpsTransport answers 429 (QPS, Retry-After 2) to the first n requests,
// then users.
type qpsTransport struct {
	n     atomic.Int32
	fails int32
	daily bool
}

func (q *qpsTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if q.n.Add(1) <= q.fails {
		h := http.Header{"Content-Type": {"application/json"}, "X-Ratelimit-Category": {"Heavy"}, "X-Ratelimit-Type": {"QPS"},
			"X-Ratelimit-Limit": {"1"}, "Retry-After": {"2"}}
		msg := "per-second"
		if q.daily {
			h.Set("X-Ratelimit-Type", "Daily-limit")
			h.Set("Retry-After", time.Now().UTC().Add(time.Hour).Format(time.RFC3339))
			msg = "daily"
		}
		return &http.Response{StatusCode: 429, Header: h, Request: r,
			Body: io.NopCloser(strings.NewReader(`{"code":429,"message":"You have reached the maximum ` + msg + ` rate limit for this API."}`))}, nil
	}
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{}`)), Request: r}, nil
}

// TestObserverAndProgress: a per-second 429 is retried through the
// limiter after Retry-After, the observer sees each step, and the
// progress callback hears of the wait; a daily 429 is surfaced at once.
func TestObserverAndProgress(t *testing.T) {
	qt := &qpsTransport{fails: 1}
	obs := &fakeObserver{}
	c, err := NewClient(WithTokenSource(&fakeTokens{}), WithHTTPClient(&http.Client{Transport: qt}), WithObserver(obs))
	if err != nil {
		t.Fatal(err)
	}
	var progress atomic.Int32
	ctx := WithProgress(t.Context(), func(waited, expected time.Duration, reason string) {
		if expected > time.Second && strings.Contains(reason, "429") {
			progress.Add(1)
		}
	})
	fillLimiter(t, c, RateHeavy, 1)
	if _, _, err := c.Reports.MeetingDetails(ctx, "abc"); err != nil {
		t.Fatal(err)
	}
	want := []string{"request " + OpReportMeetingDetails + " 429", "429 HEAVY daily=false surfaced=false",
		"retried " + OpReportMeetingDetails + " rate_limit", "waited HEAVY long", "request " + OpReportMeetingDetails + " 200"}
	if got := obs.calls(); !slices.Equal(got, want) {
		t.Errorf("observer calls:\n got %q\nwant %q", got, want)
	}
	if qt.n.Load() != 2 || progress.Load() == 0 {
		t.Errorf("requests %d, progress calls %d", qt.n.Load(), progress.Load())
	}
	// A daily 429 is not retried.
	dt := &qpsTransport{fails: 5, daily: true}
	obs = &fakeObserver{}
	c, _ = NewClient(WithTokenSource(&fakeTokens{}), WithHTTPClient(&http.Client{Transport: dt}), WithObserver(obs))
	_, _, err = c.Reports.MeetingDetails(t.Context(), "abc")
	var rl *RateLimitError
	if !errors.As(err, &rl) || !rl.Daily || dt.n.Load() != 1 || !obs.has("429 HEAVY daily=true surfaced=true") {
		t.Errorf("daily 429: err %v, %d requests, observer %q", err, dt.n.Load(), obs.calls())
	}
}
