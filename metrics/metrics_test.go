package metrics

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	dto "github.com/prometheus/client_model/go"

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// TestObserver checks that each observer call moves its series, and only
// its series.
func TestObserver(t *testing.T) {
	type series struct {
		c      prometheus.Collector
		labels []string
	}
	tests := []struct {
		name string
		call func(m *Metrics)
		// moved are the series that must each count one observation.
		moved func(m *Metrics) []series
		// still are series that must count none.
		still func(m *Metrics) []series
	}{
		{
			name: "request",
			call: func(m *Metrics) { m.Request("meetingCreate", 201, 300*time.Millisecond) },
			moved: func(m *Metrics) []series {
				return []series{{m.requests, []string{"meetingCreate", "201"}}}
			},
		},
		{
			name: "request without an answer",
			call: func(m *Metrics) { m.Request("meetings", 0, time.Second) },
			moved: func(m *Metrics) []series {
				return []series{{m.requests, []string{"meetings", "0"}}}
			},
		},
		{
			name: "request with a status out of range",
			call: func(m *Metrics) { m.Request("meetings", 12345, time.Second) },
			moved: func(m *Metrics) []series {
				return []series{{m.requests, []string{"meetings", "0"}}}
			},
		},
		{
			name: "waited",
			call: func(m *Metrics) { m.Waited(zoomapi.RateHeavy, 2*time.Second) },
			moved: func(m *Metrics) []series {
				return []series{{m.waited, []string{"heavy"}}}
			},
		},
		{
			name: "per-second 429 retried",
			call: func(m *Metrics) { m.RateLimited(zoomapi.RateMedium, false, false) },
			moved: func(m *Metrics) []series {
				return []series{{m.rateLimited, []string{"medium", "per_second"}}}
			},
			still: func(m *Metrics) []series {
				return []series{{m.rateSurfaced, []string{"medium", "per_second"}}}
			},
		},
		{
			name: "per-second 429 surfaced",
			call: func(m *Metrics) { m.RateLimited(zoomapi.RateHeavy, false, true) },
			moved: func(m *Metrics) []series {
				return []series{
					{m.rateLimited, []string{"heavy", "per_second"}},
					{m.rateSurfaced, []string{"heavy", "per_second"}},
				}
			},
		},
		{
			name: "daily 429 surfaced",
			call: func(m *Metrics) { m.RateLimited(zoomapi.RateLight, true, true) },
			moved: func(m *Metrics) []series {
				return []series{
					{m.rateLimited, []string{"light", "daily"}},
					{m.rateSurfaced, []string{"light", "daily"}},
				}
			},
			still: func(m *Metrics) []series {
				return []series{{m.rateLimited, []string{"light", "per_second"}}}
			},
		},
		{
			name: "retried",
			call: func(m *Metrics) { m.Retried("users", "token") },
			moved: func(m *Metrics) []series {
				return []series{{m.retries, []string{"users", "token"}}}
			},
		},
		{
			name: "refused",
			call: func(m *Metrics) { m.Refused("meetingCreate", "user_daily_limit") },
			moved: func(m *Metrics) []series {
				return []series{{m.refusals, []string{"meetingCreate", "user_daily_limit"}}}
			},
		},
		{
			name: "token fetched",
			call: func(m *Metrics) { m.TokenFetched("s2s", "ok") },
			moved: func(m *Metrics) []series {
				return []series{{m.tokenFetches, []string{"s2s", "ok"}}}
			},
		},
		{
			name: "token fetch hook",
			call: func(m *Metrics) { m.OnFetch("user", "error") },
			moved: func(m *Metrics) []series {
				return []series{{m.tokenFetches, []string{"user", "error"}}}
			},
			still: func(m *Metrics) []series {
				return []series{{m.tokenFetches, []string{"user", "ok"}}}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New()
			tt.call(m)
			for _, s := range tt.moved(m) {
				if got := count(t, s.c, s.labels...); got != 1 {
					t.Errorf("%s: count = %v, want 1", seriesName(s.c, s.labels), got)
				}
			}
			// No other series exists (looking one up below creates it).
			all := 0
			for _, c := range []prometheus.Collector{m.requests, m.waited, m.rateLimited, m.rateSurfaced, m.retries, m.refusals, m.tokenFetches, m.toolCalls, m.toolDuration} {
				all += testutil.CollectAndCount(c)
			}
			if want := len(tt.moved(m)); all != want {
				t.Errorf("%d series in all, want %d", all, want)
			}
			if tt.still != nil {
				for _, s := range tt.still(m) {
					if got := count(t, s.c, s.labels...); got != 0 {
						t.Errorf("%s: count = %v, want 0", seriesName(s.c, s.labels), got)
					}
				}
			}
		})
	}
}

