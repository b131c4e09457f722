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
	"sync"
	"time"
	"unicode/utf8"
)

// ErrorResponse is an error answer from Zoom: the HTTP status and Zoom's
// {code, message, errors[]} body. Every typed API error below wraps one, so
// errors.As(err, new(*ErrorResponse)) finds the details of any of them.
//
// A 4xx answer means Zoom refused the request: nothing was changed. A 5xx
// answer (StatusCode >= 500) means Zoom failed while handling it: a read
// has already been retried by the client, but for a write (POST, PATCH,
// PUT, DELETE) the outcome is unknown, since Zoom may have applied it before
// failing; the client never repeats a write on its own.
//
// Message and the field list are scrubbed of credentials (see Scrub) when
// the error is built.
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
// expired. Nothing was changed. The client replaces the token and retries,
// as long as each retry uses a token other than the one just refused, up to
// three renewals a call; callers only see it when renewed tokens are refused
// too, or the token source cannot hand out another one.
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
// truncated body, or JSON of the wrong shape. Reason describes it, scrubbed
// of credentials (see Scrub).
//
// With a 2xx StatusCode (see Succeeded) Zoom did carry out the request: a
// write was applied, only its answer could not be read. A read with a
// truncated or unparseable answer has already been retried by the client.
type DecodeError struct {
	Endpoint   string
	StatusCode int
	Reason     string

	transient bool // cut short or not JSON at all: another attempt may read it whole
}

func (e *DecodeError) Error() string {
	return fmt.Sprintf("zoom %s: unexpected response (HTTP %d): %s", e.Endpoint, e.StatusCode, e.Reason)
}

// Succeeded reports whether Zoom answered with a 2xx status, that is,
// carried out the request: a write was applied, and must not be repeated,
// even though its answer could not be read.
func (e *DecodeError) Succeeded() bool { return e.StatusCode >= 200 && e.StatusCode < 300 }

// TransportError is a failure to exchange a request and answer with Zoom:
// no connection, a reset, a timeout of the attempt. A read has already been
// retried by the client; a write never is.
//
// Whether a write may have been applied depends on whether the request left
// this host: see MayHaveReachedZoom.
type TransportError struct {
	Endpoint string
	Err      error
	// NotSent is true when the request certainly never reached Zoom: the
	// name did not resolve, the connection or the TLS handshake failed, or
	// the attempt ended before any byte of the request was written. The
	// zero value, false, is the safe one: the request may have been sent.
	NotSent bool
}

func (e *TransportError) Error() string {
	if e.NotSent {
		return fmt.Sprintf("zoom %s: cannot reach Zoom (request not sent): %v", e.Endpoint, e.Err)
	}
	return fmt.Sprintf("zoom %s: cannot reach Zoom: %v", e.Endpoint, e.Err)
}

func (e *TransportError) Unwrap() error { return e.Err }

// MayHaveReachedZoom reports whether the request may have been delivered,
// so that a write may have been applied although no answer came: false only
// when it certainly was not sent (see NotSent), true for a reset or timeout
// after the request was written, or when this cannot be known.
func (e *TransportError) MayHaveReachedZoom() bool { return !e.NotSent }

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
// maxErrorBody bytes and never panics on odd bodies. secrets, and anything
// that looks like a credential, are scrubbed from Zoom's text.
func checkResponse(ep Endpoint, r *http.Response, now time.Time, secrets []string) error {
	if r.StatusCode >= 200 && r.StatusCode < 300 {
		return nil
	}
	data, _ := io.ReadAll(io.LimitReader(r.Body, maxErrorBody))
	return parseError(ep, r.StatusCode, r.Header, data, now, secrets...)
}

// parseError builds the typed error for a status, headers and body,
// scrubbing secrets and credentials from the text it keeps.
func parseError(ep Endpoint, status int, h http.Header, data []byte, now time.Time, secrets ...string) error {
	er := &ErrorResponse{Endpoint: ep.ID, Method: ep.Method, StatusCode: status}
	if err := json.Unmarshal(data, er); err != nil || (er.Code == 0 && er.Message == "") {
		er.Code, er.Message, er.Fields = 0, "", nil
		// Zoom's gateway sometimes answers with HTML or an empty body.
		er.Message = describeBody(h.Get("Content-Type"), data, err, secrets)
	} else {
		er.Message = Scrub(er.Message, secrets...)
		for i, f := range er.Fields {
			er.Fields[i] = FieldError{Field: Scrub(f.Field, secrets...), Message: Scrub(f.Message, secrets...)}
		}
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

var scopeListRE = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`\[([^\]]*)\]`) })

// parseScopes extracts the scope names from a 4711/4700 message such as
// "Invalid access token, does not contain scopes:[meeting:read, meeting:read:admin]."
func parseScopes(msg string) []string {
	m := scopeListRE().FindStringSubmatch(msg)
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

// describeBody says what an unparseable body was, for error messages. The
// body is scrubbed of secrets and credentials before it is cut, so that no
// part of one survives.
func describeBody(contentType string, data []byte, err error, secrets []string) string {
	trimmed := strings.TrimSpace(Scrub(string(data), secrets...))
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
