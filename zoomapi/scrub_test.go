package zoomapi

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/auth"
)

// TestErrorsScrubSecrets: an upstream that echoes the request's
// Authorization header and the client secret in its error answers does
// not get them into any error the client returns.
func TestErrorsScrubSecrets(t *testing.T) {
	const (
		secret   = "s3cr3t-Client-Value-0042"
		jwtToken = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl"
		plainTok = "plain-access-token-7f3a"
	)
	basic := base64.StdEncoding.EncodeToString([]byte("cid:" + secret))
	// echo is an answer quoting the request; the secret sits where a
	// 120-character snippet of the body would cut it in two.
	echo := func(r *http.Request) string {
		return strings.Repeat("x", 110) + " " + secret + " auth=" + r.Header.Get("Authorization") + " access_token=" + plainTok
	}
	tests := []struct {
		name  string
		token string // what the OAuth endpoint issues
		oauth func(w http.ResponseWriter, r *http.Request)
		api   func(w http.ResponseWriter, r *http.Request)
	}{
		{
			name: "Zoom's message and fields", token: jwtToken,
			api: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusBadRequest)
				_ = json.NewEncoder(w).Encode(map[string]any{"code": 300, "message": echo(r),
					"errors": []map[string]string{{"field": r.Header.Get("Authorization"), "message": secret}}})
			},
		},
		{
			name: "HTML error page", token: plainTok,
			api: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusBadGateway)
				fmt.Fprintf(w, "<html>%s</html>", echo(r))
			},
		},
		{
			name: "undecodable 2xx body", token: plainTok,
			api: func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprintf(w, "{%q:", echo(r))
			},
		},
		{
			name: "refused token", token: jwtToken,
			api: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusUnauthorized)
				_ = json.NewEncoder(w).Encode(map[string]any{"code": 124, "message": "Invalid access token: " + echo(r)})
			},
		},
		{
			name: "OAuth error reason",
			oauth: func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(http.StatusBadRequest)
				_ = json.NewEncoder(w).Encode(map[string]any{"error": "invalid_request", "reason": echo(r)})
			},
		},
		{
			name: "OAuth HTML page",
			oauth: func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(http.StatusServiceUnavailable)
				fmt.Fprintf(w, "<html>%s</html>", echo(r))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			mux := http.NewServeMux()
			mux.HandleFunc("POST /oauth/token", func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.Header().Set("Content-Type", "application/json")
				if tt.oauth != nil {
					tt.oauth(w, r)
					return
				}
				_ = json.NewEncoder(w).Encode(map[string]any{"access_token": tt.token, "token_type": "bearer", "expires_in": 3600})
			})
			mux.HandleFunc("/v2/", func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				tt.api(w, r)
			})
			srv := httptest.NewServer(mux)
			t.Cleanup(srv.Close)
			c, _, err := NewS2SClient(Config{
				APIBaseURL: srv.URL + "/v2", OAuthBaseURL: srv.URL,
				AccountID: "acct", ClientID: "cid", ClientSecret: secret,
			}, srv.Client(), WithoutPacing(), WithReadRetry(2, time.Millisecond, time.Millisecond))
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = c.Users.Get(t.Context(), "me", nil)
			if err == nil {
				t.Fatal("call succeeded")
			}
			// What the error stores, not only what it prints.
			msg := err.Error()
			var (
				er *ErrorResponse
				de *DecodeError
				te *auth.TokenError
			)
			if errors.As(err, &er) {
				msg += "|" + er.Message
				for _, f := range er.Fields {
					msg += "|" + f.Field + "|" + f.Message
				}
			}
			if errors.As(err, &de) {
				msg += "|" + de.Reason
			}
			if errors.As(err, &te) {
				msg += "|" + te.Code + "|" + te.Reason
			}
			for _, leak := range []string{secret, secret[:12], basic, basic[:16], jwtToken[:20], plainTok} {
				if strings.Contains(msg, leak) {
					t.Errorf("error contains %q: %s", leak, msg)
				}
			}
			// A snippet of a body may end inside "[redacted]".
			if !strings.Contains(msg, "[re") {
				t.Errorf("error shows no redaction (did the echo arrive?): %s", msg)
			}
		})
	}
}
