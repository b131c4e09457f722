package tools

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Bind returns the tool's MCP handler: it decodes the arguments into the
// tool's typed struct, makes the Call (agent from the request context,
// tool, typed arguments, targets), runs it through p's middlewares and,
// at the end of the chain, resolves the Zoom client for this call and runs
// the handler. Arguments that do not decode still pass the chain (so that
// the call is checked and audited); they fail at its end.
func (t Tool) Bind(p *pipeline.Pipeline) server.ToolHandlerFunc {
	info := t.Info()
	final := (&t).final(p.Client, p.CallTimeout) // one copy of t for both closures
	h := pipeline.Chain(final, p.Middlewares...)
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		agent, _ := pipeline.AgentFrom(ctx)
		call := &pipeline.Call{Agent: agent, Tool: info, Input: req.Params.MultiRoundTripParams, Start: time.Now(),
			Progress: progressOf(ctx, req)}
		args, dry, bad := t.decode(req.Params.Arguments)
		if bad != nil {
			call.Invalid = bad
		} else {
			call.Args, call.DryRun = args, dry
			call.Targets = targetsOf(call)
		}
		return toResult(h(ctx, call))
	}
}

// final is the end of the chain: the Zoom call itself.
// Its deadline (timeout, if positive) covers pacing, the token and the
// Zoom requests.
func (t *Tool) final(client pipeline.ClientFunc, timeout time.Duration) pipeline.Handler {
	return func(ctx context.Context, call *pipeline.Call) pipeline.Outcome {
		if call.Invalid != nil {
			return pipeline.Outcome{Decision: pipeline.Failed, Error: call.Invalid}
		}
		if timeout > 0 && !t.Local() {
			// A tool of the server's own (wait_for_event) bounds its waits
			// itself; the call timeout is for the Zoom part.
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, timeout)
			defer cancel()
		}
		f := failure{ep: t.Endpoint, effect: t.Effect, check: checkWith[t.Name()], ids: idList(call.Targets)}
		var c *zoomapi.Client
		var err error
		if !t.Local() {
			c, err = client(ctx, call)
		}
		if err != nil {
			if info := describe(f, err); info != nil {
				return pipeline.Outcome{Decision: pipeline.Failed, Error: info}
			}
			return pipeline.Outcome{Decision: pipeline.Failed, Err: err}
		}
		trace := &zoomapi.Trace{}
		ctx = zoomapi.WithTrace(ctx, trace)
		if call.Progress != nil {
			ctx = zoomapi.WithProgress(ctx, call.Progress)
		}
		if call.DryRun {
			ctx = zoomapi.WithDryRun(ctx)
		}
		out, err := t.run(ctx, c, call.Args)
		o := pipeline.Outcome{Requests: trace.Requests()}
		var dry *zoomapi.DryRunError
		switch {
		case errors.As(err, &dry):
			o.Decision, o.Planned = pipeline.DryRun, &dry.Request
			o.Value = &dryRunOut{DryRun: true, ZoomRequest: &dry.Request}
		case err != nil:
			o.Decision = pipeline.Failed
			f.sent = len(o.Requests) > 0
			if o.Error = describe(f, err); o.Error == nil {
				o.Err = err
			}
		case call.DryRun:
			// The handler finished without reaching a request that writes.
			o.Decision = pipeline.DryRun
			o.Value = &dryRunOut{DryRun: true}
		default:
			o.Decision, o.Value = pipeline.Allowed, out
			if t.Effect == pipeline.Create {
				o.Created = created(t.Toolset, out)
			}
		}
		return o
	}
}

// toResult renders an outcome as an MCP result.
func toResult(o pipeline.Outcome) (*mcp.CallToolResult, error) {
	switch {
	case o.Err != nil:
		return nil, o.Err
	case o.Result != nil:
		return o.Result, nil
	case o.Error != nil:
		return errorResult(o.Error), nil
	}
	if raw, ok := o.Value.(json.RawMessage); ok {
		return &mcp.CallToolResult{Content: []mcp.Content{mcp.NewTextContent(string(raw))}, StructuredContent: raw}, nil
	}
	res, err := structuredResult(o.Value)
	if t, ok := o.Value.(texter); ok && err == nil {
		// A result meant to be read (a transcript) is text, not JSON.
		res.Content = []mcp.Content{mcp.NewTextContent(t.ResultText())}
	}
	return res, err
}

// texter is a result whose text content is written for reading rather
// than the JSON of its structured content.
type texter interface{ ResultText() string }

// targetsOf names the Zoom objects a call touches, from its decoded
// arguments: the user it acts for or on ("me" when user_id is left to its
// default), the meeting and the webinar.
func targetsOf(c *pipeline.Call) pipeline.Targets {
	var t pipeline.Targets
	if c.Has("user_id") {
		u, ok := c.String("user_id")
		if !ok {
			u = "me"
		}
		t.Users = append(t.Users, u)
	}
	if c.Tool.Toolset == string(zoomapi.GroupUsers) {
		if e, ok := c.String("email"); ok {
			t.Users = append(t.Users, e)
		}
	}
	if m, ok := c.String("meeting_id"); ok {
		t.Meetings = append(t.Meetings, m)
	}
	if w, ok := c.String("webinar_id"); ok {
		t.Webinars = append(t.Webinars, w)
	}
	return t
}

// idList names a call's targets ("meeting_id=123"), for messages.
func idList(t pipeline.Targets) string {
	var parts []string
	for _, u := range t.Users {
		parts = append(parts, "user_id="+u)
	}
	for _, m := range t.Meetings {
		parts = append(parts, "meeting_id="+m)
	}
	for _, w := range t.Webinars {
		parts = append(parts, "webinar_id="+w)
	}
	return strings.Join(parts, ", ")
}

// Catalogue maps each tool's name to its toolset, for the access policy.
func Catalogue(tools []Tool) map[string]string {
	m := make(map[string]string, len(tools))
	for _, t := range tools {
		m[t.Name()] = string(t.Toolset)
	}
	return m
}

// created names the meeting, webinar or user a create made, from the ID in
// its result.
func created(set zoomapi.Group, out any) pipeline.Targets {
	var t pipeline.Targets
	if u, ok := out.(*userOut); ok && u.ID != "" {
		t.Users = []string{u.ID}
		return t
	}
	m, ok := out.(*savedOut)
	if !ok || m.ID == 0 {
		return t
	}
	id := idString(m.ID)
	switch set {
	case zoomapi.GroupMeetings:
		t.Meetings = []string{id}
	case zoomapi.GroupWebinars:
		t.Webinars = []string{id}
	}
	return t
}

// progressOf returns what tells the client, with MCP progress
// notifications, that a call is waiting for Zoom's rate limits; nil when
// the client asked for no progress (no progressToken).
func progressOf(ctx context.Context, req mcp.CallToolRequest) func(waited, expected time.Duration, reason string) {
	if req.Params.Meta == nil || req.Params.Meta.ProgressToken == nil {
		return nil
	}
	srv := server.ServerFromContext(ctx)
	if srv == nil {
		return nil
	}
	token := req.Params.Meta.ProgressToken
	return func(waited, expected time.Duration, reason string) {
		params := map[string]any{"progressToken": token, "progress": math.Round(waited.Seconds()*10) / 10, "message": reason + "; nothing has failed"}
		if expected > waited {
			params["total"] = math.Round(expected.Seconds()*10) / 10
		}
		_ = srv.SendNotificationToClient(ctx, "notifications/progress", params)
	}
}
