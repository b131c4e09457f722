package zoomfake

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// Zoom's error codes that the simulator answers with.
const (
	codeNoPermission    = 200
	codeValidation      = 300
	codeInvalidToken    = 124
	codeUserNotFound    = 1001
	codeUserExists      = 1009
	codeEmailUsed       = 1005
	codeMeeting         = 3000
	codeMeetingNotFound = 3001
	codeNoRecording     = 3301
	codeNoTranscript    = 3322
	codeSummaryDenied   = 2305
	codeScopes          = 4711
	codeRateLimited     = 429
	codeNotFound        = 404
)

// apiError is a Zoom error response: an HTTP status and a JSON body with
// code, message and, for validation failures, the offending fields.
type apiError struct {
	status  int
	header  http.Header
	Code    int          `json:"code"`
	Message string       `json:"message"`
	Errors  []fieldError `json:"errors,omitempty"`
}

// fieldError names one invalid field of a request, as Zoom's "Validation
// Failed." answers do.
type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func (e *apiError) Error() string { return fmt.Sprintf("zoom %d: %s", e.Code, e.Message) }

func newError(status, code int, format string, args ...any) *apiError {
	return &apiError{status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

func badRequest(code int, format string, args ...any) *apiError {
	return newError(http.StatusBadRequest, code, format, args...)
}

func notFound(code int, format string, args ...any) *apiError {
	return newError(http.StatusNotFound, code, format, args...)
}

// invalidFields is Zoom's "Validation Failed." answer for fields.
func invalidFields(fields ...string) *apiError {
	e := badRequest(codeValidation, "Validation Failed.")
	for _, f := range fields {
		e.Errors = append(e.Errors, fieldError{Field: f, Message: "Invalid field."})
	}
	return e
}

func errBadJSON() *apiError {
	return badRequest(codeValidation, "Request Body should be a valid JSON object.")
}

func errMeetingNotFound(id string) *apiError {
	return notFound(codeMeetingNotFound, "Meeting does not exist: %s.", id)
}

func errWebinarNotFound(id string) *apiError {
	return notFound(codeMeetingNotFound, "Webinar does not exist: %s.", id)
}

func errUserNotFound(id string) *apiError {
	return notFound(codeUserNotFound, "User does not exist: %s.", id)
}

func errBadPageToken() *apiError {
	return badRequest(codeValidation, "The next page token is invalid or expired.")
}

// writeJSON writes v as the JSON body of a status response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		// The status is already sent; the client sees a truncated body.
		return
	}
}

// writeError writes e with its status and headers.
func writeError(w http.ResponseWriter, e *apiError) {
	for k, vs := range e.header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	writeJSON(w, e.status, e)
}
