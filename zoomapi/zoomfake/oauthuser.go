package zoomfake

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The user-managed OAuth app: a user logs in to it with the authorization
// code grant (with PKCE), and its tokens act for that user (userlevel.go).
//
//	GET  /oauth/authorize  response_type=code, client_id, redirect_uri,
//	                       state, code_challenge, code_challenge_method=S256;
//	                       simulator only: user (the consenting user's
//	                       email or ID; default the account owner) and
//	                       deny=1 (the user declines)
//	POST /oauth/token      grant_type=authorization_code (code,
//	                       redirect_uri, code_verifier) or refresh_token
//	                       (refresh_token), Basic auth of the user app
//	POST /oauth/revoke     token (form or query), Basic auth of the user app
//
// Sources for Zoom's answers, as found with the search tool:
//   - Zoom's "OAuth error messages" page
//     (developers.zoom.us/docs/integrations/oauth-error-messages/): 4709
//     "Redirect URI mismatch.", 4700 "Token cannot be empty.", 4702/4704
//     invalid client.
//   - Zoom's Postman collection ("Request user authorization PKCE", as
//     mirrored at developers.qodex.ai/zoom-public): a code_verifier that
//     does not match the code_challenge gets an invalid_grant error.
//   - Zoom's Postman collection ("Revoke an access token"): POST
//     /oauth/revoke with Basic auth and token=... answers
//     {"status": "success"}.
//   - Invalid or used refresh token: HTTP 400
//     {"reason":"Invalid Token!","error":"invalid_grant"}, as reported from
//     Zoom in github.com/raycast/extensions/issues/10896 (2024) and
//     /issues/12533, and github.com/iamfatness/CoreVideo/pull/196 (a
//     refresh token "rotated out by newer sign-ins"); Zoom answered 401
//     before 2022 (github.com/tl-its-umich-edu/remote-office-hours-queue
//     /issues/363).
//   - Used or unknown authorization code: HTTP 400 {"reason":"Invalid
//     authorization code","error":"invalid_grant"} (devforum.zoom.us
//     threads 77062 and 137623; older answers said invalid_request).

// Operation names of the user app's endpoints in Server.counts.
const (
	authorizeOp = "oauth.authorize"
	revokeOp    = "oauth.revoke"
)

// codeTTL is how long an authorization code can be exchanged.
const codeTTL = 10 * time.Minute

// refreshTTL is how long a refresh token lives unless used: 90 days, the
// lifetime commonly reported for Zoom's user tokens (Zoom's documents do
// not state it).
const refreshTTL = 90 * 24 * time.Hour

// userOAuth is the state of the user-managed app.
type userOAuth struct {
	scopes  []string              // granted with each of its tokens
	codes   map[string]*authCode  // unused authorization codes
	refresh map[string]*userGrant // current refresh token -> its grant
}

func newUserOAuth() userOAuth {
	return userOAuth{codes: make(map[string]*authCode), refresh: make(map[string]*userGrant)}
}

// authCode is an authorization code issued by GET /oauth/authorize.
type authCode struct {
	redirectURI string
	challenge   string // BASE64URL(SHA256(verifier)), RFC 7636
	user        string // the consenting user's ID
	expires     time.Time
}

// userGrant is one authorization of the user app by a user: its current
// refresh token and every access token issued under it.
type userGrant struct {
	user           string
	scopes         []string
	refresh        string
	refreshExpires time.Time
	access         []string
	revoked        bool
}

// userTokenResponse is the body of a successful authorization_code or
// refresh_token grant.
type userTokenResponse struct {
	AccessToken  string `json:"access_token"`
	TokenType    string `json:"token_type"`
	RefreshToken string `json:"refresh_token"`
	ExpiresIn    int    `json:"expires_in"`
	Scope        string `json:"scope"`
	APIURL       string `json:"api_url"`
}

