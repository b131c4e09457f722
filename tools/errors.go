package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/auth"
	"github.com/zoommcp/zoom-mcp/events"
	"github.com/zoommcp/zoom-mcp/limits"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Error kinds of a failed tool result.
const (
	KindInvalidArgument = pipeline.KindInvalidArgument // fix the arguments
	KindMissingScope    = pipeline.KindMissingScope    // the Zoom app needs another scope
	KindNotFound        = pipeline.KindNotFound        // no such ID
	KindRateLimited     = pipeline.KindRateLimited     // retry later
	KindZoomRefused     = pipeline.KindZoomRefused     // Zoom said no for another reason
	KindUnavailable     = pipeline.KindUnavailable     // Zoom or its OAuth could not be used; operator issue
	KindAccessDenied    = pipeline.KindAccessDenied    // the access policy refused the call
	KindDeclined        = pipeline.KindDeclined        // a person declined the call
	KindOutcomeUnknown  = pipeline.KindOutcomeUnknown  // a write may or may not have happened
	KindCancelled       = pipeline.KindCancelled       // the caller cancelled before anything was sent
	KindNotConnected    = pipeline.KindNotConnected    // the agent's Zoom connection is not signed in
)

// ErrorInfo is the structured body of a failed tool result.
type ErrorInfo = pipeline.ErrorInfo

// now is the clock used for retry arithmetic; tests replace it.
var now = time.Now

// errorResult is a failed tool result: isError, the message as text, and
// {"error": ErrorInfo} as structured content.
func errorResult(e *ErrorInfo) *mcp.CallToolResult {
	data, _ := json.Marshal(struct {
		Error *ErrorInfo `json:"error"`
	}{e})
	return &mcp.CallToolResult{
		Content:           []mcp.Content{mcp.NewTextContent(e.Message)},
		StructuredContent: json.RawMessage(data),
		IsError:           true,
	}
}

// ErrorKind returns the kind of a failed result made by errorResult, or ""
// for anything else.
func ErrorKind(res *mcp.CallToolResult) string {
	if res == nil || !res.IsError {
		return ""
	}
	raw, ok := res.StructuredContent.(json.RawMessage)
	if !ok {
		return ""
	}
	var body struct {
		Error struct{ Kind string } `json:"error"`
	}
	_ = json.Unmarshal(raw, &body)
	return body.Error.Kind
}

// failure is what the error switch needs to know of a failed call
// besides the error: the endpoint (scopes, method), what the tool does,
// the read tool that tells whether a write happened, the IDs asked for,
// and whether a request was written to Zoom at all.
type failure struct {
	ep     zoomapi.Endpoint
	effect pipeline.Effect
	check  string // e.g. "list_meetings": how to see whether a write happened
	ids    string // "meeting_id=123", for not-found messages
	sent   bool   // a request reached the wire (from the call's trace)
}

