package zoomapi

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// TestWindowNeverExceedsLimit: however many goroutines wait, no sliding
// span ever holds more than the limit, and calls below it do not wait.
func TestWindowNeverExceedsLimit(t *testing.T) {
	const limit, span = 5, 100 * time.Millisecond
	w := newWindow(limit, span)
	var admitted []time.Time // the window's own admission times, in order
	w.admitted = func(at time.Time) { admitted = append(admitted, at) }
	var wg sync.WaitGroup
	start := time.Now()
	for range 3 * limit {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := w.wait(context.Background()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for i, a := range admitted {
		n := 0
		for _, b := range admitted {
			if !b.Before(a) && b.Sub(a) < span {
				n++
			}
		}
		if n > limit {
			t.Fatalf("%d calls within %v of call %d; limit %d", n, span, i, limit)
		}
	}
	// 15 calls at 5 per span need at least two full spans.
	if took := time.Since(start); took < 2*span {
		t.Errorf("15 calls took %v: the window did not hold them back", took)
	}
}

func TestWindowHonoursContext(t *testing.T) {
	w := newWindow(1, time.Hour)
	if err := w.wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if err := w.wait(ctx); err == nil {
		t.Fatal("wait past a cancelled context returned nil")
	}
}

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

// fillWindow takes every slot of the pacer's window for label, so that the
// next call waits about a second.
func fillWindow(t *testing.T, c *Client, label RateLimit) *window {
	t.Helper()
	w := c.pacer.windows[label]
	for range w.log {
		if err := w.wait(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	return w
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
				fillWindow(t, c, MustEndpoint(OpGetUser).RateLimit)
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

// TestPacerQueueIsBounded: past its bound of waiting calls per rate-limit
// label, a call is refused at once with *QueueFullError and nothing is
// sent; calls of other labels still pass.
func TestPacerQueueIsBounded(t *testing.T) {
	tests := []struct {
		name  string
		opts  []Option
		bound int
	}{
		{name: "default bound", bound: DefaultMaxQueue},
		{name: "bound of 1", opts: []Option{WithMaxQueue(1)}, bound: 1},
		{name: "bound of 5", opts: []Option{WithMaxQueue(5)}, bound: 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ct := &countingTransport{}
			opts := append([]Option{WithTokenSource(&fakeTokens{}), WithHTTPClient(&http.Client{Transport: ct}), WithPlan(PlanFree)}, tt.opts...)
			c, err := NewClient(opts...)
			if err != nil {
				t.Fatal(err)
			}
			label := MustEndpoint(OpGetUser).RateLimit
			w := fillWindow(t, c, label)
			ctx, cancel := context.WithCancel(t.Context())
			var wg sync.WaitGroup
			defer wg.Wait()
			defer cancel()
			for range tt.bound {
				wg.Go(func() { _, _, _ = c.Users.Get(ctx, "me", nil) })
			}
			for waiting := 0; waiting < tt.bound; {
				time.Sleep(time.Millisecond)
				w.mu.Lock()
				waiting = w.waiting
				w.mu.Unlock()
			}
			start := time.Now()
			probe, stop := context.WithTimeout(t.Context(), time.Second)
			defer stop()
			_, _, err = c.Users.Get(probe, "me", nil)
			var qf *QueueFullError
			if !errors.As(err, &qf) {
				t.Fatalf("err = %T %v, want *QueueFullError", err, err)
			}
			if took := time.Since(start); took > 500*time.Millisecond {
				t.Errorf("refusal took %v, want at once", took)
			}
			if qf.Category != label || qf.Waiting != tt.bound || qf.RetryAfter <= 0 || !errors.Is(err, ErrRateLimited) {
				t.Errorf("QueueFullError = %+v (Is ErrRateLimited: %v)", qf, errors.Is(err, ErrRateLimited))
			}
			if n := ct.n.Load(); n != 0 {
				t.Errorf("%d requests sent", n)
			}
			cancel()
			wg.Wait()
			w.mu.Lock()
			defer w.mu.Unlock()
			if w.waiting != 0 {
				t.Errorf("%d waiters left after they gave up", w.waiting)
			}
		})
	}
}
