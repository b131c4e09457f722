package auth

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// DefaultAPIBaseURL is Zoom's REST API base.
const DefaultAPIBaseURL = "https://api.zoom.us/v2"

// UserConfig is a Zoom user-managed (General) OAuth app, whose users sign
// in with `zoom-mcp login` (authorization code with PKCE).
type UserConfig struct {
	ClientID     string
	ClientSecret string
	// OAuthBaseURL defaults to DefaultOAuthBaseURL.
	OAuthBaseURL string
	// APIBaseURL defaults to DefaultAPIBaseURL; login asks it who signed in
	// (GET /users/me).
	APIBaseURL string
	// HTTPClient is used for OAuth and /users/me requests; nil means
	// http.DefaultClient.
	HTTPClient *http.Client
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// EarlyRefresh renews the token this long before it expires, bounded by
	// half the token's lifetime. Zero means DefaultEarlyRefresh.
	EarlyRefresh time.Duration
	// FetchTimeout bounds one token request, whoever waits for it; zero
	// means as for S2SConfig.FetchTimeout.
	FetchTimeout time.Duration
	// OnFetch, if set, is told of each refresh request sent to Zoom
	// ("user", then "ok" or "error"), for metrics.
	OnFetch func(kind, outcome string)
}

// ErrMissingUserCredentials is returned by UserConfig.Validate when a
// setting is empty. errors.Is also matches ErrMissingCredentials.
var ErrMissingUserCredentials = errors.New("missing Zoom OAuth app credentials")

type missingUserCredentials struct{ msg string }

func (e *missingUserCredentials) Error() string { return e.msg }
func (e *missingUserCredentials) Is(target error) bool {
	return target == ErrMissingUserCredentials || target == ErrMissingCredentials
}

// Validate reports the missing settings, naming their environment
// variables.
func (c UserConfig) Validate() error {
	var missing []string
	if c.ClientID == "" {
		missing = append(missing, "ZOOM_CLIENT_ID")
	}
	if c.ClientSecret == "" {
		missing = append(missing, "ZOOM_CLIENT_SECRET")
	}
	if len(missing) > 0 {
		return &missingUserCredentials{msg: ErrMissingUserCredentials.Error() + ": set " + strings.Join(missing, ", ")}
	}
	return nil
}

func (c UserConfig) oauthBase() string {
	if b := strings.TrimRight(c.OAuthBaseURL, "/"); b != "" {
		return b
	}
	return DefaultOAuthBaseURL
}

func (c UserConfig) apiBase() string {
	if b := strings.TrimRight(c.APIBaseURL, "/"); b != "" {
		return b
	}
	return DefaultAPIBaseURL
}

func (c UserConfig) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

func (c UserConfig) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return http.DefaultClient
}

func (c UserConfig) fetchTimeout() time.Duration {
	return S2SConfig{HTTPClient: c.HTTPClient, FetchTimeout: c.FetchTimeout}.fetchTimeout()
}

// oauthContext makes x/oauth2 use the configured HTTP client.
func (c UserConfig) oauthContext(ctx context.Context) context.Context {
	if c.HTTPClient != nil {
		return context.WithValue(ctx, oauth2.HTTPClient, c.HTTPClient)
	}
	return ctx
}

// OAuth2 returns the app as an x/oauth2 config: AuthURL
// OAuthBaseURL+"/oauth/authorize", TokenURL OAuthBaseURL+"/oauth/token",
// client credentials sent as HTTP Basic, as Zoom wants them.
func (c UserConfig) OAuth2(redirectURL string) *oauth2.Config {
	base := c.oauthBase()
	return &oauth2.Config{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		RedirectURL:  redirectURL,
		Endpoint: oauth2.Endpoint{
			AuthURL:   base + "/oauth/authorize",
			TokenURL:  base + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInHeader,
		},
	}
}

// LoginRequiredError is an error that only a new `zoom-mcp login` clears.
// errors.Is(err, ErrLoginRequired) is true; Err is Zoom's refusal (a
// *TokenError) when there was one.
type LoginRequiredError struct {
	Connection string
	Err        error

	msg string
}

func (e *LoginRequiredError) Error() string        { return e.msg }
func (e *LoginRequiredError) Unwrap() error        { return e.Err }
func (e *LoginRequiredError) Is(target error) bool { return target == ErrLoginRequired }