// describe turns what the client returned into a result the model can act
// on, and that is true: a write whose outcome is unknown is never called
// refused. Only faults of the program itself return nil (a Go error).
func describe(f failure, err error) *ErrorInfo {
	var (
		argErr   *zoomapi.ArgumentError
		scopeErr *zoomapi.ScopeError
		rateErr  *zoomapi.RateLimitError
		nfErr    *zoomapi.NotFoundError
		valErr   *zoomapi.ValidationError
		tokErr   *zoomapi.InvalidTokenError
		zoomErr  *zoomapi.ErrorResponse
		authErr  *auth.TokenError
		decErr   *zoomapi.DecodeError
		netErr   *zoomapi.TransportError
		queueErr *zoomapi.QueueFullError
		dlErr    *zoomapi.DownloadError
	)
	ep := f.ep
	switch {
	case errors.Is(err, events.ErrDisabled):
		return &ErrorInfo{Kind: KindUnavailable, Message: "No events can be waited for: " + err.Error() + "."}
	case errors.Is(err, limits.ErrUnavailable) || errors.Is(err, auth.ErrSharedStateUnavailable):
		// The limiter and the shared token come before any request.
		return &ErrorInfo{Kind: KindUnavailable, Message: "The state this server shares with its other replicas (Redis) is unreachable, so nothing was sent to Zoom: " +
			"the server does not call Zoom without the shared rate limits and token. Retry in a minute; the operator should check Redis."}
	case errors.Is(err, auth.ErrNotConnected) || errors.Is(err, auth.ErrLoginRequired):
		// No request is sent without a token. The error names the
		// connection and how to sign it in.
		return &ErrorInfo{Kind: KindNotConnected, Message: err.Error() + " Nothing was sent to Zoom; call again once it is signed in."}
	case errors.As(err, &argErr):
		return &ErrorInfo{Kind: KindInvalidArgument, Message: argErr.Error() + ". Fix the argument and call again."}
	case errors.As(err, &scopeErr):
		return &ErrorInfo{Kind: KindMissingScope, ZoomCode: scopeErr.Code, MissingScopes: scopeErr.Missing,
			Message: scopeMessage(ep)}
	case errors.As(err, &rateErr):
		secs := int(math.Ceil(rateErr.RetryAfter(now()).Seconds()))
		return &ErrorInfo{Kind: KindRateLimited, ZoomCode: rateErr.Code, RetryAfterSeconds: &secs,
			Message: rateMessage(rateErr, secs)}
	case errors.As(err, &queueErr):
		secs := max(1, int(math.Ceil(queueErr.RetryAfter.Seconds())))
		if queueErr.BeyondDeadline {
			return &ErrorInfo{Kind: KindRateLimited, RetryAfterSeconds: &secs, Message: fmt.Sprintf(
				"Zoom's rate limit has no slot for this call within its time limit (the next is in %d seconds, %d calls ahead), so nothing was sent. Retry in %d seconds.", secs, queueErr.Waiting, secs)}
		}
		return &ErrorInfo{Kind: KindRateLimited, RetryAfterSeconds: &secs, Message: fmt.Sprintf(
			"Too many calls are already waiting for Zoom's rate limit (%d), so this one was not queued and nothing was sent. Retry in %d seconds.", queueErr.Waiting, secs)}
	case errors.As(err, &dlErr):
		// The file's link is Zoom's to give: nothing the agent can change.
		return &ErrorInfo{Kind: KindZoomRefused, Message: "The server would not fetch the file: " + dlErr.Reason +
			". The link Zoom gave is not usable by the server; the operator can check the recording in Zoom."}
	case errors.As(err, &nfErr):
		return &ErrorInfo{Kind: KindNotFound, ZoomCode: nfErr.Code,
			Message: "Not found: " + zoomText(nfErr.ErrorResponse) + asked(f.ids) + " Check the ID; the list tools return valid IDs."}
	case errors.As(err, &valErr):
		return &ErrorInfo{Kind: KindInvalidArgument, ZoomCode: valErr.Code, Fields: valErr.Fields,
			Message: "Zoom rejected the request: " + zoomText(valErr.ErrorResponse) + fieldList(valErr.Fields) + " Fix the arguments and call again."}
	case errors.As(err, &tokErr):
		return &ErrorInfo{Kind: KindUnavailable, ZoomCode: tokErr.Code,
			Message: "Zoom refused the server's access token even after renewing it, so nothing was changed. The operator must check the Zoom app (is it activated, are its credentials current?); retrying will not help until then."}
	case errors.As(err, &authErr):
		// No API request was sent without a token.
		if authErr.BadCredentials() {
			return &ErrorInfo{Kind: KindUnavailable,
				Message: "Zoom refused the server's app credentials (" + authErr.Error() + "), so nothing was sent. The operator must fix the Zoom app credentials; retrying will not help."}
		}
		return &ErrorInfo{Kind: KindUnavailable,
			Message: "Zoom's sign-in service is unavailable (" + authErr.Error() + "), so nothing was sent to Zoom. Retrying later may work."}
	case errors.As(err, &zoomErr) && zoomErr.StatusCode >= 500:
		return unknownOrUnavailable(f, fmt.Sprintf("Zoom answered with an error of its own (HTTP %d: %s)", zoomErr.StatusCode, zoomText(zoomErr)))
	case errors.As(err, &zoomErr):
		return &ErrorInfo{Kind: KindZoomRefused, ZoomCode: zoomErr.Code,
			Message: fmt.Sprintf("Zoom refused the request (HTTP %d): %s%s Do not retry unchanged.", zoomErr.StatusCode, zoomText(zoomErr), asked(f.ids))}
	case errors.As(err, &decErr):
		if decErr.StatusCode >= 200 && decErr.StatusCode < 300 && f.effect.Writes() {
			return &ErrorInfo{Kind: KindOutcomeUnknown, Message: fmt.Sprintf(
				"Zoom accepted the request (HTTP %d) but its answer could not be read (%s): the change most likely happened. Check with %s before doing it again; do not repeat it blindly.",
				decErr.StatusCode, decErr.Reason, f.check)}
		}
		return unknownOrUnavailable(f, "Zoom's answer could not be read ("+decErr.Reason+")")
	case errors.As(err, &netErr):
		if !netErr.MayHaveReachedZoom() {
			return &ErrorInfo{Kind: KindUnavailable, Message: "Zoom could not be reached (" + netErr.Err.Error() + "), and nothing was sent. Retrying later may work."}
		}
		return unknownOrUnavailable(f, "The connection to Zoom failed while the request was under way ("+netErr.Err.Error()+")")
	case errors.Is(err, context.DeadlineExceeded):
		if !f.sent {
			return &ErrorInfo{Kind: KindUnavailable, Message: "The call ran out of time before anything was sent to Zoom (waiting for the rate limit or for Zoom's sign-in). Nothing was changed; retrying later may work."}
		}
		return unknownOrUnavailable(f, "Zoom did not answer in time")
	case errors.Is(err, context.Canceled):
		if !f.sent {
			return &ErrorInfo{Kind: KindCancelled, Message: "The call was cancelled before anything was sent to Zoom; nothing was changed."}
		}
		return unknownOrUnavailable(f, "The call was cancelled while Zoom was handling it")
	}
	return nil
}

