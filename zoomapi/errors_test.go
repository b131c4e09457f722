package zoomapi

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

func TestParseError(t *testing.T) {
	ep := MustEndpoint(OpGetMeeting)
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i+1 < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return h
	}
	tests := []struct {
		name   string
		status int
		h      http.Header
		body   string
		check  func(t *testing.T, err error)
	}{
		{
			name: "124 invalid token", status: 401,
			body: `{"code":124,"message":"Invalid access token."}`,
			check: func(t *testing.T, err error) {
				var e *InvalidTokenError
				if !errors.As(err, &e) || e.Code != 124 || e.Message != "Invalid access token." {
					t.Fatalf("got %#v", err)
				}
				if !errors.Is(err, ErrInvalidToken) {
					t.Error("errors.Is(ErrInvalidToken) = false")
				}
			},
		},
		{
			name: "401 without code is an invalid token", status: 401, body: ``,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ErrInvalidToken) {
					t.Fatalf("got %v", err)
				}
			},
		},
		{
			name: "4711 lists missing scopes", status: 400,
			body: `{"code":4711,"message":"Invalid access token, does not contain scopes:[meeting:read:meeting, meeting:read:meeting:admin]."}`,
			check: func(t *testing.T, err error) {
				var e *ScopeError
				if !errors.As(err, &e) {
					t.Fatalf("got %#v", err)
				}
				if diff := cmp.Diff([]string{"meeting:read:meeting", "meeting:read:meeting:admin"}, e.Missing); diff != "" {
					t.Errorf("Missing (-want +got):\n%s", diff)
				}
				if !errors.Is(err, ErrMissingScope) {
					t.Error("errors.Is(ErrMissingScope) = false")
				}
			},
		},
		{
			name: "4711 without list falls back to the endpoint's scopes", status: 400,
			body: `{"code":4711,"message":"Invalid access token, does not contain scopes."}`,
			check: func(t *testing.T, err error) {
				var e *ScopeError
				if !errors.As(err, &e) {
					t.Fatalf("got %#v", err)
				}
				if diff := cmp.Diff(ep.Scopes(), e.Missing); diff != "" {
					t.Errorf("Missing (-want +got):\n%s", diff)
				}
			},
		},
		{
			name: "300 with fields is a validation error", status: 400,
			body: `{"code":300,"message":"Validation Failed.","errors":[{"field":"start_time","message":"Invalid field."},{"field":"duration","message":"Must be positive."}]}`,
			check: func(t *testing.T, err error) {
				var e *ValidationError
				if !errors.As(err, &e) {
					t.Fatalf("got %#v", err)
				}
				want := []FieldError{{"start_time", "Invalid field."}, {"duration", "Must be positive."}}
				if diff := cmp.Diff(want, e.Fields); diff != "" {
					t.Errorf("Fields (-want +got):\n%s", diff)
				}
				if !errors.Is(err, ErrValidation) {
					t.Error("errors.Is(ErrValidation) = false")
				}
				msg := err.Error()
				for _, s := range []string{"code 300", "start_time: Invalid field.", "duration: Must be positive."} {
					if !strings.Contains(msg, s) {
						t.Errorf("message %q lacks %q", msg, s)
					}
				}
			},
		},
		{
			name: "400 with fields but no 300 is a validation error", status: 400,
			body: `{"code":3000,"message":"Bad","errors":[{"field":"x","message":"y"}]}`,
			check: func(t *testing.T, err error) {
				if !errors.Is(err, ErrValidation) {
					t.Fatalf("got %v", err)
				}
			},
		},
		{name: "404", status: 404, body: `{"code":404,"message":"Not found"}`, check: wantNotFound},
		{name: "404 HTML", status: 404, h: hdr("Content-Type", "text/html"), body: `<html>nope</html>`, check: wantNotFound},
		{name: "1001 user", status: 404, body: `{"code":1001,"message":"User does not exist: x."}`, check: wantNotFound},
		{name: "3001 meeting with 400", status: 400, body: `{"code":3001,"message":"Meeting does not exist: 1."}`, check: wantNotFound},
		{name: "3301 recording", status: 404, body: `{"code":3301,"message":"This recording does not exist."}`, check: wantNotFound},
		{
			name: "429 QPS with Retry-After seconds", status: 429,
			h:    hdr("Retry-After", "2", "X-RateLimit-Category", "Light", "X-RateLimit-Type", "QPS", "X-RateLimit-Limit", "30"),
			body: `{"code":429,"message":"You have reached the maximum per-second rate limit for this API. Try again later."}`,
			check: func(t *testing.T, err error) {
				e := wantRate(t, err)
				if e.Daily || e.PerUser {
					t.Errorf("Daily=%v PerUser=%v, want per-second", e.Daily, e.PerUser)
				}
				if !e.RetryAt.Equal(testNow.Add(2*time.Second)) || e.RetryAfter(testNow) != 2*time.Second {
					t.Errorf("RetryAt = %v", e.RetryAt)
				}
				if e.Category != "Light" || e.Type != "QPS" || e.Limit != 30 {
					t.Errorf("headers: %+v", e)
				}
			},
		},
		{
			name: "429 daily with RFC 3339 Retry-After", status: 429,
			h:    hdr("Retry-After", "2025-03-15T00:00:00Z", "X-RateLimit-Type", "Daily-limit"),
			body: `{"code":429,"message":"You have reached the maximum daily rate limit for this API."}`,
			check: func(t *testing.T, err error) {
				e := wantRate(t, err)
				if !e.Daily || e.PerUser {
					t.Errorf("Daily=%v PerUser=%v", e.Daily, e.PerUser)
				}
				if want := time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC); !e.RetryAt.Equal(want) {
					t.Errorf("RetryAt = %v, want %v", e.RetryAt, want)
				}
			},
		},
		{
			name: "429 per-user daily without Retry-After", status: 429,
			body: `{"code":429,"message":"You have exceeded the daily rate limit of (100) Meeting Create/Update API requests permitted for this particular user. You may resume these API requests at GMT 00:00:00."}`,
			check: func(t *testing.T, err error) {
				e := wantRate(t, err)
				if !e.Daily || !e.PerUser {
					t.Errorf("Daily=%v PerUser=%v, want both", e.Daily, e.PerUser)
				}
				if want := time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC); !e.RetryAt.Equal(want) {
					t.Errorf("RetryAt = %v, want next 00:00 UTC %v", e.RetryAt, want)
				}
			},
		},
		{
			name: "429 without body or headers", status: 429,
			check: func(t *testing.T, err error) {
				e := wantRate(t, err)
				if e.Daily || e.RetryAfter(testNow) != time.Second {
					t.Errorf("got %+v", e)
				}
			},
		},
		{
			name: "HTML body", status: 502, h: hdr("Content-Type", "text/html"),
			body: "<html><body><h1>502 Bad Gateway</h1></body></html>",
			check: func(t *testing.T, err error) {
				e := wantPlain(t, err, 502)
				if !strings.HasPrefix(e.Message, "HTML instead of JSON") || !strings.Contains(e.Message, "502 Bad Gateway") {
					t.Errorf("Message = %q", e.Message)
				}
			},
		},
		{
			name: "empty body", status: 500,
			check: func(t *testing.T, err error) {
				if e := wantPlain(t, err, 500); e.Message != "empty response body" {
					t.Errorf("Message = %q", e.Message)
				}
			},
		},
		{
			name: "truncated JSON", status: 500, body: `{"code":300,"message":"Valid`,
			check: func(t *testing.T, err error) {
				e := wantPlain(t, err, 500)
				if e.Code != 0 || !strings.HasPrefix(e.Message, "invalid JSON") {
					t.Errorf("Code=%d Message=%q", e.Code, e.Message)
				}
			},
		},
		{
			name: "JSON without code or message", status: 500, body: `{"error":"x"}`,
			check: func(t *testing.T, err error) {
				if e := wantPlain(t, err, 500); !strings.HasPrefix(e.Message, "JSON without code or message") {
					t.Errorf("Message = %q", e.Message)
				}
			},
		},
		{
			name: "long body is cut", status: 500, body: strings.Repeat("é", 5000),
			check: func(t *testing.T, err error) {
				if n := len(err.Error()); n > 400 {
					t.Errorf("message is %d bytes", n)
				}
				if !utf8.ValidString(err.Error()) {
					t.Error("message is not valid UTF-8")
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := tt.h
			if h == nil {
				h = http.Header{}
			}
			err := parseError(ep, tt.status, h, []byte(tt.body), testNow)
			if err == nil {
				t.Fatal("nil error")
			}
			var er *ErrorResponse
			if !errors.As(err, &er) || er.StatusCode != tt.status || er.Endpoint != OpGetMeeting || er.Method != "GET" {
				t.Fatalf("ErrorResponse = %#v", er)
			}
			tt.check(t, err)
		})
	}
}

