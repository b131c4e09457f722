package metrics

import (
	"bytes"
	"context"
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/prometheus/client_golang/prometheus/testutil/promlint"
	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// The tests read the metrics back through the Prometheus project's own
// text parser (expfmt) and check them with its linter (promlint): the
// exposition is written by this package, and these say whether Prometheus
// reads it as meant.

// exposition is a scrape of a Metrics' handler, parsed.
type exposition struct {
	body string
	fams map[string]*dto.MetricFamily
}

func scrape(t *testing.T, m *Metrics) exposition {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /metrics: status %d", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/plain; version=0.0.4; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	return parse(t, rec.Body.String())
}

func parse(t *testing.T, body string) exposition {
	t.Helper()
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("the Prometheus parser rejects the exposition: %v\n%s", err, body)
	}
	return exposition{body, fams}
}

// series names a series: its family and label pairs (name, value, ...).
type series struct {
	name   string
	labels []string
}

func s(name string, labels ...string) series { return series{name, labels} }

func (s series) String() string { return s.name + "{" + strings.Join(s.labels, ",") + "}" }

// find is the series' metric, or nil.
func (e exposition) find(s series) *dto.Metric {
	f := e.fams[s.name]
	if f == nil {
		return nil
	}
	want := map[string]string{}
	for i := 0; i+1 < len(s.labels); i += 2 {
		want[s.labels[i]] = s.labels[i+1]
	}
next:
	for _, m := range f.GetMetric() {
		if len(m.GetLabel()) != len(want) {
			continue
		}
		for _, l := range m.GetLabel() {
			if v, ok := want[l.GetName()]; !ok || v != l.GetValue() {
				continue next
			}
		}
		return m
	}
	return nil
}

// count is a counter's value or a histogram's sample count; 0 when the
// series is absent.
func (e exposition) count(s series) float64 {
	m := e.find(s)
	switch {
	case m == nil:
		return 0
	case m.Histogram != nil:
		return float64(m.GetHistogram().GetSampleCount())
	default:
		return m.GetCounter().GetValue()
	}
}

func (e exposition) histogram(t *testing.T, s series) *dto.Histogram {
	t.Helper()
	m := e.find(s)
	if m == nil || m.Histogram == nil {
		t.Fatalf("no histogram %s in\n%s", s, e.body)
	}
	return m.GetHistogram()
}

// ours is the number of series in the server's own families.
func (e exposition) ours() int {
	n := 0
	for name, f := range e.fams {
		if strings.HasPrefix(name, namespace+"_") {
			n += len(f.GetMetric())
		}
	}
	return n
}

