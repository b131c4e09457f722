package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestTokenErrorBadCredentials: only an OAuth answer refusing the
// credentials is BadCredentials, and only then does the message send the
// operator to the ZOOM_ settings; an outage, a rate limit, a broken
// connection or a page that is not an OAuth answer says nothing about them.
func TestTokenErrorBadCredentials(t *testing.T) {
	tests := []struct {
		name   string
		status int
		ctype  string
		body   string
		fault  string // "reset" or "hang" instead of an answer
		want   bool
	}{
		{name: "401 invalid_client", status: 401, body: `{"reason":"Invalid client_id or client_secret","error":"invalid_client"}`, want: true},
		{name: "400 invalid_client", status: 400, body: `{"reason":"Invalid client_id or client_secret","error":"invalid_client"}`, want: true},
		{name: "400 unauthorized_client", status: 400, body: `{"error":"unauthorized_client"}`, want: true},
		{name: "400 invalid_grant", status: 400, body: `{"error":"invalid_grant","reason":"Invalid Token!"}`, want: true},
		{name: "400 invalid_request: bad account ID", status: 400, body: `{"reason":"Invalid request : Bad account_id","error":"invalid_request"}`, want: true},
		{name: "400 invalid_request: invalid account ID", status: 400, body: `{"reason":"Invalid account ID","error":"invalid_request"}`, want: true},
		{name: "403 OAuth error", status: 403, body: `{"error":"access_denied","reason":"App is deactivated"}`, want: true},
		{name: "400 invalid_request: malformed body", status: 400, body: `{"reason":"Invalid request : Request body is malformed.","error":"invalid_request"}`, want: false},
		{name: "400 unsupported grant type", status: 400, body: `{"reason":"Unsupported grant type","error":"unsupported_grant_type"}`, want: false},
		{name: "500 server_error", status: 500, body: `{"error":"server_error","reason":"Internal error"}`, want: false},
		{name: "503 invalid_client", status: 503, body: `{"error":"invalid_client"}`, want: false},
		{name: "503 HTML page", status: 503, ctype: "text/html", body: `<html><h1>503 Service Unavailable</h1></html>`, want: false},
		{name: "429 rate limit", status: 429, body: `{"error":"invalid_request","reason":"Too many requests for this account"}`, want: false},
		{name: "401 HTML page", status: 401, ctype: "text/html", body: `<html>Unauthorized</html>`, want: false},
		{name: "400 garbage", status: 400, ctype: "text/plain", body: `%%% not an answer`, want: false},
		{name: "400 empty", status: 400, ctype: "text/plain", want: false},
		{name: "200 garbage", status: 200, ctype: "text/plain", body: `surprise`, want: false},
		{name: "connection reset", fault: "reset", want: false},
		{name: "timeout", fault: "hang", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			done := make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				switch tt.fault {
				case "reset":
					conn, _, _ := w.(http.Hijacker).Hijack()
					_ = conn.(*net.TCPConn).SetLinger(0)
					_ = conn.Close()
					return
				case "hang":
					select {
					case <-r.Context().Done():
					case <-done:
					}
					return
				}
				ct := tt.ctype
				if ct == "" {
					ct = "application/json"
				}
				w.Header().Set("Content-Type", ct)
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			t.Cleanup(srv.Close)
			t.Cleanup(func() { close(done) })
			cfg := good()
			cfg.OAuthBaseURL, cfg.FetchTimeout = srv.URL, 200*time.Millisecond
			s, err := NewS2STokenSource(cfg)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.Token(t.Context())
			var te *TokenError
			if !errors.As(err, &te) {
				t.Fatalf("err = %T %v, want *TokenError", err, err)
			}
			if got := te.BadCredentials(); got != tt.want {
				t.Errorf("BadCredentials() = %v, want %v (%v)", got, tt.want, err)
			}
			if got := strings.Contains(err.Error(), "ZOOM_"); got != tt.want {
				t.Errorf("message names the ZOOM_ settings: %v, want %v: %s", got, tt.want, err)
			}
		})
	}
}