// unknownOrUnavailable words a failure after the request may have reached
// Zoom: a read is simply unavailable (and was retried already); a write's
// outcome is unknown, and the message names the tool that tells.
func unknownOrUnavailable(f failure, what string) *ErrorInfo {
	if !f.effect.Writes() {
		return &ErrorInfo{Kind: KindUnavailable, Message: what + ". Zoom is unavailable right now; retrying later may work."}
	}
	again := "Do not repeat it before checking: it could happen twice."
	if f.effect == pipeline.Change {
		again = "Repeating it is safe: it changes the same thing to the same value."
	}
	return &ErrorInfo{Kind: KindOutcomeUnknown, Message: fmt.Sprintf(
		"%s, so it is unknown whether the change was made: it may have happened. Check with %s. %s", what, f.check, again)}
}

func asked(ids string) string {
	if ids == "" {
		return ""
	}
	return " Asked for " + ids + "."
}

func zoomText(e *zoomapi.ErrorResponse) string {
	msg := strings.TrimSpace(e.Message)
	if msg == "" {
		msg = "no message"
	}
	if !strings.HasSuffix(msg, ".") {
		msg += "."
	}
	if e.Code != 0 {
		msg = fmt.Sprintf("%s (Zoom code %d)", msg, e.Code)
	}
	return msg
}

func fieldList(fs []zoomapi.FieldError) string {
	if len(fs) == 0 {
		return ""
	}
	parts := make([]string, len(fs))
	for i, f := range fs {
		parts[i] = f.Field + ": " + strings.TrimRight(strings.TrimSpace(f.Message), ".")
	}
	return " Fields: " + strings.Join(parts, "; ") + "."
}

// scopeMessage names the scopes to add to the Zoom app, user-level and
// account-wide, from the endpoint table.
func scopeMessage(ep zoomapi.Endpoint) string {
	var b strings.Builder
	fmt.Fprintf(&b, "The Zoom app lacks the scope for %q (%s %s). Add ", ep.Summary, ep.Method, ep.Path)
	user, admin := ep.UserScopes(), ep.AdminScopes()
	switch {
	case len(user) > 0 && len(admin) > 0:
		fmt.Fprintf(&b, "%s (user-level) or %s (account-wide, :admin)", strings.Join(user, ", "), strings.Join(admin, ", "))
	case len(admin) > 0:
		fmt.Fprintf(&b, "%s (account-wide; Zoom offers no user-level scope for it)", strings.Join(admin, ", "))
	default:
		b.WriteString(strings.Join(ep.GranularScopes, ", "))
	}
	b.WriteString(" to the app in the Zoom App Marketplace, then retry. The agent cannot fix this; tell the operator.")
	return b.String()
}

func rateMessage(e *zoomapi.RateLimitError, secs int) string {
	at := e.RetryAt.UTC().Format(time.RFC3339)
	switch {
	case e.PerUser:
		return fmt.Sprintf("This Zoom user has reached Zoom's limit of %d meeting and webinar creates and updates a day. Retry after %s (in %d seconds), or act for another user.", zoomapi.DailyUserLimit, at, secs)
	case e.Daily:
		return fmt.Sprintf("The Zoom account has used its daily quota for this kind of request. Retry after %s (in %d seconds).", at, secs)
	}
	return fmt.Sprintf("Zoom's per-second rate limit was reached. Retry in %d seconds.", max(secs, 1))
}
