package zoomfake

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"
)

const (
	testRedirect = "http://127.0.0.1:8765/callback"
	testVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-0123456789"
)

// s256 is RFC 7636's S256 transformation, computed here independently of
// the simulator.
func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// authorizeParams are a valid authorization request's parameters.
func authorizeParams() url.Values {
	return url.Values{
		"response_type":         {"code"},
		"client_id":             {DefaultUserClientID},
		"redirect_uri":          {testRedirect},
		"state":                 {"st&=/+ ü"},
		"code_challenge":        {s256(testVerifier)},
		"code_challenge_method": {"S256"},
	}
}

func (e *env) authorizeRequest(params url.Values) *httptest.ResponseRecorder {
	e.t.Helper()
	rec := httptest.NewRecorder()
	e.s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/oauth/authorize?"+params.Encode(), nil))
	return rec
}

// redirected checks a 302 to testRedirect and returns its query.
func (e *env) redirected(rec *httptest.ResponseRecorder) url.Values {
	e.t.Helper()
	if rec.Code != http.StatusFound {
		e.t.Fatalf("authorize: status %d, want 302: %s", rec.Code, rec.Body)
	}
	loc, err := url.Parse(rec.Header().Get("Location"))
	if err != nil {
		e.t.Fatal(err)
	}
	if got := loc.Scheme + "://" + loc.Host + loc.Path; got != testRedirect {
		e.t.Fatalf("redirected to %s, want %s", got, testRedirect)
	}
	return loc.Query()
}

// code runs GET /oauth/authorize for user ("" for the default) and returns
// the code.
func (e *env) code(user string) string {
	e.t.Helper()
	p := authorizeParams()
	if user != "" {
		p.Set("user", user)
	}
	q := e.redirected(e.authorizeRequest(p))
	if q.Get("code") == "" || q.Get("state") != p.Get("state") {
		e.t.Fatalf("authorize redirect %v", q)
	}
	return q.Get("code")
}

func userForm(kv ...string) string {
	v := url.Values{}
	for i := 0; i < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v.Encode()
}

func codeForm(code string) string {
	return userForm("grant_type", "authorization_code", "code", code, "redirect_uri", testRedirect, "code_verifier", testVerifier)
}

// decode decodes a JSON body.
func decode(t testing.TB, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("body %q: %v", rec.Body, err)
	}
	return m
}

// login runs the whole code flow for user and returns the token answer.
func (e *env) login(user string) map[string]any {
	e.t.Helper()
	rec := e.tokenRequest(DefaultUserClientID, DefaultUserClientSecret, "", codeForm(e.code(user)))
	if rec.Code != http.StatusOK {
		e.t.Fatalf("code grant: %d %s", rec.Code, rec.Body)
	}
	return decode(e.t, rec)
}

func (e *env) refresh(rt string) *httptest.ResponseRecorder {
	return e.tokenRequest(DefaultUserClientID, DefaultUserClientSecret, "", userForm("grant_type", "refresh_token", "refresh_token", rt))
}

func wantOAuthError(t testing.TB, rec *httptest.ResponseRecorder, status int, errCode, reason string) {
	t.Helper()
	m := decode(t, rec)
	if rec.Code != status || m["error"] != errCode || (reason != "" && m["reason"] != reason) {
		t.Fatalf("got %d %v, want %d %s %q", rec.Code, m, status, errCode, reason)
	}
}

