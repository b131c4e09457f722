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

func describe(ep zoomapi.Endpoint, err error, ids string) *ErrorInfo {
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
	)
	switch {
	case errors.As(err, &argErr):
		return &ErrorInfo{Kind: KindInvalidArgument, Message: argErr.Error() + ". Fix the argument and call again."}
	case errors.As(err, &scopeErr):
		return &ErrorInfo{Kind: KindMissingScope, ZoomCode: scopeErr.Code, MissingScopes: scopeErr.Missing,
			Message: scopeMessage(ep)}
	case errors.As(err, &rateErr):
		secs := int(math.Ceil(rateErr.RetryAfter(now()).Seconds()))
		return &ErrorInfo{Kind: KindRateLimited, ZoomCode: rateErr.Code, RetryAfterSeconds: &secs,
			Message: rateMessage(rateErr, secs)}
	case errors.As(err, &nfErr):
		return &ErrorInfo{Kind: KindNotFound, ZoomCode: nfErr.Code,
			Message: "Not found: " + zoomText(nfErr.ErrorResponse) + asked(ids) + " Check the ID; the list tools return valid IDs."}
	case errors.As(err, &valErr):
		return &ErrorInfo{Kind: KindInvalidArgument, ZoomCode: valErr.Code, Fields: valErr.Fields,
			Message: "Zoom rejected the request: " + zoomText(valErr.ErrorResponse) + fieldList(valErr.Fields) + " Fix the arguments and call again."}
	case errors.As(err, &tokErr):
		return &ErrorInfo{Kind: KindUnavailable, ZoomCode: tokErr.Code,
			Message: "Zoom refused the server's access token even after renewing it. The operator must check the Zoom app's credentials; retrying will not help."}
	case errors.As(err, &authErr):
		return &ErrorInfo{Kind: KindUnavailable,
			Message: "The server could not get a Zoom access token (" + authErr.Error() + "). The operator must fix the Zoom app credentials; retrying will not help."}
	case errors.As(err, &zoomErr):
		return &ErrorInfo{Kind: KindZoomRefused, ZoomCode: zoomErr.Code,
			Message: fmt.Sprintf("Zoom refused the request (HTTP %d): %s Do not retry unchanged.", zoomErr.StatusCode, zoomText(zoomErr))}
	case errors.As(err, &decErr):
		return &ErrorInfo{Kind: KindUnavailable, Message: decErr.Error() + "." + retryAdvice(ep)}
	case errors.As(err, &netErr):
		return &ErrorInfo{Kind: KindUnavailable, Message: netErr.Error() + "." + retryAdvice(ep)}
	case errors.Is(err, context.DeadlineExceeded):
		return &ErrorInfo{Kind: KindUnavailable, Message: "The Zoom call timed out." + retryAdvice(ep)}
	}
	return nil
}

// retryAdvice says whether a call whose outcome is unknown may simply be
// repeated. Reads and updates may; a create may already have happened, and
// repeating it could create a duplicate (and use up Zoom's daily limit).
func retryAdvice(ep zoomapi.Endpoint) string {
	if ep.Method == "POST" {
		return " Zoom may have made the change before the failure: check with the matching list or get tool before trying again, or it may happen twice."
	}
	return " Try again later."
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
		parts[i] = f.Field + ": " + f.Message
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
