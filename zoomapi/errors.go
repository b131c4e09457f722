package zoomapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrorResponse is an error answer from Zoom: the HTTP status and Zoom's
// {code, message, errors[]} body. Every typed API error below wraps one, so
// errors.As(err, new(*ErrorResponse)) finds the details of any of them.
type ErrorResponse struct {
	Endpoint   string       // operation ID of the call
	Method     string       // HTTP method
	StatusCode int          // HTTP status
	Code       int          `json:"code"`    // Zoom's error code, 0 if the body had none
	Message    string       `json:"message"` // Zoom's message
	Fields     []FieldError `json:"errors,omitempty"`
}

// FieldError is one entry of a validation error's field list.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *ErrorResponse) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "zoom %s (%s): HTTP %d", e.Endpoint, e.Method, e.StatusCode)
	if e.Code != 0 {
		fmt.Fprintf(&b, ", code %d", e.Code)
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	for i, f := range e.Fields {
		if i == 0 {
			b.WriteString(" [")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field + ": " + f.Message)
		if i == len(e.Fields)-1 {
			b.WriteString("]")
		}
	}
	return b.String()
}

// InvalidTokenError is Zoom's code 124: the access token is invalid or
// expired. The client replaces the token and retries once before returning
// it, so callers only see it when a fresh token is refused too.
type InvalidTokenError struct{ *ErrorResponse }

func (e *InvalidTokenError) Unwrap() error { return e.ErrorResponse }

// ScopeError is Zoom's code 4711 or 4700: the token lacks the scopes the
// endpoint needs. Missing holds the scope names Zoom listed, or the
// endpoint's scopes from the table when Zoom listed none.
type ScopeError struct {
	*ErrorResponse
	Missing []string
}

func (e *ScopeError) Unwrap() error { return e.ErrorResponse }

// ValidationError is Zoom's code 300 and other 400 answers about the
// request's content; Fields names the offending fields where Zoom did.
type ValidationError struct{ *ErrorResponse }

func (e *ValidationError) Unwrap() error { return e.ErrorResponse }

// NotFoundError is a 404 or one of Zoom's "does not exist" codes (1001 user,
// 3001 meeting or webinar, 3301 recording, ...).
type NotFoundError struct{ *ErrorResponse }

func (e *NotFoundError) Unwrap() error { return e.ErrorResponse }

// RateLimitError is a 429. Daily limits (the account's daily quota, or the
// per-user limit of 100 meeting/webinar creates and updates) are not retried
// by the client; per-second limits are, within WithRetryOnRateLimit bounds.
type RateLimitError struct {
	*ErrorResponse
	Category string    // Light, Medium, Heavy (X-RateLimit-Category)
	Type     string    // QPS or Daily-limit (X-RateLimit-Type)
	Limit    int       // X-RateLimit-Limit, 0 if absent
	Daily    bool      // a daily limit, not a per-second one
	PerUser  bool      // the per-user daily limit of meeting/webinar create and update
	RetryAt  time.Time // when the call may be made again
}

func (e *RateLimitError) Unwrap() error { return e.ErrorResponse }

// RetryAfter returns how long from now until the call may be retried.
func (e *RateLimitError) RetryAfter(now time.Time) time.Duration {
	if d := e.RetryAt.Sub(now); d > 0 {
		return d
	}
	return 0
}

// Error kinds for errors.Is.
var (
	ErrInvalidToken = errors.New("zoom: invalid or expired access token")
	ErrMissingScope = errors.New("zoom: missing scope")
	ErrValidation   = errors.New("zoom: invalid request")
	ErrNotFound     = errors.New("zoom: not found")
	ErrRateLimited  = errors.New("zoom: rate limited")
)

func (e *InvalidTokenError) Is(t error) bool { return t == ErrInvalidToken }
func (e *ScopeError) Is(t error) bool        { return t == ErrMissingScope }
func (e *ValidationError) Is(t error) bool   { return t == ErrValidation }
func (e *NotFoundError) Is(t error) bool     { return t == ErrNotFound }
func (e *RateLimitError) Is(t error) bool    { return t == ErrRateLimited }

// DecodeError is a response Zoom should not have sent: HTML, an empty or
// truncated body, or JSON of the wrong shape.
type DecodeError struct {
	Endpoint   string
	StatusCode int
	Reason     string
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("zoom %s: unexpected response (HTTP %d): %s", e.Endpoint, e.StatusCode, e.Reason)
}

// TransportError is a failure to reach Zoom at all.
type TransportError struct {
	Endpoint string
	Err      error
}

