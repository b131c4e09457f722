package auth

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Credentials of the fake app. The tokens the fake issues look like
// secrets too, so that the secrets test can look for them in errors.
const (
	userCID    = "user-cid"
	userSecret = "user-csecret-7f3a"
)

// fakeZoom is a minimal Zoom: /oauth/authorize, /oauth/token
// (authorization_code with PKCE, refresh_token with rotation),
// /oauth/revoke and /v2/users/me.
type fakeZoom struct {
	t   *testing.T
	srv *httptest.Server

	refreshes atomic.Int64 // refresh_token requests
	exchanges atomic.Int64 // authorization_code requests
	pkceOK    atomic.Bool  // an exchange verified its PKCE verifier

	mu       sync.Mutex
	n        int
	codes    map[string]authz // code -> its authorization
	refresh  map[string]bool  // refresh tokens Zoom accepts
	access   map[string]bool  // access tokens Zoom accepts
	ttl      int              // expires_in
	deny     bool             // the user declines at /oauth/authorize
	status   int              // if set, /oauth/token answers this status ...
	body     string           // ... with this body
	meStatus int              // if set, /users/me answers this status with meBody
	meBody   string
	gate     chan struct{} // if set, refresh requests wait for it to close
	revoked  []string
	issued   []string // every token and code handed out
}

type authz struct{ challenge, redirect string }

func newFakeZoom(t *testing.T) *fakeZoom {
	f := &fakeZoom{t: t, codes: map[string]authz{}, refresh: map[string]bool{}, access: map[string]bool{}, ttl: 3600}
	f.srv = httptest.NewServer(f)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fakeZoom) config() UserConfig {
	return UserConfig{ClientID: userCID, ClientSecret: userSecret, OAuthBaseURL: f.srv.URL, APIBaseURL: f.srv.URL + "/v2"}
}

// issue makes a token pair Zoom accepts; the caller holds f.mu.
func (f *fakeZoom) issue() (at, rt string) {
	f.n++
	at, rt = fmt.Sprintf("AT-secret-%d-x9", f.n), fmt.Sprintf("RT-secret-%d-q4", f.n)
	f.access[at], f.refresh[rt] = true, true
	f.issued = append(f.issued, at, rt)
	return at, rt
}

// stored is a token Zoom accepts, as login would have saved it, expiring
// in ttl.
func (f *fakeZoom) stored(ttl time.Duration) *StoredToken {
	f.mu.Lock()
	defer f.mu.Unlock()
	at, rt := f.issue()
	now := time.Now()
	return &StoredToken{AccessToken: at, RefreshToken: rt, TokenType: "bearer", Expiry: now.Add(ttl),
		Scopes: []string{"meeting:read:meeting"}, UserID: "u1", Email: "jane@example.com", AccountID: "acc1",
		ClientID: userCID, Saved: now.Add(ttl - time.Hour)}
}

func (f *fakeZoom) set(fn func(f *fakeZoom)) { f.mu.Lock(); fn(f); f.mu.Unlock() }

func (f *fakeZoom) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	switch r.URL.Path {
	case "/oauth/authorize":
		f.authorize(w, r)
	case "/oauth/token":
		f.token(w, r)
	case "/oauth/revoke":
		f.revoke(w, r)
	case "/v2/users/me":
		f.me(w, r)
	default:
		http.NotFound(w, r)
	}
}

func (f *fakeZoom) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	if err != nil || q.Get("client_id") != userCID || q.Get("response_type") != "code" ||
		q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" || q.Get("state") == "" {
		http.Error(w, "bad authorize request: "+r.URL.RawQuery, http.StatusBadRequest)
		return
	}
	back := url.Values{"state": {q.Get("state")}}
	f.mu.Lock()
	if f.deny {
		back.Set("error", "access_denied")
		back.Set("error_description", "The user denied the request")
	} else {
		f.n++
		code := fmt.Sprintf("CODE-secret-%d", f.n)
		f.issued = append(f.issued, code)
		f.codes[code] = authz{challenge: q.Get("code_challenge"), redirect: q.Get("redirect_uri")}
		back.Set("code", code)
	}
	f.mu.Unlock()
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

