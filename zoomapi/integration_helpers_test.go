package zoomapi_test

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zoommcp/zoom-mcp/internal/sandbox"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// itEpoch is the simulated "now" of the integration tests: a whole second,
// so that the simulator's one-second rate-limit windows start with the test.
var itEpoch = time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)

// clock is the clock shared by the simulator and the client. A running
// clock moves with real time from its base; a frozen one moves only when
// advanced, which keeps every request in one rate-limit window.
type clock struct {
	mu     sync.Mutex
	base   time.Time
	start  time.Time
	extra  time.Duration
	frozen bool
}

func runningClock(base time.Time) *clock { return &clock{base: base, start: time.Now()} }
func frozenClock(base time.Time) *clock  { return &clock{base: base, frozen: true} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.frozen {
		return c.base.Add(c.extra)
	}
	return c.base.Add(time.Since(c.start) + c.extra)
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.extra += d
	c.mu.Unlock()
}

// env is one simulator and a client wired to it through its OAuth endpoint.
type env struct {
	c     *zoomapi.Client
	sim   *zoomfake.Server
	clock *clock
}

// newEnv starts a simulator on clk (a running clock from itEpoch if nil)
// and returns a client that shares the clock.
func newEnv(t *testing.T, opts zoomfake.Options, clk *clock, clientOpts ...zoomapi.Option) *env {
	t.Helper()
	if clk == nil {
		clk = runningClock(itEpoch)
	}
	if opts.Now == nil {
		opts.Now = clk.Now
	}
	c, sim, err := sandbox.New(opts, append([]zoomapi.Option{zoomapi.WithClock(clk.Now)}, clientOpts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return &env{c: c, sim: sim, clock: clk}
}

// day formats the day d days from the clock's today.
func (e *env) day(d int) string {
	return e.clock.Now().UTC().AddDate(0, 0, d).Format(time.DateOnly)
}

// scopesWithout returns every scope the simulator knows but those of ep.
func scopesWithout(ep zoomapi.Endpoint) []string {
	var out []string
	for _, s := range zoomfake.AllScopes() {
		if !slices.Contains(ep.Scopes(), s) {
			out = append(out, s)
		}
	}
	return out
}

func mustOK(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// wantNotFound checks err is a *NotFoundError with Zoom's code.
func wantNotFound(t *testing.T, err error, code int) {
	t.Helper()
	var nf *zoomapi.NotFoundError
	if !errors.As(err, &nf) {
		t.Fatalf("err = %T %v, want *zoomapi.NotFoundError", err, err)
	}
	if !errors.Is(err, zoomapi.ErrNotFound) {
		t.Errorf("errors.Is(err, ErrNotFound) = false")
	}
	if nf.Code != code || nf.StatusCode != 404 {
		t.Errorf("not found: HTTP %d code %d, want HTTP 404 code %d (%v)", nf.StatusCode, nf.Code, code, err)
	}
}

// wantValidation checks err is a *ValidationError naming fields (none: no
// field list) and, if msg is set, carrying Zoom's message.
func wantValidation(t *testing.T, err error, msg string, fields ...string) {
	t.Helper()
	var ve *zoomapi.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %T %v, want *zoomapi.ValidationError", err, err)
	}
	if !errors.Is(err, zoomapi.ErrValidation) {
		t.Errorf("errors.Is(err, ErrValidation) = false")
	}
	if ve.Code != 300 || ve.StatusCode != 400 {
		t.Errorf("validation: HTTP %d code %d, want HTTP 400 code 300", ve.StatusCode, ve.Code)
	}
	if msg != "" && ve.Message != msg {
		t.Errorf("message = %q, want %q", ve.Message, msg)
	}
	var got []string
	for _, f := range ve.Fields {
		got = append(got, f.Field)
	}
	if diff := cmp.Diff(fields, got); diff != "" {
		t.Errorf("invalid fields (-want +got):\n%s", diff)
	}
}

// wantArgument checks err is a client-side *ArgumentError about arg.
func wantArgument(t *testing.T, err error, arg string) {
	t.Helper()
	var ae *zoomapi.ArgumentError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %T %v, want *zoomapi.ArgumentError", err, err)
	}
	if ae.Arg != arg {
		t.Errorf("ArgumentError.Arg = %q, want %q", ae.Arg, arg)
	}
	if !errors.Is(err, zoomapi.ErrValidation) {
		t.Errorf("errors.Is(err, ErrValidation) = false")
	}
}

// wantZoomCode checks err is a plain Zoom error answer with code (one the
// client does not classify further).
func wantZoomCode(t *testing.T, err error, status, code int) *zoomapi.ErrorResponse {
	t.Helper()
	var er *zoomapi.ErrorResponse
	if !errors.As(err, &er) {
		t.Fatalf("err = %T %v, want a Zoom error answer", err, err)
	}
	if er.StatusCode != status || er.Code != code {
		t.Errorf("HTTP %d code %d, want HTTP %d code %d (%v)", er.StatusCode, er.Code, status, code, err)
	}
	return er
}

// collect drains an iterator, failing on its error.
func collect[T any](t *testing.T, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatalf("iterator: %v", err)
		}
		out = append(out, v)
	}
	return out
}