func TestCodeGrant(t *testing.T) {
	tests := []struct {
		name   string
		id     string // client credentials; "" = the user app's
		secret string
		form   func(e *env, code string) string
		before func(e *env, code string) // runs between authorize and token
		status int
		err    string
		reason string
	}{
		{name: "ok", form: func(_ *env, c string) string { return codeForm(c) }, status: 200},
		{name: "wrong verifier", status: 400, err: "invalid_grant", form: func(_ *env, c string) string {
			return userForm("grant_type", "authorization_code", "code", c, "redirect_uri", testRedirect, "code_verifier", strings.Repeat("a", 50))
		}},
		{name: "challenge as verifier", status: 400, err: "invalid_grant", form: func(_ *env, c string) string {
			return userForm("grant_type", "authorization_code", "code", c, "redirect_uri", testRedirect, "code_verifier", s256(testVerifier))
		}},
		{name: "missing verifier", status: 400, err: "invalid_grant", form: func(_ *env, c string) string {
			return userForm("grant_type", "authorization_code", "code", c, "redirect_uri", testRedirect)
		}},
		{name: "reused code", status: 400, err: "invalid_grant", reason: "Invalid authorization code",
			form: func(_ *env, c string) string { return codeForm(c) },
			before: func(e *env, c string) {
				if rec := e.tokenRequest(DefaultUserClientID, DefaultUserClientSecret, "", codeForm(c)); rec.Code != 200 {
					e.t.Fatalf("first use: %d %s", rec.Code, rec.Body)
				}
			}},
		{name: "expired code", status: 400, err: "invalid_grant", reason: "Invalid authorization code",
			form:   func(_ *env, c string) string { return codeForm(c) },
			before: func(e *env, _ string) { e.clock.Advance(10 * time.Minute) }},
		{name: "code just in time", status: 200,
			form:   func(_ *env, c string) string { return codeForm(c) },
			before: func(e *env, _ string) { e.clock.Advance(10*time.Minute - time.Second) }},
		{name: "unknown code", status: 400, err: "invalid_grant",
			form: func(_ *env, c string) string { return codeForm(c + "x") }},
		{name: "redirect mismatch", status: 400, err: "invalid_request", reason: "Redirect URI mismatch.", form: func(_ *env, c string) string {
			return userForm("grant_type", "authorization_code", "code", c, "redirect_uri", "http://127.0.0.1:8766/callback", "code_verifier", testVerifier)
		}},
		{name: "wrong secret", id: DefaultUserClientID, secret: "nope", status: 400, err: "invalid_client",
			form: func(_ *env, c string) string { return codeForm(c) }},
		{name: "s2s credentials", id: DefaultClientID, secret: DefaultClientSecret, status: 400, err: "unsupported_grant_type",
			form: func(_ *env, c string) string { return codeForm(c) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t, Options{})
			code := e.code("")
			if tt.before != nil {
				tt.before(e, code)
			}
			id, secret := DefaultUserClientID, DefaultUserClientSecret
			if tt.id != "" {
				id, secret = tt.id, tt.secret
			}
			rec := e.tokenRequest(id, secret, "", tt.form(e, code))
			if tt.status != 200 {
				wantOAuthError(t, rec, tt.status, tt.err, tt.reason)
				return
			}
			m := decode(t, rec)
			if rec.Code != 200 || m["token_type"] != "bearer" || num(m["expires_in"]) != 3599 ||
				m["access_token"] == "" || m["refresh_token"] == "" || m["access_token"] == m["refresh_token"] {
				t.Fatalf("token answer %d %v", rec.Code, m)
			}
			scope := m["scope"].(string)
			if !strings.Contains(" "+scope+" ", " meeting:read:meeting ") || !strings.Contains(" "+scope+" ", " meeting:read ") ||
				strings.Contains(scope, ":admin") || strings.Contains(scope, ":master") {
				t.Fatalf("scope %q", scope)
			}
			e.token = m["access_token"].(string)
			if u := e.call("GET", "/users/me", nil, 200); u["id"] != SeedOwnerID {
				t.Fatalf("me = %v, want the owner", u["id"])
			}
		})
	}
}

func TestUserAppIsNotS2S(t *testing.T) {
	e := newEnv(t, Options{})
	rec := e.tokenRequest(DefaultUserClientID, DefaultUserClientSecret, "grant_type=account_credentials&account_id="+DefaultAccountID, "")
	wantOAuthError(t, rec, 400, "unsupported_grant_type", "")
	rec = e.tokenRequest(DefaultClientID, DefaultClientSecret, "", userForm("grant_type", "refresh_token", "refresh_token", "x"))
	wantOAuthError(t, rec, 400, "unsupported_grant_type", "")
}

