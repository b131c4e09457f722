// Command zoom-mcp is an MCP server for the Zoom REST API.
//
//	zoom-mcp                      serve MCP on stdio (Claude Desktop, Codex)
//	zoom-mcp --http 127.0.0.1:8080  serve streamable HTTP at /mcp
//	zoom-mcp --sandbox            use the built-in Zoom simulator, no account needed
//	zoom-mcp simulator            run the Zoom simulator on its own
//	zoom-mcp --config policy.yaml --http 0.0.0.0:8080 --allowed-hosts zoom.example.com
//	                              share one server among agents, each with its key and grant
//	zoom-mcp config validate FILE check an access policy
//	zoom-mcp agent add NAME       make a new agent key
//	zoom-mcp audit verify FILE    check the audit log's hash chain
//	zoom-mcp audit tail [-f] FILE read the audit log
//
// main.go holds flags and wiring only.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/lmittmann/tint"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/connections"
	"github.com/zoommcp/zoom-mcp/mcpserver"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/tools"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

func main() {
	startingHeap(os.Getenv)
	ctx, stop := interrupted()
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "zoom-mcp:", err)
			os.Exit(2)
		}
	}
}

// interrupted is signal.NotifyContext(ctx, SIGINT, SIGTERM) set up off
// the start-up path: the first signal.Notify starts an OS thread of the
// runtime's, which cost half a millisecond before the server could read
// its first message. The first signal cancels the context; a second one
// then ends the process at once, as with NotifyContext.
func interrupted() (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 1)
	go func() {
		signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
		defer signal.Stop(sigs)
		select {
		case <-sigs:
			cancel()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}

// config is the server's settings from flags and environment variables.
type config struct {
	httpAddr  string
	sandbox   bool
	readOnly  bool
	toolsets  string
	tools     string
	logLevel  string
	logFormat string
	listPage  int
	origins   string
	allTools  bool
	sbScopes  string
	policy    string
	agent     string
	access    string
	auditLog  string
	timeout   time.Duration
	dynamic   bool
	// Zoom identities
	auth            string // s2s, user, or "" to decide from the environment
	tokenFile       string
	connection      string // the default connection; "" for s2s or "default"
	showUnavailable bool
	publicURL       string
	// scale-out
	plan        string
	redis       string
	stateless   bool
	metricsAddr string
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 && (args[0] == "version" || args[0] == "--version" || args[0] == "-version") {
		fmt.Fprintln(stdout, "zoom-mcp", version())
		return nil
	}
	mcpserver.Version = version()
	if len(args) > 0 {
		switch args[0] {
		case "simulator":
			return runSimulator(ctx, args[1:], getenv, stdout, stderr)
		case "config", "agent", "audit":
			return runCommand(ctx, args, stdout, stderr)
		case "scopes":
			return runScopes(args[1:], stdout, stderr)
		case "login":
			return runLogin(ctx, args[1:], getenv, stdout, stderr)
		case "whoami":
			return runWhoami(ctx, args[1:], getenv, stdout, stderr)
		case "logout":
			return runLogout(ctx, args[1:], getenv, stdout, stderr)
		case "help":
			if len(args) > 1 && args[1] == "simulator" {
				return runSimulator(ctx, []string{"--help"}, getenv, stdout, stderr)
			}
			args = []string{"--help"} // the usage below
		}
	}
	var cfg config
	fs := flag.NewFlagSet("zoom-mcp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	e := envFlags{fs: fs, getenv: getenv}
	e.String(&cfg.httpAddr, "http", "ZOOM_MCP_HTTP", "", "serve streamable HTTP on `addr` (e.g. 127.0.0.1:8080) instead of stdio")
	e.Bool(&cfg.sandbox, "sandbox", "ZOOM_MCP_SANDBOX", false, "use the built-in Zoom simulator and its sample account; no Zoom credentials needed")
	e.Bool(&cfg.readOnly, "read-only", "ZOOM_MCP_READ_ONLY", false, "offer only read-only tools (wins over --tools)")
	e.String(&cfg.toolsets, "toolsets", "ZOOM_MCP_TOOLSETS", "", "comma-separated `toolsets` to offer (adds up with --tools): "+groupNames())
	e.String(&cfg.tools, "tools", "ZOOM_MCP_TOOLS", "", "comma-separated tool `names` to offer (adds up with --toolsets)")
	e.Bool(&cfg.allTools, "all-tools", "ZOOM_MCP_ALL_TOOLS", false, "also offer tools whose Zoom scopes the app was not granted (hidden by default)")
	e.String(&cfg.sbScopes, "sandbox-scopes", "ZOOM_MCP_SANDBOX_SCOPES", "", "with --sandbox: comma-separated `scopes` the simulated Zoom app is granted (default: all)")
	e.String(&cfg.origins, "allowed-origins", "ZOOM_MCP_ALLOWED_ORIGINS", "", "with --http: comma-separated browser `origins` allowed besides loopback ones")
	var hosts string
	var maxSessions, maxConns int
	var sessionIdle time.Duration
	e.String(&hosts, "allowed-hosts", "ZOOM_MCP_ALLOWED_HOSTS", "", "with --http: comma-separated Host `names` (or host:port) clients reach the server by besides loopback ones; required beyond loopback")
	e.Int(&maxSessions, "max-sessions", "ZOOM_MCP_MAX_SESSIONS", mcpserver.DefaultMaxSessions, "with --http: at most `n` live MCP sessions; past it, initialize gets 503")
	e.Duration(&sessionIdle, "session-idle-timeout", "ZOOM_MCP_SESSION_IDLE_TIMEOUT", mcpserver.DefaultSessionIdleTimeout, "with --http: end an MCP session with no request for `duration`")
	e.Int(&maxConns, "max-connections", "ZOOM_MCP_MAX_CONNECTIONS", mcpserver.DefaultMaxConnections, "with --http: at most `n` open connections; more wait for one to close")
	e.String(&cfg.policy, "config", "ZOOM_MCP_CONFIG", "", "access policy `file` (YAML): the agents, their keys and grants, the audit log; reloaded on SIGHUP")
	e.String(&cfg.agent, "agent", "ZOOM_MCP_AGENT", "", "on stdio: the `name` of the config's agent to act as")
	e.String(&cfg.access, "access", "ZOOM_MCP_ACCESS", "", "grants for the stdio or local agent, e.g. `meetings=full,webinars=read` (default: read on every toolset)")
	e.String(&cfg.auditLog, "audit-log", "ZOOM_MCP_AUDIT_LOG", "", "write the audit log (JSON Lines, hash-chained) to `file`; overrides audit.path")
	e.Bool(&cfg.dynamic, "dynamic-toolsets", "ZOOM_MCP_DYNAMIC_TOOLSETS", false, "start tools/list with list_toolsets and enable_toolset; the model enables the toolsets it needs (saves context)")
	e.Duration(&cfg.timeout, "call-timeout", "ZOOM_MCP_CALL_TIMEOUT", 30*time.Second, "bound each tool call's Zoom part (pacing, token, requests) to `duration`")
	e.Int(&cfg.listPage, "list-page-size", "ZOOM_MCP_LIST_PAGE_SIZE", 0, "page tools/list by `n` tools (0: all in one page)")
	e.String(&cfg.auth, "auth", "ZOOM_MCP_AUTH", "", "Zoom identity: `s2s` (Server-to-Server app) or user (a user signed in with zoom-mcp login); default s2s when ZOOM_ACCOUNT_ID is set, else user")
	e.String(&cfg.tokenFile, "token-file", envTokenFile, "", "`file` of user connections' tokens (default: tokens.json in the user's config directory)")
	e.String(&cfg.connection, "connection", "ZOOM_MCP_CONNECTION", "", "the Zoom connection of agents whose policy names none (default: s2s, or the user connection \"default\")")
	e.Bool(&cfg.showUnavailable, "show-unavailable", "ZOOM_MCP_SHOW_UNAVAILABLE", false, "also list tools the Zoom connection has no scope for, each saying which scope to add")
	e.String(&cfg.publicURL, "public-url", "ZOOM_MCP_PUBLIC_URL", "", "with --http: the server's external `URL` for browser sign-in links (default: http://ADDR); the Zoom app must list URL/connect/zoom/callback")
	e.String(&cfg.plan, "zoom-plan", zoomapi.EnvPlan, "", "the Zoom account's `plan`, where pacing starts: free, pro (default), business, or unlimited (no pacing; for benchmarks of the server). Pacing then follows what Zoom answers")
	e.String(&cfg.redis, "redis", "ZOOM_MCP_REDIS", "", "share state with other replicas through Redis at `URL` (redis://[:password@]host:port/db): rate limits, daily counts, tokens, confirmations; calls fail closed while it is unreachable")
	e.Bool(&cfg.stateless, "stateless", "ZOOM_MCP_STATELESS", false, "with --http: serve without MCP sessions, so that replicas behind a load balancer need no sticky sessions (the default with --redis)")
	e.String(&cfg.metricsAddr, "metrics", "ZOOM_MCP_METRICS", "", "serve Prometheus metrics at http://`ADDR`/metrics, on a listener of their own (e.g. 127.0.0.1:9464)")
	e.String(&cfg.logLevel, "log-level", "ZOOM_MCP_LOG_LEVEL", "info", "log `level`: debug, info, warn, error")
	e.String(&cfg.logFormat, "log-format", "ZOOM_MCP_LOG_FORMAT", "auto", "log `format`: text, json, or auto (json with --http, text on stdio)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), `Usage: zoom-mcp [flags]            serve MCP on stdio, or over HTTP with --http
       zoom-mcp <command> [args]

An MCP server for the Zoom REST API. Logs go to stderr.

Commands:
  simulator [flags]        run the Zoom API simulator alone (see zoom-mcp help simulator)
  login [--connection NAME] [--no-browser]
                           sign a Zoom user in (user-managed app, PKCE)
  whoami [--full]          print who the server acts as, and its scopes
  logout [--connection NAME]
                           revoke a user's sign-in and delete its tokens
  scopes [--toolsets LIST] [--read-only] [--admin]
                           print the scopes to add to the Zoom app
  config validate FILE     check an access policy file
  config schema            print the access policy's JSON Schema
  agent add NAME [--access grants]
                           make an agent's key and the policy lines to paste
  audit verify FILE...     check audit logs' hash chains
  audit tail [-f] [-n N] FILE
                           print an audit log's last records in plain English
  version                  print the version
  help                     print this help

Flags (each also read from the environment variable shown):
`)
		fs.PrintDefaults()
		fmt.Fprintf(fs.Output(), "\nZoom credentials, unless --sandbox:\n"+
			"  %s, %s, %s  a Server-to-Server OAuth app (acts for the account)\n"+
			"  or %s, %s  a user-managed OAuth app; sign a user in with zoom-mcp login (acts as that user)\n"+
			"  %s, %s  the user-managed app when the server also has a Server-to-Server app\n"+
			"  %s  API base URL (default %s)\n  %s  OAuth base URL (default https://zoom.us)\n  %s  account plan where pacing starts: free, pro, business, unlimited (default pro; also --zoom-plan)\n"+
			"\nZoom events (see the README):\n  "+envWebhookSecret+"  take webhooks at /zoom/webhook (with --http)\n  "+envWSSubscription+"  use Zoom's event WebSocket\n  "+
			envEventsFile+"  the event log (default events.jsonl in the config directory)\n",
			zoomapi.EnvAccountID, zoomapi.EnvClientID, zoomapi.EnvClientSecret, zoomapi.EnvClientID, zoomapi.EnvClientSecret,
			envUserClientID, envUserClientSecret,
			zoomapi.EnvAPIBaseURL, zoomapi.DefaultBaseURL, zoomapi.EnvOAuthBaseURL, zoomapi.EnvPlan)
	}
	if err := parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	if err := e.err; err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected argument %q (see --help)", fs.Arg(0))
	}
	logger, err := newLogger(stderr, cfg.logLevel, cfg.logFormat, cfg.httpAddr != "")
	if err != nil {
		return err
	}
	if cfg.plan != "" {
		switch p := zoomapi.Plan(strings.ToLower(cfg.plan)); p {
		case zoomapi.PlanFree, zoomapi.PlanPro, zoomapi.PlanBusiness, zoomapi.PlanUnlimited:
			// The clients read the plan where they read the credentials.
			outer := getenv
			getenv = func(k string) string {
				if k == zoomapi.EnvPlan {
					return string(p)
				}
				return outer(k)
			}
		default:
			return fmt.Errorf("unknown Zoom plan %q (--zoom-plan or ZOOM_PLAN): want free, pro, business or unlimited", cfg.plan)
		}
	}

	addr, public := listenAddr(cfg.httpAddr)
	all := tools.All()
	selected, err := tools.Select(all, tools.Filter{
		ReadOnly: cfg.readOnly,
		Toolsets: splitList(cfg.toolsets),
		Tools:    splitList(cfg.tools),
	})
	if err != nil {
		return err
	}
	sh, err := openShared(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer sh.Close()
	if cfg.metricsAddr != "" {
		serveMetrics(ctx, cfg.metricsAddr, sh.metrics, logger)
	}
	reg, err := newConnections(cfg, getenv, sh, logger)
	if err != nil {
		return err
	}
	// The app's scopes are checked (the first token fetch, the slow part
	// of a start) while the events, the gate and the server are built.
	scopes := newScopeView(reg, selected)
	// checkCtx ends the scope check when serving on stdio ended first
	// (below).
	checkCtx, stopCheck := context.WithCancel(ctx)
	defer stopCheck()
	checked := make(chan error, 1)
	if cfg.allTools {
		checked <- nil
	} else {
		go func() { checked <- scopes.startupCheck(checkCtx, logger) }()
	}
	intake, err := openEvents(cfg, getenv, sh, reg, logger)
	if err != nil {
		return err
	}
	if intake != nil {
		defer intake.store.Close()
		sh.events = intake.store
	}
	gate, err := newGate(cfg, all, reg, sh, cfg.httpAddr != "", public, logger)
	if err != nil {
		return err
	}
	defer gate.Close()
	scopes.connectionOf = gate.policy.Connection
	// Tools the agent's Zoom connection has no scope for stay callable but
	// are not listed (--show-unavailable lists them, saying which scope to
	// add): a call of one answers missing_scope with the scopes to add,
	// not "tool not found".
	visible := func(agent string, t pipeline.Tool) bool {
		return gate.policy.Visible(agent, t) && (cfg.allTools || cfg.showUnavailable || scopes.allows(agent, t))
	}
	var unavailable func(string, pipeline.Tool) string
	if cfg.showUnavailable {
		unavailable = scopes.note
	}
	var eventOpts *mcpserver.EventOptions
	if intake != nil {
		eventOpts = &mcpserver.EventOptions{Store: intake.store, Visible: eventsVisible(gate.policy), Logger: logger}
	}
	srv := mcpserver.New(mcpserver.Options{
		Tools: selected, Pipeline: gate.pipeline, Visible: visible, Unavailable: unavailable, DynamicToolsets: cfg.dynamic,
		Logger: logger, ListPageSize: cfg.listPage, Events: eventOpts,
	})
	if eventOpts != nil {
		go eventOpts.Notify(ctx)
		intake.run(ctx, logger)
	}
	// started follows a passed scope check: it warns of connections the
	// server cannot use and counts the tools the local agent is offered.
	started := func() (offered int) {
		for _, name := range gate.policy.Connections() {
			if _, err := reg.Client(name); err != nil {
				logger.Warn("an agent names a Zoom connection this server cannot use; its calls will say so", "connection", name, "err", err)
			}
		}
		for _, t := range selected {
			if visible(gate.local.Name, t.Info()) {
				offered++
			}
		}
		return offered
	}
	gate.reloaded = func() { srv.SendNotificationToAllClients(mcp.MethodNotificationToolsListChanged, nil) }
	go gate.reloadOnHUP(ctx)
	if cfg.httpAddr == "" {
		return serveStdio(ctx, checked, stopCheck, func(ctx context.Context) error {
			return mcpserver.ServeStdio(ctx, srv, gate.local, stdin, stdout, logger)
		}, func() {
			logger.Info("serving MCP on stdio", "tools", started(), "sandbox", cfg.sandbox, "zoom", reg.Default(),
				"agent", gate.local.Name, "access", gate.policy.Summary(gate.local.Name))
		})
	}
	if err := <-checked; err != nil {
		return err
	}
	offered := started()
	if public {
		logger.Info("listening beyond loopback; agents authenticate with their keys", "addr", addr, "agents", len(gate.policy.Agents()))
	}
	var connect *connections.Connect
	if reg.UserConnections() {
		base := cfg.publicURL
		if base == "" {
			base = "http://" + addr
		}
		if connect, err = connections.NewConnect(reg, base, mcpserver.ConnectPath, sh.key, logger); err != nil {
			return fmt.Errorf("--public-url: %w", err)
		}
		reg.SetConnectURL(connect.Link)
	}
	handler := mcpserver.HandlerOptions{
		Logger: logger, AllowedOrigins: splitList(cfg.origins), Auth: gate.auth, Local: gate.local,
		AllowedHosts: splitList(hosts), Public: public, MaxSessions: maxSessions, SessionIdleTimeout: sessionIdle, MaxConnections: maxConns,
	}
	if connect != nil {
		handler.Connect = connect
	}
	if intake != nil && intake.webhook != nil {
		handler.Webhook = intake.webhook
	}
	// Behind a load balancer every request may reach another replica.
	handler.Stateless = cfg.stateless || cfg.redis != ""
	return mcpserver.ServeHTTP(ctx, addr, mcpserver.Handler(srv, handler), logger, func(a net.Addr) {
		if connect != nil && cfg.publicURL == "" {
			connect.SetBase("http://" + a.String())
		}
		attrs := []any{"url", "http://" + a.String() + "/mcp", "tools", offered, "sandbox", cfg.sandbox, "zoom", reg.Default()}
		if connect != nil {
			attrs = append(attrs, "sign_in_redirect_url", connect.RedirectURL())
		}
		logger.Info("serving MCP over streamable HTTP", attrs...)
	})
}

// checkGrace is how long a stdio server whose client went away waits for
// the start-up scope check still under way, so that credentials Zoom
// refuses are still reported.
const checkGrace = 2 * time.Second

// serveStdio serves on stdio while the start-up scope check (the first
// token fetch: 0.1 to 0.5 s with Zoom) is under way: the client's
// initialize needs no scope, and tools/list asks the same scope view,
// which waits for the same fetch. When the check passes, ready logs it;
// credentials Zoom refuses stop serving and are the error returned, as
// when the check came first. If serving ends first, the check gets
// checkGrace more, then is cancelled.
func serveStdio(ctx context.Context, checked <-chan error, stopCheck context.CancelFunc, serve func(context.Context) error, ready func()) error {
	serveCtx, stopServing := context.WithCancel(ctx)
	defer stopServing()
	result := make(chan error, 1)
	go func() {
		err := <-checked
		if err != nil {
			stopServing()
		} else if serveCtx.Err() == nil {
			ready()
		}
		result <- err
	}()
	err := serve(serveCtx)
	stopServing() // serving is over: a check that passes now has nothing to announce
	grace := time.AfterFunc(checkGrace, stopCheck)
	defer grace.Stop()
	if cerr := <-result; cerr != nil {
		return cerr
	}
	return err
}

// knownScopes refuses a --sandbox-scopes name the simulator does not know:
// a typo would otherwise just hide tools. The error lists the valid names
// on one line.
func knownScopes(scopes []string) error {
	if len(scopes) == 0 {
		return nil
	}
	valid := zoomfake.AllScopes()
	var unknown []string
	for _, s := range scopes {
		if !slices.Contains(valid, s) {
			unknown = append(unknown, strconv.Quote(s))
		}
	}
	if len(unknown) == 0 {
		return nil
	}
	slices.Sort(valid)
	return fmt.Errorf("unknown --sandbox-scopes %s; valid scopes: %s", strings.Join(unknown, ", "), strings.Join(valid, ", "))
}

func runSimulator(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var (
		addr, plan, scopes, logLevel string
		ttl                          time.Duration
		noSeed                       bool
		rateScale                    string
		webhookURL, webhookSecret    string
		wsSubscription               string
	)
	fs := flag.NewFlagSet("zoom-mcp simulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	e := envFlags{fs: fs, getenv: getenv}
	e.String(&addr, "addr", "ZOOMFAKE_ADDR", "127.0.0.1:9090", "listen `address`")
	e.String(&plan, "plan", "ZOOMFAKE_PLAN", "pro", "Zoom plan whose rate limits apply: free, pro, business, or unlimited (none, for benchmarks)")
	e.String(&rateScale, "rate-scale", "ZOOMFAKE_RATE_SCALE", "1", "multiply every per-second limit by `factor` (0.2: 5× stricter; daily limits unchanged)")
	e.String(&scopes, "scopes", "ZOOMFAKE_SCOPES", "", "comma-separated `scopes` granted with tokens (default: every scope)")
	e.Duration(&ttl, "token-ttl", "ZOOMFAKE_TOKEN_TTL", time.Hour, "access token lifetime")
	e.Bool(&noSeed, "empty", "ZOOMFAKE_EMPTY", false, "start with an empty account instead of the sample data")
	e.String(&logLevel, "log-level", "ZOOMFAKE_LOG_LEVEL", "info", "log `level`")
	e.String(&webhookURL, "webhook-url", "ZOOMFAKE_WEBHOOK_URL", "", "send the simulator's events, signed, to this `URL`, as Zoom's webhooks")
	e.String(&webhookSecret, "webhook-secret", "ZOOMFAKE_WEBHOOK_SECRET", zoomfake.DefaultWebhookSecret, "the event subscription's secret `token` that signs webhooks")
	e.String(&wsSubscription, "ws-subscription-id", "ZOOMFAKE_WS_SUBSCRIPTION_ID", zoomfake.DefaultWebSocketSubscriptionID, "the event subscription `ID` the event WebSocket (GET /ws) serves")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: zoom-mcp simulator [flags]\n\nA stateful Zoom API simulator. Point a client at it with\n"+
			"  ZOOM_API_BASE_URL=http://ADDR/v2 ZOOM_OAUTH_BASE_URL=http://ADDR\n  ZOOM_ACCOUNT_ID=%s ZOOM_CLIENT_ID=%s ZOOM_CLIENT_SECRET=%s\n"+
			"It also has a user-managed app, to try zoom-mcp login (PKCE) without Zoom: without ZOOM_ACCOUNT_ID,\n"+
			"  ZOOM_CLIENT_ID=%s ZOOM_CLIENT_SECRET=%s\n"+
			"(the sign-in page signs in the account owner; add &user=EMAIL to the URL for another user).\n\nFlags:\n",
			zoomfake.DefaultAccountID, zoomfake.DefaultClientID, zoomfake.DefaultClientSecret,
			zoomfake.DefaultUserClientID, zoomfake.DefaultUserClientSecret)
		fs.PrintDefaults()
	}
	if err := parse(fs, args, stdout, stderr); err != nil {
		return err
	}
	if e.err != nil {
		return e.err
	}
	logger, err := newLogger(stderr, logLevel, "auto", true)
	if err != nil {
		return err
	}
	switch zoomfake.Plan(plan) {
	case zoomfake.PlanFree, zoomfake.PlanPro, zoomfake.PlanBusiness, zoomfake.PlanUnlimited:
	default:
		return fmt.Errorf("invalid --plan %q: want free, pro, business or unlimited", plan)
	}
	scale, err := strconv.ParseFloat(rateScale, 64)
	if err != nil || !(scale > 0) || scale > 1e6 {
		return fmt.Errorf("invalid --rate-scale %q: want a number above 0", rateScale)
	}
	if webhookURL != "" {
		if !strings.HasPrefix(webhookURL, "http://") && !strings.HasPrefix(webhookURL, "https://") {
			return fmt.Errorf("invalid --webhook-url %q: want an http or https URL", webhookURL)
		}
	}
	opts := zoomfake.Options{Plan: zoomfake.Plan(plan), RateScale: scale, TokenTTL: ttl, NoSeed: noSeed, Scopes: splitList(scopes),
		WebhookURL: webhookURL, WebhookSecret: webhookSecret, WebSocketSubscriptionID: wsSubscription, Logger: logger}
	addr, _ = listenAddr(addr)
	return zoomfake.ListenAndServe(ctx, addr, opts, func(a net.Addr) {
		logger.Info("Zoom simulator listening", "api", "http://"+a.String()+"/v2", "oauth", "http://"+a.String()+"/oauth/token", "plan", plan, "rate_scale", scale,
			"events_websocket", "ws://"+a.String()+zoomfake.WebSocketPath+"?subscriptionId="+wsSubscription, "webhook_url", webhookURL)
	})
}

// parse parses args quietly: a bad flag is one line from the caller on
// stderr, and the usage text is printed, on stdout, only when asked for with
// -h, --help or the help command; the caller then exits 0 on flag.ErrHelp.
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	usage := fs.Usage
	fs.SetOutput(io.Discard)
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.SetOutput(stdout)
		usage()
		fs.SetOutput(stderr)
		return err
	}
	fs.SetOutput(stderr)
	if err != nil {
		return fmt.Errorf("%w (see --help)", err)
	}
	return nil
}

// listenAddr binds a bare port (":8080") to loopback. It reports whether
// the address reaches beyond loopback.
func listenAddr(addr string) (string, bool) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return addr, false // net.Listen will say what is wrong
	}
	if host == "" {
		return net.JoinHostPort("127.0.0.1", port), false
	}
	if host == "localhost" {
		return addr, false
	}
	ip := net.ParseIP(host)
	return addr, ip == nil || !ip.IsLoopback()
}

// version is the module version this binary was built from ("go install
// ...@v1.2.3"), or what the linker set, or "dev".
func version() string {
	if mcpserver.Version != "dev" {
		return mcpserver.Version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

func newLogger(w io.Writer, level, format string, server bool) (*slog.Logger, error) {
	var lv slog.Level
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("invalid --log-level %q: want debug, info, warn or error", level)
	}
	switch format {
	case "auto":
		if server {
			format = "json"
		} else {
			format = "text"
		}
	case "text", "json":
	default:
		return nil, fmt.Errorf("invalid --log-format %q: want text, json or auto", format)
	}
	if format == "json" {
		return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: lv})), nil
	}
	noColor := true
	if f, ok := w.(*os.File); ok {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			noColor = false
		}
	}
	return slog.New(tint.NewHandler(w, &tint.Options{Level: lv, TimeFormat: time.TimeOnly, NoColor: noColor})), nil
}

func groupNames() string { return strings.Join(tools.ToolsetNames(), ", ") }

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// envFlags defines flags whose defaults come from environment variables and
// names the variable in the flag's help.
type envFlags struct {
	fs     *flag.FlagSet
	getenv func(string) string
	err    error
}

func (e *envFlags) lookup(env string) (string, bool) {
	v := e.getenv(env)
	return v, v != ""
}

func (e *envFlags) String(p *string, name, env, def, usage string) {
	if v, ok := e.lookup(env); ok {
		def = v
	}
	e.fs.StringVar(p, name, def, usage+" ($"+env+")")
}

func (e *envFlags) Bool(p *bool, name, env string, def bool, usage string) {
	if v, ok := e.lookup(env); ok {
		b, err := strconv.ParseBool(v)
		if err != nil && e.err == nil {
			e.err = fmt.Errorf("invalid $%s %q: want true or false", env, v)
		}
		def = b
	}
	e.fs.BoolVar(p, name, def, usage+" ($"+env+")")
}

func (e *envFlags) Int(p *int, name, env string, def int, usage string) {
	if v, ok := e.lookup(env); ok {
		n, err := strconv.Atoi(v)
		if err != nil && e.err == nil {
			e.err = fmt.Errorf("invalid $%s %q: want a number", env, v)
		}
		def = n
	}
	e.fs.IntVar(p, name, def, usage+" ($"+env+")")
}

func (e *envFlags) Duration(p *time.Duration, name, env string, def time.Duration, usage string) {
	if v, ok := e.lookup(env); ok {
		d, err := time.ParseDuration(v)
		if err != nil && e.err == nil {
			e.err = fmt.Errorf("invalid $%s %q: want a duration such as 1h", env, v)
		}
		def = d
	}
	e.fs.DurationVar(p, name, def, usage+" ($"+env+")")
}