var plainName = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9._@+-]+$`) })

// LoginCommand is the command that signs in again for connection.
func LoginCommand(connection string) string {
	switch {
	case connection == "" || connection == DefaultConnection:
		return "zoom-mcp login"
	case plainName().MatchString(connection):
		return "zoom-mcp login --connection " + connection
	}
	return "zoom-mcp login --connection '" + strings.ReplaceAll(connection, "'", `'\''`) + "'"
}

func notConnected(connection string) error {
	return fmt.Errorf("%w: no Zoom sign-in is stored for connection %q; run %s", ErrNotConnected, connection, LoginCommand(connection))
}

// UserTokenSource hands out access tokens of one user connection, renewing
// them with the stored refresh token. Zoom rotates refresh tokens: each
// renewal is saved to the store before its access token is handed out.
//
// Concurrent callers share a single renewal, which runs under its own
// deadline (UserConfig.FetchTimeout); each caller stops waiting when its
// own context ends. Before renewing, the source re-reads the store and
// uses a newer token stored by another process or a new login instead.
// When the store supports it (RefreshLocker), renewals are serialized
// across processes too.
//
// A refresh token that Zoom refuses ends in a *LoginRequiredError, which
// is remembered: later calls return it without asking Zoom again, until
// the store holds another refresh token.
type UserTokenSource struct {
	cfg   UserConfig
	oauth *oauth2.Config
	store TokenStore
	conn  string

	mu        sync.Mutex // guards the fields below; never held across I/O
	cur       *StoredToken
	dropped   string // access token Zoom rejected (Invalidate)
	refused   string // refresh token Zoom refused
	refuseErr error
	refreshes int64
	flight    *fetch
	waiting   int // callers waiting for flight (tests)
}

// NewUserTokenSource returns a token source for the connection (""
// means DefaultConnection) kept in store. It does no I/O: the stored token
// is read on first use.
func NewUserTokenSource(cfg UserConfig, store TokenStore, connection string) (*UserTokenSource, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if store == nil {
		return nil, errors.New("auth: NewUserTokenSource needs a token store")
	}
	if connection == "" {
		connection = DefaultConnection
	}
	if cfg.EarlyRefresh <= 0 {
		cfg.EarlyRefresh = DefaultEarlyRefresh
	}
	return &UserTokenSource{cfg: cfg, oauth: cfg.OAuth2(""), store: store, conn: connection}, nil
}

// Connection is the name of the source's connection.
func (s *UserTokenSource) Connection() string { return s.conn }

// Token returns the connection's access token, renewing it when it is
// about to expire or was invalidated. If renewing a token that has not
// expired yet fails for a reason that may pass (network, Zoom outage), the
// old token is returned. The token carries the granted scopes as the
// "scope" extra (see GrantedScopes) and never the refresh token.
func (s *UserTokenSource) Token(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	if s.cur != nil && s.refused == "" && s.usable(s.cur) {
		tok := handOut(s.cur)
		s.mu.Unlock()
		return tok, nil
	}
	f, err := join(ctx, &s.mu, &s.flight, &s.waiting, s.renew)
	if err != nil {
		return nil, err
	}
	var te *TokenError
	if f.err != nil && errors.As(f.err, &te) && !errors.Is(f.err, ErrLoginRequired) {
		if tok := s.unexpired(); tok != nil {
			return tok, nil
		}
	}
	return f.tok, f.err
}

// handOut is the token given to callers: no refresh token.
func handOut(st *StoredToken) *oauth2.Token {
	tok := st.OAuth2()
	tok.RefreshToken = ""
	return tok
}

// usable reports whether st's access token can be handed out: it is not
// the one Zoom rejected and stays valid beyond the refresh margin.
func (s *UserTokenSource) usable(st *StoredToken) bool {
	if st.AccessToken == "" || st.AccessToken == s.dropped {
		return false
	}
	if st.Expiry.IsZero() {
		return true
	}
	margin := s.cfg.EarlyRefresh
	if !st.Saved.IsZero() {
		if half := st.Expiry.Sub(st.Saved) / 2; half < margin {
			margin = half
		}
	}
	return s.cfg.now().Add(margin).Before(st.Expiry)
}

// unexpired returns the current token if it has not expired and was not
// invalidated, fresh or not.
func (s *UserTokenSource) unexpired() *oauth2.Token {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.cur
	if c != nil && c.AccessToken != "" && c.AccessToken != s.dropped && (c.Expiry.IsZero() || s.cfg.now().Before(c.Expiry)) {
		return handOut(c)
	}
	return nil
}

// renew gets a usable token for f: from the store if it holds one, else by
// refreshing.
func (s *UserTokenSource) renew(f *fetch) {
	ctx, cancel := context.WithTimeout(context.Background(), s.cfg.fetchTimeout())
	defer cancel()
	tok, err := s.renewLocked(ctx)
	s.mu.Lock()
	f.tok, f.err = tok, err
	s.flight = nil
	s.mu.Unlock()
	close(f.done)
}

func (s *UserTokenSource) renewLocked(ctx context.Context) (*oauth2.Token, error) {
	if l, ok := s.store.(RefreshLocker); ok {
		unlock, err := l.LockRefresh(ctx, s.conn)
		if err != nil {
			return nil, fmt.Errorf("renewing the Zoom token of connection %q: %w", s.conn, err)
		}
		defer unlock()
	}
	st, err := s.store.Load(ctx, s.conn)
	if err != nil {
		if errors.Is(err, ErrNotConnected) {
			s.mu.Lock()
			s.cur = nil
			s.mu.Unlock()
			return nil, notConnected(s.conn)
		}
		return nil, fmt.Errorf("reading the Zoom sign-in of connection %q: %w", s.conn, err)
	}
	if st.ClientID != "" && st.ClientID != s.cfg.ClientID {
		return nil, &LoginRequiredError{Connection: s.conn, msg: fmt.Sprintf(
			"the stored Zoom sign-in for connection %q belongs to another OAuth app (client ID %s, not ZOOM_CLIENT_ID %s); run %s",
			s.conn, st.ClientID, s.cfg.ClientID, LoginCommand(s.conn))}
	}
	s.mu.Lock()
	if s.refused != "" {
		if st.RefreshToken == s.refused {
			err := s.refuseErr
			s.mu.Unlock()
			return nil, err
		}
		s.refused, s.refuseErr = "", nil // someone signed in again
	}
	s.cur = st
	if s.usable(st) { // a newer token from another process or a new login
		s.mu.Unlock()
		return handOut(st), nil
	}
	if st.RefreshToken == "" {
		s.mu.Unlock()
		return nil, &LoginRequiredError{Connection: s.conn, msg: fmt.Sprintf(
			"the stored Zoom sign-in for connection %q has no refresh token; run %s", s.conn, LoginCommand(s.conn))}
	}
	s.refreshes++
	s.mu.Unlock()

	secrets := []string{s.cfg.ClientSecret, st.RefreshToken, st.AccessToken}
	fresh, err := s.oauth.TokenSource(s.cfg.oauthContext(ctx), &oauth2.Token{RefreshToken: st.RefreshToken}).Token()
	if s.cfg.OnFetch != nil {
		outcome := "ok"
		if err != nil {
			outcome = "error"
		}
		s.cfg.OnFetch("user", outcome)
	}
	if err != nil {
		te := newUserTokenError(err, secrets...)
		if refusedToken(te) {
			return nil, s.refuse(st.RefreshToken, &LoginRequiredError{Connection: s.conn, Err: te, msg: fmt.Sprintf(
				"Zoom refused the stored sign-in for connection %q (%s); run %s",
				s.conn, te.summary(), LoginCommand(s.conn))})
		}
		return nil, fmt.Errorf("renewing the Zoom token of connection %q: %w", s.conn, te)
	}
	next := *st
	next.AccessToken = fresh.AccessToken
	if fresh.RefreshToken != "" {
		next.RefreshToken = fresh.RefreshToken
	}
	next.TokenType = fresh.TokenType
	next.Expiry = fresh.Expiry
	if sc := GrantedScopes(fresh); len(sc) > 0 {
		next.Scopes = sc
	}
	next.ClientID = s.cfg.ClientID
	next.Saved = s.cfg.now()
	if err := s.store.Save(ctx, s.conn, &next); err != nil {
		msg := Scrub(err.Error(), append(secrets, fresh.AccessToken, fresh.RefreshToken)...)
		return nil, fmt.Errorf("Zoom renewed the token of connection %q, but saving it failed (%s); the new token was not used because its refresh token, the only one Zoom now accepts, would be lost: fix the token store, and if this persists run %s",
			s.conn, msg, LoginCommand(s.conn))
	}
	s.mu.Lock()
	s.cur = &next
	s.mu.Unlock()
	return handOut(&next), nil
}

// refuse remembers that Zoom refused refreshToken, so that later calls
// fail with err without asking again.
func (s *UserTokenSource) refuse(refreshToken string, err error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.refused, s.refuseErr = refreshToken, err
	s.cur = nil
	return err
}

// Invalidate drops tok (which Zoom rejected, e.g. with code 124) if it is
// still the current access token, so that the next Token call renews it.
func (s *UserTokenSource) Invalidate(tok *oauth2.Token) {
	if tok == nil || tok.AccessToken == "" {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cur != nil && s.cur.AccessToken == tok.AccessToken {
		s.dropped = tok.AccessToken
	}
}

// Refreshes reports how many refresh requests were sent to Zoom.
func (s *UserTokenSource) Refreshes() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.refreshes
}

// Stored returns a copy of the connection's current entry (including its
// tokens: do not log it), loading it from the store if the source has not
// yet. It wraps ErrNotConnected if there is none.
func (s *UserTokenSource) Stored(ctx context.Context) (*StoredToken, error) {
	s.mu.Lock()
	if s.cur != nil {
		c := *s.cur
		s.mu.Unlock()
		return &c, nil
	}
	s.mu.Unlock()
	st, err := s.store.Load(ctx, s.conn)
	if errors.Is(err, ErrNotConnected) {
		return nil, notConnected(s.conn)
	}
	if err != nil {
		return nil, fmt.Errorf("reading the Zoom sign-in of connection %q: %w", s.conn, err)
	}
	c := *st
	return &c, nil
}

// userTokenError is a TokenError from a user app's token request, whose
// message points at ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET only (a user
// app has no account ID setting).
type userTokenError struct{ *TokenError }

// newUserTokenError builds the error of a failed token request, scrubbing
// secrets (the client secret, tokens) from Zoom's answer before it is
// described or cut.
func newUserTokenError(err error, secrets ...string) *userTokenError {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		re.Body = []byte(redact(string(re.Body), secrets))
		re.ErrorDescription = redact(re.ErrorDescription, secrets)
		re.ErrorCode = redact(re.ErrorCode, secrets)
	}
	secret := ""
	if len(secrets) > 0 {
		secret = secrets[0]
	}
	te := tokenError(err, secret).(*TokenError)
	if te.Err != nil {
		te.Err = scrubbedError{msg: Scrub(te.Err.Error(), secrets...), err: te.Err}
	}
	return &userTokenError{te}
}

// redact replaces each non-empty secret in s by Redacted. Unlike Scrub it
// is a plain replacement, so text that Scrub later sees once more is not
// scrubbed twice.
func redact(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, Redacted)
			if esc := url.QueryEscape(sec); esc != sec {
				s = strings.ReplaceAll(s, esc, Redacted)
			}
		}
	}
	return s
}

func (e *userTokenError) Error() string {
	return strings.Replace(e.TokenError.Error(), "check ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET", "check ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET", 1)
}

func (e *userTokenError) Unwrap() error { return e.TokenError }

// summary is Zoom's answer in short: "HTTP 400: invalid_grant: Invalid
// Token!".
func (e *userTokenError) summary() string {
	var parts []string
	if e.StatusCode != 0 {
		parts = append(parts, fmt.Sprintf("HTTP %d", e.StatusCode))
	}
	for _, p := range []string{e.Code, e.Reason} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ": ")
}

// scrubbedError carries a scrubbed message but still unwraps to the
// original (a *url.Error, a context error) for errors.Is.
type scrubbedError struct {
	msg string
	err error
}

func (e scrubbedError) Error() string { return e.msg }
func (e scrubbedError) Unwrap() error { return e.err }

// refusedToken reports whether Zoom refused the refresh token itself (or
// the authorization code): a 4xx OAuth answer, not a rate limit, not about
// the client's credentials.
func refusedToken(e *userTokenError) bool {
	te := e.TokenError
	if te.StatusCode < 400 || te.StatusCode >= 500 || te.StatusCode == http.StatusTooManyRequests {
		return false
	}
	if !te.oauth && te.Code == "" {
		return false
	}
	switch te.Code {
	case "invalid_client", "unauthorized_client":
		return false
	case "invalid_grant", "invalid_token":
		return true
	}
	r := strings.ToLower(te.Reason)
	if strings.Contains(r, "client") {
		return false
	}
	for _, w := range []string{"token", "expired", "revoked"} {
		if strings.Contains(r, w) {
			return true
		}
	}
	return false
}
