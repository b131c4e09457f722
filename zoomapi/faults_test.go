package zoomapi

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// fault is what the faulty Zoom below does with one request.
type fault int

const (
	answer     fault = iota // the normal answer
	fail503                 // 503 with Zoom's JSON
	fail502                 // 502 with a gateway's HTML page
	reset                   // closes the connection without answering (RST)
	hang                    // answers nothing until the client gives up
	cutShort                // 2xx whose body stops before its Content-Length
	html200                 // 2xx with a gateway's HTML page
	badShape                // 2xx with JSON of the wrong shape
	notFound                // 404 with Zoom's code 3001
	perSecond               // 429 for a per-second limit, retry at once
	perSecond2              // 429 for a per-second limit, retry in 2 s
)

// faultyZoom answers the requests under /v2/ as script says, one fault per
// request in order, then normally: GET with a user, POST with 201 and a
// meeting, others with 204.
type faultyZoom struct {
	script []fault
	n      atomic.Int32
	done   chan struct{} // closed at cleanup: releases hung handlers
}

func (z *faultyZoom) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	f := answer
	if i := int(z.n.Add(1)) - 1; i < len(z.script) {
		f = z.script[i]
	}
	w.Header().Set("Content-Type", "application/json")
	ok := `{"id":"u1"}`
	status := http.StatusOK
	switch r.Method {
	case http.MethodPost:
		ok, status = `{"id":5,"topic":"t"}`, http.StatusCreated
	case http.MethodPatch, http.MethodPut, http.MethodDelete:
		ok, status = "", http.StatusNoContent
	}
	switch f {
	case answer:
		w.WriteHeader(status)
		_, _ = io.WriteString(w, ok)
	case fail503:
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = io.WriteString(w, `{"code":503,"message":"Service unavailable."}`)
	case fail502:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, `<html><h1>502 Bad Gateway</h1></html>`)
	case reset:
		resetConn(w)
	case hang:
		select {
		case <-r.Context().Done():
		case <-z.done:
		}
	case cutShort:
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(max(status, http.StatusOK))
		_, _ = io.WriteString(w, `{"id":`)
	case html200:
		w.Header().Set("Content-Type", "text/html")
		_, _ = io.WriteString(w, `<html>maintenance</html>`)
	case badShape:
		_, _ = io.WriteString(w, `{"id":42}`)
	case notFound:
		w.WriteHeader(http.StatusNotFound)
		_, _ = io.WriteString(w, `{"code":3001,"message":"Meeting does not exist: 5."}`)
	case perSecond, perSecond2:
		w.Header().Set("Retry-After", "0")
		if f == perSecond2 {
			w.Header().Set("Retry-After", "2")
		}
		w.WriteHeader(http.StatusTooManyRequests)
		_, _ = io.WriteString(w, `{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}`)
	}
}

// resetConn closes the request's connection with a TCP reset.
func resetConn(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// newFaultyClient starts a faulty Zoom with script and returns a client for
// it whose attempts time out after attemptTimeout, and that retries reads
// quickly. Connections are not reused, so that the transport never repeats
// a request on its own.
func newFaultyClient(t *testing.T, script []fault, opts ...Option) (*Client, *faultyZoom) {
	t.Helper()
	z := &faultyZoom{script: script, done: make(chan struct{})}
	srv := httptest.NewServer(z)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(z.done) })
	hc := &http.Client{Timeout: 150 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	base := []Option{
		WithBaseURL(srv.URL + "/v2"),
		WithTokenSource(&fakeTokens{}),
		WithHTTPClient(hc),
		WithoutPacing(),
		WithRetryOnRateLimit(2, time.Second),
		WithReadRetry(4, 5*time.Millisecond, 20*time.Millisecond),
	}
	c, err := NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, z
}

