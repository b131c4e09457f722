package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// tokenServer is a minimal Zoom token endpoint.
type tokenServer struct {
	fetches atomic.Int64
	ttl     int // seconds
}

func (ts *tokenServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	id, secret, ok := r.BasicAuth()
	_ = r.ParseForm()
	switch {
	case r.URL.Path != "/oauth/token" || r.Method != http.MethodPost:
		w.WriteHeader(http.StatusNotFound)
	case !ok || id != "cid" || secret != "csecret":
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"reason":"Invalid client_id or client_secret","error":"invalid_client"}`)
	case r.Form.Get("grant_type") != "account_credentials" || r.Form.Get("account_id") != "acct":
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"reason":"Invalid request : Bad account_id","error":"invalid_request"}`)
	default:
		n := ts.fetches.Add(1)
		json.NewEncoder(w).Encode(map[string]any{
			"access_token": fmt.Sprintf("tok-%d", n), "token_type": "bearer",
			"expires_in": ts.ttl, "scope": "meeting:read:meeting user:read:user:admin",
		})
	}
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newSource(t *testing.T, ts *tokenServer, cfg S2SConfig) *S2STokenSource {
	t.Helper()
	srv := httptest.NewServer(ts)
	t.Cleanup(srv.Close)
	cfg.OAuthBaseURL = srv.URL
	s, err := NewS2STokenSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func good() S2SConfig { return S2SConfig{AccountID: "acct", ClientID: "cid", ClientSecret: "csecret"} }

func TestS2STokenCachedAndRenewedBeforeExpiry(t *testing.T) {
	// oauth2 computes expiry from the real clock; the source's own clock only
	// decides when to renew, so move it forward past the refresh point.
	clk := &clock{t: time.Now()}
	ts := &tokenServer{ttl: 3600}
	cfg := good()
	cfg.Now = clk.Now
	s := newSource(t, ts, cfg)
	ctx := context.Background()

	t1, err := s.Token(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t2, _ := s.Token(ctx)
	if t1.AccessToken != t2.AccessToken || ts.fetches.Load() != 1 {
		t.Fatalf("token not cached: %q %q, %d fetches", t1.AccessToken, t2.AccessToken, ts.fetches.Load())
	}
	if got := strings.Join(s.Scopes(), " "); got != "meeting:read:meeting user:read:user:admin" {
		t.Errorf("Scopes() = %q", got)
	}
	clk.Add(54 * time.Minute) // 6 minutes left: still outside the 5-minute margin
	if t3, _ := s.Token(ctx); t3.AccessToken != t1.AccessToken {
		t.Errorf("renewed too early")
	}
	clk.Add(2 * time.Minute) // 4 minutes left: renew
	t4, _ := s.Token(ctx)
	if t4.AccessToken == t1.AccessToken || ts.fetches.Load() != 2 {
		t.Errorf("not renewed before expiry: %q, %d fetches", t4.AccessToken, ts.fetches.Load())
	}
}

func TestS2SShortLivedTokenRenewsAtHalfLife(t *testing.T) {
	clk := &clock{t: time.Now()}
	ts := &tokenServer{ttl: 60}
	cfg := good()
	cfg.Now = clk.Now
	s := newSource(t, ts, cfg)
	ctx := context.Background()
	s.Token(ctx)
	clk.Add(20 * time.Second)
	s.Token(ctx)
	if ts.fetches.Load() != 1 {
		t.Fatalf("fetches = %d, want 1 before half-life", ts.fetches.Load())
	}
	clk.Add(15 * time.Second)
	s.Token(ctx)
	if ts.fetches.Load() != 2 {
		t.Fatalf("fetches = %d, want 2 after half-life", ts.fetches.Load())
	}
}

func TestS2SConcurrentCallersFetchOnce(t *testing.T) {
	ts := &tokenServer{ttl: 3600}
	s := newSource(t, ts, good())
	var wg sync.WaitGroup
	tokens := make([]string, 50)
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := s.Token(context.Background())
			if err != nil {
				t.Error(err)
				return
			}
			tokens[i] = tok.AccessToken
		}()
	}
	wg.Wait()
	if n := ts.fetches.Load(); n != 1 {
		t.Fatalf("%d token fetches for 50 concurrent callers, want 1", n)
	}
	for _, tok := range tokens {
		if tok != tokens[0] {
			t.Fatalf("callers got different tokens: %q vs %q", tok, tokens[0])
		}
	}
}

func TestS2SInvalidateOnlyDropsTheSameToken(t *testing.T) {
	ts := &tokenServer{ttl: 3600}
	s := newSource(t, ts, good())
	ctx := context.Background()
	old, _ := s.Token(ctx)
	s.Invalidate(old)
	fresh, _ := s.Token(ctx)
	if fresh.AccessToken == old.AccessToken {
		t.Fatal("Invalidate did not drop the token")
	}
	s.Invalidate(old) // a stale caller must not throw away the fresh token
	again, _ := s.Token(ctx)
	if again.AccessToken != fresh.AccessToken || s.Fetches() != 2 {
		t.Fatalf("stale Invalidate dropped the fresh token (fetches %d)", s.Fetches())
	}
}

func TestS2SErrors(t *testing.T) {
	tests := []struct {
		name     string
		cfg      S2SConfig
		wantCode string
	}{
		{"wrong secret", S2SConfig{AccountID: "acct", ClientID: "cid", ClientSecret: "nope"}, "invalid_client"},
		{"wrong account", S2SConfig{AccountID: "other", ClientID: "cid", ClientSecret: "csecret"}, "invalid_request"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newSource(t, &tokenServer{ttl: 3600}, tt.cfg)
			_, err := s.Token(context.Background())
			var te *TokenError
			if !errors.As(err, &te) {
				t.Fatalf("err = %v, want *TokenError", err)
			}
			if te.Code != tt.wantCode || te.Reason == "" {
				t.Errorf("TokenError = %+v", te)
			}
			if strings.Contains(err.Error(), tt.cfg.ClientSecret) {
				t.Errorf("error leaks the client secret: %v", err)
			}
			if !strings.Contains(err.Error(), "ZOOM_CLIENT_SECRET") {
				t.Errorf("error does not say what to check: %v", err)
			}
		})
	}
}

func TestS2SConfigValidate(t *testing.T) {
	_, err := NewS2STokenSource(S2SConfig{ClientID: "x"})
	if err == nil || !strings.Contains(err.Error(), "ZOOM_ACCOUNT_ID") || !strings.Contains(err.Error(), "ZOOM_CLIENT_SECRET") || strings.Contains(err.Error(), "ZOOM_CLIENT_ID,") {
		t.Fatalf("err = %v", err)
	}
}

// TestS2SWaitersHonourTheirContext: a caller queued behind a slow token
// fetch gives up when its own context ends.
func TestS2SWaitersHonourTheirContext(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"access_token":"t","token_type":"bearer","expires_in":3600}`)
	}))
	defer slow.Close()
	defer close(release)
	cfg := good()
	cfg.OAuthBaseURL = slow.URL
	s, err := NewS2STokenSource(cfg)
	if err != nil {
		t.Fatal(err)
	}
	go s.Token(context.Background()) // holds the fetch
	for s.Fetches() == 0 {
		time.Sleep(time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := s.Token(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the waiter's deadline", err)
	}
}