func (e *TransportError) Error() string {
	return fmt.Sprintf("zoom %s: cannot reach Zoom: %v", e.Endpoint, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// ArgumentError is a bad argument caught before any request was sent.
type ArgumentError struct {
	Arg    string
	Reason string
}

func (e *ArgumentError) Error() string {
	return fmt.Sprintf("invalid argument %s: %s", e.Arg, e.Reason)
}

// Is makes ArgumentError match ErrValidation.
func (e *ArgumentError) Is(t error) bool { return t == ErrValidation }

// notFoundCodes are Zoom codes that mean "no such thing", whatever the HTTP
// status that came with them.
var notFoundCodes = map[int]bool{1001: true, 1010: true, 1020: true, 3001: true, 3301: true, 3300: true, 404: true}

// checkResponse maps a non-2xx answer to a typed error. It reads at most
// maxErrorBody bytes and never panics on odd bodies.
func checkResponse(ep Endpoint, r *http.Response, now time.Time) error {
	if r.StatusCode >= 200 && r.StatusCode < 300 {
		return nil
	}
	data, _ := io.ReadAll(io.LimitReader(r.Body, maxErrorBody))
	return parseError(ep, r.StatusCode, r.Header, data, now)
}

// parseError builds the typed error for a status, headers and body.
func parseError(ep Endpoint, status int, h http.Header, data []byte, now time.Time) error {
	er := &ErrorResponse{Endpoint: ep.ID, Method: ep.Method, StatusCode: status}
	if err := json.Unmarshal(data, er); err != nil || (er.Code == 0 && er.Message == "") {
		er.Code, er.Message, er.Fields = 0, "", nil
		// Zoom's gateway sometimes answers with HTML or an empty body.
		er.Message = describeBody(h.Get("Content-Type"), data, err)
	}
	switch {
	case status == http.StatusTooManyRequests || er.Code == 429:
		return rateLimitError(er, h, now)
	case er.Code == 124 || (status == http.StatusUnauthorized && er.Code == 0):
		return &InvalidTokenError{er}
	case er.Code == 4711 || er.Code == 4700:
		missing := parseScopes(er.Message)
		if len(missing) == 0 {
			missing = ep.Scopes()
		}
		return &ScopeError{ErrorResponse: er, Missing: missing}
	case status == http.StatusNotFound || notFoundCodes[er.Code]:
		return &NotFoundError{er}
	case er.Code == 300 || (status == http.StatusBadRequest && len(er.Fields) > 0):
		return &ValidationError{er}
	}
	return er
}

var scopeListRE = regexp.MustCompile(`\[([^\]]*)\]`)

// parseScopes extracts the scope names from a 4711/4700 message such as
// "Invalid access token, does not contain scopes:[meeting:read, meeting:read:admin]."
func parseScopes(msg string) []string {
	m := scopeListRE.FindStringSubmatch(msg)
	if m == nil {
		return nil
	}
	var out []string
	for _, s := range strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' }) {
		if s = strings.Trim(s, `"'`); s != "" {
			out = append(out, s)
		}
	}
	return out
}

func rateLimitError(er *ErrorResponse, h http.Header, now time.Time) *RateLimitError {
	e := &RateLimitError{
		ErrorResponse: er,
		Category:      h.Get("X-RateLimit-Category"),
		Type:          h.Get("X-RateLimit-Type"),
	}
	e.Limit, _ = strconv.Atoi(h.Get("X-RateLimit-Limit"))
	msg := strings.ToLower(er.Message)
	e.PerUser = strings.Contains(msg, "particular user")
	e.Daily = e.PerUser || strings.EqualFold(e.Type, "Daily-limit") || strings.Contains(msg, "daily")
	if at, ok := parseRetryAfter(h.Get("Retry-After"), now); ok {
		e.RetryAt = at
	} else if e.Daily {
		e.RetryAt = nextUTCMidnight(now)
	} else {
		e.RetryAt = now.Add(time.Second)
	}
	return e
}

// maxRetryAfter caps a Retry-After in seconds: two days, past any limit
// Zoom has.
const maxRetryAfter = 2 * 24 * 60 * 60

// parseRetryAfter accepts delay-seconds, an HTTP date, or RFC 3339 (which is
// what Zoom sends for daily limits).
func parseRetryAfter(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		// Cap absurd delays, which would overflow time.Duration.
		return now.Add(time.Duration(min(n, maxRetryAfter)) * time.Second), true
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return t, true
	}
	return time.Time{}, false
}

func nextUTCMidnight(now time.Time) time.Time {
	y, m, d := now.UTC().Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, time.UTC)
}

// describeBody says what an unparseable body was, for error messages.
func describeBody(contentType string, data []byte, err error) string {
	trimmed := strings.TrimSpace(string(data))
	switch {
	case len(trimmed) == 0:
		return "empty response body"
	case strings.HasPrefix(trimmed, "<"), strings.Contains(contentType, "html"):
		return "HTML instead of JSON (" + snippet(trimmed) + ")"
	case err != nil:
		return "invalid JSON: " + err.Error() + " (" + snippet(trimmed) + ")"
	}
	return "JSON without code or message (" + snippet(trimmed) + ")"
}

func snippet(s string) string {
	const n = 120
	s = strings.Join(strings.Fields(s), " ")
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
