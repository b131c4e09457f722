package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/zoommcp/zoom-mcp/auth"
	"github.com/zoommcp/zoom-mcp/connections"
	"github.com/zoommcp/zoom-mcp/internal/sandbox"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/tools"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// zoomClient returns a Server-to-Server client for the real Zoom API, or
// for the built-in simulator in sandbox mode.
func zoomClient(sandboxMode bool, sandboxScopes []string, getenv func(string) string, sh *shared) (*zoomapi.Client, error) {
	if sandboxMode {
		if err := knownScopes(sandboxScopes); err != nil {
			return nil, err
		}
		// ZOOM_PLAN picks the simulated account's plan, and the client
		// paces to the same plan (sandbox.New passes it on as
		// zoomapi.Config.Plan, hence WithPlan): "unlimited" takes the
		// limits off both, to measure the server itself.
		plan := zoomfake.Plan(strings.ToLower(strings.TrimSpace(getenv(zoomapi.EnvPlan))))
		c, _, err := sandbox.NewWithTokenHook(zoomfake.Options{Scopes: sandboxScopes, SeedOnDemand: true, Plan: plan}, sh.onFetch(), sh.clientOptions(zoomfake.DefaultAccountID)...)
		return c, err
	}
	cfg := zoomapi.ConfigFromEnv(getenv)
	if sh != nil {
		cfg.SharedToken, cfg.OnTokenFetch = sh.tokens, sh.onFetch()
	}
	c, _, err := zoomapi.NewS2SClient(cfg, &http.Client{Timeout: 60 * time.Second}, sh.clientOptions(cfg.AccountID)...)
	if errors.Is(err, auth.ErrMissingCredentials) {
		return nil, fmt.Errorf("%w (or run with --sandbox to try the server without a Zoom account)", err)
	}
	return c, err
}

// newConnections sets up the Zoom identities the server can act as: the
// Server-to-Server app (--auth s2s, the default when ZOOM_ACCOUNT_ID is
// set) and user connections from the token file (--auth user, the default
// otherwise when someone has signed in). With a Server-to-Server app, user
// connections use the user-managed app in ZOOM_USER_CLIENT_ID and
// ZOOM_USER_CLIENT_SECRET, if set.
func newConnections(cfg config, getenv func(string) string, sh *shared, logger *slog.Logger) (*connections.Registry, error) {
	if cfg.sandbox {
		if cfg.auth == "user" {
			return nil, errors.New("--auth user needs a Zoom (or `zoom-mcp simulator`) to sign in to; the built-in sandbox acts as its Server-to-Server app")
		}
		c, err := zoomClient(true, splitList(cfg.sbScopes), getenv, sh)
		if err != nil {
			return nil, err
		}
		return connections.New(connections.Options{S2S: c}), nil
	}
	path, err := tokenFile(cfg.tokenFile, getenv)
	if err != nil {
		return nil, err
	}
	var store auth.TokenStore = auth.NewFileStore(path)
	if sh.store != nil {
		store, path = sh.store, "(Redis)"
	}
	signedIn := func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		names, err := store.List(ctx)
		return err == nil && len(names) > 0
	}
	mode, err := authMode(cfg.auth, getenv, signedIn)
	if err != nil {
		return nil, err
	}
	opts := connections.Options{Default: cfg.connection, ClientOptions: userClientOptions(getenv), AccountOptions: sh.clientOptions}
	switch mode {
	case "s2s":
		if opts.S2S, err = zoomClient(false, nil, getenv, sh); err != nil {
			return nil, err
		}
		if cfg.connection == "" {
			opts.Default = connections.S2S
		}
		if u := userConfig(getenv, false); u.ClientID != "" {
			if err := u.Validate(); err != nil {
				return nil, fmt.Errorf("user connections: %w (%s and %s)", err, envUserClientID, envUserClientSecret)
			}
			u.OnFetch = sh.onFetch()
			opts.Store, opts.User = store, u
		}
	case "user":
		u := userConfig(getenv, true)
		if err := u.Validate(); err != nil {
			return nil, fmt.Errorf("%w of the user-managed app the tokens belong to", err)
		}
		u.OnFetch = sh.onFetch()
		opts.Store, opts.User = store, u
		if cfg.connection == "" {
			opts.Default = auth.DefaultConnection
		}
	}
	reg := connections.New(opts)
	logger.Info("Zoom authentication", "auth", mode, "default_connection", reg.Default(), "user_connections", reg.UserConnections(), "token_file", path)
	return reg, nil
}

// userClientOptions are the options of user connections' clients.
func userClientOptions(getenv func(string) string) []zoomapi.Option {
	opts := []zoomapi.Option{zoomapi.WithHTTPClient(&http.Client{Timeout: 60 * time.Second})}
	if u := getenv(zoomapi.EnvAPIBaseURL); u != "" {
		opts = append(opts, zoomapi.WithBaseURL(u))
	}
	if p := getenv(zoomapi.EnvPlan); p != "" {
		opts = append(opts, zoomapi.WithPlan(zoomapi.Plan(p)))
	}
	return opts
}