// authorizeCode answers GET /oauth/authorize as if the user had logged in
// and consented at once. Errors in client_id or redirect_uri are answered
// 400 with a short page, not redirected (RFC 6749 §4.1.2.1); the others
// are redirected to redirect_uri with error and state.
func (s *Server) authorizeCode(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[authorizeOp]++

	if id := q.Get("client_id"); id == "" || !equal(id, s.opts.UserClientID) {
		authorizePage(w, "Invalid client_id: "+q.Get("client_id"))
		return
	}
	redirectURI := q.Get("redirect_uri")
	if !s.redirectAllowed(redirectURI) {
		authorizePage(w, "Invalid redirect: "+redirectURI)
		return
	}
	back := func(params url.Values) {
		if st, ok := q["state"]; ok {
			params.Set("state", st[0])
		}
		u, _ := url.Parse(redirectURI) // parsed by redirectAllowed
		v := u.Query()
		for k, vs := range params {
			v[k] = vs
		}
		u.RawQuery = v.Encode()
		w.Header().Set("Cache-Control", "no-store")
		http.Redirect(w, r, u.String(), http.StatusFound)
	}
	fail := func(code, desc string) {
		back(url.Values{"error": {code}, "error_description": {desc}})
	}

	switch rt := q.Get("response_type"); rt {
	case "code":
	case "":
		fail("invalid_request", "response_type is required")
		return
	default:
		fail("unsupported_response_type", "response_type must be code")
		return
	}
	if q.Get("deny") == "1" {
		back(url.Values{"error": {"access_denied"}})
		return
	}
	// This app requires PKCE with S256 (RFC 7636 §4.4.1: invalid_request).
	// Zoom itself also accepts "plain", and no challenge at all from a
	// confidential client; the simulator is stricter on purpose.
	challenge := q.Get("code_challenge")
	if challenge == "" {
		fail("invalid_request", "code challenge required")
		return
	}
	if q.Get("code_challenge_method") != "S256" {
		fail("invalid_request", "transform algorithm not supported")
		return
	}
	if !validChallenge(challenge) {
		fail("invalid_request", "invalid code_challenge")
		return
	}
	u := s.me(nil) // the account owner
	if ref := q.Get("user"); ref != "" {
		var e *apiError
		if u, e = s.userLookup(ref); e != nil {
			authorizePage(w, "No such user in the account: "+ref)
			return
		}
	}
	if u == nil || u.Status != "active" {
		authorizePage(w, "This user cannot sign in")
		return
	}

	now := s.now()
	for c, ac := range s.oauth.codes {
		if !now.Before(ac.expires) {
			delete(s.oauth.codes, c)
		}
	}
	code := randomToken()[:32]
	s.oauth.codes[code] = &authCode{redirectURI: redirectURI, challenge: challenge, user: u.ID, expires: now.Add(codeTTL)}
	back(url.Values{"code": {code}})
}

// authorizePage answers an authorize request that cannot be redirected.
func authorizePage(w http.ResponseWriter, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, "<!DOCTYPE html><title>Zoom</title><h1>Error</h1><p>%s</p>\n", html.EscapeString(msg))
}

// redirectAllowed reports whether uri is a redirect URI of the user app:
// one of Options.RedirectURIs, or an http loopback URI with a port
// (RFC 8252 §7.3).
func (s *Server) redirectAllowed(uri string) bool {
	if uri == "" {
		return false
	}
	u, err := url.Parse(uri)
	if err != nil || u.Fragment != "" || u.User != nil {
		return false
	}
	if slices.Contains(s.opts.RedirectURIs, uri) {
		return true
	}
	if u.Scheme != "http" {
		return false
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost", "::1":
	default:
		return false
	}
	port, err := strconv.Atoi(u.Port())
	return err == nil && port > 0 && port < 65536
}

// validChallenge reports whether c has the form of an S256 challenge: 43
// characters of unpadded base64url.
func validChallenge(c string) bool {
	b, err := base64.RawURLEncoding.DecodeString(c)
	return err == nil && len(c) == 43 && len(b) == sha256.Size
}

// verifierMatches checks an RFC 7636 code_verifier against a challenge.
func verifierMatches(verifier, challenge string) bool {
	if len(verifier) < 43 || len(verifier) > 128 {
		return false
	}
	for _, r := range verifier {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || strings.ContainsRune("-._~", r)) {
			return false
		}
	}
	sum := sha256.Sum256([]byte(verifier))
	return equal(base64.RawURLEncoding.EncodeToString(sum[:]), challenge)
}

