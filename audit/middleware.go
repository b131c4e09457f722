package audit

import (
	"context"
	"log/slog"
	"time"

	"github.com/zoommcp/zoom-mcp/pipeline"
)

// Messages of a call refused because the audit log cannot be written.
const (
	msgRefused  = "The audit log cannot be written, so the server refuses every call until an operator fixes it (see the server's log). Nothing was sent to Zoom."
	msgWithheld = "The audit log cannot be written, so the result is withheld, and the server refuses every call until an operator fixes it (see the server's log)."
)

// Middleware records the outcome of every call in l, except a pending one
// (a confirmation round-trip, which is recorded when it ends). It fails
// closed: while l cannot be written, calls are refused before they reach
// Zoom. When the record of a call cannot be written, a read's result is
// withheld, as no data may flow unaudited; a write keeps its true outcome,
// since the change may have happened in Zoom, and the failure is logged
// to logger (nil: slog.Default()).
func Middleware(l *Log, logger *slog.Logger) pipeline.Middleware {
	if logger == nil {
		logger = slog.Default()
	}
	return func(next pipeline.Handler) pipeline.Handler {
		return func(ctx context.Context, c *pipeline.Call) pipeline.Outcome {
			start := c.Start
			if start.IsZero() {
				start = time.Now()
			}
			if err := l.Ready(); err != nil {
				logger.WarnContext(ctx, "call refused: the audit log cannot be written",
					"agent", c.Agent.Name, "tool", c.Tool.Name, "err", err)
				return refusal(msgRefused)
			}
			out := next(ctx, c)
			if out.Decision == pipeline.Pending {
				return out
			}
			err := l.Write(recordFor(c, out, time.Since(start)))
			if err == nil {
				return out
			}
			if c.Tool.Effect.Writes() {
				logger.ErrorContext(ctx, "audit record not written; the call's outcome stands, every later call is refused",
					"agent", c.Agent.Name, "tool", c.Tool.Name, "decision", out.Decision, "err", err)
				return out
			}
			logger.ErrorContext(ctx, "audit record not written; the result is withheld, every later call is refused",
				"agent", c.Agent.Name, "tool", c.Tool.Name, "decision", out.Decision, "err", err)
			refused := refusal(msgWithheld)
			refused.Requests = out.Requests // they were sent all the same
			return refused
		}
	}
}

func refusal(msg string) pipeline.Outcome {
	return pipeline.Outcome{
		Decision: pipeline.Denied,
		Rule:     "audit",
		Error:    &pipeline.ErrorInfo{Kind: pipeline.KindUnavailable, Message: msg},
	}
}

// recordFor returns the record of call c, which ended with o after d.
func recordFor(c *pipeline.Call, o pipeline.Outcome, d time.Duration) Record {
	r := Record{
		Agent:      c.Agent.Name,
		Tool:       c.Tool.Name,
		Toolset:    c.Tool.Toolset,
		Effect:     c.Tool.Effect,
		Decision:   o.Decision,
		Rule:       o.Rule,
		Requests:   o.Requests,
		Targets:    c.Targets,
		Kind:       o.Kind(),
		DurationMS: float64(d.Microseconds()) / 1000,
	}
	if o.Err != nil {
		// A programming fault: the call failed whatever the chain said.
		r.Decision = pipeline.Failed
		if r.Kind == "" {
			r.Kind = "internal"
		}
	}
	if r.Decision == "" {
		r.Decision = pipeline.Failed
	}
	switch {
	case r.Decision == pipeline.DryRun && o.Planned != nil:
		r.Method, r.Path = o.Planned.Method, o.Planned.Path
	case len(o.Requests) > 0:
		main := o.Requests[len(o.Requests)-1]
		r.Method, r.Path, r.Status, r.Code = main.Method, main.Path, main.Status, main.Code
	}
	if c.Tool.Effect == pipeline.Create && (r.Decision == pipeline.Allowed || r.Decision == pipeline.Confirmed) {
		r.Created = createdID(o.Created)
	}
	topic, _ := c.String("topic")
	r.Text = sentence(&r, topic, r.Created, c.List("types")...)
	return r
}

// createdID is the ID of what a create made, as the tool layer named it.
func createdID(t pipeline.Targets) string {
	for _, ids := range [][]string{t.Meetings, t.Webinars, t.Users} {
		if len(ids) > 0 {
			return ids[0]
		}
	}
	return ""
}