// scopeView knows the scopes each connection was granted, so that an
// agent is offered the tools its connection can run.
type scopeView struct {
	reg      *connections.Registry
	selected []tools.Tool
	// connectionOf names an agent's connection ("" for the default); nil
	// until the policy exists.
	connectionOf func(agent string) string

	mu    sync.Mutex
	cache map[string]grantedScopes
}

type grantedScopes struct {
	kind   string // s2s or user
	scopes []string
	known  bool
	at     time.Time
}

// scopeTTL is how long a connection's scopes are remembered: a sign-in
// from the browser, or a scope added to the app, shows within it.
const scopeTTL = 30 * time.Second

func newScopeView(reg *connections.Registry, selected []tools.Tool) *scopeView {
	return &scopeView{reg: reg, selected: selected, cache: map[string]grantedScopes{}}
}

// granted returns a connection's scopes, and false when they are not
// known (not signed in, or Zoom unreachable): then every tool is offered,
// and a call says what is wrong.
func (v *scopeView) granted(connection string) grantedScopes {
	v.mu.Lock()
	g, ok := v.cache[connection]
	v.mu.Unlock()
	if ok && time.Since(g.at) < scopeTTL {
		return g
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	id, err := v.reg.Identity(ctx, connection)
	g = grantedScopes{kind: id.Kind, scopes: id.Scopes, known: err == nil && len(id.Scopes) > 0, at: time.Now()}
	v.mu.Lock()
	v.cache[connection] = g
	v.mu.Unlock()
	return g
}

func (v *scopeView) connection(agent string) string {
	if v.connectionOf == nil {
		return v.reg.Default()
	}
	return v.reg.Name(v.connectionOf(agent))
}

// allows reports whether the agent's connection has a scope for t.
func (v *scopeView) allows(agent string, t pipeline.Tool) bool {
	if t.Endpoint.ID == "" {
		return true // the server's own tool needs no scope
	}
	g := v.granted(v.connection(agent))
	return !g.known || connections.Runs(t.Endpoint, g.kind, g.scopes)
}

// note is --show-unavailable's prefix of the description of a tool the
// agent's connection has no scope for.
func (v *scopeView) note(agent string, t pipeline.Tool) string {
	if v.allows(agent, t) {
		return ""
	}
	if g := v.granted(v.connection(agent)); g.kind == "user" && len(t.Endpoint.UserScopes()) == 0 {
		return fmt.Sprintf("[Unavailable: needs an admin-managed Zoom app (%s); a user-managed app has no scope for it.]", strings.Join(t.Endpoint.AdminScopes(), " or "))
	}
	return fmt.Sprintf("[Unavailable: the Zoom app lacks a scope for this tool; add %s to it (see zoom-mcp scopes).]", strings.Join(t.Endpoint.GranularScopes, " or "))
}

// startupCheck reads the default connection's scopes: for the
// Server-to-Server app the first token fetch, which checks the
// credentials (Zoom refusing them stops the server). It logs the tools the
// connection has no scope for. A user connection nobody has signed in yet
// is not an error: its calls say how to sign it in.
func (v *scopeView) startupCheck(parent context.Context, logger *slog.Logger) error {
	ctx, cancel := context.WithTimeout(parent, 20*time.Second)
	defer cancel()
	name := v.reg.Default()
	id, err := v.reg.Identity(ctx, name)
	var tokErr *auth.TokenError
	switch {
	case errors.As(err, &tokErr) && tokErr.BadCredentials():
		return err
	case parent.Err() != nil:
		return nil // serving ended first (or the server is stopping)
	case errors.Is(err, auth.ErrNotConnected) || errors.Is(err, auth.ErrLoginRequired):
		logger.Warn("the default Zoom connection is not signed in; calls will say how to sign it in", "connection", name, "err", err)
		return nil
	case err != nil:
		logger.Warn("cannot check the Zoom app's scopes at start-up; offering every tool", "err", err)
		return nil
	}
	v.mu.Lock()
	v.cache[name] = grantedScopes{kind: id.Kind, scopes: id.Scopes, known: len(id.Scopes) > 0, at: time.Now()}
	v.mu.Unlock()
	if len(id.Scopes) == 0 {
		return nil
	}
	var names []string
	for _, t := range v.selected {
		if !t.Local() && !connections.Runs(t.Endpoint, id.Kind, id.Scopes) {
			names = append(names, t.Name())
		}
	}
	if len(names) > 0 {
		logger.Warn("not listing tools the Zoom app has no scope for (a call of one says which scopes to add); add their scopes to the app (zoom-mcp scopes prints them) or pass --show-unavailable",
			"connection", name, "tools", strings.Join(names, ","))
	}
	return nil
}