// userToken answers the authorization_code and refresh_token grants of the
// user app; token has checked its credentials and holds s.mu.
func (s *Server) userToken(w http.ResponseWriter, r *http.Request, grantType string) {
	now := s.now()
	if grantType == "refresh_token" {
		rt := r.Form.Get("refresh_token")
		g := s.oauth.refresh[rt]
		if rt == "" || g == nil || g.revoked || !now.Before(g.refreshExpires) {
			// Rotation: a used refresh token is gone from the map, and
			// answers like an unknown one.
			writeJSON(w, http.StatusBadRequest, oauthError{"Invalid Token!", "invalid_grant"})
			return
		}
		delete(s.oauth.refresh, rt)
		s.issueUserTokens(w, r, g, now)
		return
	}

	code := r.Form.Get("code")
	ac := s.oauth.codes[code]
	if code == "" || ac == nil || !now.Before(ac.expires) {
		writeJSON(w, http.StatusBadRequest, oauthError{"Invalid authorization code", "invalid_grant"})
		return
	}
	delete(s.oauth.codes, code) // single use, whatever the outcome
	if r.Form.Get("redirect_uri") != ac.redirectURI {
		writeJSON(w, http.StatusBadRequest, oauthError{"Redirect URI mismatch.", "invalid_request"})
		return
	}
	if !verifierMatches(r.Form.Get("code_verifier"), ac.challenge) {
		writeJSON(w, http.StatusBadRequest, oauthError{"Invalid code verifier", "invalid_grant"})
		return
	}
	g := &userGrant{user: ac.user, scopes: slices.Clone(s.oauth.scopes)}
	s.issueUserTokens(w, r, g, now)
}

// issueUserTokens gives grant g a new access token and a new refresh token
// and answers them. The grant's earlier access tokens live on until they
// expire.
func (s *Server) issueUserTokens(w http.ResponseWriter, r *http.Request, g *userGrant, now time.Time) {
	access := randomToken()
	s.tokens[access] = &grant{expires: now.Add(s.opts.TokenTTL), scopes: g.scopes, user: g.user, auth: g}
	g.access = append(g.access, access)
	g.refresh = randomToken()
	g.refreshExpires = now.Add(refreshTTL)
	s.oauth.refresh[g.refresh] = g
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, userTokenResponse{
		AccessToken:  access,
		TokenType:    "bearer",
		RefreshToken: g.refresh,
		ExpiresIn:    int(s.opts.TokenTTL.Seconds()) - 1,
		Scope:        strings.Join(g.scopes, " "),
		APIURL:       baseURL(r),
	})
}

// revoke answers POST /oauth/revoke: the access or refresh token given
// revokes its whole grant, its access tokens and its refresh token. An
// unknown token is answered success too (RFC 7009 §2.2; what Zoom answers
// for one could not be found).
func (s *Server) revoke(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	formErr := r.ParseForm()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[revokeOp]++

	id, secret, ok := r.BasicAuth()
	if !ok {
		writeJSON(w, http.StatusUnauthorized, oauthError{"Invalid client_id or client_secret", "invalid_client"})
		return
	}
	if !equal(id, s.opts.UserClientID) || !equal(secret, s.opts.UserClientSecret) {
		writeJSON(w, http.StatusBadRequest, oauthError{"Invalid client_id or client_secret", "invalid_client"})
		return
	}
	if formErr != nil {
		writeJSON(w, http.StatusBadRequest, oauthError{"Invalid request : Request body is malformed.", "invalid_request"})
		return
	}
	tok := r.Form.Get("token")
	if tok == "" {
		writeJSON(w, http.StatusBadRequest, oauthError{"Token cannot be empty.", "invalid_request"})
		return
	}
	g := s.oauth.refresh[tok]
	if g == nil {
		if ag := s.tokens[tok]; ag != nil {
			g = ag.auth
		}
	}
	if g != nil && !g.revoked {
		g.revoked = true
		delete(s.oauth.refresh, g.refresh)
		for _, t := range g.access {
			delete(s.tokens, t)
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "success"})
}
