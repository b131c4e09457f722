package auth

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/oauth2"
)

// DefaultLoginPort is the loopback port `zoom-mcp login` listens on; the
// app's redirect URL must be http://127.0.0.1:8765/callback.
const DefaultLoginPort = 8765

// DefaultLoginTimeout bounds the wait for the browser to come back.
const DefaultLoginTimeout = 5 * time.Minute

// LoginOptions configure Login.
type LoginOptions struct {
	Config UserConfig
	Store  TokenStore
	// Connection names the sign-in; "" means DefaultConnection.
	Connection string
	// Port is the loopback port of the redirect URL
	// http://127.0.0.1:PORT/callback; 0 picks a free port (tests).
	Port int
	// OpenBrowser opens the authorization URL; nil does not. Its failure
	// is not fatal: the user is told to open the URL by hand.
	OpenBrowser func(url string) error
	// Prompt receives the instructions and the URL; nil discards them.
	Prompt io.Writer
	// Timeout bounds the wait for the browser; zero means
	// DefaultLoginTimeout.
	Timeout time.Duration
}

// ErrLoginFailed is wrapped by every error of Login except a cancelled
// ctx (which wraps ctx.Err()) and a missing setting.
var ErrLoginFailed = errors.New("zoom-mcp login failed")

// ErrAccessDenied is wrapped by the error of a login the user declined.
var ErrAccessDenied = errors.New("the Zoom sign-in was declined in the browser")

// ErrPortInUse is wrapped by the error of a login whose loopback port is
// taken.
var ErrPortInUse = errors.New("redirect port in use")

// callback is what the browser brought back to /callback.
type callback struct {
	code, errCode, errDesc string
	reply                  chan string // the page to show, from Login
}

