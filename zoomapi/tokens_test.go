package zoomapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// expiringZoom is a Zoom whose access tokens each serve perToken requests
// and are refused with code 124 after that, behind its own OAuth endpoint.
type expiringZoom struct {
	perToken int

	mu      sync.Mutex
	fetches int
	used    map[string]int // requests served per token issued
}

func (z *expiringZoom) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	w.Header().Set("Content-Type", "application/json")
	z.mu.Lock()
	defer z.mu.Unlock()
	if r.URL.Path == "/oauth/token" {
		z.fetches++
		tok := fmt.Sprintf("tok-%d", z.fetches)
		z.used[tok] = 0
		_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tok, "token_type": "bearer", "expires_in": 3600})
		return
	}
	tok := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	if n, ok := z.used[tok]; !ok || n >= z.perToken {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = io.WriteString(w, `{"code":124,"message":"Access token is expired."}`)
		return
	}
	z.used[tok]++
	_, _ = io.WriteString(w, `{"id":"u1"}`)
}

// TestTokenExpiryInABurst: when tokens expire every few requests under a
// burst of concurrent calls, every call renews its way to success: each
// refused token is replaced once for all the calls that hold it, and a call
// retries as long as it gets a token other than the one just refused.
func TestTokenExpiryInABurst(t *testing.T) {
	tests := []struct{ calls, perToken int }{
		{calls: 100, perToken: 25},
		{calls: 64, perToken: 16},
		{calls: 50, perToken: 20},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%d calls, %d per token", tt.calls, tt.perToken), func(t *testing.T) {
			z := &expiringZoom{perToken: tt.perToken, used: map[string]int{}}
			srv := httptest.NewServer(z)
			t.Cleanup(srv.Close)
			c, _, err := NewS2SClient(Config{
				APIBaseURL: srv.URL + "/v2", OAuthBaseURL: srv.URL,
				AccountID: "acct", ClientID: "cid", ClientSecret: "csecret",
			}, srv.Client(), WithoutPacing())
			if err != nil {
				t.Fatal(err)
			}
			var (
				wg     sync.WaitGroup
				failed sync.Map
			)
			for i := range tt.calls {
				wg.Go(func() {
					if _, _, err := c.Users.Get(t.Context(), "me", nil); err != nil {
						failed.Store(i, err)
					}
				})
			}
			wg.Wait()
			n := 0
			failed.Range(func(k, v any) bool {
				if n++; n <= 3 {
					t.Errorf("call %v failed: %v", k, v)
				}
				return true
			})
			if n > 0 {
				t.Fatalf("%d of %d calls failed", n, tt.calls)
			}
			// Each token is replaced once, when it is used up.
			z.mu.Lock()
			fetches := z.fetches
			z.mu.Unlock()
			if max := (tt.calls + tt.perToken - 1) / tt.perToken; fetches > max {
				t.Errorf("%d token fetches, want at most %d", fetches, max)
			}
		})
	}
}