// TestObserver checks that each observer call moves its series, and only
// its series.
func TestObserver(t *testing.T) {
	const (
		requests     = "zoom_mcp_zoom_request_duration_seconds"
		waited       = "zoom_mcp_zoom_rate_limit_wait_seconds"
		rateLimited  = "zoom_mcp_zoom_rate_limited_total"
		rateSurfaced = "zoom_mcp_zoom_rate_limited_surfaced_total"
		retries      = "zoom_mcp_zoom_retries_total"
		refusals     = "zoom_mcp_zoom_refusals_total"
		tokens       = "zoom_mcp_zoom_token_fetches_total"
	)
	tests := []struct {
		name string
		call func(m *Metrics)
		// moved are the series that must each count one observation.
		moved []series
		// still are series that must count none.
		still []series
	}{
		{
			name:  "request",
			call:  func(m *Metrics) { m.Request("meetingCreate", 201, 300*time.Millisecond) },
			moved: []series{s(requests, "operation", "meetingCreate", "status", "201")},
		},
		{
			name:  "request without an answer",
			call:  func(m *Metrics) { m.Request("meetings", 0, time.Second) },
			moved: []series{s(requests, "operation", "meetings", "status", "0")},
		},
		{
			name:  "request with a status out of range",
			call:  func(m *Metrics) { m.Request("meetings", 12345, time.Second) },
			moved: []series{s(requests, "operation", "meetings", "status", "0")},
		},
		{
			name:  "waited",
			call:  func(m *Metrics) { m.Waited(zoomapi.RateHeavy, 2*time.Second) },
			moved: []series{s(waited, "category", "heavy")},
		},
		{
			name:  "waited without a category",
			call:  func(m *Metrics) { m.Waited("", time.Second) },
			moved: []series{s(waited, "category", "unknown")},
		},
		{
			name:  "per-second 429 retried",
			call:  func(m *Metrics) { m.RateLimited(zoomapi.RateMedium, false, false) },
			moved: []series{s(rateLimited, "category", "medium", "limit", "per_second")},
			still: []series{s(rateSurfaced, "category", "medium", "limit", "per_second")},
		},
		{
			name: "per-second 429 surfaced",
			call: func(m *Metrics) { m.RateLimited(zoomapi.RateHeavy, false, true) },
			moved: []series{
				s(rateLimited, "category", "heavy", "limit", "per_second"),
				s(rateSurfaced, "category", "heavy", "limit", "per_second"),
			},
		},
		{
			name: "daily 429 surfaced",
			call: func(m *Metrics) { m.RateLimited(zoomapi.RateLight, true, true) },
			moved: []series{
				s(rateLimited, "category", "light", "limit", "daily"),
				s(rateSurfaced, "category", "light", "limit", "daily"),
			},
			still: []series{s(rateLimited, "category", "light", "limit", "per_second")},
		},
		{
			name:  "retried",
			call:  func(m *Metrics) { m.Retried("users", "token") },
			moved: []series{s(retries, "operation", "users", "reason", "token")},
		},
		{
			name:  "refused",
			call:  func(m *Metrics) { m.Refused("meetingCreate", "user_daily_limit") },
			moved: []series{s(refusals, "operation", "meetingCreate", "reason", "user_daily_limit")},
		},
		{
			name:  "token fetched",
			call:  func(m *Metrics) { m.TokenFetched("s2s", "ok") },
			moved: []series{s(tokens, "kind", "s2s", "outcome", "ok")},
		},
		{
			name:  "token fetch hook",
			call:  func(m *Metrics) { m.OnFetch("user", "error") },
			moved: []series{s(tokens, "kind", "user", "outcome", "error")},
			still: []series{s(tokens, "kind", "user", "outcome", "ok")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := New()
			tt.call(m)
			e := scrape(t, m)
			for _, s := range tt.moved {
				if got := e.count(s); got != 1 {
					t.Errorf("%s: count = %v, want 1\n%s", s, got, e.body)
				}
			}
			if got := e.ours(); got != len(tt.moved) {
				t.Errorf("%d series in all, want %d\n%s", got, len(tt.moved), e.body)
			}
			for _, s := range tt.still {
				if got := e.count(s); got != 0 {
					t.Errorf("%s: count = %v, want 0", s, got)
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
	e := scrape(t, m)
	if got := e.histogram(t, s("zoom_mcp_zoom_rate_limit_wait_seconds", "category", "light")).GetSampleSum(); got != 2 {
		t.Errorf("wait seconds = %v, want 2", got)
	}
	if got := e.histogram(t, s("zoom_mcp_zoom_request_duration_seconds", "operation", "users", "status", "200")).GetSampleSum(); got != 0.25 {
		t.Errorf("request seconds = %v, want 0.25", got)
	}
}

// TestHistogramBuckets checks counts, sum and cumulative buckets (with
// +Inf) after known observations, a value on a bound counting in that
// bound's bucket.
func TestHistogramBuckets(t *testing.T) {
	m := New()
	for _, d := range []time.Duration{
		10 * time.Millisecond,  // le 0.025
		25 * time.Millisecond,  // on the bound: le 0.025
		300 * time.Millisecond, // le 0.5
		2 * time.Second,        // le 2.5
		100 * time.Second,      // above the last bound: +Inf only
	} {
		m.Request("users", 200, d)
	}
	e := scrape(t, m)
	h := e.histogram(t, s("zoom_mcp_zoom_request_duration_seconds", "operation", "users", "status", "200"))
	if h.GetSampleCount() != 5 {
		t.Errorf("count %d, want 5", h.GetSampleCount())
	}
	if want := 0.01 + 0.025 + 0.3 + 2 + 100; math.Abs(h.GetSampleSum()-want) > 1e-9 {
		t.Errorf("sum %v, want %v", h.GetSampleSum(), want)
	}
	type bucket struct {
		Le    float64
		Count uint64
	}
	var got []bucket
	for _, b := range h.GetBucket() {
		got = append(got, bucket{b.GetUpperBound(), b.GetCumulativeCount()})
	}
	want := []bucket{
		{.025, 2}, {.05, 2}, {.1, 2}, {.25, 2}, {.5, 3}, {1, 3}, {2.5, 4},
		{5, 4}, {10, 4}, {30, 4}, {math.Inf(1), 5},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("buckets (-want +got):\n%s", diff)
	}
	for _, line := range []string{
		`zoom_mcp_zoom_request_duration_seconds_bucket{operation="users",status="200",le="0.025"} 2`,
		`zoom_mcp_zoom_request_duration_seconds_bucket{operation="users",status="200",le="+Inf"} 5`,
		`zoom_mcp_zoom_request_duration_seconds_count{operation="users",status="200"} 5`,
	} {
		if !strings.Contains(e.body, "\n"+line+"\n") {
			t.Errorf("exposition lacks %s:\n%s", line, e.body)
		}
	}
}

// TestFamilies checks each family's name, type, help, label names and
// buckets: those of the metrics as they were under client_golang.
func TestFamilies(t *testing.T) {
	type fam struct {
		Type    dto.MetricType
		Help    string
		Labels  []string
		Buckets []float64
	}
	counter := func(help string, labels ...string) fam {
		return fam{dto.MetricType_COUNTER, help, labels, nil}
	}
	histogram := func(help string, buckets []float64, labels ...string) fam {
		return fam{dto.MetricType_HISTOGRAM, help, labels, append(buckets, math.Inf(1))}
	}
	want := map[string]fam{
		"zoom_mcp_tool_calls_total": counter(
			"Tool calls by tool, agent and outcome: the pipeline decision, and the error kind after a colon when the call did not succeed (e.g. denied:access_denied).",
			"agent", "outcome", "tool"),
		"zoom_mcp_tool_call_duration_seconds": histogram(
			"Time a tool call spent in the pipeline, by tool.",
			[]float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120}, "tool"),
		"zoom_mcp_zoom_request_duration_seconds": histogram(
			"Requests sent to Zoom (each attempt), by operation ID and HTTP status (0: no answer).",
			[]float64{.025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30}, "operation", "status"),
		"zoom_mcp_zoom_rate_limit_wait_seconds": histogram(
			"Time calls waited for the client's rate limiter before an attempt, by rate-limit category.",
			[]float64{.001, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60}, "category"),
		"zoom_mcp_zoom_rate_limited_total": counter(
			"429 answers from Zoom, by rate-limit category and limit (daily or per_second).",
			"category", "limit"),
		"zoom_mcp_zoom_rate_limited_surfaced_total": counter(
			"429 answers from Zoom that reached the caller (not retried), by rate-limit category and limit (daily or per_second).",
			"category", "limit"),
		"zoom_mcp_zoom_retries_total": counter(
			"Attempts to Zoom repeated, by operation ID and reason (rate_limit, token, fault).",
			"operation", "reason"),
		"zoom_mcp_zoom_refusals_total": counter(
			"Calls the Zoom client refused before sending, by operation ID and reason (queue_full, daily_limit, user_daily_limit).",
			"operation", "reason"),
		"zoom_mcp_zoom_token_fetches_total": counter(
			"Access tokens fetched from Zoom's OAuth endpoint, by kind (s2s, user) and outcome (ok, error).",
			"kind", "outcome"),
		"go_goroutines":                {dto.MetricType_GAUGE, "Number of goroutines that currently exist.", nil, nil},
		"go_threads":                   {dto.MetricType_GAUGE, "Number of OS threads created.", nil, nil},
		"go_memstats_heap_alloc_bytes": {dto.MetricType_GAUGE, "Number of heap bytes allocated and currently in use, same as go_memstats_alloc_bytes. Equals to /memory/classes/heap/objects:bytes.", nil, nil},
		"go_memstats_heap_inuse_bytes": {dto.MetricType_GAUGE, "Number of heap bytes that are in use. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes", nil, nil},
		"go_memstats_sys_bytes":        {dto.MetricType_GAUGE, "Number of bytes obtained from system. Equals to /memory/classes/total:byte.", nil, nil},
		"go_gc_cycles_total":           {dto.MetricType_COUNTER, "Number of completed garbage collection cycles.", nil, nil},
		"process_start_time_seconds":   {dto.MetricType_GAUGE, "Start time of the process since unix epoch in seconds.", nil, nil},
	}
	if runtime.GOOS == "linux" {
		want["process_cpu_seconds_total"] = fam{dto.MetricType_COUNTER, "Total user and system CPU time spent in seconds.", nil, nil}
		want["process_resident_memory_bytes"] = fam{dto.MetricType_GAUGE, "Resident memory size in bytes.", nil, nil}
		want["process_virtual_memory_bytes"] = fam{dto.MetricType_GAUGE, "Virtual memory size in bytes.", nil, nil}
		want["process_open_fds"] = fam{dto.MetricType_GAUGE, "Number of open file descriptors.", nil, nil}
		want["process_max_fds"] = fam{dto.MetricType_GAUGE, "Maximum number of open file descriptors.", nil, nil}
	}

	e := scrape(t, observeAll(New()))
	got := map[string]fam{}
	for name, f := range e.fams {
		g := fam{Type: f.GetType(), Help: f.GetHelp()}
		m := f.GetMetric()[0]
		for _, l := range m.GetLabel() {
			g.Labels = append(g.Labels, l.GetName())
		}
		for _, b := range m.GetHistogram().GetBucket() {
			g.Buckets = append(g.Buckets, b.GetUpperBound())
		}
		got[name] = g
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("families (-want +got):\n%s", diff)
	}
	// Families come sorted by name, and HELP and TYPE precede samples.
	var names []string
	for line := range strings.Lines(e.body) {
		if name, ok := strings.CutPrefix(line, "# TYPE "); ok {
			names = append(names, strings.Fields(name)[0])
		}
	}
	if !slices.IsSorted(names) {
		t.Errorf("families not sorted by name: %v", names)
	}
}

// observeAll gives every family of m a series.
func observeAll(m *Metrics) *Metrics {
	m.Middleware()(func(context.Context, *pipeline.Call) pipeline.Outcome {
		return pipeline.Outcome{Decision: pipeline.Allowed}
	})(context.Background(), &pipeline.Call{Agent: pipeline.Agent{Name: "a"}, Tool: pipeline.Tool{Name: "list_users"}})
	m.Request("users", 200, time.Millisecond)
	m.Waited(zoomapi.RateLight, time.Millisecond)
	m.RateLimited(zoomapi.RateLight, false, true)
	m.Retried("users", "fault")
	m.Refused("users", "queue_full")
	m.TokenFetched("s2s", "ok")
	return m
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
			e := scrape(t, m)
			if got := e.count(s("zoom_mcp_tool_calls_total", "tool", "create_meeting", "agent", "scheduler", "outcome", tt.outcome)); got != 1 {
				t.Errorf("tool_calls_total{outcome=%q} = %v, want 1\n%s", tt.outcome, got, e.body)
			}
			if got := len(e.fams["zoom_mcp_tool_calls_total"].GetMetric()); got != 1 {
				t.Errorf("%d tool_calls_total series, want 1", got)
			}
			hist := e.histogram(t, s("zoom_mcp_tool_call_duration_seconds", "tool", "create_meeting"))
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
	if got := scrape(t, m).count(s("zoom_mcp_tool_calls_total", "tool", "list_users", "agent", "unknown", "outcome", "allowed")); got != 1 {
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
	if got := scrape(t, m).count(s("zoom_mcp_tool_calls_total", "tool", "list_users", "agent", "a", "outcome", "failed:internal")); got != 1 {
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
// each has a series), the Go and process metrics, the methods served.
func TestHandler(t *testing.T) {
	m := observeAll(New())
	e := scrape(t, m)
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
		if !strings.Contains(e.body, "\n"+name) {
			t.Errorf("no %s in the exposition", name)
		}
	}
	if want := `zoom_mcp_tool_calls_total{agent="a",outcome="allowed",tool="list_users"} 1`; !strings.Contains(e.body, want) {
		t.Errorf("exposition lacks %s", want)
	}
	// Each value has series of its own.
	if n := scrape(t, New()).ours(); n != 0 {
		t.Errorf("a new Metrics has %d series, want 0", n)
	}

	rec := httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "/metrics", nil))
	if rec.Code != http.StatusOK || rec.Body.Len() != 0 || rec.Header().Get("Content-Length") == "" {
		t.Errorf("HEAD: status %d, %d bytes of body, Content-Length %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Length"))
	}
	rec = httptest.NewRecorder()
	m.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/metrics", nil))
	if rec.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: status %d, want 405", rec.Code)
	}
}

// TestProcess checks the process and runtime metrics read at scrape time.
func TestProcess(t *testing.T) {
	e := scrape(t, New())
	gauge := func(name string) float64 {
		f := e.fams[name]
		if f == nil {
			t.Errorf("no %s", name)
			return 0
		}
		m := f.GetMetric()[0]
		if m.Counter != nil {
			return m.GetCounter().GetValue()
		}
		return m.GetGauge().GetValue()
	}
	now := float64(time.Now().Unix())
	if start := gauge("process_start_time_seconds"); start < now-3600 || start > now+1 {
		t.Errorf("process_start_time_seconds = %v, now is %v", start, now)
	}
	if got := gauge("go_goroutines"); got < 1 {
		t.Errorf("go_goroutines = %v", got)
	}
	for _, name := range []string{"go_threads", "go_memstats_heap_alloc_bytes", "go_memstats_heap_inuse_bytes", "go_memstats_sys_bytes"} {
		if got := gauge(name); got <= 0 {
			t.Errorf("%s = %v", name, got)
		}
	}
	if runtime.GOOS != "linux" {
		return
	}
	for _, name := range []string{"process_resident_memory_bytes", "process_virtual_memory_bytes", "process_open_fds", "process_max_fds"} {
		if got := gauge(name); got <= 0 {
			t.Errorf("%s = %v", name, got)
		}
	}
	if got := gauge("process_cpu_seconds_total"); got < 0 {
		t.Errorf("process_cpu_seconds_total = %v", got)
	}
}

// TestEscaping checks that a label value and a help text with a quote,
// a backslash and a newline come back unchanged through the parser.
func TestEscaping(t *testing.T) {
	const odd = "a \"quoted\" C:\\path\\ and\nnext line \\n"
	m := New()
	m.Retried(odd, "fault")
	e := scrape(t, m)
	if got := e.count(s("zoom_mcp_zoom_retries_total", "operation", odd, "reason", "fault")); got != 1 {
		t.Errorf("the odd label value did not round-trip:\n%s", e.body)
	}

	c := newCounterVec("odd_total", odd, "l")
	c.inc(odd)
	var b bytes.Buffer
	c.write(&b)
	f := parse(t, b.String()).fams["odd_total"]
	if got := f.GetHelp(); got != odd {
		t.Errorf("help came back as %q, want %q", got, odd)
	}
	if got := f.GetMetric()[0].GetLabel()[0].GetValue(); got != odd {
		t.Errorf("label value came back as %q, want %q", got, odd)
	}
}

func TestFormatFloat(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		want string
	}{
		{0, "0"}, {1, "1"}, {-1, "-1"}, {0.005, "0.005"}, {2.5, "2.5"}, {120, "120"},
		{1e6, "1e+06"}, {1.7e9 + 0.25, "1.70000000025e+09"},
		{math.Inf(1), "+Inf"}, {math.Inf(-1), "-Inf"}, {math.NaN(), "NaN"},
	} {
		if got := formatFloat(tc.f); got != tc.want {
			t.Errorf("formatFloat(%v) = %q, want %q", tc.f, got, tc.want)
		}
		var b bytes.Buffer
		writeFloat(&b, tc.f)
		if b.String() != tc.want {
			t.Errorf("writeFloat(%v) = %q, want %q", tc.f, b.String(), tc.want)
		}
	}
}

// TestLint runs Prometheus' metric linter over the whole exposition.
func TestLint(t *testing.T) {
	e := scrape(t, observeAll(New()))
	problems, err := promlint.New(strings.NewReader(e.body)).Lint()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("%s: %s", p.Metric, p.Text)
	}
}

