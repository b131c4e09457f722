package zoomfake

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"
)

// oauthError is the body of a failed token request.
type oauthError struct {
	Reason string `json:"reason"`
	Error  string `json:"error"`
}

// tokenResponse is the body of a successful token request.
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
	Scope       string `json:"scope"`
	APIURL      string `json:"api_url"`
}

// token answers POST /oauth/token for the account_credentials grant of a
// Server-to-Server OAuth app. grant_type and account_id are accepted in the
// query or in a form body; the client credentials come as HTTP Basic auth.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxBodyBytes)
	formErr := r.ParseForm() // merges the query and a form body
	// Only the user app's grants read the account (its users).
	if r.Form.Get("grant_type") != "account_credentials" && !s.seeded(r.Context()) {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts[tokenOp]++

	id, secret, ok := r.BasicAuth()
	if !ok {
		writeJSON(w, http.StatusUnauthorized, oauthError{"Invalid client_id or client_secret", "invalid_client"})
		return
	}
	// The account has two apps, each of one type: the Server-to-Server
	// app knows only account_credentials, the user-managed app only the
	// authorization_code and refresh_token grants (see oauthuser.go).
	s2s := equal(id, s.opts.ClientID) && equal(secret, s.opts.ClientSecret)
	userApp := equal(id, s.opts.UserClientID) && equal(secret, s.opts.UserClientSecret)
	if !s2s && !userApp {
		writeJSON(w, http.StatusBadRequest, oauthError{"Invalid client_id or client_secret", "invalid_client"})
		return
	}
	if formErr != nil {
		writeJSON(w, http.StatusBadRequest, oauthError{"Invalid request : Request body is malformed.", "invalid_request"})
		return
	}
	switch gt := r.Form.Get("grant_type"); {
	case gt == "":
		writeJSON(w, http.StatusBadRequest, oauthError{"Missing grant type", "invalid_request"})
		return
	case gt == "account_credentials" && s2s:
	case (gt == "authorization_code" || gt == "refresh_token") && userApp:
		s.userToken(w, r, gt)
		return
	default:
		writeJSON(w, http.StatusBadRequest, oauthError{"Unsupported grant type", "unsupported_grant_type"})
		return
	}
	acct := r.Form.Get("account_id")
	if acct == "" {
		writeJSON(w, http.StatusBadRequest, oauthError{"Missing account ID", "invalid_request"})
		return
	}
	if acct != s.opts.AccountID {
		writeJSON(w, http.StatusBadRequest, oauthError{"Invalid account ID", "invalid_request"})
		return
	}

	now := s.now()
	if s.opts.InvalidatePrevious {
		s.expireTokensLocked()
	}
	for t, g := range s.tokens { // forget tokens long expired
		if now.Sub(g.expires) > 24*time.Hour {
			delete(s.tokens, t)
		}
	}
	tok := randomToken()
	scopes := s.scopesLocked()
	s.tokens[tok] = &grant{expires: now.Add(s.opts.TokenTTL), scopes: slices.Clone(scopes)}
	writeJSON(w, http.StatusOK, tokenResponse{
		AccessToken: tok,
		TokenType:   "bearer",
		ExpiresIn:   int(s.opts.TokenTTL.Seconds()) - 1,
		Scope:       strings.Join(scopes, " "),
		APIURL:      baseURL(r),
	})
}

func equal(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

// randomToken returns an opaque access token.
func randomToken() string {
	b := make([]byte, 48)
	_, _ = rand.Read(b) // never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// baseURL is the scheme and host the request reached.
func baseURL(r *http.Request) string {
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}

// grant is what an access token allows, fixed when it is issued.
type grant struct {
	expires time.Time
	scopes  []string
	// user is the ID of the user a token of the user-managed app acts
	// for; "" for a Server-to-Server token, which acts for the account.
	user string
	// auth is the authorization of the user-managed app the token was
	// issued under (nil for a Server-to-Server token): revoking it kills
	// the token.
	auth *userGrant
}

// bearer returns the grant of the access token in r's Authorization
// header, or Zoom's 401 answer. Only the header counts: a token anywhere
// else (an access_token query parameter) is not looked at.
func (s *Server) bearer(r *http.Request, now time.Time) (*grant, *apiError) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok {
		tok, ok = strings.CutPrefix(h, "bearer ")
	}
	g, known := s.tokens[strings.TrimSpace(tok)]
	switch {
	case !ok || !known || (g.auth != nil && g.auth.revoked):
		return nil, newError(http.StatusUnauthorized, codeInvalidToken, "Invalid access token.")
	case !now.Before(g.expires):
		return nil, newError(http.StatusUnauthorized, codeInvalidToken, "Access token is expired.")
	}
	return g, nil
}

// authorize checks the bearer token and that it was granted one of the
// endpoint's scopes.
func (s *Server) authorize(c *call) *apiError {
	g, e := s.bearer(c.r, c.now)
	if e != nil {
		return e
	}
	if !c.ep.Authorized(g.scopes) {
		return badRequest(codeScopes, "Invalid access token, does not contain scopes:[%s].",
			strings.Join(c.ep.GranularScopes, ", "))
	}
	c.grant = g
	return s.restrictToUser(c)
}