// Login signs a Zoom user in with the authorization code flow and PKCE,
// and saves the tokens in opts.Store under opts.Connection.
//
// It listens on http://127.0.0.1:PORT/callback (only that path), writes a
// sentence and then the authorization URL on a line of its own to Prompt,
// calls OpenBrowser, and waits for Zoom to redirect the browser back, at
// most Timeout, or until ctx ends. The callback must carry the state Login
// generated (compared in constant time): a callback with another state is
// answered 400 and ignored, and Login keeps waiting for the real one, so
// that a stray or forged request cannot end the login. A callback with
// the right state (or, for an error, with no state at all, should Zoom
// omit it) ends the wait: an error (error=access_denied: the user
// declined) fails the login, a code is exchanged for tokens with the PKCE
// verifier. Login then asks GET {APIBaseURL}/users/me who signed in,
// saves the StoredToken (scopes, user, ClientID, Saved) and answers the
// browser with a page saying how it went.
func Login(ctx context.Context, opts LoginOptions) (*StoredToken, error) {
	cfg := opts.Config
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if opts.Store == nil {
		return nil, errors.New("auth: Login needs a token store")
	}
	conn := opts.Connection
	if conn == "" {
		conn = DefaultConnection
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultLoginTimeout
	}
	prompt := opts.Prompt
	if prompt == nil {
		prompt = io.Discard
	}
	if opts.Port < 0 || opts.Port > 65535 {
		return nil, fmt.Errorf("%w: --redirect-port %d is not a port", ErrLoginFailed, opts.Port)
	}

	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(opts.Port)))
	if err != nil {
		if errors.Is(err, syscall.EADDRINUSE) || strings.Contains(err.Error(), "address already in use") {
			return nil, fmt.Errorf("%w: %w: port %d on 127.0.0.1 is taken by another program; stop it, or pass --redirect-port with another port (the app's redirect URL in the Zoom Marketplace must use the same port)", ErrLoginFailed, ErrPortInUse, opts.Port)
		}
		return nil, fmt.Errorf("%w: listening on 127.0.0.1:%d for the browser: %v (choose another with --redirect-port)", ErrLoginFailed, opts.Port, err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", port)

	state, err := randomState()
	if err != nil {
		_ = ln.Close()
		return nil, fmt.Errorf("%w: %v", ErrLoginFailed, err)
	}
	verifier := oauth2.GenerateVerifier()
	oc := cfg.OAuth2(redirect)
	authURL := oc.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))

	done := make(chan struct{}) // closed when Login returns
	defer close(done)
	results := make(chan *callback)
	mux := http.NewServeMux()
	mux.HandleFunc("/callback", func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		got := q.Get("state")
		stateOK := subtle.ConstantTimeCompare([]byte(got), []byte(state)) == 1
		if !stateOK && !(got == "" && q.Get("error") != "") {
			page(w, http.StatusBadRequest, "Sign-in link not recognized",
				"This page does not belong to the sign-in zoom-mcp is waiting for. Go back to the terminal and use the link it printed.")
			return
		}
		cb := &callback{code: q.Get("code"), errCode: q.Get("error"), errDesc: q.Get("error_description"), reply: make(chan string, 1)}
		select {
		case results <- cb:
		case <-done:
			page(w, http.StatusGone, "Sign-in over", "zoom-mcp is no longer waiting for this sign-in. Run zoom-mcp login again.")
			return
		case <-r.Context().Done():
			return
		}
		select {
		case msg := <-cb.reply:
			status, title := http.StatusOK, "Signed in to Zoom"
			if strings.HasPrefix(msg, "!") {
				status, title, msg = http.StatusBadRequest, "Zoom sign-in failed", msg[1:]
			}
			page(w, status, title, msg)
		case <-r.Context().Done():
		}
	})
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      2 * time.Minute, // the answer waits for the token exchange
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	go func() { _ = srv.Serve(ln) }()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			_ = srv.Close()
		}
	}()

	fmt.Fprintf(prompt, "To connect zoom-mcp to Zoom (connection %q), open this URL in your browser and sign in:\n%s\n", conn, authURL)
	browserErr := make(chan error, 1)
	if opts.OpenBrowser != nil {
		go func() { browserErr <- opts.OpenBrowser(authURL) }()
	}

	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		select {
		case err := <-browserErr:
			if err != nil {
				fmt.Fprintf(prompt, "Could not open a browser (%s); open the URL above by hand.\n", Scrub(err.Error(), cfg.ClientSecret))
			}
			continue
		case <-timer.C:
			return nil, fmt.Errorf("%w: timed out after %s waiting for the browser to come back to %s; run zoom-mcp login again", ErrLoginFailed, timeout, redirect)
		case <-ctx.Done():
			return nil, fmt.Errorf("zoom-mcp login cancelled: %w", ctx.Err())
		case cb := <-results:
			st, err := finishLogin(ctx, cfg, oc, opts.Store, conn, verifier, cb)
			if err != nil {
				cb.reply <- "!" + err.Error() + "\nYou can close this tab."
				return nil, err
			}
			who := st.Email
			if who == "" {
				who = st.UserID
			}
			cb.reply <- fmt.Sprintf("zoom-mcp is connected to Zoom as %s (connection %q). You can close this tab.", who, conn)
			return st, nil
		}
	}
}

// finishLogin turns the callback into a saved token.
func finishLogin(ctx context.Context, cfg UserConfig, oc *oauth2.Config, store TokenStore, conn, verifier string, cb *callback) (*StoredToken, error) {
	if cb.errCode != "" {
		desc := truncate(Scrub(cb.errDesc, cfg.ClientSecret), 200)
		if cb.errCode == "access_denied" {
			why := "access_denied"
			if desc != "" {
				why += ": " + desc
			}
			return nil, fmt.Errorf("%w: %w (%s); run zoom-mcp login again to retry", ErrLoginFailed, ErrAccessDenied, why)
		}
		msg := "Zoom answered the sign-in with error " + strconv.Quote(truncate(Scrub(cb.errCode, cfg.ClientSecret), 64))
		if desc != "" {
			msg += ": " + desc
		}
		return nil, fmt.Errorf("%w: %s", ErrLoginFailed, msg)
	}
	if cb.code == "" {
		return nil, fmt.Errorf("%w: the browser came back without an authorization code; run zoom-mcp login again", ErrLoginFailed)
	}
	st, err := CompleteSignIn(ctx, cfg, oc, cb.code, verifier)
	if err != nil {
		return nil, err
	}
	secrets := []string{cfg.ClientSecret, st.AccessToken, st.RefreshToken}
	if err := store.Save(ctx, conn, st); err != nil {
		return nil, fmt.Errorf("%w: signed in, but saving the token failed: %s", ErrLoginFailed, Scrub(err.Error(), secrets...))
	}
	return st, nil
}

