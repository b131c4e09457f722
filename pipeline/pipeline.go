// Package pipeline is the one path every tool call takes after its
// arguments are decoded: a Call value (who calls, which tool, the typed
// arguments and the Zoom targets they touch) passes a chain of small
// middlewares (access check, confirmation, dry-run, audit, metrics) before
// the tool's handler reaches Zoom. The middlewares live in their own
// packages (policy, audit, ...); the handlers never change for them.
package pipeline

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Effect says what a tool does to Zoom. It is declared by each tool, not
// inferred from its name, and its annotation hints follow from it.
type Effect string

const (
	Read   Effect = "read"   // reads only
	Create Effect = "create" // adds something: neither destructive nor idempotent
	Change Effect = "change" // updates, status changes, deletes: destructive
)

// Writes reports whether the effect changes anything in Zoom.
func (e Effect) Writes() bool { return e != Read }

// Tool describes the tool a call is for.
type Tool struct {
	Name    string
	Title   string
	Toolset string
	Effect  Effect
	// Endpoint is the Zoom endpoint the tool is built on; its entry in
	// zoomapi.Endpoints gives scopes and rate limits.
	Endpoint zoomapi.Endpoint
}

// Agent is the identity a call is made under: an agent of the access
// policy, authenticated by its API key over HTTP or named with --agent on
// stdio.
type Agent struct {
	Name string
}

type agentKey struct{}

// WithAgent returns ctx carrying the calling agent.
func WithAgent(ctx context.Context, a Agent) context.Context {
	return context.WithValue(ctx, agentKey{}, a)
}

// AgentFrom returns the agent ctx carries.
func AgentFrom(ctx context.Context) (Agent, bool) {
	a, ok := ctx.Value(agentKey{}).(Agent)
	return a, ok
}

// Targets are the Zoom objects a call touches, as the decoded arguments
// name them: user IDs, emails or "me"; meeting IDs as decimal strings or
// past-instance UUIDs; webinar IDs as decimal strings.
type Targets struct {
	Users    []string `json:"users,omitempty"`
	Meetings []string `json:"meetings,omitempty"`
	Webinars []string `json:"webinars,omitempty"`
}

// Empty reports whether no target is named.
func (t Targets) Empty() bool {
	return len(t.Users) == 0 && len(t.Meetings) == 0 && len(t.Webinars) == 0
}

// Call is one tool call, after its arguments were decoded and checked
// against the input schema.
type Call struct {
	Agent Agent
	Tool  Tool
	// Args points to the decoded argument struct of the tool. Middlewares
	// read it through Int, String and Set, by the arguments' JSON names.
	Args    any
	Targets Targets
	// DryRun is set when the caller asked for dry_run: the Zoom request is
	// described and nothing is sent.
	DryRun bool
	// Invalid is set when the arguments did not decode; Args is then nil.
	// The call still passes the chain, to be checked and audited.
	Invalid *ErrorInfo
	// Input carries the client's answers to what an earlier round of the
	// same call asked (MCP multi round-trip: a confirmation).
	Input mcp.MultiRoundTripParams
	// Start is when the call entered the pipeline.
	Start time.Time
	// Progress, if set, tells the client how long the call has waited for
	// Zoom's rate limits (MCP progress notifications); nil when the client
	// asked for none.
	Progress func(waited, expected time.Duration, reason string)
}

// Decision is what became of a call; the audit log records one per call.
type Decision string

const (
	Allowed   Decision = "allowed"   // passed every check and ran (Zoom answered with success)
	Denied    Decision = "denied"    // refused by the access policy before Zoom was touched
	DryRun    Decision = "dry_run"   // described, nothing sent
	Confirmed Decision = "confirmed" // a person accepted it, and it ran
	Declined  Decision = "declined"  // a person declined or cancelled it, or could not be asked
	Failed    Decision = "failed"    // allowed, but the call failed (bad arguments, Zoom refused, Zoom unavailable)
	Pending   Decision = "pending"   // waiting for a person's answer; not final, not audited
)

