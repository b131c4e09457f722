package zoomfake

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

// testStart is the fake clock's start: a Monday noon, UTC.
var testStart = time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)

// fakeClock is a clock tests move by hand.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a simulator with a fake clock and an access token.
type env struct {
	t     testing.TB
	s     *Server
	clock *fakeClock
	token string
}

// newEnv starts a simulator with opts (its clock replaced by a fake one)
// and fetches a token. Rate limits are off unless the test turns them on
// with rateLimited.
func newEnv(t testing.TB, opts Options) *env {
	t.Helper()
	clock := &fakeClock{t: testStart}
	opts.Now = clock.Now
	e := &env{t: t, s: New(opts), clock: clock}
	e.token = e.fetchToken()
	return e
}

func (e *env) fetchToken() string {
	e.t.Helper()
	rec := e.tokenRequest(DefaultClientID, DefaultClientSecret, "grant_type=account_credentials&account_id="+DefaultAccountID, "")
	if rec.Code != http.StatusOK {
		e.t.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	var tr tokenResponse
	if err := json.Unmarshal(rec.Body.Bytes(), &tr); err != nil {
		e.t.Fatal(err)
	}
	return tr.AccessToken
}

func (e *env) tokenRequest(id, secret, query, form string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/oauth/token?"+query, strings.NewReader(form))
	if form != "" {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if id != "" {
		r.SetBasicAuth(id, secret)
	}
	rec := httptest.NewRecorder()
	e.s.ServeHTTP(rec, r)
	return rec
}

// do sends a request with the env's token. body is sent as is when it is
// a string, else encoded as JSON (nil: no body).
func (e *env) do(method, path string, body any) *httptest.ResponseRecorder {
	return e.doToken(e.token, method, path, body)
}

func (e *env) doToken(token, method, path string, body any) *httptest.ResponseRecorder {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			e.t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	r := httptest.NewRequest(method, "/v2"+path, rd)
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	e.s.ServeHTTP(rec, r)
	return rec
}

// call sends a request, checks the status and decodes the JSON body.
func (e *env) call(method, path string, body any, want int) map[string]any {
	e.t.Helper()
	rec := e.do(method, path, body)
	if rec.Code != want {
		e.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, rec.Code, want, rec.Body)
	}
	if rec.Body.Len() == 0 {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		e.t.Fatalf("%s %s: body %q: %v", method, path, rec.Body, err)
	}
	return m
}

// wantError checks an error answer's status, code and message prefix.
func (e *env) wantError(rec *httptest.ResponseRecorder, status, code int, msg string) map[string]any {
	e.t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		e.t.Fatalf("error body %q: %v", rec.Body, err)
	}
	gotCode, _ := m["code"].(float64)
	gotMsg, _ := m["message"].(string)
	if rec.Code != status || int(gotCode) != code || !strings.HasPrefix(gotMsg, msg) {
		e.t.Fatalf("got %d %v %q, want %d %d %q", rec.Code, m["code"], gotMsg, status, code, msg)
	}
	return m
}

// escapeUUID encodes a meeting UUID for a path as Zoom asks: twice when it
// starts with "/" or contains "//", else once.
func escapeUUID(u string) string {
	if strings.HasPrefix(u, "/") || strings.Contains(u, "//") {
		return url.PathEscape(url.PathEscape(u))
	}
	return url.PathEscape(u)
}

func num(v any) int64 {
	switch n := v.(type) {
	case float64:
		return int64(n)
	case json.Number:
		i, _ := n.Int64()
		return i
	}
	return 0
}

func list(m map[string]any, key string) []map[string]any {
	var out []map[string]any
	for _, e := range m[key].([]any) {
		out = append(out, e.(map[string]any))
	}
	return out
}