// CompleteSignIn exchanges an authorization code (with its PKCE verifier)
// for tokens, asks Zoom who signed in (GET /users/me), and returns what to
// store. It saves nothing. Login and the HTTP server's browser sign-in
// both end with it.
func CompleteSignIn(ctx context.Context, cfg UserConfig, oc *oauth2.Config, code, verifier string) (*StoredToken, error) {
	xctx, cancel := context.WithTimeout(ctx, cfg.fetchTimeout())
	defer cancel()
	tok, err := oc.Exchange(cfg.oauthContext(xctx), code, oauth2.VerifierOption(verifier))
	if err != nil {
		te := newUserTokenError(err, cfg.ClientSecret, code, verifier)
		if refusedToken(te) {
			return nil, fmt.Errorf("%w: Zoom refused the authorization code (%s); run zoom-mcp login again", ErrLoginFailed, te.summary())
		}
		return nil, fmt.Errorf("%w: exchanging the authorization code: %w", ErrLoginFailed, te)
	}
	if tok.RefreshToken == "" {
		return nil, fmt.Errorf("%w: Zoom returned no refresh token; is the app a user-managed OAuth app?", ErrLoginFailed)
	}
	secrets := []string{cfg.ClientSecret, tok.AccessToken, tok.RefreshToken}
	me, err := usersMe(xctx, cfg, tok.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("%w: signed in, but asking Zoom who the user is (GET /users/me) failed: %s; check that the app has the user:read:user scope", ErrLoginFailed, Scrub(err.Error(), secrets...))
	}
	st := &StoredToken{
		AccessToken:  tok.AccessToken,
		RefreshToken: tok.RefreshToken,
		TokenType:    tok.TokenType,
		Expiry:       tok.Expiry,
		Scopes:       GrantedScopes(tok),
		UserID:       me.ID,
		Email:        me.Email,
		AccountID:    me.AccountID,
		ClientID:     cfg.ClientID,
		Saved:        cfg.now(),
	}
	return st, nil
}

type zoomUser struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	AccountID string `json:"account_id"`
}

// usersMe asks Zoom who the token's user is.
func usersMe(ctx context.Context, cfg UserConfig, accessToken string) (*zoomUser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, cfg.apiBase()+"/users/me", nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+accessToken)
	req.Header.Set("Accept", "application/json")
	resp, err := cfg.httpClient().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		}
		if json.Unmarshal(body, &e) == nil && e.Message != "" {
			return nil, fmt.Errorf("HTTP %d: code %d: %s", resp.StatusCode, e.Code, truncate(e.Message, 200))
		}
		return nil, fmt.Errorf("HTTP %d: %s", resp.StatusCode, describeBody(resp.Header.Get("Content-Type"), body, accessToken))
	}
	var u zoomUser
	if err := json.Unmarshal(body, &u); err != nil || u.ID == "" {
		return nil, fmt.Errorf("unexpected answer: %s", describeBody(resp.Header.Get("Content-Type"), body, accessToken))
	}
	return &u, nil
}

func randomState() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("generating the OAuth state: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// page answers the browser with a small HTML page.
func page(w http.ResponseWriter, status int, title, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", "default-src 'none'")
	w.WriteHeader(status)
	fmt.Fprintf(w, "<!doctype html>\n<html><head><meta charset=\"utf-8\"><title>zoom-mcp: %s</title></head>\n<body><h1>%s</h1><p>%s</p></body></html>\n",
		html.EscapeString(title), html.EscapeString(title), strings.ReplaceAll(html.EscapeString(msg), "\n", "<br>"))
}
