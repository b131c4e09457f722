package zoomfake

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestToken(t *testing.T) {
	e := newEnv(t, Options{})
	ok := "grant_type=account_credentials&account_id=" + DefaultAccountID
	tests := []struct {
		name, id, secret, query, form string
		status                        int
		errCode                       string
	}{
		{"query", DefaultClientID, DefaultClientSecret, ok, "", 200, ""},
		{"form body", DefaultClientID, DefaultClientSecret, "", ok, 200, ""},
		{"no credentials", "", "", ok, "", 401, "invalid_client"},
		{"wrong secret", DefaultClientID, "nope", ok, "", 400, "invalid_client"},
		{"wrong account", DefaultClientID, DefaultClientSecret, "grant_type=account_credentials&account_id=x", "", 400, "invalid_request"},
		{"wrong grant", DefaultClientID, DefaultClientSecret, "grant_type=client_credentials&account_id=" + DefaultAccountID, "", 400, "unsupported_grant_type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.tokenRequest(tt.id, tt.secret, tt.query, tt.form)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			var m map[string]any
			if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
				t.Fatal(err)
			}
			if tt.errCode != "" {
				if m["error"] != tt.errCode || m["reason"] == "" {
					t.Fatalf("body %v, want error %s", m, tt.errCode)
				}
				return
			}
			if m["token_type"] != "bearer" || num(m["expires_in"]) != 3599 || m["access_token"] == "" ||
				!strings.Contains(m["scope"].(string), "meeting:read:meeting") || m["api_url"] != "http://example.com" {
				t.Fatalf("token body %v", m)
			}
		})
	}
	if got := e.s.TokenRequests(); got != int64(len(tests)+1) {
		t.Errorf("TokenRequests = %d, want %d", got, len(tests)+1)
	}
}

func TestBearerToken(t *testing.T) {
	e := newEnv(t, Options{TokenTTL: time.Hour})
	old := e.token
	e.token = e.fetchToken()
	// A new token leaves the old one valid.
	e.wantOK(e.doToken(old, "GET", "/users/me", nil))
	e.wantError(e.doToken("", "GET", "/users/me", nil), 401, 124, "Invalid access token.")
	e.wantError(e.doToken("garbage", "GET", "/users/me", nil), 401, 124, "Invalid access token.")
	e.clock.Advance(time.Hour)
	e.wantError(e.do("GET", "/users/me", nil), 401, 124, "Access token is expired.")
	e.token = e.fetchToken()
	e.wantOK(e.do("GET", "/users/me", nil))
	e.s.ExpireTokens()
	e.wantError(e.do("GET", "/users/me", nil), 401, 124, "Access token is expired.")

	inv := newEnv(t, Options{InvalidatePrevious: true})
	first := inv.token
	inv.token = inv.fetchToken()
	inv.wantError(inv.doToken(first, "GET", "/users/me", nil), 401, 124, "Access token is expired.")
	inv.wantOK(inv.do("GET", "/users/me", nil))
}

func (e *env) wantOK(rec interface{ Result() *http.Response }) {
	e.t.Helper()
	if res := rec.Result(); res.StatusCode != http.StatusOK {
		e.t.Fatalf("status %d", res.StatusCode)
	}
}

func TestScopes(t *testing.T) {
	e := newEnv(t, Options{Scopes: []string{"meeting:read:meeting"}})
	e.call("GET", "/meetings/"+itoa(SeedRegistrationMeetingID), nil, 200)
	e.wantError(e.do("GET", "/users", nil), 400, 4711, "Invalid access token, does not contain scopes:[user:read:list_users:admin].")
	e.wantError(e.do("GET", "/users/me/meetings", nil), 400, 4711,
		"Invalid access token, does not contain scopes:[meeting:read:list_meetings, meeting:read:list_meetings:admin].")
	// A token keeps the scopes it was issued with; SetScopes expires it,
	// and the next token carries the new grant. Classic scopes count.
	e.s.SetScopes([]string{"user:read:admin"})
	e.wantError(e.do("GET", "/users", nil), 401, 124, "Access token is expired.")
	e.token = e.fetchToken()
	e.call("GET", "/users", nil, 200)
	e.wantError(e.do("GET", "/meetings/"+itoa(SeedRegistrationMeetingID), nil), 400, 4711, "Invalid access token")
	// Every endpoint denies a token without its scopes and lists them.
	e.s.SetScopes(nil)
	e.token = e.fetchToken()
	for _, ep := range operations() {
		path := strings.NewReplacer("{userId}", "me", "{meetingId}", "1", "{webinarId}", "1").Replace(ep.Path)
		want := "Invalid access token, does not contain scopes:[" + strings.Join(ep.GranularScopes, ", ") + "]."
		e.wantError(e.do(ep.Method, path, "{}"), 400, 4711, want)
	}
}

func TestUnknownRoute(t *testing.T) {
	e := newEnv(t, Options{})
	e.wantError(e.do("GET", "/nope", nil), 404, 404, "Not Found")
	e.wantError(e.do("POST", "/meetings/1/status", nil), 404, 404, "Not Found")
}