func TestAuthorize(t *testing.T) {
	e := newEnv(t, Options{RedirectURIs: []string{"https://app.example.com/cb"}})
	tests := []struct {
		name   string
		change func(url.Values)
		page   bool   // 400 page, no redirect
		err    string // error of the redirect; "" = a code
	}{
		{"ok", func(url.Values) {}, false, ""},
		{"localhost", func(p url.Values) { p.Set("redirect_uri", "http://localhost:9/cb?x=1") }, false, ""},
		{"listed uri", func(p url.Values) { p.Set("redirect_uri", "https://app.example.com/cb") }, false, ""},
		{"user by id", func(p url.Values) { p.Set("user", SeedBasicID) }, false, ""},
		{"wrong client", func(p url.Values) { p.Set("client_id", DefaultClientID) }, true, ""},
		{"no client", func(p url.Values) { p.Del("client_id") }, true, ""},
		{"foreign redirect", func(p url.Values) { p.Set("redirect_uri", "https://evil.example.com/cb") }, true, ""},
		{"loopback https", func(p url.Values) { p.Set("redirect_uri", "https://127.0.0.1:8765/cb") }, true, ""},
		{"loopback no port", func(p url.Values) { p.Set("redirect_uri", "http://127.0.0.1/cb") }, true, ""},
		{"no redirect", func(p url.Values) { p.Del("redirect_uri") }, true, ""},
		{"unknown user", func(p url.Values) { p.Set("user", "nobody@example.com") }, true, ""},
		{"inactive user", func(p url.Values) { p.Set("user", SeedInactiveEmail) }, true, ""},
		{"token response", func(p url.Values) { p.Set("response_type", "token") }, false, "unsupported_response_type"},
		{"no challenge", func(p url.Values) { p.Del("code_challenge"); p.Del("code_challenge_method") }, false, "invalid_request"},
		{"plain", func(p url.Values) {
			p.Set("code_challenge", testVerifier)
			p.Set("code_challenge_method", "plain")
		}, false, "invalid_request"},
		{"method missing", func(p url.Values) { p.Del("code_challenge_method") }, false, "invalid_request"},
		{"bad challenge", func(p url.Values) { p.Set("code_challenge", "short") }, false, "invalid_request"},
		{"deny", func(p url.Values) { p.Set("deny", "1") }, false, "access_denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &env{t: t, s: e.s, clock: e.clock}
			p := authorizeParams()
			tt.change(p)
			rec := e.authorizeRequest(p)
			if tt.page {
				if rec.Code != 400 || rec.Header().Get("Location") != "" || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
					t.Fatalf("status %d, Location %q: %s", rec.Code, rec.Header().Get("Location"), rec.Body)
				}
				return
			}
			if rec.Code != http.StatusFound {
				t.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
			loc, _ := url.Parse(rec.Header().Get("Location"))
			base := *loc
			base.RawQuery = ""
			want, _ := url.Parse(p.Get("redirect_uri"))
			want.RawQuery = ""
			q := loc.Query()
			if base.String() != want.String() || q.Get("state") != p.Get("state") || q.Get("error") != tt.err || (tt.err == "") == (q.Get("code") == "") {
				t.Fatalf("redirected to %s", loc)
			}
			if tt.name == "localhost" && q.Get("x") != "1" {
				t.Fatalf("the redirect URI's own query was lost: %s", loc)
			}
		})
	}
	// No state, no state back.
	p := authorizeParams()
	p.Del("state")
	if q := e.redirected(e.authorizeRequest(p)); q.Has("state") {
		t.Fatalf("state without one asked: %v", q)
	}
	if got := e.s.RequestsFor("oauth.authorize"); got != int64(len(tests)+1) {
		t.Errorf("oauth.authorize count %d, want %d", got, len(tests)+1)
	}
}

func TestRefreshRotation(t *testing.T) {
	e := newEnv(t, Options{})
	first := e.login(SeedMemberEmail)
	rt1 := first["refresh_token"].(string)

	rec := e.refresh(rt1)
	if rec.Code != 200 {
		t.Fatalf("refresh: %d %s", rec.Code, rec.Body)
	}
	second := decode(t, rec)
	rt2 := second["refresh_token"].(string)
	if rt2 == rt1 || second["access_token"] == first["access_token"] || second["scope"] != first["scope"] {
		t.Fatalf("refresh answer %v", second)
	}
	// The used refresh token is refused from now on, the new one works.
	wantOAuthError(t, e.refresh(rt1), 400, "invalid_grant", "Invalid Token!")
	wantOAuthError(t, e.refresh(""), 400, "invalid_grant", "Invalid Token!")
	// Both access tokens work, for the same user.
	for _, tok := range []any{first["access_token"], second["access_token"]} {
		e.token = tok.(string)
		if u := e.call("GET", "/users/me", nil, 200); u["id"] != SeedMemberID {
			t.Fatalf("me = %v", u["id"])
		}
	}
	// Until they expire.
	e.clock.Advance(time.Hour)
	e.wantError(e.do("GET", "/users/me", nil), 401, 124, "Access token is expired.")

	// Concurrent refreshes of one token: exactly one wins.
	rt := rt2
	for round := 0; round < 5; round++ {
		var wg sync.WaitGroup
		codes := make(chan int, 8)
		winners := make(chan string, 8)
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				rec := e.refresh(rt)
				codes <- rec.Code
				if rec.Code == 200 {
					winners <- decode(t, rec)["refresh_token"].(string)
				}
			}()
		}
		wg.Wait()
		close(codes)
		close(winners)
		ok := 0
		for c := range codes {
			if c == 200 {
				ok++
			} else if c != 400 {
				t.Fatalf("status %d", c)
			}
		}
		if ok != 1 {
			t.Fatalf("round %d: %d refreshes won, want 1", round, ok)
		}
		rt = <-winners
	}
	if rec := e.refresh(rt); rec.Code != 200 {
		t.Fatalf("last winner's token: %d %s", rec.Code, rec.Body)
	}
}