// TestConcurrent uses one Metrics from 50 goroutines, scraping as they
// go, and checks the totals are exact; run with -race.
func TestConcurrent(t *testing.T) {
	m := New()
	h := m.Middleware()(func(context.Context, *pipeline.Call) pipeline.Outcome {
		return pipeline.Outcome{Decision: pipeline.Allowed}
	})
	const workers, each = 50, 200
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			agent := []string{"a", "b"}[w%2]
			for range each {
				h(context.Background(), &pipeline.Call{Agent: pipeline.Agent{Name: agent}, Tool: pipeline.Tool{Name: "list_users"}})
				m.Request("users", 200, 250*time.Millisecond)
				m.Waited(zoomapi.RateMedium, 2*time.Second)
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
			p := expfmt.NewTextParser(model.LegacyValidation)
			if _, err := p.TextToMetricFamilies(rec.Body); err != nil {
				t.Errorf("a scrape under load does not parse: %v", err)
			}
		}
	})
	wg.Wait()
	const total = workers * each
	e := scrape(t, m)
	for _, tc := range []struct {
		s    series
		want float64
	}{
		{s("zoom_mcp_tool_calls_total", "tool", "list_users", "agent", "a", "outcome", "allowed"), total / 2},
		{s("zoom_mcp_tool_calls_total", "tool", "list_users", "agent", "b", "outcome", "allowed"), total / 2},
		{s("zoom_mcp_tool_call_duration_seconds", "tool", "list_users"), total},
		{s("zoom_mcp_zoom_request_duration_seconds", "operation", "users", "status", "200"), total},
		{s("zoom_mcp_zoom_rate_limit_wait_seconds", "category", "medium"), total},
		{s("zoom_mcp_zoom_rate_limited_total", "category", "medium", "limit", "per_second"), total},
		{s("zoom_mcp_zoom_retries_total", "operation", "users", "reason", "rate_limit"), total},
		{s("zoom_mcp_zoom_refusals_total", "operation", "users", "reason", "queue_full"), total},
		{s("zoom_mcp_zoom_token_fetches_total", "kind", "user", "outcome", "ok"), total},
	} {
		if got := e.count(tc.s); got != tc.want {
			t.Errorf("%s = %v, want %v", tc.s, got, tc.want)
		}
	}
	hist := e.histogram(t, s("zoom_mcp_zoom_request_duration_seconds", "operation", "users", "status", "200"))
	if hist.GetSampleSum() != total*0.25 {
		t.Errorf("request seconds = %v, want %v", hist.GetSampleSum(), total*0.25)
	}
	for _, b := range hist.GetBucket() {
		want := uint64(0)
		if b.GetUpperBound() >= 0.25 {
			want = total
		}
		if b.GetCumulativeCount() != want {
			t.Errorf("request bucket le=%v: %d, want %d", b.GetUpperBound(), b.GetCumulativeCount(), want)
		}
	}
	if got := e.histogram(t, s("zoom_mcp_zoom_rate_limit_wait_seconds", "category", "medium")).GetSampleSum(); got != total*2 {
		t.Errorf("wait seconds = %v, want %v", got, total*2)
	}
}
