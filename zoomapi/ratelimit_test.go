package zoomapi

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"
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