// callOf makes one call of a kind: a read or each kind of write.
func callOf(kind string) func(ctx context.Context, c *Client) error {
	return func(ctx context.Context, c *Client) error {
		var err error
		switch kind {
		case "GET":
			_, _, err = c.Users.Get(ctx, "me", nil)
		case "POST":
			_, _, err = c.Meetings.Create(ctx, "me", &MeetingCreateRequest{Topic: "t"})
		case "PATCH":
			_, err = c.Meetings.Update(ctx, 5, &MeetingUpdateRequest{Topic: Ptr("u")}, nil)
		case "PUT":
			_, err = c.Meetings.End(ctx, 5)
		case "DELETE":
			_, err = c.Meetings.Delete(ctx, 5, nil)
		default:
			panic(kind)
		}
		return err
	}
}

func wantStatus(status int) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var er *ErrorResponse
		if !errors.As(err, &er) || er.StatusCode != status {
			t.Fatalf("err = %v, want HTTP %d", err, status)
		}
	}
}

// wantUnknownTransport wants a TransportError after the request was sent.
func wantUnknownTransport(t *testing.T, err error) {
	t.Helper()
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("err = %T %v, want *TransportError", err, err)
	}
	if !te.MayHaveReachedZoom() {
		t.Errorf("MayHaveReachedZoom() = false after the request was written: %v", err)
	}
}

func wantDecode(succeeded bool) func(*testing.T, error) {
	return func(t *testing.T, err error) {
		t.Helper()
		var de *DecodeError
		if !errors.As(err, &de) {
			t.Fatalf("err = %T %v, want *DecodeError", err, err)
		}
		if de.Succeeded() != succeeded {
			t.Errorf("Succeeded() = %v, want %v (HTTP %d)", de.Succeeded(), succeeded, de.StatusCode)
		}
	}
}

// TestFaultRetries: a read is retried on Zoom's and the network's faults
// until it succeeds or its attempts run out; a write never is, whatever the
// fault, since Zoom may have applied it. 124 and per-second 429 answers,
// which say nothing was done, are retried for both.
func TestFaultRetries(t *testing.T) {
	tests := []struct {
		name     string
		method   string
		script   []fault
		wantSent int32
		check    func(*testing.T, error) // nil: the call succeeds
	}{
		{name: "read: 503 then answer", method: "GET", script: []fault{fail503}, wantSent: 2},
		{name: "read: three HTML 502s then answer", method: "GET", script: []fault{fail502, fail502, fail502}, wantSent: 4},
		{name: "read: 503 on every attempt", method: "GET", script: []fault{fail503, fail503, fail503, fail503, fail503}, wantSent: 4, check: wantStatus(503)},
		{name: "read: reset then answer", method: "GET", script: []fault{reset}, wantSent: 2},
		{name: "read: attempt timeout then answer", method: "GET", script: []fault{hang}, wantSent: 2},
		{name: "read: body cut short then answer", method: "GET", script: []fault{cutShort}, wantSent: 2},
		{name: "read: HTML 200 then answer", method: "GET", script: []fault{html200}, wantSent: 2},
		{name: "read: mixed faults then answer", method: "GET", script: []fault{reset, fail503, cutShort}, wantSent: 4},
		{name: "read: JSON of the wrong shape is not retried", method: "GET", script: []fault{badShape}, wantSent: 1, check: wantDecode(true)},
		{name: "read: 404 is not retried", method: "GET", script: []fault{notFound}, wantSent: 1, check: func(t *testing.T, err error) {
			if !errors.Is(err, ErrNotFound) {
				t.Fatalf("err = %v", err)
			}
		}},
		{name: "read: per-second 429 waited out", method: "GET", script: []fault{perSecond}, wantSent: 2},
		{name: "create: 503 not retried", method: "POST", script: []fault{fail503}, wantSent: 1, check: wantStatus(503)},
		{name: "create: reset not retried", method: "POST", script: []fault{reset}, wantSent: 1, check: wantUnknownTransport},
		{name: "create: timeout not retried", method: "POST", script: []fault{hang}, wantSent: 1, check: wantUnknownTransport},
		{name: "create: 201 cut short not retried", method: "POST", script: []fault{cutShort}, wantSent: 1, check: wantDecode(true)},
		{name: "create: per-second 429 waited out", method: "POST", script: []fault{perSecond}, wantSent: 2},
		{name: "update: 503 not retried", method: "PATCH", script: []fault{fail503}, wantSent: 1, check: wantStatus(503)},
		{name: "update: reset not retried", method: "PATCH", script: []fault{reset}, wantSent: 1, check: wantUnknownTransport},
		{name: "status: timeout not retried", method: "PUT", script: []fault{hang}, wantSent: 1, check: wantUnknownTransport},
		{name: "delete: HTML 502 not retried", method: "DELETE", script: []fault{fail502}, wantSent: 1, check: wantStatus(502)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, z := newFaultyClient(t, tt.script)
			err := callOf(tt.method)(t.Context(), c)
			switch {
			case tt.check == nil && err != nil:
				t.Fatalf("err = %v, want success", err)
			case tt.check != nil:
				tt.check(t, err)
			}
			if n := z.n.Load(); n != tt.wantSent {
				t.Errorf("Zoom saw %d requests, want %d", n, tt.wantSent)
			}
		})
	}
}