func (f *fakeZoom) fail(w http.ResponseWriter, status int, code, reason string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "reason": reason})
}

func (f *fakeZoom) token(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if r.Method != http.MethodPost || !ok || id != userCID || secret != userSecret {
		f.fail(w, http.StatusUnauthorized, "invalid_client", "Invalid client_id or client_secret "+secret)
		return
	}
	grant := r.PostForm.Get("grant_type")
	if grant == "refresh_token" {
		f.refreshes.Add(1)
		f.mu.Lock()
		gate := f.gate
		f.mu.Unlock()
		if gate != nil {
			<-gate
		}
	} else {
		f.exchanges.Add(1)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.status != 0 {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(f.status)
		body := strings.ReplaceAll(f.body, "{secret}", secret)
		body = strings.ReplaceAll(body, "{refresh_token}", r.PostForm.Get("refresh_token"))
		body = strings.ReplaceAll(body, "{code}", r.PostForm.Get("code"))
		fmt.Fprint(w, body)
		return
	}
	switch grant {
	case "authorization_code":
		code := r.PostForm.Get("code")
		a, ok := f.codes[code]
		delete(f.codes, code)
		if !ok || r.PostForm.Get("redirect_uri") != a.redirect {
			f.fail(w, http.StatusBadRequest, "invalid_grant", "Invalid authorization code "+code)
			return
		}
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if base64.RawURLEncoding.EncodeToString(sum[:]) != a.challenge {
			f.fail(w, http.StatusBadRequest, "invalid_request", "Invalid code_verifier")
			return
		}
		f.pkceOK.Store(true)
	case "refresh_token":
		rt := r.PostForm.Get("refresh_token")
		if !f.refresh[rt] {
			// Zoom's answer to a used or revoked refresh token; this
			// fake also echoes the token, to test scrubbing.
			f.fail(w, http.StatusBadRequest, "invalid_request", "Invalid Token! "+rt)
			return
		}
		delete(f.refresh, rt) // rotation: a refresh token works once
	default:
		f.fail(w, http.StatusBadRequest, "unsupported_grant_type", "Unsupported grant type")
		return
	}
	at, rt := f.issue()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"access_token": at, "refresh_token": rt, "token_type": "bearer",
		"expires_in": f.ttl, "scope": "meeting:read:meeting user:read:user",
	})
}

func (f *fakeZoom) revoke(w http.ResponseWriter, r *http.Request) {
	id, secret, ok := r.BasicAuth()
	if !ok || id != userCID || secret != userSecret {
		f.fail(w, http.StatusUnauthorized, "invalid_client", "Invalid client_id or client_secret")
		return
	}
	tok := r.PostForm.Get("token")
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.refresh[tok] && !f.access[tok] {
		f.fail(w, http.StatusBadRequest, "invalid_request", "Invalid Token! "+tok)
		return
	}
	delete(f.refresh, tok)
	delete(f.access, tok)
	f.revoked = append(f.revoked, tok)
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"status":"success"}`)
}

func (f *fakeZoom) me(w http.ResponseWriter, r *http.Request) {
	at := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
	f.mu.Lock()
	defer f.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if f.meStatus != 0 {
		w.WriteHeader(f.meStatus)
		fmt.Fprint(w, strings.ReplaceAll(f.meBody, "{auth}", r.Header.Get("Authorization")))
		return
	}
	if !f.access[at] {
		w.WriteHeader(http.StatusUnauthorized)
		fmt.Fprint(w, `{"code":124,"message":"Invalid access token."}`)
		return
	}
	fmt.Fprint(w, `{"id":"u1","email":"jane@example.com","account_id":"acc1","type":1}`)
}