// TestS2SFailedFetchIsShared: callers waiting for one token request all
// get its failure at once, instead of each starting its own request after
// the previous one failed; the request has its own deadline, and each
// caller still stops at its own.
func TestS2SFailedFetchIsShared(t *testing.T) {
	tests := []struct {
		name       string
		hang       bool          // the endpoint never answers; else 503
		clientTO   time.Duration // the HTTP client's timeout; 0: none
		fetchTO    time.Duration // S2SConfig.FetchTimeout; 0: the default
		callerTO   time.Duration // each caller's deadline; 0: none
		within     time.Duration // all callers have returned by then
		wantCaller bool          // callers see their own deadline, not a TokenError
	}{
		{name: "hung endpoint, callers with a 300 ms deadline", hang: true, callerTO: 300 * time.Millisecond, within: time.Second, wantCaller: true},
		{name: "hung endpoint, fetch bounded by the client timeout", hang: true, clientTO: 200 * time.Millisecond, within: 600 * time.Millisecond},
		{name: "hung endpoint, fetch bounded by FetchTimeout", hang: true, fetchTO: 200 * time.Millisecond, within: 600 * time.Millisecond},
		{name: "failing endpoint (503)", within: time.Second},
	}
	const callers = 4
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var requests atomic.Int32
			release, done := make(chan struct{}), make(chan struct{})
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				if tt.hang {
					select {
					case <-r.Context().Done():
					case <-done:
					}
					return
				}
				<-release // until every caller waits for this request
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusServiceUnavailable)
				fmt.Fprint(w, `{"error":"temporarily_unavailable"}`)
			}))
			t.Cleanup(srv.Close)
			t.Cleanup(func() { close(done) })
			cfg := good()
			cfg.OAuthBaseURL = srv.URL
			cfg.HTTPClient = &http.Client{Timeout: tt.clientTO}
			cfg.FetchTimeout = tt.fetchTO
			s, err := NewS2STokenSource(cfg)
			if err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			errs := make([]error, callers)
			took := make([]time.Duration, callers)
			var wg sync.WaitGroup
			for i := range callers {
				wg.Go(func() {
					// Without a deadline of their own, callers still give
					// up after 3 s, so that a fetch without one fails the
					// test instead of hanging it.
					timeout := 3 * time.Second
					if tt.callerTO > 0 {
						timeout = tt.callerTO
					}
					ctx, cancel := context.WithTimeout(t.Context(), timeout)
					defer cancel()
					_, errs[i] = s.Token(ctx)
					took[i] = time.Since(start)
				})
			}
			if !tt.hang {
				for waiting := 0; waiting < callers; {
					time.Sleep(time.Millisecond)
					s.mu.Lock()
					waiting = s.waiting
					s.mu.Unlock()
				}
				close(release)
			}
			wg.Wait()
			for i, err := range errs {
				var te *TokenError
				switch {
				case tt.wantCaller && !errors.Is(err, context.DeadlineExceeded):
					t.Errorf("caller %d: err = %v, want its own deadline", i, err)
				case !tt.wantCaller && !errors.As(err, &te):
					t.Errorf("caller %d: err = %T %v, want *TokenError", i, err, err)
				case te != nil && te.BadCredentials():
					t.Errorf("caller %d: a failing endpoint reported as bad credentials: %v", i, err)
				}
				if took[i] > tt.within {
					t.Errorf("caller %d returned after %v, want within %v", i, took[i], tt.within)
				}
			}
			if n := requests.Load(); n != 1 {
				t.Errorf("%d token requests for %d waiting callers, want 1", n, callers)
			}
		})
	}
}

// TestS2SFetchDeadline: the token request has a deadline of its own, the
// shorter of the HTTP client's timeout and DefaultFetchTimeout, unless set.
func TestS2SFetchDeadline(t *testing.T) {
	tests := []struct {
		cfg  S2SConfig
		want time.Duration
	}{
		{S2SConfig{}, DefaultFetchTimeout},
		{S2SConfig{HTTPClient: &http.Client{}}, DefaultFetchTimeout},
		{S2SConfig{HTTPClient: &http.Client{Timeout: 10 * time.Second}}, 10 * time.Second},
		{S2SConfig{HTTPClient: &http.Client{Timeout: time.Minute}}, DefaultFetchTimeout},
		{S2SConfig{HTTPClient: &http.Client{Timeout: time.Minute}, FetchTimeout: 5 * time.Second}, 5 * time.Second},
	}
	for _, tt := range tests {
		if got := tt.cfg.fetchTimeout(); got != tt.want {
			t.Errorf("fetchTimeout() = %v, want %v (%+v)", got, tt.want, tt.cfg)
		}
	}
}

// TestS2SRenewalFailureKeepsValidToken: when renewing a token ahead of its
// expiry fails, callers keep using the token, which Zoom still accepts.
func TestS2SRenewalFailureKeepsValidToken(t *testing.T) {
	var fail atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if fail.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, `{"access_token":"t1","token_type":"bearer","expires_in":3600}`)
	}))
	t.Cleanup(srv.Close)
	clk := &clock{t: time.Now()}
	cfg := good()
	cfg.OAuthBaseURL, cfg.Now = srv.URL, clk.Now
	s, err := NewS2STokenSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Token(t.Context()); err != nil {
		t.Fatal(err)
	}
	fail.Store(true)
	clk.Add(56 * time.Minute) // inside the refresh margin, not expired
	if tok, err := s.Token(t.Context()); err != nil || tok.AccessToken != "t1" {
		t.Fatalf("Token() = %v, %v; want the still valid t1", tok, err)
	}
	clk.Add(5 * time.Minute) // expired
	if _, err := s.Token(t.Context()); err == nil {
		t.Fatal("Token() returned an expired token")
	}
}
