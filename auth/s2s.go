// Package auth holds the Zoom OAuth token sources (outbound) and, later, the
// authentication of the agents that call this server (inbound).
package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
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
	// Shared, if set, shares the token with the other replicas of the
	// server (see SharedTokens): a replica that needs a token reads the
	// shared one; if there is none or it is due for renewal, one replica
	// fetches under a lock held for at most FetchTimeout plus a margin,
	// and the others wait for it and use its token. If the shared state is
	// unreachable, token requests fail with an error wrapping
	// ErrSharedStateUnavailable, and nothing is sent to Zoom. Nil means
	// each process fetches its own token.
	Shared SharedTokens
	// OnFetch, if set, is called once per token request sent to Zoom,
	// with kind "s2s" and outcome "ok" or "error" (metrics). It must not
	// block.
	OnFetch func(kind, outcome string)
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
	dropped string // the access token last invalidated

	app       string        // the app's name in the shared state
	lockSlack time.Duration // the fetch lock's TTL beyond FetchTimeout
	poll      time.Duration // how often a busy fetch lock is retried
}

// Shared-state defaults; the fetch lock's TTL is FetchTimeout plus
// sharedLockSlack, which covers the Redis calls made while holding it.
const (
	sharedLockSlack = 10 * time.Second
	sharedPoll      = 25 * time.Millisecond
)

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
		cfg:       cfg,
		app:       url.QueryEscape(cfg.AccountID) + ":" + url.QueryEscape(cfg.ClientID),
		lockSlack: sharedLockSlack,
		poll:      sharedPoll,
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
// fail the others. With S2SConfig.Shared, a failure of the shared state
// fails the call (ErrSharedStateUnavailable) unless this replica still
// holds an unexpired token, which it keeps using; it never asks Zoom
// without the shared lock.
func (s *S2STokenSource) Token(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	if s.tok != nil && s.fresh(s.tok, s.fetched) {
		tok := s.tok
		s.mu.Unlock()
		return tok, nil
	}
	f, err := join(ctx, &s.mu, &s.flight, &s.waiting, s.fetch)
	if err != nil {
		return nil, err
	}
	if f.err != nil {
		// A renewal ahead of expiry failed: the old token still works.
		if tok := s.unexpired(); tok != nil {
			return tok, nil
		}
	}
	return f.tok, f.err
}

// join makes the caller a waiter of the token request under way (flight),
// starting one with start when there is none, and returns it once done,
// or ctx's error when ctx ends first. mu guards flight and waiting; it must
// be held on entry, and join releases it. The S2S and user token sources
// share it: one request however many callers wait, each stopping at its
// own context.
func join(ctx context.Context, mu *sync.Mutex, flight **fetch, waiting *int, start func(*fetch)) (*fetch, error) {
	f := *flight
	if f == nil {
		if err := ctx.Err(); err != nil {
			mu.Unlock()
			return nil, err
		}
		f = &fetch{done: make(chan struct{})}
		*flight = f
		go start(f)
	}
	*waiting++
	mu.Unlock()
	defer func() {
		mu.Lock()
		*waiting--
		mu.Unlock()
	}()
	select {
	case <-f.done:
		return f, nil
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

// fetch gets a token for f, from Zoom or the shared state, and hands the
// result to its waiters.
func (s *S2STokenSource) fetch(f *fetch) {
	var (
		tok     *oauth2.Token
		fetched time.Time
		err     error
	)
	if s.cfg.Shared == nil {
		tok, err = s.request(context.Background())
		fetched = s.cfg.Now()
	} else {
		tok, fetched, err = s.sharedFetch()
	}
	s.mu.Lock()
	if err != nil {
		f.err = err
	} else {
		f.tok = tok
		s.tok, s.fetched = tok, fetched
	}
	s.flight = nil
	s.mu.Unlock()
	close(f.done)
}

// request asks Zoom for a token, under the fetch deadline.
func (s *S2STokenSource) request(ctx context.Context) (*oauth2.Token, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.fetchTimeout())
	defer cancel()
	if s.cfg.HTTPClient != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, s.cfg.HTTPClient)
	}
	s.mu.Lock()
	s.fetches++
	s.mu.Unlock()
	tok, err := s.oauth.Token(ctx)
	if err != nil {
		s.onFetch("error")
		return nil, tokenError(err, s.cfg.ClientSecret)
	}
	s.onFetch("ok")
	return tok, nil
}

