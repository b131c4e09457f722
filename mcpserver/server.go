// Package mcpserver assembles the MCP server from the tool registry and
// serves it over stdio or streamable HTTP.
package mcpserver

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/internal/httpserve"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/tools"
)

// Name is the server name announced to clients.
const Name = "zoom-mcp"

// Version is set at build time with -ldflags "-X .../mcpserver.Version=...".
var Version = "dev"

const instructions = `Tools for one Zoom account: meetings, meeting registrants, webinars, users, cloud recordings and reports.
IDs come from the list tools. user_id defaults to "me", the account the server acts for.
next_page_token values expire after 15 minutes. A failed call says what to do next in its message.`

// Options configures New.
type Options struct {
	Tools []tools.Tool
	// Pipeline is what every call passes; its Client gives each call its
	// Zoom client.
	Pipeline *pipeline.Pipeline
	// Visible, if set, decides per agent which tools tools/list shows. A
	// call of a tool not shown still reaches the pipeline, whose access
	// check refuses it with a reason and audits it.
	Visible func(agent string, t pipeline.Tool) bool
	// Unavailable, if set, returns a note for a tool that is listed but
	// cannot run for the agent (its Zoom connection lacks the scope); the
	// note goes before the tool's description.
	Unavailable func(agent string, t pipeline.Tool) string
	// DynamicToolsets starts each session's tools/list with list_toolsets
	// and enable_toolset only; enabling a toolset adds its tools.
	DynamicToolsets bool
	Logger          *slog.Logger
	// ValidateOutput checks every structured result against the tool's
	// outputSchema before it leaves the server (tests turn it on).
	ValidateOutput bool
	// ListPageSize pages tools/list by this many tools; 0 lists all at once.
	ListPageSize int
	// Events, if set, serves the event resources (zoom://events and
	// zoom://meetings/{id}/events) with subscriptions; the returned
	// server's notifier runs from Notify (see NewWithEvents).
	Events *EventOptions
}

// New returns an MCP server that offers opts.Tools.
func New(opts Options) *server.MCPServer {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	so := []server.ServerOption{
		server.WithToolCapabilities(true), // the list changes when the access policy is reloaded
		server.WithInstructions(instructions),
		server.WithRecovery(),
		server.WithToolHandlerMiddleware(logCalls(logger)),
		server.WithToolHandlerMiddleware(dropCancelled),
	}
	if opts.ListPageSize > 0 {
		so = append(so, server.WithPaginationLimit(opts.ListPageSize))
	}
	if opts.ValidateOutput {
		so = append(so, server.WithOutputSchemaValidation())
	}
	var dyn *dynamicToolsets
	if opts.DynamicToolsets {
		dyn = newDynamicToolsets(opts.Tools, opts.Visible)
	}
	hooks := &server.Hooks{}
	if opts.Visible != nil || opts.Unavailable != nil || dyn != nil {
		hooks = listFilter(opts.Tools, opts.Visible, opts.Unavailable, dyn)
	}
	so = append(so, server.WithHooks(hooks))
	if opts.Events != nil {
		so = append(so, server.WithResourceCapabilities(true, false))
	}
	s := server.NewMCPServer(Name, Version, so...)
	if opts.Events != nil {
		opts.Events.notify = AddEventResources(s, hooks, *opts.Events)
	}
	st := make([]server.ServerTool, len(opts.Tools))
	for i, t := range opts.Tools {
		st[i] = t.ServerTool(opts.Pipeline)
	}
	if dyn != nil {
		st = append(st, dyn.serverTools()...)
	}
	s.AddTools(st...)
	return s
}

