// Package auth holds the Zoom OAuth token sources (outbound) and, later, the
// authentication of the agents that call this server (inbound).
package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

// DefaultOAuthBaseURL is Zoom's OAuth host; the token endpoint is
// DefaultOAuthBaseURL + "/oauth/token".
const DefaultOAuthBaseURL = "https://zoom.us"

// DefaultEarlyRefresh is how long before expiry a cached token is renewed.
const DefaultEarlyRefresh = 5 * time.Minute

// S2SConfig is a Zoom Server-to-Server OAuth app.
type S2SConfig struct {
	AccountID    string
	ClientID     string
	ClientSecret string
	// OAuthBaseURL defaults to DefaultOAuthBaseURL.
	OAuthBaseURL string
	// HTTPClient is used for token requests; nil means http.DefaultClient.
	HTTPClient *http.Client
	// EarlyRefresh renews the token this long before it expires, bounded by
	// half the token's lifetime. Zero means DefaultEarlyRefresh.
	EarlyRefresh time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// FetchTimeout bounds one token request, whoever waits for it. Zero
	// means HTTPClient's Timeout if that is shorter than
	// DefaultFetchTimeout, else DefaultFetchTimeout.
	FetchTimeout time.Duration
}

// DefaultFetchTimeout bounds a token request when neither
// S2SConfig.FetchTimeout nor a shorter HTTP client timeout is set.
const DefaultFetchTimeout = 30 * time.Second

// fetchTimeout is how long one token request may take.
func (c S2SConfig) fetchTimeout() time.Duration {
	if c.FetchTimeout > 0 {
		return c.FetchTimeout
	}
	if c.HTTPClient != nil && c.HTTPClient.Timeout > 0 && c.HTTPClient.Timeout < DefaultFetchTimeout {
		return c.HTTPClient.Timeout
	}
	return DefaultFetchTimeout
}

// Validate reports the first missing setting, naming its environment variable.
func (c S2SConfig) Validate() error {
	var missing []string
	if c.AccountID == "" {
		missing = append(missing, "ZOOM_ACCOUNT_ID")
	}
	if c.ClientID == "" {
		missing = append(missing, "ZOOM_CLIENT_ID")
	}
	if c.ClientSecret == "" {
		missing = append(missing, "ZOOM_CLIENT_SECRET")
	}
	if len(missing) > 0 {
		return fmt.Errorf("%w: set %s", ErrMissingCredentials, strings.Join(missing, ", "))
	}
	return nil
}

// ErrMissingCredentials is returned by Validate when a setting is empty.
var ErrMissingCredentials = errors.New("missing Zoom Server-to-Server OAuth credentials")

// TokenSource hands out Zoom access tokens. Invalidate drops a token that
// Zoom rejected so that the next Token call fetches a fresh one.
type TokenSource interface {
	Token(ctx context.Context) (*oauth2.Token, error)
	Invalidate(tok *oauth2.Token)
}

// S2STokenSource fetches tokens with the account_credentials grant and
// shares one cached token among all callers. Concurrent callers that find no
// valid token share a single fetch, and all get its outcome, token or
// failure, at once: a new Zoom token can invalidate the previous one, so the
// source never races itself, and a failed fetch is not repeated once per
// waiting caller.
type S2STokenSource struct {
	cfg   S2SConfig
	oauth clientcredentials.Config

	mu      sync.Mutex // guards the fields below; never held across I/O
	tok     *oauth2.Token
	fetched time.Time
	fetches int64
	flight  *fetch // the token request under way, if any
	waiting int    // callers waiting for flight (tests)
}

// fetch is one token request; done is closed when tok or err is set.
type fetch struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

