// Package metrics counts what the server does, for Prometheus: tool calls
// as they leave the pipeline, and what the Zoom client reports through
// zoomapi.Observer and zoomapi.TokenObserver. A Metrics value owns its own
// registry (not the global one) and serves it with Handler.
//
// Label values are bounded: tool and operation names come from the
// server's own tables, agent names from the operator's config, statuses,
// decisions, error kinds and reasons from fixed sets. No ID, email or
// argument ever becomes a label.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

const namespace = "zoom_mcp"

// Metrics holds the server's metrics and the registry they are served
// from. Its methods are safe for concurrent use.
type Metrics struct {
	reg     *prometheus.Registry
	handler http.Handler
	now     func() time.Time

	toolCalls    *prometheus.CounterVec   // tool, agent, outcome
	toolDuration *prometheus.HistogramVec // tool
	requests     *prometheus.HistogramVec // operation, status
	waited       *prometheus.HistogramVec // category
	rateLimited  *prometheus.CounterVec   // category, limit
	rateSurfaced *prometheus.CounterVec   // category, limit
	retries      *prometheus.CounterVec   // operation, reason
	refusals     *prometheus.CounterVec   // operation, reason
	tokenFetches *prometheus.CounterVec   // kind, outcome
}

var (
	_ zoomapi.Observer      = (*Metrics)(nil)
	_ zoomapi.TokenObserver = (*Metrics)(nil)
)

// New returns metrics registered in a registry of their own, with the Go
// runtime and process collectors.
func New() *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{reg: reg, now: time.Now}
	m.toolCalls = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "tool_calls_total",
		Help: "Tool calls by tool, agent and outcome: the pipeline decision, and the error kind after a colon when the call did not succeed (e.g. denied:access_denied).",
	}, []string{"tool", "agent", "outcome"})
	m.toolDuration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "tool_call_duration_seconds",
		Help:    "Time a tool call spent in the pipeline, by tool.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120},
	}, []string{"tool"})
	m.requests = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "zoom_request_duration_seconds",
		Help:    "Requests sent to Zoom (each attempt), by operation ID and HTTP status (0: no answer).",
		Buckets: []float64{.025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
	}, []string{"operation", "status"})
	m.waited = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Namespace: namespace, Name: "zoom_rate_limit_wait_seconds",
		Help:    "Time calls waited for the client's rate limiter before an attempt, by rate-limit category.",
		Buckets: []float64{.001, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
	}, []string{"category"})
	m.rateLimited = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "zoom_rate_limited_total",
		Help: "429 answers from Zoom, by rate-limit category and limit (daily or per_second).",
	}, []string{"category", "limit"})
	m.rateSurfaced = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "zoom_rate_limited_surfaced_total",
		Help: "429 answers from Zoom that reached the caller (not retried), by rate-limit category and limit (daily or per_second).",
	}, []string{"category", "limit"})
	m.retries = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "zoom_retries_total",
		Help: "Attempts to Zoom repeated, by operation ID and reason (rate_limit, token, fault).",
	}, []string{"operation", "reason"})
	m.refusals = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "zoom_refusals_total",
		Help: "Calls the Zoom client refused before sending, by operation ID and reason (queue_full, daily_limit, user_daily_limit).",
	}, []string{"operation", "reason"})
	m.tokenFetches = prometheus.NewCounterVec(prometheus.CounterOpts{
		Namespace: namespace, Name: "zoom_token_fetches_total",
		Help: "Access tokens fetched from Zoom's OAuth endpoint, by kind (s2s, user) and outcome (ok, error).",
	}, []string{"kind", "outcome"})
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		m.toolCalls, m.toolDuration, m.requests, m.waited, m.rateLimited,
		m.rateSurfaced, m.retries, m.refusals, m.tokenFetches,
	)
	m.handler = promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		Registry:      reg, // counts its own errors in promhttp_metric_handler_errors_total
		ErrorHandling: promhttp.ContinueOnError,
	})
	return m
}

// Handler serves the registry in the Prometheus exposition formats.
func (m *Metrics) Handler() http.Handler { return m.handler }

// Registerer is the registry the metrics are in, for more collectors.
func (m *Metrics) Registerer() prometheus.Registerer { return m.reg }