func (s *S2STokenSource) onFetch(outcome string) {
	if s.cfg.OnFetch != nil {
		s.cfg.OnFetch("s2s", outcome)
	}
}

// sharedFetch gets a token through the shared state: the shared token if
// it is fresh, else one fetched by this replica under the fetch lock, or
// by the replica that holds the lock. It waits at most for a dead
// holder's lock to expire and a fetch of its own.
func (s *S2STokenSource) sharedFetch() (*oauth2.Token, time.Time, error) {
	sh := s.cfg.Shared
	lockTTL := s.cfg.fetchTimeout() + s.lockSlack
	ctx, cancel := context.WithTimeout(context.Background(), lockTTL+s.cfg.fetchTimeout()+s.lockSlack)
	defer cancel()
	for {
		st, err := sh.Load(ctx, s.app)
		if err != nil {
			return nil, time.Time{}, err
		}
		if s.usableShared(st) {
			return st.Token, st.Fetched, nil
		}
		lock, err := sh.TryLock(ctx, s.app, lockTTL)
		if err != nil {
			return nil, time.Time{}, err
		}
		if lock != nil {
			return s.fetchLocked(ctx, lock)
		}
		select {
		case <-ctx.Done():
			return nil, time.Time{}, fmt.Errorf("another replica has been requesting the Zoom token for longer than %s; nothing was sent to Zoom by this one", lockTTL)
		case <-time.After(s.poll):
		}
	}
}

// fetchLocked fetches a token while holding the fetch lock, unless the
// shared token was renewed meanwhile, and shares it.
func (s *S2STokenSource) fetchLocked(ctx context.Context, lock SharedLock) (*oauth2.Token, time.Time, error) {
	defer func() { _ = lock.Unlock(ctx) }()
	st, err := s.cfg.Shared.Load(ctx, s.app)
	if err != nil {
		return nil, time.Time{}, err
	}
	if s.usableShared(st) {
		return st.Token, st.Fetched, nil
	}
	tok, err := s.request(ctx)
	if err != nil {
		return nil, time.Time{}, err
	}
	fetched := s.cfg.Now()
	// If the lock expired meanwhile (it outlives a fetch, so only after a
	// stall), the token is not stored but still used here.
	if _, err := lock.Store(ctx, &SharedToken{Token: tok, Fetched: fetched}); err != nil {
		return nil, time.Time{}, err
	}
	return tok, fetched, nil
}

// usableShared reports whether st can be used: it is fresh and not the
// token this replica invalidated.
func (s *S2STokenSource) usableShared(st *SharedToken) bool {
	if st == nil || st.Token == nil || st.Token.AccessToken == "" {
		return false
	}
	s.mu.Lock()
	dropped := s.dropped
	s.mu.Unlock()
	return st.Token.AccessToken != dropped && s.fresh(st.Token, st.Fetched)
}

// fresh reports whether tok, fetched at fetched, stays valid for longer
// than the refresh margin: EarlyRefresh, or half the token's lifetime if
// that is shorter.
func (s *S2STokenSource) fresh(tok *oauth2.Token, fetched time.Time) bool {
	if tok.Expiry.IsZero() {
		return true
	}
	margin := s.cfg.EarlyRefresh
	if half := tok.Expiry.Sub(fetched) / 2; half < margin {
		margin = half
	}
	return s.cfg.Now().Add(margin).Before(tok.Expiry)
}

// invalidateTimeout bounds the shared-state call of Invalidate.
const invalidateTimeout = 5 * time.Second

// Invalidate forgets tok if it is still the cached token. A caller holding
// an older token cannot throw away a newer one fetched meanwhile. With
// Shared, it also deletes the shared token if it is still tok
// (compare-and-delete), so that the next Token call of any replica
// fetches a new one; this replica never uses tok again even if that
// deletion failed.
func (s *S2STokenSource) Invalidate(tok *oauth2.Token) {
	if tok == nil || tok.AccessToken == "" {
		return
	}
	s.mu.Lock()
	if s.tok != nil && s.tok.AccessToken == tok.AccessToken {
		s.tok = nil
	}
	s.dropped = tok.AccessToken
	s.mu.Unlock()
	if s.cfg.Shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), invalidateTimeout)
		defer cancel()
		_ = s.cfg.Shared.Invalidate(ctx, s.app, tok.AccessToken)
	}
}

// Fetches reports how many tokens this source requested from Zoom.
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
