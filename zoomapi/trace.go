package zoomapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
)

// TracedRequest is one request a call sent to Zoom and what Zoom answered.
// An attempt that certainly never left this host (TransportError.NotSent)
// is not a request sent, and is not recorded.
// Path is relative to the API base URL, or for Client.Download the path of
// the file's URL; it carries no query string (a query can hold emails or
// tokens), and nothing in it is a secret.
type TracedRequest struct {
	Method string `json:"method"`
	Path   string `json:"path"`
	Status int    `json:"status,omitempty"` // HTTP status; 0 if no answer came
	Code   int    `json:"code,omitempty"`   // Zoom's error code, if any
}

// Trace collects the requests sent under a context (see WithTrace).
type Trace struct {
	mu   sync.Mutex
	reqs []TracedRequest
}

// Requests returns what was sent so far, in order.
func (t *Trace) Requests() []TracedRequest {
	t.mu.Lock()
	defer t.mu.Unlock()
	return append([]TracedRequest(nil), t.reqs...)
}

func (t *Trace) add(r TracedRequest) {
	t.mu.Lock()
	t.reqs = append(t.reqs, r)
	t.mu.Unlock()
}

type traceKey struct{}

// WithTrace returns ctx under which every request the client sends, and
// Zoom's status and error code, is recorded in t. The audit log uses it.
func WithTrace(ctx context.Context, t *Trace) context.Context {
	return context.WithValue(ctx, traceKey{}, t)
}

func traceFrom(ctx context.Context) *Trace {
	t, _ := ctx.Value(traceKey{}).(*Trace)
	return t
}

// record notes one attempt of a request (method and path, see
// TracedRequest) in the context's trace, if any, unless it certainly was
// not sent.
func record(ctx context.Context, method, path string, status int, err error) {
	t := traceFrom(ctx)
	if t == nil {
		return
	}
	var te *TransportError
	if errors.As(err, &te) && te.NotSent {
		return
	}
	r := TracedRequest{Method: method, Path: path, Status: status}
	var zr *ErrorResponse
	if errors.As(err, &zr) {
		r.Code = zr.Code
		if r.Status == 0 {
			r.Status = zr.StatusCode
		}
	}
	t.add(r)
}

// PlannedRequest is the exact request a dry run would have sent.
type PlannedRequest struct {
	Method string          `json:"method"`
	Path   string          `json:"path" jsonschema_description:"Relative to the API base URL, escaped as sent."`
	Query  url.Values      `json:"query,omitempty"`
	Body   json.RawMessage `json:"body,omitempty"`
}

// DryRunError is returned instead of sending a request that would change
// something, under a context made with WithDryRun. Requests that only read
// are sent as usual.
type DryRunError struct {
	Request PlannedRequest
}

func (e *DryRunError) Error() string {
	return fmt.Sprintf("dry run: %s %s not sent", e.Request.Method, e.Request.Path)
}

type dryRunKey struct{}

// WithDryRun returns ctx under which the client sends no request that
// changes anything: the first such request is returned as a *DryRunError.
func WithDryRun(ctx context.Context) context.Context {
	return context.WithValue(ctx, dryRunKey{}, true)
}

func isDryRun(ctx context.Context) bool {
	b, _ := ctx.Value(dryRunKey{}).(bool)
	return b
}

// plan describes the request to u with body, for a dry run.
func plan(ep Endpoint, u string, body []byte) *DryRunError {
	p := PlannedRequest{Method: ep.Method, Path: relPath(u), Body: body}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		if q, err := url.ParseQuery(u[i+1:]); err == nil && len(q) > 0 {
			p.Query = q
		}
	}
	return &DryRunError{Request: p}
}

// relPath returns the path of an API URL below the /v2 base, without the
// query: "https://api.zoom.us/v2/users/me/meetings?x=1" -> "/users/me/meetings".
func relPath(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	if i := strings.Index(u, "/v2/"); i >= 0 {
		return u[i+3:]
	}
	if pu, err := url.Parse(u); err == nil {
		return pu.EscapedPath()
	}
	return u
}
