package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"runtime"
	"strings"
	"time"

	"github.com/zoommcp/zoom-mcp/audit"
	"github.com/zoommcp/zoom-mcp/auth"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Environment variables of user connections.
const (
	envTokenFile = "ZOOM_MCP_TOKEN_FILE"
	// The user-managed app's credentials when the server also has a
	// Server-to-Server app (whose are ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET).
	envUserClientID     = "ZOOM_USER_CLIENT_ID"
	envUserClientSecret = "ZOOM_USER_CLIENT_SECRET"
)

// DefaultRedirectPort is the loopback port of zoom-mcp login's redirect
// URL, http://127.0.0.1:8765/callback, which the Zoom app must list.
const defaultRedirectPort = 8765

// userConfig is the user-managed app: ZOOM_USER_CLIENT_ID and
// ZOOM_USER_CLIENT_SECRET if set, else (with fallback: when ZOOM_CLIENT_ID
// is not the Server-to-Server app's) ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET.
func userConfig(getenv func(string) string, fallback bool) auth.UserConfig {
	id, secret := getenv(envUserClientID), getenv(envUserClientSecret)
	if id == "" && secret == "" && fallback {
		id, secret = getenv(zoomapi.EnvClientID), getenv(zoomapi.EnvClientSecret)
	}
	return auth.UserConfig{
		ClientID: id, ClientSecret: secret,
		OAuthBaseURL: getenv(zoomapi.EnvOAuthBaseURL), APIBaseURL: getenv(zoomapi.EnvAPIBaseURL),
		HTTPClient: &http.Client{Timeout: 60 * time.Second},
	}
}

// tokenFile is --token-file, ZOOM_MCP_TOKEN_FILE, or the default in the
// user's configuration directory.
func tokenFile(flagValue string, getenv func(string) string) (string, error) {
	if flagValue != "" {
		return flagValue, nil
	}
	if f := getenv(envTokenFile); f != "" {
		return f, nil
	}
	f, err := auth.DefaultTokenFile()
	if err != nil {
		return "", fmt.Errorf("no place for the token file (%v): pass --token-file or set %s", err, envTokenFile)
	}
	return f, nil
}

// userFlags are the flags login, whoami and logout share.
type userFlags struct {
	connection string
	tokenFile  string
}

func (u *userFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&u.connection, "connection", auth.DefaultConnection, "the `name` of the user connection (agents name it as zoom: NAME in --config)")
	fs.StringVar(&u.tokenFile, "token-file", "", "where user tokens are kept (default: $"+envTokenFile+", else tokens.json in the user's config directory)")
}

func (u *userFlags) store(getenv func(string) string) (*auth.FileStore, string, error) {
	path, err := tokenFile(u.tokenFile, getenv)
	if err != nil {
		return nil, "", err
	}
	return auth.NewFileStore(path), path, nil
}

// runLogin signs a Zoom user in: `zoom-mcp login`.
func runLogin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("zoom-mcp login", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var u userFlags
	u.register(fs)
	port := fs.Int("redirect-port", defaultRedirectPort, "loopback `port` of the redirect URL http://127.0.0.1:PORT/callback, as listed in the Zoom app")
	noBrowser := fs.Bool("no-browser", false, "print the sign-in URL instead of opening a browser")
	timeout := fs.Duration("timeout", 5*time.Minute, "how long to wait for the browser's answer")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: zoom-mcp login [--connection NAME] [--redirect-port PORT] [--no-browser] [--token-file FILE]\n\n"+
			"Signs a Zoom user in to the user-managed OAuth app whose credentials are in ZOOM_CLIENT_ID and\n"+
			"ZOOM_CLIENT_SECRET (authorization code with PKCE), and keeps the tokens in the token file.\n\n")
		fs.PrintDefaults()
	}
	if err := parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see zoom-mcp login --help)", fs.Arg(0))
	}
	cfg := userConfig(getenv, true)
	if err := cfg.Validate(); err != nil {
		return err
	}
	store, path, err := u.store(getenv)
	if err != nil {
		return err
	}
	opts := auth.LoginOptions{Config: cfg, Store: store, Connection: u.connection, Port: *port, Prompt: stderr, Timeout: *timeout}
	if !*noBrowser {
		opts.OpenBrowser = openBrowser
	}
	st, err := auth.Login(ctx, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(stderr, "Signed in to Zoom as %s (connection %q); the tokens are in %s.\n", audit.MaskEmail(st.Email), u.connection, path)
	return nil
}