// TestObserverSums checks the recorded seconds.
func TestObserverSums(t *testing.T) {
	m := New()
	m.Waited(zoomapi.RateLight, 1500*time.Millisecond)
	m.Waited(zoomapi.RateLight, 500*time.Millisecond)
	m.Request("users", 200, 250*time.Millisecond)
	if got := histogram(t, m.waited, "light").GetSampleSum(); got != 2 {
		t.Errorf("wait seconds = %v, want 2", got)
	}
	if got := histogram(t, m.requests, "users", "200").GetSampleSum(); got != 0.25 {
		t.Errorf("request seconds = %v, want 0.25", got)
	}
}

// TestMiddleware checks that each call is counted under its outcome and
// timed, and that its outcome passes through unchanged.
func TestMiddleware(t *testing.T) {
	fault := errors.New("boom")
	tests := []struct {
		name    string
		out     pipeline.Outcome
		outcome string
	}{
		{"success", pipeline.Outcome{Decision: pipeline.Allowed, Value: &struct{ ID int }{7}}, "allowed"},
		{"confirmed", pipeline.Outcome{Decision: pipeline.Confirmed}, "confirmed"},
		{"dry run", pipeline.Outcome{Decision: pipeline.DryRun, Planned: &zoomapi.PlannedRequest{Method: "POST"}}, "dry_run"},
		{"access denied", pipeline.Deny("meetings=read", "read only"), "denied:access_denied"},
		{"failure", pipeline.Outcome{Decision: pipeline.Failed, Error: &pipeline.ErrorInfo{Kind: pipeline.KindNotFound, Message: "no such meeting"}}, "failed:not_found"},
		{"declined", pipeline.Outcome{Decision: pipeline.Declined, Error: &pipeline.ErrorInfo{Kind: pipeline.KindDeclined}}, "declined:declined"},
		{"fault", pipeline.Outcome{Decision: pipeline.Allowed, Err: fault}, "failed:internal"},
		{"no decision", pipeline.Outcome{Error: &pipeline.ErrorInfo{Kind: pipeline.KindUnavailable}}, "failed:unavailable"},
		{"unknown kind", pipeline.Outcome{Decision: pipeline.Failed, Error: &pipeline.ErrorInfo{Kind: "user@example.com"}}, "failed:other"},
		{"unknown decision", pipeline.Outcome{Decision: "meeting 123"}, "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New()
			clock := time.Unix(1000, 0)
			m.now = func() time.Time { return clock }
			c := &pipeline.Call{
				Agent: pipeline.Agent{Name: "scheduler"},
				Tool:  pipeline.Tool{Name: "create_meeting", Effect: pipeline.Create},
			}
			var seen *pipeline.Call
			h := pipeline.Chain(func(_ context.Context, got *pipeline.Call) pipeline.Outcome {
				seen = got
				clock = clock.Add(1500 * time.Millisecond)
				return tt.out
			}, m.Middleware())
			out := h(context.Background(), c)

			if seen != c {
				t.Error("the handler did not get the call")
			}
			if diff := cmp.Diff(tt.out, out, cmp.Comparer(func(a, b error) bool { return a == b })); diff != "" {
				t.Errorf("outcome changed (-want +got):\n%s", diff)
			}
			if got := count(t, m.toolCalls, "create_meeting", "scheduler", tt.outcome); got != 1 {
				t.Errorf("tool_calls_total{outcome=%q} = %v, want 1", tt.outcome, got)
			}
			if got := testutil.CollectAndCount(m.toolCalls); got != 1 {
				t.Errorf("%d tool_calls_total series, want 1", got)
			}
			hist := histogram(t, m.toolDuration, "create_meeting")
			if hist.GetSampleCount() != 1 || hist.GetSampleSum() != 1.5 {
				t.Errorf("duration: %d samples, sum %v; want 1 and 1.5", hist.GetSampleCount(), hist.GetSampleSum())
			}
		})
	}
}