func TestRevoke(t *testing.T) {
	revoke := func(e *env, id, secret, query, form string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodPost, "/oauth/revoke?"+query, strings.NewReader(form))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if id != "" {
			r.SetBasicAuth(id, secret)
		}
		rec := httptest.NewRecorder()
		e.s.ServeHTTP(rec, r)
		return rec
	}
	for _, by := range []string{"access form", "access query", "refresh form"} {
		t.Run(by, func(t *testing.T) {
			e := newEnv(t, Options{})
			s2s := e.token
			tok := e.login(SeedBasicEmail)
			older := tok["access_token"].(string)
			rec := e.refresh(tok["refresh_token"].(string))
			tok = decode(t, rec)
			access, refresh := tok["access_token"].(string), tok["refresh_token"].(string)
			var rec2 *httptest.ResponseRecorder
			switch by {
			case "access form":
				rec2 = revoke(e, DefaultUserClientID, DefaultUserClientSecret, "", "token="+url.QueryEscape(access))
			case "access query":
				rec2 = revoke(e, DefaultUserClientID, DefaultUserClientSecret, "token="+url.QueryEscape(access), "")
			case "refresh form":
				rec2 = revoke(e, DefaultUserClientID, DefaultUserClientSecret, "", "token="+url.QueryEscape(refresh))
			}
			if m := decode(t, rec2); rec2.Code != 200 || m["status"] != "success" {
				t.Fatalf("revoke: %d %v", rec2.Code, m)
			}
			for _, a := range []string{access, older} {
				e.wantError(e.doToken(a, "GET", "/users/me", nil), 401, 124, "Invalid access token.")
			}
			wantOAuthError(t, e.refresh(refresh), 400, "invalid_grant", "Invalid Token!")
			e.wantOK(e.doToken(s2s, "GET", "/users/me", nil)) // other grants live on
			// Revoking again, or a token never issued: success.
			if rec := revoke(e, DefaultUserClientID, DefaultUserClientSecret, "", "token="+url.QueryEscape(refresh)); rec.Code != 200 {
				t.Fatalf("second revoke: %d %s", rec.Code, rec.Body)
			}
		})
	}
	e := newEnv(t, Options{})
	wantOAuthError(t, revoke(e, DefaultUserClientID, DefaultUserClientSecret, "", ""), 400, "invalid_request", "Token cannot be empty.")
	wantOAuthError(t, revoke(e, "", "", "", "token=x"), 401, "invalid_client", "")
	wantOAuthError(t, revoke(e, DefaultClientID, DefaultClientSecret, "", "token=x"), 400, "invalid_client", "")
	if rec := revoke(e, DefaultUserClientID, DefaultUserClientSecret, "", "token=unknown"); rec.Code != 200 {
		t.Fatalf("unknown token: %d %s", rec.Code, rec.Body)
	}
	if got := e.s.RequestsFor("oauth.revoke"); got != 4 {
		t.Errorf("oauth.revoke count %d, want 4", got)
	}
}