func wantNotFound(t *testing.T, err error) {
	t.Helper()
	var e *NotFoundError
	if !errors.As(err, &e) || !errors.Is(err, ErrNotFound) {
		t.Fatalf("got %#v, want *NotFoundError", err)
	}
}

func wantRate(t *testing.T, err error) *RateLimitError {
	t.Helper()
	var e *RateLimitError
	if !errors.As(err, &e) || !errors.Is(err, ErrRateLimited) {
		t.Fatalf("got %#v, want *RateLimitError", err)
	}
	return e
}

func wantPlain(t *testing.T, err error, status int) *ErrorResponse {
	t.Helper()
	e, ok := err.(*ErrorResponse)
	if !ok {
		t.Fatalf("got %T %v, want a plain *ErrorResponse", err, err)
	}
	if e.StatusCode != status {
		t.Errorf("StatusCode = %d", e.StatusCode)
	}
	return e
}

// maxErrorMessage bounds an error message: the body snippet is cut to 120
// characters, but Zoom's own message and field list are kept whole, and
// error bodies are read up to maxErrorBody. Scrubbing can replace a short
// credential ("Bearer x") with a longer "Bearer [redacted]", at most
// tripling the text.
const maxErrorMessage = 3*maxErrorBody + 512

func FuzzParseError(f *testing.F) {
	f.Add(401, "", []byte(`{"code":124,"message":"Invalid access token."}`))
	f.Add(400, "", []byte(`{"code":4711,"message":"does not contain scopes:[a, b]."}`))
	f.Add(400, "", []byte(`{"code":300,"message":"Validation Failed.","errors":[{"field":"f","message":"m"}]}`))
	f.Add(429, "2", []byte(`{"code":429,"message":"daily"}`))
	f.Add(429, "2025-03-15T00:00:00Z", []byte(``))
	f.Add(429, "Sat, 15 Mar 2025 00:00:00 GMT", []byte(`{"code":429,"message":"particular user"}`))
	f.Add(502, "", []byte(`<html>`))
	f.Add(500, "", []byte(`{"code":`))
	f.Add(404, "-1", []byte("\xff\xfe"))
	eps := Endpoints
	f.Fuzz(func(t *testing.T, status int, retryAfter string, body []byte) {
		if len(body) > maxErrorBody {
			body = body[:maxErrorBody] // checkResponse never passes more
		}
		ep := eps[uint(status)%uint(len(eps))]
		h := http.Header{}
		h.Set("Retry-After", retryAfter)
		h.Set("X-RateLimit-Type", retryAfter)
		err := parseError(ep, status, h, body, testNow)
		if err == nil {
			t.Fatal("nil error")
		}
		msg := err.Error()
		if len(msg) > maxErrorMessage {
			t.Fatalf("message is %d bytes", len(msg))
		}
		var er *ErrorResponse
		if !errors.As(err, &er) {
			t.Fatalf("%T does not wrap *ErrorResponse", err)
		}
		var rl *RateLimitError
		if errors.As(err, &rl) && rl.RetryAt.IsZero() {
			t.Fatal("rate limit without RetryAt")
		}
	})
}