func TestMiddlewareNoAgent(t *testing.T) {
	m := New()
	h := m.Middleware()(func(context.Context, *pipeline.Call) pipeline.Outcome {
		return pipeline.Outcome{Decision: pipeline.Allowed}
	})
	h(context.Background(), &pipeline.Call{Tool: pipeline.Tool{Name: "list_users"}})
	if got := count(t, m.toolCalls, "list_users", "unknown", "allowed"); got != 1 {
		t.Errorf("count = %v, want 1", got)
	}
}

func TestMiddlewarePanic(t *testing.T) {
	m := New()
	h := m.Middleware()(func(context.Context, *pipeline.Call) pipeline.Outcome { panic("bug") })
	func() {
		defer func() {
			if r := recover(); r != "bug" {
				t.Errorf("recovered %v, want the handler's panic", r)
			}
		}()
		h(context.Background(), &pipeline.Call{Agent: pipeline.Agent{Name: "a"}, Tool: pipeline.Tool{Name: "list_users"}})
	}()
	if got := count(t, m.toolCalls, "list_users", "a", "failed:internal"); got != 1 {
		t.Errorf("count = %v, want 1", got)
	}
}

func TestNilMiddleware(t *testing.T) {
	var m *Metrics
	if m.Middleware() != nil {
		t.Error("a nil *Metrics gave a middleware")
	}
}

// TestHandler checks the exposition: text format, every metric name (once
// each has a series), the Go and process collectors.
func TestHandler(t *testing.T) {
	m := New()
	m.Middleware()(func(context.Context, *pipeline.Call) pipeline.Outcome {
		return pipeline.Outcome{Decision: pipeline.Allowed}
	})(context.Background(), &pipeline.Call{Agent: pipeline.Agent{Name: "a"}, Tool: pipeline.Tool{Name: "list_users"}})
	m.Request("users", 200, time.Millisecond)
	m.Waited(zoomapi.RateLight, time.Millisecond)
	m.RateLimited(zoomapi.RateLight, false, true)
	m.Retried("users", "fault")
	m.Refused("users", "queue_full")
	m.TokenFetched("s2s", "ok")

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "text/plain") {
		t.Errorf("Content-Type %q, want text/plain", ct)
	}
	body := rec.Body.String()
	for _, name := range []string{
		"zoom_mcp_tool_calls_total",
		"zoom_mcp_tool_call_duration_seconds_bucket",
		"zoom_mcp_zoom_request_duration_seconds_bucket",
		"zoom_mcp_zoom_rate_limit_wait_seconds_sum",
		"zoom_mcp_zoom_rate_limited_total",
		"zoom_mcp_zoom_rate_limited_surfaced_total",
		"zoom_mcp_zoom_retries_total",
		"zoom_mcp_zoom_refusals_total",
		"zoom_mcp_zoom_token_fetches_total",
		"go_goroutines",
		"process_start_time_seconds",
	} {
		if !strings.Contains(body, "\n"+name) {
			t.Errorf("no %s in the exposition", name)
		}
	}
	if want := `zoom_mcp_tool_calls_total{agent="a",outcome="allowed",tool="list_users"} 1`; !strings.Contains(body, want) {
		t.Errorf("exposition lacks %s", want)
	}
	// The registry is the value's own, not the global one.
	if n, err := testutil.GatherAndCount(prometheus.DefaultGatherer, "zoom_mcp_tool_calls_total"); err != nil || n != 0 {
		t.Errorf("global registry has %d zoom_mcp_tool_calls_total series (err %v), want 0", n, err)
	}
}

