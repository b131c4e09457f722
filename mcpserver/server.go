// Package mcpserver assembles the MCP server from the tool registry and
// serves it over stdio or streamable HTTP.
package mcpserver

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/internal/httpserve"
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
	Tools  []tools.Tool
	Logger *slog.Logger
	// ValidateOutput checks every structured result against the tool's
	// outputSchema before it leaves the server (tests turn it on).
	ValidateOutput bool
	// ListPageSize pages tools/list by this many tools; 0 lists all at once.
	ListPageSize int
}

// New returns an MCP server that offers opts.Tools.
func New(opts Options) *server.MCPServer {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	so := []server.ServerOption{
		server.WithToolCapabilities(false),
		server.WithInstructions(instructions),
		server.WithRecovery(),
		server.WithToolHandlerMiddleware(logCalls(logger)),
	}
	if opts.ListPageSize > 0 {
		so = append(so, server.WithPaginationLimit(opts.ListPageSize))
	}
	if opts.ValidateOutput {
		so = append(so, server.WithOutputSchemaValidation())
	}
	s := server.NewMCPServer(Name, Version, so...)
	st := make([]server.ServerTool, len(opts.Tools))
	for i, t := range opts.Tools {
		st[i] = t.ServerTool()
	}
	s.AddTools(st...)
	return s
}

// logCalls logs each tool call: its name, outcome and duration. Arguments
// and results are not logged.
func logCalls(logger *slog.Logger) server.ToolHandlerMiddleware {
	return func(next server.ToolHandlerFunc) server.ToolHandlerFunc {
		return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			start := time.Now()
			res, err := next(ctx, req)
			attrs := []any{"tool", req.Params.Name, "duration", time.Since(start)}
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

// ServeStdio serves one client on in and out until ctx ends or in closes.
// Nothing else may write to out.
func ServeStdio(ctx context.Context, s *server.MCPServer, in io.Reader, out io.Writer, logger *slog.Logger) error {
	std := server.NewStdioServer(s)
	std.SetErrorLogger(slog.NewLogLogger(logger.Handler(), slog.LevelError))
	err := std.Listen(ctx, in, out)
	if errors.Is(err, context.Canceled) || errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// maxRequestBody bounds an HTTP request body; MCP messages are small.
const maxRequestBody = 4 << 20

// HandlerOptions configures Handler.
type HandlerOptions struct {
	Logger *slog.Logger
	// AllowedOrigins are the browser origins (scheme://host[:port]) that
	// may call /mcp besides loopback ones. Requests without an Origin
	// header, which is every non-browser client, are not affected.
	AllowedOrigins []string
}

// Handler serves streamable HTTP at /mcp and a health check at /healthz.
// Two checks guard against DNS rebinding and cross-site requests from a
// browser: a request on a loopback address must name a loopback host, and
// a request with an Origin header must come from a loopback origin or an
// allowed one (the MCP specification asks servers to validate Origin).
func Handler(s *server.MCPServer, opts HandlerOptions) http.Handler {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	mcpHTTP := server.NewStreamableHTTPServer(s,
		server.WithEndpointPath("/mcp"),
		server.WithStreamableHTTPLogger(logger),
	)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"status":"ok"}`)
	})
	mux.Handle("/mcp", checkOrigin(opts.AllowedOrigins, logger, http.MaxBytesHandler(mcpHTTP, maxRequestBody)))
	return mux
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

// ServeHTTP listens on addr and serves h until ctx ends, then shuts down
// gracefully. ready, if not nil, receives the bound address.
func ServeHTTP(ctx context.Context, addr string, h http.Handler, logger *slog.Logger, ready func(net.Addr)) error {
	return httpserve.Serve(ctx, addr, h, slog.NewLogLogger(logger.Handler(), slog.LevelWarn), ready)
}