// TestFaultRetriesWithinDeadline: no wait between attempts reaches past
// the caller's deadline (the fault in hand is returned instead), and a
// cancelled call stops at once.
func TestFaultRetriesWithinDeadline(t *testing.T) {
	always503 := []fault{fail503, fail503, fail503, fail503}
	tests := []struct {
		name    string
		script  []fault
		opts    []Option
		timeout time.Duration // the call's deadline
		cancel  time.Duration // cancel the call after this long; 0: never
		want    func(*testing.T, error)
	}{
		{
			name: "backoff longer than the deadline", script: always503,
			opts: []Option{WithReadRetry(4, time.Minute, 2*time.Minute)}, timeout: 10 * time.Second,
			want: wantStatus(503),
		},
		{
			name: "cancelled during the backoff", script: always503,
			opts: []Option{WithReadRetry(4, time.Second, 2*time.Second)}, timeout: 10 * time.Second, cancel: 50 * time.Millisecond,
			want: func(t *testing.T, err error) {
				if !errors.Is(err, context.Canceled) {
					t.Fatalf("err = %v, want context.Canceled", err)
				}
			},
		},
		{
			name: "rate-limit wait longer than the deadline", script: []fault{perSecond2},
			opts: []Option{WithRetryOnRateLimit(2, 5*time.Minute)}, timeout: 1900 * time.Millisecond,
			want: func(t *testing.T, err error) {
				if !errors.Is(err, ErrRateLimited) {
					t.Fatalf("err = %v, want the rate limit", err)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, z := newFaultyClient(t, tt.script, tt.opts...)
			ctx, cancel := context.WithTimeout(t.Context(), tt.timeout)
			defer cancel()
			if tt.cancel > 0 {
				time.AfterFunc(tt.cancel, cancel)
			}
			start := time.Now()
			err := callOf("GET")(ctx, c)
			// Waiting would take seconds (or until the deadline); the call
			// must give up at once instead. The bound is loose so that a
			// loaded machine cannot fail it.
			if took := time.Since(start); took > tt.timeout/2 {
				t.Errorf("call took %v: it waited past the point of use", took)
			}
			tt.want(t, err)
			if n := z.n.Load(); n != 1 {
				t.Errorf("Zoom saw %d requests, want 1", n)
			}
		})
	}
}

// roundTripFunc is a transport that reports nothing through httptrace, as
// an in-process one does.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestMayHaveReachedZoom: a write that failed before any byte of it was
// written (no name, no connection, no TLS) certainly did not reach Zoom;
// one that failed after is of unknown outcome. The trace records only
// requests that may have been sent.
func TestMayHaveReachedZoom(t *testing.T) {
	// A port nobody listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	refused := "http://" + ln.Addr().String() + "/v2"
	ln.Close()
	// A TLS server whose certificate the default client does not trust.
	tlsSrv := httptest.NewUnstartedServer(http.NotFoundHandler())
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0)
	tlsSrv.StartTLS()
	t.Cleanup(tlsSrv.Close)
	dnsErr := &net.DNSError{Err: "no such host", Name: "api.zoom.invalid", IsNotFound: true}

	tests := []struct {
		name     string
		base     string  // "": a faulty Zoom with script
		script   []fault // what the faulty Zoom does
		hc       *http.Client
		wantSent bool
	}{
		{name: "connection refused", base: refused, hc: &http.Client{}, wantSent: false},
		{name: "name does not resolve", base: "http://api.zoom.invalid/v2", hc: &http.Client{Transport: &http.Transport{
			DialContext: func(context.Context, string, string) (net.Conn, error) { return nil, dnsErr },
		}}, wantSent: false},
		{name: "TLS handshake fails", base: tlsSrv.URL + "/v2", hc: &http.Client{Transport: &http.Transport{}}, wantSent: false},
		{name: "reset after the request was written", script: []fault{reset}, hc: &http.Client{}, wantSent: true},
		{name: "timeout after the request was written", script: []fault{hang}, hc: &http.Client{Timeout: 100 * time.Millisecond}, wantSent: true},
		{name: "untraced transport: dial error", base: "http://zoom.test/v2", hc: &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
		})}, wantSent: false},
		{name: "untraced transport: DNS error", base: "http://zoom.test/v2", hc: &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			return nil, dnsErr
		})}, wantSent: false},
		{name: "untraced transport: reset", base: "http://zoom.test/v2", hc: &http.Client{Transport: roundTripFunc(func(*http.Request) (*http.Response, error) {
			return nil, &net.OpError{Op: "read", Net: "tcp", Err: errors.New("connection reset by peer")}
		})}, wantSent: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := tt.base
			if base == "" {
				z := &faultyZoom{script: tt.script, done: make(chan struct{})}
				srv := httptest.NewServer(z)
				t.Cleanup(srv.Close)
				t.Cleanup(func() { close(z.done) })
				base = srv.URL + "/v2"
			}
			c, err := NewClient(WithBaseURL(base), WithTokenSource(&fakeTokens{}), WithHTTPClient(tt.hc), WithoutPacing())
			if err != nil {
				t.Fatal(err)
			}
			trace := &Trace{}
			_, _, err = c.Meetings.Create(WithTrace(t.Context(), trace), "me", &MeetingCreateRequest{Topic: "t"})
			var te *TransportError
			if !errors.As(err, &te) {
				t.Fatalf("err = %T %v, want *TransportError", err, err)
			}
			if got := te.MayHaveReachedZoom(); got != tt.wantSent {
				t.Errorf("MayHaveReachedZoom() = %v, want %v (%v)", got, tt.wantSent, err)
			}
			if te.NotSent != !tt.wantSent {
				t.Errorf("NotSent = %v", te.NotSent)
			}
			if n := len(trace.Requests()); (n == 1) != tt.wantSent || n > 1 {
				t.Errorf("trace holds %d requests; want one only if it may have been sent", n)
			}
		})
	}
}

// TestBackoff: waits double from the base up to the ceiling, each with up
// to half of it dropped at random.
func TestBackoff(t *testing.T) {
	const base, ceiling = 100 * time.Millisecond, 2 * time.Second
	for n, full := range []time.Duration{100, 200, 400, 800, 1600, 2000, 2000} {
		full *= time.Millisecond
		for range 50 {
			if d := backoff(base, ceiling, n); d < full/2 || d > full {
				t.Fatalf("backoff(%d) = %v, want within [%v, %v]", n, d, full/2, full)
			}
		}
	}
	if d := backoff(base, ceiling, 100); d < ceiling/2 || d > ceiling {
		t.Errorf("backoff(100) = %v: the doubling overflowed", d)
	}
}