// TestLint runs Prometheus' metric lint over the registry.
func TestLint(t *testing.T) {
	m := New()
	m.Request("users", 200, time.Millisecond)
	problems, err := testutil.GatherAndLint(m.reg)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		if strings.HasPrefix(p.Metric, "zoom_mcp_") {
			t.Errorf("%s: %s", p.Metric, p.Text)
		}
	}
}

// TestConcurrent uses one Metrics from many goroutines, scraping as they
// go; run with -race.
func TestConcurrent(t *testing.T) {
	m := New()
	h := m.Middleware()(func(context.Context, *pipeline.Call) pipeline.Outcome {
		return pipeline.Outcome{Decision: pipeline.Allowed}
	})
	const workers, each = 8, 200
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			agent := []string{"a", "b"}[w%2]
			for range each {
				h(context.Background(), &pipeline.Call{Agent: pipeline.Agent{Name: agent}, Tool: pipeline.Tool{Name: "list_users"}})
				m.Request("users", 200, time.Millisecond)
				m.Waited(zoomapi.RateMedium, time.Millisecond)
				m.RateLimited(zoomapi.RateMedium, false, false)
				m.Retried("users", "rate_limit")
				m.Refused("users", "queue_full")
				m.OnFetch("user", "ok")
			}
		})
	}
	wg.Go(func() {
		for range 20 {
			rec := httptest.NewRecorder()
			m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
			io.Copy(io.Discard, rec.Body)
		}
	})
	wg.Wait()
	const total = workers * each
	for _, tc := range []struct {
		c      prometheus.Collector
		labels []string
		want   float64
	}{
		{m.toolCalls, []string{"list_users", "a", "allowed"}, total / 2},
		{m.toolCalls, []string{"list_users", "b", "allowed"}, total / 2},
		{m.toolDuration, []string{"list_users"}, total},
		{m.requests, []string{"users", "200"}, total},
		{m.waited, []string{"medium"}, total},
		{m.rateLimited, []string{"medium", "per_second"}, total},
		{m.retries, []string{"users", "rate_limit"}, total},
		{m.refusals, []string{"users", "queue_full"}, total},
		{m.tokenFetches, []string{"user", "ok"}, total},
	} {
		if got := count(t, tc.c, tc.labels...); got != tc.want {
			t.Errorf("%s = %v, want %v", seriesName(tc.c, tc.labels), got, tc.want)
		}
	}
}

// count is a counter's value, or a histogram's sample count.
func count(t *testing.T, c prometheus.Collector, labels ...string) float64 {
	t.Helper()
	switch v := c.(type) {
	case *prometheus.CounterVec:
		return testutil.ToFloat64(v.WithLabelValues(labels...))
	case *prometheus.HistogramVec:
		return float64(histogram(t, v, labels...).GetSampleCount())
	}
	t.Fatalf("unexpected collector %T", c)
	return 0
}

func histogram(t *testing.T, v *prometheus.HistogramVec, labels ...string) interface {
	GetSampleCount() uint64
	GetSampleSum() float64
} {
	t.Helper()
	var pb dto.Metric
	if err := v.WithLabelValues(labels...).(prometheus.Metric).Write(&pb); err != nil {
		t.Fatal(err)
	}
	return pb.GetHistogram()
}

func seriesName(c prometheus.Collector, labels []string) string {
	ch := make(chan *prometheus.Desc, 1)
	c.Describe(ch)
	return (<-ch).String() + " " + strings.Join(labels, ",")
}