// Outcome is what the chain returns for a call.
type Outcome struct {
	Decision Decision
	// Rule names the policy rule that decided (e.g. "meetings=full",
	// "limits.meetings"), for messages and the audit log.
	Rule string
	// Value is the tool's typed result on success (a pointer to its output
	// struct), or nil.
	Value any
	// Error is set on a failure a model can act on; Kind is its kind.
	Error *ErrorInfo
	// Result, when set, is sent to the client as it is (a request for more
	// input); it wins over Value and Error.
	Result *mcp.CallToolResult
	// Requests are the Zoom requests the call sent, in order, with Zoom's
	// answers; Planned is the request a dry run would have sent.
	Requests []zoomapi.TracedRequest
	Planned  *zoomapi.PlannedRequest
	// Created names what a successful create made (the new meeting's or
	// webinar's ID).
	Created Targets
	// Err is a programming fault; it becomes a JSON-RPC error.
	Err error
}

// Kind returns the error kind of the outcome, or "" for a success.
func (o Outcome) Kind() string {
	if o.Error == nil {
		return ""
	}
	return o.Error.Kind
}

// ErrorInfo is the structured body of a failed tool result. MCP clients do
// not see HTTP headers, so everything needed to act is here.
type ErrorInfo struct {
	Kind              string               `json:"kind" jsonschema:"enum=invalid_argument,enum=missing_scope,enum=not_found,enum=rate_limited,enum=zoom_refused,enum=unavailable,enum=access_denied,enum=declined,enum=outcome_unknown,enum=cancelled"`
	Message           string               `json:"message"`
	ZoomCode          int                  `json:"zoom_code,omitempty" jsonschema_description:"Zoom's error code."`
	MissingScopes     []string             `json:"missing_scopes,omitempty" jsonschema_description:"Scopes, any one of which the Zoom app needs."`
	RetryAfterSeconds *int                 `json:"retry_after_seconds,omitempty" jsonschema_description:"Seconds to wait before retrying."`
	Fields            []zoomapi.FieldError `json:"fields,omitempty" jsonschema_description:"The arguments that were rejected."`
	Rule              string               `json:"rule,omitempty" jsonschema_description:"The access rule that refused the call."`
}

// Error kinds of a failed tool result.
const (
	KindInvalidArgument = "invalid_argument" // fix the arguments
	KindMissingScope    = "missing_scope"    // the Zoom app needs another scope
	KindNotFound        = "not_found"        // no such ID
	KindRateLimited     = "rate_limited"     // retry later
	KindZoomRefused     = "zoom_refused"     // Zoom said no for another reason
	KindUnavailable     = "unavailable"      // Zoom or its OAuth could not be used; operator issue
	KindAccessDenied    = "access_denied"    // the access policy refused the call
	KindDeclined        = "declined"         // a person declined the call, or could not be asked
	KindOutcomeUnknown  = "outcome_unknown"  // a write may or may not have happened; check before repeating
	KindCancelled       = "cancelled"        // the caller cancelled before anything was sent
	KindNotConnected    = "not_connected"    // the agent's Zoom connection is not signed in; a person signs it in
)

// Deny returns the outcome of a call the access policy refused.
func Deny(rule, message string) Outcome {
	return Outcome{Decision: Denied, Rule: rule, Error: &ErrorInfo{Kind: KindAccessDenied, Rule: rule, Message: message}}
}

// Handler runs a call.
type Handler func(ctx context.Context, c *Call) Outcome

// Middleware wraps a Handler with one cross-cutting behaviour.
type Middleware func(Handler) Handler

// Chain returns h wrapped by mws; the first middleware is the outermost.
func Chain(h Handler, mws ...Middleware) Handler {
	for _, m := range slices.Backward(mws) {
		if m != nil {
			h = m(h)
		}
	}
	return h
}

// ClientFunc returns the Zoom client a call acts through. It is resolved
// per call, from the request, so that an agent can act as the Zoom user it
// is bound to.
type ClientFunc func(ctx context.Context, c *Call) (*zoomapi.Client, error)

// Static returns a ClientFunc that always answers c.
func Static(c *zoomapi.Client) ClientFunc {
	return func(context.Context, *Call) (*zoomapi.Client, error) { return c, nil }
}

// Pipeline is what the tools are bound to: the middlewares every call
// passes and where each call's Zoom client comes from.
type Pipeline struct {
	Client      ClientFunc
	Middlewares []Middleware
	// CallTimeout bounds the Zoom part of each call: pacing, the token
	// and the requests (0: no bound of its own).
	CallTimeout time.Duration
}

// ResultJSON returns the outcome's structured result as JSON: the value on
// success, {"error": ...} on failure.
func (o Outcome) ResultJSON() (json.RawMessage, error) {
	if o.Error != nil {
		return json.Marshal(struct {
			Error *ErrorInfo `json:"error"`
		}{o.Error})
	}
	return json.Marshal(o.Value)
}