// NewS2STokenSource returns a token source for cfg. It does no I/O.
func NewS2STokenSource(cfg S2SConfig) (*S2STokenSource, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	base := strings.TrimRight(cfg.OAuthBaseURL, "/")
	if base == "" {
		base = DefaultOAuthBaseURL
	}
	if cfg.EarlyRefresh <= 0 {
		cfg.EarlyRefresh = DefaultEarlyRefresh
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return &S2STokenSource{
		cfg: cfg,
		oauth: clientcredentials.Config{
			ClientID:     cfg.ClientID,
			ClientSecret: cfg.ClientSecret,
			TokenURL:     base + "/oauth/token",
			AuthStyle:    oauth2.AuthStyleInHeader,
			EndpointParams: map[string][]string{
				"grant_type": {"account_credentials"},
				"account_id": {cfg.AccountID},
			},
		},
	}, nil
}

// Token returns the cached token, fetching a new one when there is none or
// it is about to expire (if renewing a token that has not expired yet
// fails, the old token is returned). Concurrent callers wait for a single fetch and all
// get its result; each stops waiting when its own context ends. The fetch
// runs under its own deadline (see S2SConfig.FetchTimeout), not under the
// context of the caller that started it, so one caller giving up does not
// fail the others.
func (s *S2STokenSource) Token(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	if s.tok != nil && s.fresh(s.tok) {
		tok := s.tok
		s.mu.Unlock()
		return tok, nil
	}
	f := s.flight
	if f == nil {
		if err := ctx.Err(); err != nil {
			s.mu.Unlock()
			return nil, err
		}
		f = &fetch{done: make(chan struct{})}
		s.flight = f
		s.fetches++
		go s.fetch(f)
	}
	s.waiting++
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.waiting--
		s.mu.Unlock()
	}()
	select {
	case <-f.done:
		if f.err != nil {
			// A renewal ahead of expiry failed: the old token still works.
			if tok := s.unexpired(); tok != nil {
				return tok, nil
			}
		}
		return f.tok, f.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// unexpired returns the cached token if it has not expired yet, fresh or
// not.
func (s *S2STokenSource) unexpired() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != nil && (s.tok.Expiry.IsZero() || s.cfg.Now().Before(s.tok.Expiry)) {
		return s.tok
	}
	return nil
}

// fetch requests a token for f and hands the result to its waiters.
func (s *S2STokenSource) fetch(f *fetch) {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.fetchTimeout())
	defer cancel()
	if s.cfg.HTTPClient != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, s.cfg.HTTPClient)
	}
	tok, err := s.oauth.Token(ctx)
	s.mu.Lock()
	if err != nil {
		f.err = tokenError(err, s.cfg.ClientSecret)
	} else {
		f.tok = tok
		s.tok, s.fetched = tok, s.cfg.Now()
	}
	s.flight = nil
	s.mu.Unlock()
	close(f.done)
}

// fresh reports whether tok stays valid for longer than the refresh margin:
// EarlyRefresh, or half the token's lifetime if that is shorter.
func (s *S2STokenSource) fresh(tok *oauth2.Token) bool {
	if tok.Expiry.IsZero() {
		return true
	}
	margin := s.cfg.EarlyRefresh
	if half := tok.Expiry.Sub(s.fetched) / 2; half < margin {
		margin = half
	}
	return s.cfg.Now().Add(margin).Before(tok.Expiry)
}

// Invalidate forgets tok if it is still the cached token. A caller holding
// an older token cannot throw away a newer one fetched meanwhile.
func (s *S2STokenSource) Invalidate(tok *oauth2.Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if tok != nil && s.tok != nil && s.tok.AccessToken == tok.AccessToken {
		s.tok = nil
	}
}

// Fetches reports how many tokens were requested from Zoom.
func (s *S2STokenSource) Fetches() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetches
}

// Scopes returns the scopes Zoom granted with the current token, if any.
func (s *S2STokenSource) Scopes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return GrantedScopes(s.tok)
}

// GrantedScopes returns the space-separated "scope" field of a token
// response.
func GrantedScopes(tok *oauth2.Token) []string {
	if tok == nil {
		return nil
	}
	s, _ := tok.Extra("scope").(string)
	return strings.Fields(s)
}