// openBrowser opens url in the user's browser, without waiting for it.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go func() { _ = cmd.Wait() }() // reap it; the browser outlives it
	return nil
}

// runWhoami prints who the server acts as: `zoom-mcp whoami`.
func runWhoami(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("zoom-mcp whoami", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var u userFlags
	u.register(fs)
	full := fs.Bool("full", false, "show the email address unmasked")
	mode := fs.String("auth", "", "`s2s` or user (default: s2s when ZOOM_ACCOUNT_ID is set, else user)")
	if err := parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	kind, err := authMode(*mode, getenv, nil)
	if err != nil {
		return err
	}
	if kind == "s2s" {
		c, _, err := zoomapi.NewS2SClient(zoomapi.ConfigFromEnv(getenv), &http.Client{Timeout: 60 * time.Second})
		if err != nil {
			return err
		}
		scopes, err := c.GrantedScopes(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "auth:    Server-to-Server OAuth (the app acts for the whole account)\naccount: %s\nscopes:  %s\n",
			getenv(zoomapi.EnvAccountID), strings.Join(scopes, " "))
		return nil
	}
	cfg := userConfig(getenv, true)
	if err := cfg.Validate(); err != nil {
		return err
	}
	store, path, err := u.store(getenv)
	if err != nil {
		return err
	}
	ts, err := auth.NewUserTokenSource(cfg, store, u.connection)
	if err != nil {
		return err
	}
	// A live check: renews the access token if it is due, so that a
	// sign-in Zoom no longer accepts shows here, not at the first call.
	if _, err := ts.Token(ctx); err != nil {
		return err
	}
	st, err := ts.Stored(ctx)
	if err != nil {
		return err
	}
	email := audit.MaskEmail(st.Email)
	if *full {
		email = st.Email
	}
	fmt.Fprintf(stdout, "auth:       user (user-managed OAuth app, connection %q)\naccount:    %s\nuser:       %s (ID %s)\nscopes:     %s\ntoken file: %s\n",
		u.connection, st.AccountID, email, st.UserID, strings.Join(st.Scopes, " "), path)
	return nil
}

// runLogout revokes a user connection's tokens at Zoom and deletes them:
// `zoom-mcp logout`.
func runLogout(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("zoom-mcp logout", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var u userFlags
	u.register(fs)
	if err := parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	store, _, err := u.store(getenv)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	st, err := store.Load(ctx, u.connection)
	if errors.Is(err, auth.ErrNotConnected) {
		fmt.Fprintf(stderr, "Connection %q is not signed in; nothing to do.\n", u.connection)
		return nil
	}
	if err != nil {
		return err
	}
	revokeErr := auth.Revoke(ctx, userConfig(getenv, true), st.RefreshToken)
	if err := store.Delete(ctx, u.connection); err != nil {
		return err
	}
	if revokeErr != nil {
		return fmt.Errorf("deleted the tokens of connection %q here, but Zoom did not confirm revoking them (%v); remove the app's access in Zoom (App Marketplace, Manage, Added apps) to be sure", u.connection, revokeErr)
	}
	fmt.Fprintf(stderr, "Signed out: Zoom revoked the tokens of connection %q (%s) and they are deleted.\n", u.connection, audit.MaskEmail(st.Email))
	return nil
}

// authMode decides between the Server-to-Server app and user connections:
// --auth, else s2s when ZOOM_ACCOUNT_ID is set, else user when a token is
// stored (hasUser, if given), else the error that says how to set either up.
func authMode(flagValue string, getenv func(string) string, hasUser func() bool) (string, error) {
	switch flagValue {
	case "s2s", "user":
		return flagValue, nil
	case "":
	default:
		return "", fmt.Errorf("--auth %q: want s2s or user", flagValue)
	}
	if getenv(zoomapi.EnvAccountID) != "" {
		return "s2s", nil
	}
	if hasUser == nil || hasUser() {
		return "user", nil
	}
	return "", errors.New("no Zoom credentials: set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET of a Server-to-Server app, " +
		"or sign in with a user-managed app (ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET, then zoom-mcp login); or run with --sandbox to try the server without a Zoom account")
}
