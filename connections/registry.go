// Package connections knows the Zoom identities the server can act as: the
// Server-to-Server app ("s2s"), and named user connections, each one Zoom
// user's authorization of a user-managed app (zoom-mcp login --connection
// NAME). An agent acts as the connection its policy names, or the server's
// default; the call pipeline takes each call's Zoom client from here.
package connections

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoommcp/zoom-mcp/audit"
	"github.com/zoommcp/zoom-mcp/auth"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// S2S is the name of the Server-to-Server app's connection.
const S2S = "s2s"

// Options configures a Registry.
type Options struct {
	// S2S is the Server-to-Server app's client; nil when there is none.
	S2S *zoomapi.Client
	// Store keeps the user connections' tokens; nil when there are none.
	Store auth.TokenStore
	// User is the user-managed app the user connections belong to.
	User auth.UserConfig
	// ClientOptions are added to every user connection's client (base URL,
	// plan, HTTP client).
	ClientOptions []zoomapi.Option
	// AccountOptions, if set, returns options for the client of a user
	// connection of the Zoom account (the rate limiter and counters, which
	// Zoom keeps per account); the account is the signed-in user's, or
	// the connection's name while it is not known.
	AccountOptions func(account string) []zoomapi.Option
	// Default is the connection of agents whose policy names none.
	Default string
	// ConnectURL, if set, returns where a person can sign a connection in
	// from a browser (the HTTP server's /connect/zoom page).
	ConnectURL func(connection string) string
	// Now is the clock; nil means time.Now.
	Now func() time.Time
}

// Registry hands out the client of each connection. User connections'
// clients are made at first use, each with its own token source on the
// shared store. It is safe for concurrent use.
type Registry struct {
	opts Options

	mu    sync.Mutex
	users map[string]*userConn
}

type userConn struct {
	client *zoomapi.Client
	tokens *auth.UserTokenSource
}

// New returns a registry. It does no I/O.
func New(opts Options) *Registry {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Default == "" {
		opts.Default = S2S
		if opts.S2S == nil {
			opts.Default = auth.DefaultConnection
		}
	}
	return &Registry{opts: opts, users: map[string]*userConn{}}
}

// SetConnectURL sets where a person signs a connection in from a browser
// (see Options.ConnectURL), before the registry is used.
func (r *Registry) SetConnectURL(f func(connection string) string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.opts.ConnectURL = f
}

// Default returns the connection of agents that name none.
func (r *Registry) Default() string { return r.opts.Default }

// Name returns the connection a policy's entry means: itself, or the
// default when empty.
func (r *Registry) Name(connection string) string {
	if connection == "" {
		return r.opts.Default
	}
	return connection
}

// UserConnections reports whether user connections can be used.
func (r *Registry) UserConnections() bool { return r.opts.Store != nil }

// Client returns the connection's client. A user connection's first use
// reads its account from the store; one that is not signed in fails at
// its first call, with a *NotConnectedError.
func (r *Registry) Client(connection string) (*zoomapi.Client, error) {
	name := r.Name(connection)
	if name == S2S {
		if r.opts.S2S == nil {
			return nil, &NotConnectedError{Connection: name, Reason: "this server has no Server-to-Server app (set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET)"}
		}
		return r.opts.S2S, nil
	}
	u, err := r.user(name)
	if err != nil {
		return nil, err
	}
	return u.client, nil
}