// TokenError is a failed token request. It never carries the client secret
// or a token: Reason is scrubbed (see Scrub) when the error is built.
//
// BadCredentials tells the operator's problem (Zoom refused the app's
// credentials: retrying cannot help) from Zoom's or the network's (an
// outage, a rate limit, a timeout, an unreadable answer: retrying later
// may).
type TokenError struct {
	StatusCode int    // HTTP status of the token endpoint's answer; 0 if none came
	Code       string // OAuth "error", e.g. invalid_client
	Reason     string // Zoom's "reason", or what the body was if not an OAuth answer
	Err        error  // the failure to get an answer, if none came

	oauth bool // the body was an OAuth error answer (JSON with error or reason)
}

func (e *TokenError) Error() string {
	msg := "Zoom OAuth token request failed"
	if e.StatusCode != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.StatusCode)
	}
	switch {
	case e.Reason != "" && e.Code != "":
		msg += ": " + e.Code + ": " + e.Reason
	case e.Code != "":
		msg += ": " + e.Code
	case e.Reason != "":
		msg += ": " + e.Reason
	case e.Err != nil:
		msg += ": " + e.Err.Error()
	}
	if e.BadCredentials() {
		msg += "; check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET"
	}
	return Scrub(msg)
}

func (e *TokenError) Unwrap() error { return e.Err }

// BadCredentials reports whether Zoom refused the app's credentials: a 4xx
// answer (other than 429) from the token endpoint that is an OAuth error
// about the credentials (invalid_client, unauthorized_client,
// invalid_grant, invalid_request about the account or client ID or secret,
// or any OAuth error with HTTP 401 or 403). It is false for 5xx answers,
// 429, resets, timeouts, and bodies that are not an OAuth answer (HTML
// pages, garbage), which say nothing about the credentials.
func (e *TokenError) BadCredentials() bool {
	if e.StatusCode < 400 || e.StatusCode >= 500 || e.StatusCode == http.StatusTooManyRequests {
		return false
	}
	if !e.oauth && e.Code == "" {
		return false
	}
	switch e.Code {
	case "invalid_client", "unauthorized_client", "invalid_grant":
		return true
	}
	if e.StatusCode == http.StatusUnauthorized || e.StatusCode == http.StatusForbidden {
		return true
	}
	return e.Code == "invalid_request" && credentialReason(e.Reason)
}

// credentialReason reports whether Zoom's reason for an invalid_request is
// about the credentials ("Invalid account ID", "Bad account_id", "Invalid
// client_id or client_secret") rather than the request's form ("Request
// body is malformed.", "Missing grant type").
func credentialReason(reason string) bool {
	r := strings.ToLower(reason)
	for _, w := range []string{"account", "client_id", "client id", "client_secret", "client secret", "credential"} {
		if strings.Contains(r, w) {
			return true
		}
	}
	return false
}

// tokenError builds the TokenError for a failed token request, scrubbing
// secret (and anything that looks like a credential) from Zoom's text.
func tokenError(err error, secret string) error {
	te := &TokenError{Err: err}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		te.Err = nil
		te.Code = re.ErrorCode
		if re.Response != nil {
			te.StatusCode = re.Response.StatusCode
		}
		reason, isOAuth := zoomReason(re.Body)
		switch {
		case isOAuth:
			te.oauth, te.Reason = true, reason
		case te.Code != "": // a form-encoded OAuth answer
			te.oauth, te.Reason = true, re.ErrorDescription
		default:
			ct := ""
			if re.Response != nil {
				ct = re.Response.Header.Get("Content-Type")
			}
			te.Reason = describeBody(ct, re.Body, secret)
		}
		te.Reason = truncate(Scrub(te.Reason, secret), 200)
		te.Code = truncate(Scrub(te.Code, secret), 64)
	}
	return te
}