// listFilter shows each agent only the tools it may call. It filters the
// tools/list answer rather than using a tool filter, because mcp-go's
// tool filters also turn a call of a hidden tool into "tool not found"
// before the pipeline can refuse it with a reason and audit it.
//
// With toolsets on demand (dyn), a session also sees only the toolsets it
// enabled, and the two discovery tools always.
func listFilter(all []tools.Tool, visible func(string, pipeline.Tool) bool, unavailable func(string, pipeline.Tool) string, dyn *dynamicToolsets) *server.Hooks {
	info := make(map[string]pipeline.Tool, len(all))
	for _, t := range all {
		info[t.Name()] = t.Info()
	}
	if visible == nil {
		visible = func(string, pipeline.Tool) bool { return true }
	}
	h := &server.Hooks{}
	h.AddAfterListTools(func(ctx context.Context, _ any, _ *mcp.ListToolsRequest, res *mcp.ListToolsResult) {
		agent, _ := pipeline.AgentFrom(ctx)
		kept := res.Tools[:0]
		for _, t := range res.Tools {
			ti, ok := info[t.Name]
			switch {
			case !ok:
				if dyn != nil && (t.Name == listToolsetsTool || t.Name == enableToolsetTool) {
					kept = append(kept, t)
				}
			case visible(agent.Name, ti) && (dyn == nil || dyn.isEnabled(ctx, ti.Toolset)):
				if unavailable != nil {
					if note := unavailable(agent.Name, ti); note != "" {
						t.Description = note + " " + t.Description
					}
				}
				kept = append(kept, t)
			}
		}
		res.Tools = kept
	})
	if dyn != nil {
		h.AddOnUnregisterSession(func(_ context.Context, s server.ClientSession) { dyn.forget(s.SessionID()) })
	}
	return h
}

// logCalls logs each tool call: its name, outcome and duration. Arguments
// and results are not logged.
func logCalls(logger *slog.Logger) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			start := time.Now()
			res, err := next(ctx, req)
			agent, _ := pipeline.AgentFrom(ctx)
			attrs := []any{"agent", agent.Name, "tool", req.Params.Name, "duration", time.Since(start)}
			switch {
			case err != nil:
				logger.Error("tool call failed", append(attrs, "err", err)...)
			case res != nil && res.IsError:
				logger.Info("tool call refused", append(attrs, "kind", tools.ErrorKind(res))...)
			default:
				logger.Debug("tool call", attrs...)
			}
			return res, err
		}
	}
}