func (r *Registry) user(name string) (*userConn, error) {
	if r.opts.Store == nil {
		return nil, &NotConnectedError{Connection: name, Reason: "this server has no user-managed Zoom app (set ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET of one and sign in with zoom-mcp login)"}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if u, ok := r.users[name]; ok {
		return u, nil
	}
	ts, err := auth.NewUserTokenSource(r.opts.User, r.opts.Store, name)
	if err != nil {
		return nil, err
	}
	opts := append([]zoomapi.Option{
		zoomapi.WithTokenSource(&hinted{ts: ts, r: r, connection: name}),
		zoomapi.WithSecrets(r.opts.User.ClientSecret),
	}, r.opts.ClientOptions...)
	if r.opts.AccountOptions != nil {
		account := "connection:" + name
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		if st, err := r.opts.Store.Load(ctx, name); err == nil && st.AccountID != "" {
			account = st.AccountID
		}
		cancel()
		opts = append(opts, r.opts.AccountOptions(account)...)
	}
	c, err := zoomapi.NewClient(opts...)
	if err != nil {
		return nil, err
	}
	u := &userConn{client: c, tokens: ts}
	r.users[name] = u
	return u, nil
}

// ClientFunc returns the pipeline's client resolver: each call uses the
// client of the connection its agent acts as (connectionOf, from the
// policy; "" for the default).
func (r *Registry) ClientFunc(connectionOf func(agent string) string) pipeline.ClientFunc {
	return func(_ context.Context, c *pipeline.Call) (*zoomapi.Client, error) {
		return r.Client(connectionOf(c.Agent.Name))
	}
}

// Identity is who a connection acts as.
type Identity struct {
	Connection string
	Kind       string // "s2s" or "user"
	UserID     string
	Email      string
	AccountID  string
	Scopes     []string
}

// Identity returns who the connection acts as. For a user connection it
// reads the store (no request to Zoom); for the Server-to-Server app it
// takes the scopes of its token, which it may fetch.
func (r *Registry) Identity(ctx context.Context, connection string) (Identity, error) {
	name := r.Name(connection)
	if name == S2S {
		c, err := r.Client(name)
		if err != nil {
			return Identity{}, err
		}
		scopes, err := c.GrantedScopes(ctx)
		return Identity{Connection: name, Kind: "s2s", Scopes: scopes}, err
	}
	u, err := r.user(name)
	if err != nil {
		return Identity{}, err
	}
	st, err := u.tokens.Stored(ctx)
	if err != nil {
		return Identity{}, r.hint(name, err)
	}
	return Identity{Connection: name, Kind: "user", UserID: st.UserID, Email: st.Email, AccountID: st.AccountID, Scopes: st.Scopes}, nil
}

// NotConnectedError is a call through a connection nobody has signed in
// for, or whose sign-in Zoom no longer accepts.
type NotConnectedError struct {
	Connection string
	Reason     string
	// URL is where a person can sign the connection in from a browser.
	URL string
	Err error
}

func (e *NotConnectedError) Error() string {
	msg := fmt.Sprintf("The Zoom connection %q this agent acts as is not signed in", e.Connection)
	if e.Reason != "" {
		msg += ": " + e.Reason
	}
	msg += "."
	if e.URL != "" {
		msg += " A person can sign it in by opening " + e.URL + " in a browser, or"
	} else {
		msg += " The operator can"
	}
	msg += fmt.Sprintf(" run: zoom-mcp login --connection %s.", e.Connection)
	return msg
}

func (e *NotConnectedError) Unwrap() error { return e.Err }

// Is makes a NotConnectedError match auth.ErrNotConnected.
func (e *NotConnectedError) Is(target error) bool { return target == auth.ErrNotConnected }

// hint turns the token source's "not connected" and "login required"
// errors into a NotConnectedError with the sign-in link.
func (r *Registry) hint(connection string, err error) error {
	if !errors.Is(err, auth.ErrNotConnected) && !errors.Is(err, auth.ErrLoginRequired) {
		return err
	}
	var nc *NotConnectedError
	if errors.As(err, &nc) {
		return err
	}
	e := &NotConnectedError{Connection: connection, Err: err}
	if errors.Is(err, auth.ErrLoginRequired) {
		e.Reason = "Zoom no longer accepts its sign-in (revoked, expired or replaced)"
	} else {
		e.Reason = "nobody has signed in for it yet"
	}
	r.mu.Lock()
	link := r.opts.ConnectURL
	r.mu.Unlock()
	if link != nil {
		e.URL = link(connection)
	}
	return e
}

// hinted is a user connection's token source whose "sign in" errors carry
// the connection and the link to sign it in.
type hinted struct {
	ts         *auth.UserTokenSource
	r          *Registry
	connection string
}

func (h *hinted) Token(ctx context.Context) (*oauth2.Token, error) {
	tok, err := h.ts.Token(ctx)
	if err != nil {
		return nil, h.r.hint(h.connection, err)
	}
	return tok, nil
}

func (h *hinted) Invalidate(tok *oauth2.Token) { h.ts.Invalidate(tok) }

// UserLevel returns the middleware that refuses, before Zoom is asked, a
// call through a user connection that names another user when the
// connection's scopes are user-level for the tool: such scopes reach only
// the signed-in user, and Zoom would refuse.
func (r *Registry) UserLevel(connectionOf func(agent string) string) pipeline.Middleware {
	return func(next pipeline.Handler) pipeline.Handler {
		return func(ctx context.Context, call *pipeline.Call) pipeline.Outcome {
			name := r.Name(connectionOf(call.Agent.Name))
			if name == S2S || call.Invalid != nil {
				return next(ctx, call)
			}
			id, err := r.Identity(ctx, name)
			if err != nil {
				return next(ctx, call) // the call fails at its token, with the sign-in link
			}
			ep := call.Tool.Endpoint
			if ep.ID == "" || adminGranted(ep, id.Scopes) {
				return next(ctx, call)
			}
			if len(ep.UserScopes()) == 0 {
				return pipeline.Outcome{Decision: pipeline.Failed, Error: adminOnly(call, id)}
			}
			for _, u := range call.Targets.Users {
				if !id.Is(u) {
					return pipeline.Outcome{Decision: pipeline.Failed, Error: otherUser(call, id, u)}
				}
			}
			return next(ctx, call)
		}
	}
}

// Is reports whether user (an ID, an email, or me) is the connection's user.
func (id Identity) Is(user string) bool {
	u := strings.TrimSpace(user)
	return u == "" || strings.EqualFold(u, "me") || (id.UserID != "" && u == id.UserID) ||
		(id.Email != "" && strings.EqualFold(u, id.Email))
}

// Runs reports whether a connection with scopes (of kind "s2s" or
// "user") can run the endpoint: any of its scopes for the
// Server-to-Server app; for a user connection an account-wide one, or a
// user-level one where Zoom has a user-level granular scope for it (a
// classic user-level scope such as user:read does not let a user-managed
// app list the account's users).
func Runs(ep zoomapi.Endpoint, kind string, scopes []string) bool {
	if kind != "user" {
		return ep.Authorized(scopes)
	}
	return adminGranted(ep, scopes) || len(ep.UserScopes()) > 0 && ep.Authorized(scopes)
}

// adminGranted reports whether scopes include one of the endpoint's
// account-wide scopes (granular :admin or classic :admin).
func adminGranted(ep zoomapi.Endpoint, scopes []string) bool {
	for _, s := range append(ep.AdminScopes(), ep.ClassicScopes...) {
		if strings.HasSuffix(s, ":admin") && slices.Contains(scopes, s) {
			return true
		}
	}
	return false
}

// adminOnly refuses a tool Zoom offers user-managed apps no scope for.
func adminOnly(call *pipeline.Call, id Identity) *pipeline.ErrorInfo {
	admin := call.Tool.Endpoint.AdminScopes()
	return &pipeline.ErrorInfo{
		Kind:          pipeline.KindMissingScope,
		MissingScopes: admin,
		Message: fmt.Sprintf("%s needs an admin-managed Zoom app (scopes %s); this server acts as Zoom user %s through a user-managed app, "+
			"for which Zoom has no such scope. Nothing was sent to Zoom. Ask the operator to connect an admin-managed or Server-to-Server app for this agent.",
			call.Tool.Name, strings.Join(admin, ", "), who(id)),
	}
}

func who(id Identity) string {
	if id.Email != "" {
		return audit.MaskEmail(id.Email)
	}
	return "the signed-in user"
}

func otherUser(call *pipeline.Call, id Identity, user string) *pipeline.ErrorInfo {
	admin := call.Tool.Endpoint.AdminScopes()
	return &pipeline.ErrorInfo{
		Kind:          pipeline.KindMissingScope,
		MissingScopes: admin,
		Message: fmt.Sprintf("This server acts as Zoom user %s through a user-managed app, whose user-level scopes reach only that user; "+
			"user_id %q is another user, which needs the :admin scopes (%s) of an admin-managed app. Nothing was sent to Zoom. "+
			"Use user_id \"me\", or ask the operator for an admin-managed app.", who(id), user, strings.Join(admin, ", ")),
	}
}

// forget drops a user connection's client, so that the next call makes a
// new one from what the store holds now (after a sign-in).
func (r *Registry) forget(connection string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.users, connection)
}
