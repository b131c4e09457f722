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
// valid token cause a single fetch: a new Zoom token can invalidate the
// previous one, so the source never races itself.
type S2STokenSource struct {
	cfg   S2SConfig
	oauth clientcredentials.Config

	// fetching admits one token request at a time; callers queue behind it
	// for as long as their own context allows.
	fetching chan struct{}

	mu      sync.Mutex // guards the fields below; never held across I/O
	tok     *oauth2.Token
	fetched time.Time
	fetches int64
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
		cfg:      cfg,
		fetching: make(chan struct{}, 1),
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
// it is about to expire. Concurrent callers wait for a single fetch.
func (s *S2STokenSource) Token(ctx context.Context) (*oauth2.Token, error) {
	if tok := s.current(); tok != nil {
		return tok, nil
	}
	select {
	case s.fetching <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-s.fetching }()
	if tok := s.current(); tok != nil { // fetched while this caller waited
		return tok, nil
	}
	if s.cfg.HTTPClient != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, s.cfg.HTTPClient)
	}
	s.mu.Lock()
	s.fetches++
	s.mu.Unlock()
	tok, err := s.oauth.Token(ctx)
	if err != nil {
		return nil, tokenError(err)
	}
	s.mu.Lock()
	s.tok, s.fetched = tok, s.cfg.Now()
	s.mu.Unlock()
	return tok, nil
}

// current returns the cached token if it is still fresh.
func (s *S2STokenSource) current() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok != nil && s.fresh(s.tok) {
		return s.tok
	}
	return nil
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
// or a token.
type TokenError struct {
	StatusCode int
	Code       string // OAuth "error", e.g. invalid_client
	Reason     string // Zoom's "reason"
	Err        error
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
	case e.Err != nil:
		msg += ": " + e.Err.Error()
	}
	if e.Code == "invalid_client" || e.Code == "invalid_request" {
		msg += "; check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET"
	}
	return msg
}

func (e *TokenError) Unwrap() error { return e.Err }

func tokenError(err error) error {
	te := &TokenError{Err: err}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		te.Err = nil
		te.Code = re.ErrorCode
		if re.Response != nil {
			te.StatusCode = re.Response.StatusCode
		}
		te.Reason = zoomReason(re.Body)
		if te.Code == "" && te.Reason == "" {
			te.Reason = strings.TrimSpace(truncate(string(re.Body), 200))
		}
	}
	return te
}