// ServeStdio serves one client, acting as agent, on in and out until ctx
// ends or in closes. Nothing else may write to out. Lines that mcp-go
// would buffer whole or misread are answered before it sees them (see
// lineFilter): one message is at most 4 MiB unless WithMaxMessageBytes
// says otherwise.
func ServeStdio(ctx context.Context, s *server.MCPServer, agent pipeline.Agent, in io.Reader, out io.Writer, logger *slog.Logger, opts ...StdioOption) error {
	o := stdioOptions{maxMessage: defaultMaxStdioMessage}
	for _, opt := range opts {
		opt(&o)
	}
	w := &lockedWriter{w: out}
	defer w.close()
	std := server.NewStdioServer(s)
	cancels := &cancelledCalls{}
	std.SetContextFunc(func(ctx context.Context) context.Context {
		return context.WithValue(pipeline.WithAgent(ctx, agent), cancelledKey{}, cancels)
	})
	std.SetErrorLogger(slog.NewLogLogger(logger.Handler(), slog.LevelError))
	filter := newLineFilter(in, w, o.maxMessage, logger)
	filter.cancels = cancels
	err := std.Listen(ctx, filter, w)
	if errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// maxRequestBody bounds an HTTP request body; MCP messages are small.
const maxRequestBody = 4 << 20

// DefaultMaxConnections is HandlerOptions.MaxConnections by default.
const DefaultMaxConnections = httpserve.DefaultMaxConnections

// HandlerOptions configures Handler, and ServeHTTP when it serves one.
type HandlerOptions struct {
	Logger *slog.Logger
	// Connect, if set, serves the pages under ConnectPath where a person
	// signs a Zoom user connection in from a browser.
	Connect http.Handler
	// Webhook, if set, takes Zoom's webhook deliveries at WebhookPath; it
	// verifies their signature itself (no agent key).
	Webhook http.Handler
	// Stateless serves streamable HTTP without MCP sessions (mcp-go's
	// stateless mode), so that replicas behind a load balancer need no
	// sticky sessions: every request is authenticated and answered on its
	// own. Requests of the 2026-07-28 protocol, which has no sessions, are
	// served so in either mode. Server-to-client requests over a session
	// (elicitation/create of older clients) are not available.
	Stateless bool
	// Metrics, if set, serves GET /metrics (Prometheus text exposition).
	// The Host check applies; no API key is asked, so anyone who reaches
	// the server sees the counts, labelled by tool and agent name.
	Metrics http.Handler
	// AllowedOrigins are the browser origins (scheme://host[:port]) that
	// may call /mcp besides loopback ones. Requests without an Origin
	// header, which is every non-browser client, are not affected.
	AllowedOrigins []string
	// AllowedHosts are the Host header values (name, or name:port) /mcp
	// answers besides loopback ones; an entry without a port allows any.
	AllowedHosts []string
	// Public says the server listens beyond loopback: ServeHTTP then
	// refuses to start without AllowedHosts.
	Public bool
	// Auth authenticates agents by their API keys. Without it every
	// request acts as Local (a loopback server with no config).
	Auth  Authenticator
	Local pipeline.Agent
	// MaxSessions bounds the live MCP sessions; past it, initialize gets
	// 503 (0: DefaultMaxSessions).
	MaxSessions int
	// SessionIdleTimeout ends a session with no request for this long
	// (0: DefaultSessionIdleTimeout).
	SessionIdleTimeout time.Duration
	// Sessions keeps the live sessions (nil: in memory).
	Sessions SessionStore
	// MaxConnections bounds the open connections when ServeHTTP serves
	// the handler; more wait (0: DefaultMaxConnections; negative: none).
	MaxConnections int
}

// httpHandler is what Handler returns: the routes, and what ServeHTTP
// needs besides.
type httpHandler struct {
	http.Handler
	gate      *sessionGate
	maxConns  int
	err       error // a configuration ServeHTTP refuses to start with
	stop      chan struct{}
	closeOnce sync.Once
}

// close stops reaping idle sessions.
func (h *httpHandler) close() { h.closeOnce.Do(func() { close(h.stop) }) }

// Handler serves streamable HTTP at /mcp and a health check at /healthz.
// Two checks guard /mcp against DNS rebinding and cross-site requests from
// a browser: a request must name a loopback host or an allowed one, and a
// request with an Origin header must come from a loopback origin or an
// allowed one (the MCP specification asks servers to validate Origin).
// /healthz answers any host: probes name the server by its address, and
// it tells nothing. Sessions are admitted by the session gate and ended
// after opts.SessionIdleTimeout without a request, by a goroutine that
// runs until ServeHTTP returns.
func Handler(s *server.MCPServer, opts HandlerOptions) http.Handler {
	return newHTTPHandler(s, opts, time.Now)
}

// WebhookPath is where HandlerOptions.Webhook is served.
const WebhookPath = "/zoom/webhook"

// ConnectPath is where HandlerOptions.Connect is served.
const ConnectPath = "/connect/zoom"

// newHTTPHandler is Handler on a clock.
func newHTTPHandler(s *server.MCPServer, opts HandlerOptions, now func() time.Time) *httpHandler {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	gate := newSessionGate(opts.Sessions, cmp.Or(opts.MaxSessions, DefaultMaxSessions),
		cmp.Or(opts.SessionIdleTimeout, DefaultSessionIdleTimeout), logger)
	gate.now = now
	gate.stateless = opts.Stateless
	gate.transport = server.NewStreamableHTTPServer(s,
		server.WithEndpointPath("/mcp"),
		server.WithStreamableHTTPLogger(logger),
		server.WithSessionIdManagerResolver(gate),
		// checkHost checks the Host of every request, not only of those
		// on a loopback address.
		server.WithDisableLocalhostProtection(true),
	)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"status":"ok"}`)
	})
	mux.Handle("/mcp", checkHost(opts.AllowedHosts, logger, checkOrigin(opts.AllowedOrigins, logger,
		authenticate(opts.Auth, opts.Local, logger, http.MaxBytesHandler(gate, maxRequestBody)))))
	if opts.Webhook != nil {
		mux.Handle(WebhookPath, checkHost(opts.AllowedHosts, logger, opts.Webhook))
	}
	if opts.Connect != nil {
		// Browser pages: the Host check applies; they are reached by links
		// the server signs, not by an agent's key.
		mux.Handle(ConnectPath+"/", checkHost(opts.AllowedHosts, logger, http.MaxBytesHandler(opts.Connect, 64<<10)))
	}
	if opts.Metrics != nil {
		mux.Handle("GET /metrics", checkHost(opts.AllowedHosts, logger, opts.Metrics))
	}
	h := &httpHandler{
		Handler: mux, gate: gate, maxConns: opts.MaxConnections,
		err: checkHTTPOptions(opts), stop: make(chan struct{}),
	}
	go gate.reapEvery(h.stop)
	return h
}

// checkOrigin refuses requests whose Origin is neither loopback nor listed.
func checkOrigin(allowed []string, logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || originAllowed(origin, allowed) {
			next.ServeHTTP(w, r)
			return
		}
		logger.Warn("refused a request from a browser origin that is not allowed", "origin", origin)
		http.Error(w, "Forbidden: origin not allowed (see --allowed-origins)", http.StatusForbidden)
	})
}

func originAllowed(origin string, allowed []string) bool {
	for _, a := range allowed {
		if strings.EqualFold(strings.TrimRight(a, "/"), origin) {
			return true
		}
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return false
	}
	host := u.Hostname()
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// checkHTTPOptions finds what ServeHTTP refuses to start with.
func checkHTTPOptions(opts HandlerOptions) error {
	switch {
	case opts.MaxSessions < 0:
		return fmt.Errorf("invalid --max-sessions %d: want a positive number", opts.MaxSessions)
	case opts.SessionIdleTimeout < 0:
		return fmt.Errorf("invalid --session-idle-timeout %v: want a positive duration", opts.SessionIdleTimeout)
	}
	return checkAllowedHosts(opts.AllowedHosts, opts.Public)
}

// ServeHTTP listens on addr and serves h until ctx ends, then shuts down
// gracefully. ready, if not nil, receives the bound address. A handler
// from Handler brings its connection limit, and a configuration it cannot
// start with.
func ServeHTTP(ctx context.Context, addr string, h http.Handler, logger *slog.Logger, ready func(net.Addr)) error {
	o := httpserve.Options{ErrorLog: slog.NewLogLogger(logger.Handler(), slog.LevelWarn), Ready: ready}
	if hh, ok := h.(*httpHandler); ok {
		if hh.err != nil {
			return hh.err
		}
		defer hh.close()
		o.MaxConnections = hh.maxConns
		// GET streams last until their session ends: end them all, or
		// they hold up the shutdown until its timeout (after which
		// httpserve closes their connections). A GET whose handler was
		// starting as shutdown began registers after the first sweep, so
		// sweep again until Run returns, as mcp-go's own Shutdown does.
		stopped := make(chan struct{})
		defer close(stopped)
		o.OnShutdown = func() {
			sctx := context.WithoutCancel(ctx)
			tick := time.NewTicker(10 * time.Millisecond)
			defer tick.Stop()
			for {
				hh.gate.transport.CloseSessions(sctx)
				select {
				case <-stopped:
					return
				case <-tick.C:
				}
			}
		}
	}
	return httpserve.Run(ctx, addr, h, o)
}