func TestUserLevelToken(t *testing.T) {
	e := newEnv(t, Options{})
	s2s := e.token
	carla := e.login(SeedUserEmails()[0])["access_token"].(string)
	dan := e.login(SeedUserEmails()[1])["access_token"].(string)
	created := e.doToken(carla, "POST", "/users/me/meetings", map[string]any{"topic": "Carla's own"})
	if created.Code != 201 {
		t.Fatalf("create: %d %s", created.Code, created.Body)
	}
	own := itoa(num(decode(t, created)["id"]))

	tests := []struct {
		name, token, method, path string
		status, code              int
	}{
		{"me is the user", carla, "GET", "/users/me", 200, 0},
		{"own id", carla, "GET", "/users/" + SeedMemberID, 200, 0},
		{"own email", carla, "GET", "/users/" + SeedMemberEmail, 200, 0},
		{"other user by id", carla, "GET", "/users/" + SeedOwnerID, 400, 200},
		{"other user by email", carla, "GET", "/users/" + SeedBasicEmail, 400, 200},
		{"other user's meetings", carla, "GET", "/users/" + SeedOwnerID + "/meetings", 400, 200},
		{"create for other user", carla, "POST", "/users/" + SeedBasicID + "/meetings", 400, 200},
		{"own meetings", carla, "GET", "/users/me/meetings", 200, 0},
		{"own meeting", carla, "GET", "/meetings/" + own, 200, 0},
		{"own past meeting", carla, "GET", "/meetings/" + itoa(SeedDesignReviewMeetingID), 200, 0},
		{"other's meeting", carla, "GET", "/meetings/" + itoa(SeedRegistrationMeetingID), 400, 200},
		{"other's meeting by dan", dan, "GET", "/meetings/" + own, 400, 200},
		{"delete other's meeting", dan, "DELETE", "/meetings/" + own, 400, 200},
		{"other's registrants", carla, "GET", "/meetings/" + itoa(SeedRegistrationMeetingID) + "/registrants", 400, 200},
		{"other's webinar", carla, "GET", "/webinars/" + itoa(SeedWebinarID), 400, 200},
		{"other's recordings", carla, "GET", "/meetings/" + itoa(SeedTeamSyncMeetingID) + "/recordings", 400, 200},
		{"other's recordings by uuid", carla, "GET", "/meetings/" + escapeUUID(SeedPastDoubleSlashUUID) + "/recordings", 400, 200},
		{"other's recording list", carla, "GET", "/users/" + SeedOwnerEmail + "/recordings", 400, 200},
		{"other's transcript", carla, "GET", "/meetings/" + escapeUUID(SeedTranscriptUUID) + "/transcript", 400, 200},
		{"account's users", carla, "GET", "/users", 400, 200},
		{"unknown meeting", carla, "GET", "/meetings/12345678901", 404, 3001},
		{"unknown user", carla, "GET", "/users/nobody@example.com", 404, 1001},
		{"s2s me is the owner", s2s, "GET", "/users/me", 200, 0},
		{"s2s other user", s2s, "GET", "/users/" + SeedMemberID, 200, 0},
		{"s2s any meeting", s2s, "GET", "/meetings/" + own, 200, 0},
		{"s2s users", s2s, "GET", "/users", 200, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := &env{t: t, s: e.s, clock: e.clock}
			var body any
			if tt.method == "POST" {
				body = map[string]any{"topic": "x"}
			}
			rec := e.doToken(tt.token, tt.method, tt.path, body)
			if tt.code != 0 {
				msg := "No permission."
				if tt.code != 200 {
					msg = ""
				}
				e.wantError(rec, tt.status, tt.code, msg)
				return
			}
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			m := decode(t, rec)
			switch tt.name {
			case "me is the user":
				if m["id"] != SeedMemberID {
					t.Fatalf("me = %v", m["id"])
				}
			case "s2s me is the owner":
				if m["id"] != SeedOwnerID {
					t.Fatalf("me = %v", m["id"])
				}
			case "own meetings":
				for _, mt := range list(m, "meetings") {
					if mt["host_id"] != SeedMemberID {
						t.Fatalf("listed %v", mt)
					}
				}
			}
		})
	}
	// A user token granted admin scopes reaches the account like S2S.
	adm := newEnv(t, Options{UserScopes: AllScopes()})
	tok := adm.login(SeedAdminEmail)["access_token"].(string)
	if rec := adm.doToken(tok, "GET", "/meetings/"+itoa(SeedRegistrationMeetingID), nil); rec.Code != 200 {
		t.Fatalf("admin-scoped user token: %d %s", rec.Code, rec.Body)
	}
	if u := decode(t, adm.doToken(tok, "GET", "/users/me", nil)); u["id"] != SeedAdminID {
		t.Fatalf("me = %v", u["id"])
	}
}

func TestUserLevelDownload(t *testing.T) {
	e := newEnv(t, Options{})
	files := list(e.call("GET", "/meetings/"+itoa(SeedTeamSyncMeetingID)+"/recordings", nil, 200), "recording_files")
	u, _ := url.Parse(files[0]["download_url"].(string))
	carla := e.login(SeedMemberEmail)["access_token"].(string)
	get := func(tok string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", u.Path, nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		rec := httptest.NewRecorder()
		e.s.ServeHTTP(rec, r)
		return rec
	}
	e.wantError(get(carla), 400, 200, "No permission.")
	if rec := get(e.token); rec.Code != 200 {
		t.Fatalf("s2s download: %d", rec.Code)
	}
}

func TestDefaultUserScopes(t *testing.T) {
	got := DefaultUserScopes([]string{"meeting:read:meeting", "meeting:read:meeting:admin", "meeting:read", "meeting:read:admin",
		"cloud_recording:read:list_user_recordings:master"})
	if strings.Join(got, " ") != "meeting:read:meeting meeting:read" {
		t.Fatalf("DefaultUserScopes = %v", got)
	}
}