// TestTokenRetry checks that a 124 answer makes the client drop the token
// and retry with a new one, a bounded number of times.
func TestTokenRetry(t *testing.T) {
	t.Run("second token works", func(t *testing.T) {
		c, mux, tokens := setup(t)
		var seen []string
		mux.HandleFunc("GET /v2/users/me", func(w http.ResponseWriter, r *http.Request) {
			seen = append(seen, r.Header.Get("Authorization"))
			if r.Header.Get("Authorization") == "Bearer tok1" {
				w.WriteHeader(401)
				_, _ = w.Write([]byte(`{"code":124,"message":"Access token is expired."}`))
				return
			}
			_, _ = w.Write([]byte(`{"id":"u1"}`))
		})
		u, _, err := c.Users.Get(context.Background(), "me", nil)
		if err != nil {
			t.Fatal(err)
		}
		if u.ID != "u1" {
			t.Errorf("user = %+v", u)
		}
		if diff := cmp.Diff([]string{"Bearer tok1", "Bearer tok2"}, seen); diff != "" {
			t.Errorf("tokens sent (-want +got):\n%s", diff)
		}
		if diff := cmp.Diff([]string{"tok1"}, tokens.invalidated); diff != "" {
			t.Errorf("invalidated (-want +got):\n%s", diff)
		}
	})
	t.Run("124 with every renewed token is returned", func(t *testing.T) {
		c, mux, tokens := setup(t)
		var calls atomic.Int32
		mux.HandleFunc("DELETE /v2/meetings/5", func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			w.WriteHeader(401)
			_, _ = w.Write([]byte(`{"code":124,"message":"Invalid access token."}`))
		})
		resp, err := c.Meetings.Delete(context.Background(), 5, nil)
		var ite *InvalidTokenError
		if !errors.As(err, &ite) {
			t.Fatalf("err = %v, want *InvalidTokenError", err)
		}
		if resp == nil || resp.StatusCode != 401 {
			t.Errorf("resp = %+v", resp)
		}
		if calls.Load() != 1+maxTokenRenewals {
			t.Errorf("%d calls, want %d (one per renewal)", calls.Load(), 1+maxTokenRenewals)
		}
		if diff := cmp.Diff([]string{"tok1", "tok2", "tok3"}, tokens.invalidated); diff != "" {
			t.Errorf("invalidated (-want +got):\n%s", diff)
		}
	})
	t.Run("other errors are not retried", func(t *testing.T) {
		c, mux, tokens := setup(t)
		var calls atomic.Int32
		mux.HandleFunc("GET /v2/meetings/5", func(w http.ResponseWriter, r *http.Request) {
			calls.Add(1)
			w.WriteHeader(400)
			_, _ = w.Write([]byte(`{"code":4711,"message":"Invalid access token, does not contain scopes:[meeting:read:meeting]."}`))
		})
		_, _, err := c.Meetings.Get(context.Background(), 5, nil)
		if !errors.Is(err, ErrMissingScope) {
			t.Fatalf("err = %v", err)
		}
		if calls.Load() != 1 || len(tokens.invalidated) != 0 {
			t.Errorf("calls=%d invalidated=%v", calls.Load(), tokens.invalidated)
		}
	})
}

// TestDecodeErrorOnBadSuccessBody checks that a 200 with HTML or truncated
// JSON becomes a *DecodeError, not a zero value.
func TestDecodeErrorOnBadSuccessBody(t *testing.T) {
	for _, body := range []string{`<html>maintenance</html>`, `{"id":1`, ``, `{"id":"x"}`, `{"start_time":"yesterday"}`} {
		c, mux, _ := setup(t)
		mux.HandleFunc("GET /v2/meetings/1", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(body))
		})
		m, _, err := c.Meetings.Get(context.Background(), 1, nil)
		var de *DecodeError
		if !errors.As(err, &de) || m != nil {
			t.Errorf("body %q: m=%v err=%v, want *DecodeError", body, m, err)
		}
	}
}
