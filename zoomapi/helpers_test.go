package zoomapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"
)

// fakeTokens is an auth.TokenSource that hands out "tok1", "tok2", ... and
// records invalidations.
type fakeTokens struct {
	mu          sync.Mutex
	n           int
	cur         string
	invalidated []string
}

func (f *fakeTokens) Token(context.Context) (*oauth2.Token, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.cur == "" {
		f.n++
		f.cur = fmt.Sprintf("tok%d", f.n)
	}
	return &oauth2.Token{AccessToken: f.cur}, nil
}

func (f *fakeTokens) Invalidate(tok *oauth2.Token) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.invalidated = append(f.invalidated, tok.AccessToken)
	if tok.AccessToken == f.cur {
		f.cur = ""
	}
}

// testNow is the fixed clock of the test client.
var testNow = time.Date(2025, 3, 14, 15, 9, 26, 0, time.UTC)

// setup returns a client pointed at an httptest server whose mux serves the
// API under "/v2", as go-github's tests do.
func setup(t *testing.T, opts ...Option) (*Client, *http.ServeMux, *fakeTokens) {
	t.Helper()
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	tokens := &fakeTokens{}
	base := []Option{
		WithBaseURL(srv.URL + "/v2"),
		WithTokenSource(tokens),
		WithHTTPClient(srv.Client()),
		WithoutPacing(),
		WithRetryOnRateLimit(0, 0),
		WithReadRetry(4, time.Millisecond, 4*time.Millisecond),
		WithClock(func() time.Time { return testNow }),
	}
	c, err := NewClient(append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, mux, tokens
}

// recorded is what the test server saw of one request.
type recorded struct {
	Method string
	Path   string // escaped, as sent
	Query  url.Values
	Body   string
	Auth   string
	CType  string
}

// recordAll answers every request under /v2/ with status and reply and
// records it.
func recordAll(mux *http.ServeMux, status int, reply string) *[]recorded {
	var (
		mu   sync.Mutex
		reqs []recorded
	)
	mux.HandleFunc("/v2/", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		reqs = append(reqs, recorded{
			Method: r.Method,
			Path:   r.URL.EscapedPath(),
			Query:  r.URL.Query(),
			Body:   string(b),
			Auth:   r.Header.Get("Authorization"),
			CType:  r.Header.Get("Content-Type"),
		})
		mu.Unlock()
		if reply != "" {
			w.Header().Set("Content-Type", "application/json")
		}
		w.WriteHeader(status)
		_, _ = io.WriteString(w, reply)
	})
	return &reqs
}

// apiCase is one call of a service method and the request it must send.
type apiCase struct {
	name   string
	call   func(ctx context.Context, c *Client) (any, *Response, error)
	method string
	path   string     // escaped path under the base URL, without "/v2"
	query  url.Values // nil: no query string
	body   string     // JSON body the client must send; "" for none
	status int        // default 200, or 204 when reply is ""
	reply  string
	want   any // decoded result; nil for calls without one
}

func runAPICases(t *testing.T, cases []apiCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mux, _ := setup(t)
			status := tc.status
			if status == 0 {
				status = http.StatusOK
				if tc.reply == "" {
					status = http.StatusNoContent
				}
			}
			reqs := recordAll(mux, status, tc.reply)
			got, resp, err := tc.call(context.Background(), c)
			if err != nil {
				t.Fatalf("call: %v", err)
			}
			if resp == nil || resp.StatusCode != status {
				t.Fatalf("response = %+v, want status %d", resp, status)
			}
			if len(*reqs) != 1 {
				t.Fatalf("got %d requests, want 1", len(*reqs))
			}
			r := (*reqs)[0]
			if r.Method != tc.method {
				t.Errorf("method = %s, want %s", r.Method, tc.method)
			}
			if want := "/v2" + tc.path; r.Path != want {
				t.Errorf("path = %s, want %s", r.Path, want)
			}
			if len(r.Query) == 0 {
				r.Query = nil
			}
			if diff := cmp.Diff(tc.query, r.Query); diff != "" {
				t.Errorf("query (-want +got):\n%s", diff)
			}
			if r.Auth != "Bearer tok1" {
				t.Errorf("Authorization = %q", r.Auth)
			}
			assertJSONBody(t, r, tc.body)
			if tc.want != nil {
				if diff := cmp.Diff(tc.want, got); diff != "" {
					t.Errorf("result (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func assertJSONBody(t *testing.T, r recorded, want string) {
	t.Helper()
	if want == "" {
		if r.Body != "" {
			t.Errorf("body = %s, want none", r.Body)
		}
		return
	}
	if r.CType != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", r.CType)
	}
	var g, w any
	if err := json.Unmarshal([]byte(r.Body), &g); err != nil {
		t.Fatalf("body %q: %v", r.Body, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("want body %q: %v", want, err)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("body (-want +got):\n%s", diff)
	}
}

// q builds url.Values from key, value pairs.
func q(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Add(kv[i], kv[i+1])
	}
	return v
}

// tm parses a Zoom date-time for test tables.
func tm(s string) Time {
	v, err := ParseTime(s)
	if err != nil {
		panic(err)
	}
	return v
}

// wrap adapts a method returning (T, *Response, error) to apiCase.call.
func wrap[T any](v T, r *Response, err error) (any, *Response, error) { return v, r, err }

// noResult adapts a method returning (*Response, error) to apiCase.call.
func noResult(r *Response, err error) (any, *Response, error) { return nil, r, err }
