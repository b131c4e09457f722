// Package metrics counts what the server does, for Prometheus: tool calls
// as they leave the pipeline, and what the Zoom client reports through
// zoomapi.Observer and zoomapi.TokenObserver. A Metrics value holds its
// own series (there is no global registry) and serves them with Handler,
// with the process's and the Go runtime's metrics read at scrape time.
//
// The exposition (text format 0.0.4) is written here, with the standard
// library only, not by client_golang: linking the Prometheus client cost
// about 3 ms of every start of the server (the initialisation of its
// default registry, procfs, protobuf, runtime/metrics, expvar), though it
// serves metrics only with --metrics. The tests check the output with the
// Prometheus project's own parser (expfmt) and linter (promlint), and a
// test of package main checks that the binary links none of it.
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

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

const namespace = "zoom_mcp"

// Metrics holds the server's metrics. Its methods are safe for
// concurrent use.
type Metrics struct {
	now  func() time.Time
	vecs []named // the families below, by name

	toolCalls    *counterVec   // tool, agent, outcome
	toolDuration *histogramVec // tool
	requests     *histogramVec // operation, status
	waited       *histogramVec // category
	rateLimited  *counterVec   // category, limit
	rateSurfaced *counterVec   // category, limit
	retries      *counterVec   // operation, reason
	refusals     *counterVec   // operation, reason
	tokenFetches *counterVec   // kind, outcome
}

var (
	_ zoomapi.Observer      = (*Metrics)(nil)
	_ zoomapi.TokenObserver = (*Metrics)(nil)
)

// New returns metrics with no series yet.
func New() *Metrics {
	m := &Metrics{now: time.Now}
	m.toolCalls = newCounterVec(namespace+"_tool_calls_total",
		"Tool calls by tool, agent and outcome: the pipeline decision, and the error kind after a colon when the call did not succeed (e.g. denied:access_denied).",
		"tool", "agent", "outcome")
	m.toolDuration = newHistogramVec(namespace+"_tool_call_duration_seconds",
		"Time a tool call spent in the pipeline, by tool.",
		[]float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 120},
		"tool")
	m.requests = newHistogramVec(namespace+"_zoom_request_duration_seconds",
		"Requests sent to Zoom (each attempt), by operation ID and HTTP status (0: no answer).",
		[]float64{.025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		"operation", "status")
	m.waited = newHistogramVec(namespace+"_zoom_rate_limit_wait_seconds",
		"Time calls waited for the client's rate limiter before an attempt, by rate-limit category.",
		[]float64{.001, .01, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60},
		"category")
	m.rateLimited = newCounterVec(namespace+"_zoom_rate_limited_total",
		"429 answers from Zoom, by rate-limit category and limit (daily or per_second).",
		"category", "limit")
	m.rateSurfaced = newCounterVec(namespace+"_zoom_rate_limited_surfaced_total",
		"429 answers from Zoom that reached the caller (not retried), by rate-limit category and limit (daily or per_second).",
		"category", "limit")
	m.retries = newCounterVec(namespace+"_zoom_retries_total",
		"Attempts to Zoom repeated, by operation ID and reason (rate_limit, token, fault).",
		"operation", "reason")
	m.refusals = newCounterVec(namespace+"_zoom_refusals_total",
		"Calls the Zoom client refused before sending, by operation ID and reason (queue_full, daily_limit, user_daily_limit).",
		"operation", "reason")
	m.tokenFetches = newCounterVec(namespace+"_zoom_token_fetches_total",
		"Access tokens fetched from Zoom's OAuth endpoint, by kind (s2s, user) and outcome (ok, error).",
		"kind", "outcome")
	for _, c := range []*counterVec{m.toolCalls, m.rateLimited, m.rateSurfaced, m.retries, m.refusals, m.tokenFetches} {
		m.vecs = append(m.vecs, named{c.name, c})
	}
	for _, h := range []*histogramVec{m.toolDuration, m.requests, m.waited} {
		m.vecs = append(m.vecs, named{h.name, h})
	}
	return m
}

// Handler serves the metrics in the Prometheus text exposition format
// 0.0.4, to GET and HEAD.
func (m *Metrics) Handler() http.Handler { return http.HandlerFunc(m.serveHTTP) }

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
	m.toolCalls.inc(c.Tool.Name, agent, outcome)
	m.toolDuration.observe(d.Seconds(), c.Tool.Name)
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
	m.requests.observe(d.Seconds(), op, strconv.Itoa(status))
}

// Waited implements zoomapi.Observer: time spent waiting for the limiter.
func (m *Metrics) Waited(category zoomapi.RateLimit, d time.Duration) {
	m.waited.observe(d.Seconds(), categoryLabel(category))
}

// RateLimited implements zoomapi.Observer: a 429 from Zoom.
func (m *Metrics) RateLimited(category zoomapi.RateLimit, daily, surfaced bool) {
	cat, limit := categoryLabel(category), "per_second"
	if daily {
		limit = "daily"
	}
	m.rateLimited.inc(cat, limit)
	if surfaced {
		m.rateSurfaced.inc(cat, limit)
	}
}

// Retried implements zoomapi.Observer: an attempt repeated.
func (m *Metrics) Retried(op, reason string) {
	m.retries.inc(op, reason)
}

// Refused implements zoomapi.Observer: a call refused before it was sent.
func (m *Metrics) Refused(op, reason string) {
	m.refusals.inc(op, reason)
}

// TokenFetched implements zoomapi.TokenObserver.
func (m *Metrics) TokenFetched(kind, outcome string) { m.OnFetch(kind, outcome) }

// OnFetch counts an access token fetched, by kind ("s2s" or "user") and
// outcome ("ok" or "error"); it is TokenFetched under the name auth's hook
// expects.
func (m *Metrics) OnFetch(kind, outcome string) {
	m.tokenFetches.inc(kind, outcome)
}

// categoryLabel spells a rate-limit category in lower case ("light",
// "medium", "heavy"); an unset one is "unknown".
func categoryLabel(c zoomapi.RateLimit) string {
	if c == "" {
		return "unknown"
	}
	return strings.ToLower(string(c))
}