// Middleware counts each call and times the rest of the chain, which it
// wraps; the outcome passes through unchanged. A nil *Metrics gives a nil
// middleware, which pipeline.Chain skips.
func (m *Metrics) Middleware() pipeline.Middleware {
	if m == nil {
		return nil
	}
	return func(next pipeline.Handler) pipeline.Handler {
		return func(ctx context.Context, c *pipeline.Call) pipeline.Outcome {
			start := m.now()
			finished := false
			defer func() {
				if !finished { // next panicked: count it as a fault, let it go on
					m.observeCall(c, "failed:internal", m.now().Sub(start))
				}
			}()
			out := next(ctx, c)
			finished = true
			m.observeCall(c, outcomeLabel(out), m.now().Sub(start))
			return out
		}
	}
}

func (m *Metrics) observeCall(c *pipeline.Call, outcome string, d time.Duration) {
	agent := c.Agent.Name
	if agent == "" {
		agent = "unknown"
	}
	m.toolCalls.WithLabelValues(c.Tool.Name, agent, outcome).Inc()
	m.toolDuration.WithLabelValues(c.Tool.Name).Observe(d.Seconds())
}

// outcomeLabel is the decision of o, followed by ":" and its error kind
// when it has one: "allowed", "dry_run", "denied:access_denied",
// "failed:not_found". Values outside the known sets become "other", so a
// stray string cannot grow the series.
func outcomeLabel(o pipeline.Outcome) string {
	decision := o.Decision
	kind := o.Kind()
	if o.Err != nil { // a programming fault: failed, whatever the chain said
		decision = pipeline.Failed
		if kind == "" {
			kind = "internal"
		}
	}
	if decision == "" {
		decision = pipeline.Failed
	}
	d := "other"
	if knownDecisions[decision] {
		d = string(decision)
	}
	if kind == "" {
		return d
	}
	if !knownKinds[kind] {
		kind = "other"
	}
	return d + ":" + kind
}

var knownDecisions = map[pipeline.Decision]bool{
	pipeline.Allowed: true, pipeline.Denied: true, pipeline.DryRun: true,
	pipeline.Confirmed: true, pipeline.Declined: true, pipeline.Failed: true,
	pipeline.Pending: true,
}

var knownKinds = map[string]bool{
	pipeline.KindInvalidArgument: true, pipeline.KindMissingScope: true,
	pipeline.KindNotFound: true, pipeline.KindRateLimited: true,
	pipeline.KindZoomRefused: true, pipeline.KindUnavailable: true,
	pipeline.KindAccessDenied: true, pipeline.KindDeclined: true,
	pipeline.KindOutcomeUnknown: true, pipeline.KindCancelled: true,
	pipeline.KindNotConnected: true, "internal": true,
}

// Request implements zoomapi.Observer: one attempt sent to Zoom.
func (m *Metrics) Request(op string, status int, d time.Duration) {
	if status < 100 || status > 599 {
		status = 0
	}
	m.requests.WithLabelValues(op, strconv.Itoa(status)).Observe(d.Seconds())
}

// Waited implements zoomapi.Observer: time spent waiting for the limiter.
func (m *Metrics) Waited(category zoomapi.RateLimit, d time.Duration) {
	m.waited.WithLabelValues(categoryLabel(category)).Observe(d.Seconds())
}

// RateLimited implements zoomapi.Observer: a 429 from Zoom.
func (m *Metrics) RateLimited(category zoomapi.RateLimit, daily, surfaced bool) {
	cat, limit := categoryLabel(category), "per_second"
	if daily {
		limit = "daily"
	}
	m.rateLimited.WithLabelValues(cat, limit).Inc()
	if surfaced {
		m.rateSurfaced.WithLabelValues(cat, limit).Inc()
	}
}

// Retried implements zoomapi.Observer: an attempt repeated.
func (m *Metrics) Retried(op, reason string) {
	m.retries.WithLabelValues(op, reason).Inc()
}

// Refused implements zoomapi.Observer: a call refused before it was sent.
func (m *Metrics) Refused(op, reason string) {
	m.refusals.WithLabelValues(op, reason).Inc()
}

// TokenFetched implements zoomapi.TokenObserver.
func (m *Metrics) TokenFetched(kind, outcome string) { m.OnFetch(kind, outcome) }

// OnFetch counts an access token fetched, by kind ("s2s" or "user") and
// outcome ("ok" or "error"); it is TokenFetched under the name auth's hook
// expects.
func (m *Metrics) OnFetch(kind, outcome string) {
	m.tokenFetches.WithLabelValues(kind, outcome).Inc()
}

// categoryLabel spells a rate-limit category in lower case ("light",
// "medium", "heavy"); an unset one is "unknown".
func categoryLabel(c zoomapi.RateLimit) string {
	if c == "" {
		return "unknown"
	}
	return strings.ToLower(string(c))
}
