package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/zoommcp/zoom-mcp/audit"
	"github.com/zoommcp/zoom-mcp/confirm"
	"github.com/zoommcp/zoom-mcp/connections"
	"github.com/zoommcp/zoom-mcp/mcpserver"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/policy"
	"github.com/zoommcp/zoom-mcp/tools"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// localAgent names the one agent of a server without a config.
const localAgent = "local"

// gate is the access control of a server: the policy, the audit log and
// the pipeline every call passes.
type gate struct {
	policy   *policy.Policy
	audit    *audit.Log
	pipeline *pipeline.Pipeline
	auth     mcpserver.Authenticator // nil: every HTTP request is local's
	local    pipeline.Agent          // the stdio agent, or HTTP's without a config

	// what a reload needs
	cfgPath string
	access  map[string]policy.Level
	cat     policy.Catalogue
	logger  *slog.Logger
	// reloaded, if set, runs after a successful reload (to tell clients
	// that their tool lists changed).
	reloaded func()
}

// newGate builds the access control from the flags. Without --config, the
// server serves one local agent (read on every toolset, plus --access;
// full in the sandbox) and refuses to listen beyond loopback. An invalid
// config stops the server: it never falls back to open.
func newGate(cfg config, all []tools.Tool, reg *connections.Registry, sh *shared, httpMode, public bool, logger *slog.Logger) (*gate, error) {
	g := &gate{cfgPath: cfg.policy, cat: policy.Catalogue{Tools: tools.Catalogue(all)}, logger: logger}
	var err error
	if g.access, err = policy.ParseAccess(cfg.access); err != nil {
		return nil, fmt.Errorf("--access: %w", err)
	}
	var pc *policy.Config
	switch {
	case cfg.policy != "":
		if pc, err = policy.LoadFile(cfg.policy, g.cat); err != nil {
			return nil, err
		}
		if err := g.pickLocal(pc, cfg.agent, httpMode); err != nil {
			return nil, err
		}
	case public:
		return nil, errors.New("--http on an address beyond loopback needs --config with agents and their keys: anyone who can reach the port could use the Zoom account (see `zoom-mcp agent add`)")
	case cfg.agent != "":
		return nil, errors.New("--agent names an agent of --config; there is no config")
	default:
		g.local = pipeline.Agent{Name: localAgent}
		pc = policy.OpenConfig(localAgent, g.access, cfg.sandbox)
	}

	ledger := sh.ledger()
	// Each call acts as the Zoom connection its agent's policy names.
	connectionOf := func(agent string) string { return g.policy.Connection(agent) }
	client := reg.ClientFunc(connectionOf)
	g.policy, err = policy.New(pc, policy.Options{Ledger: ledger, Users: &policy.ZoomUsers{Client: client}})
	if err != nil {
		return nil, err
	}
	if cfg.policy != "" && httpMode {
		if !g.policy.HasKeys() {
			return nil, fmt.Errorf("%s defines no agent with a key_sha256, so no agent could call over HTTP (see `zoom-mcp agent add`)", cfg.policy)
		}
		g.auth = g.policy
	}

	auditPath := cfg.auditLog
	if auditPath == "" {
		auditPath = pc.Audit.Path
	}
	// Metrics see every call, refused ones included.
	mws := []pipeline.Middleware{sh.metrics.Middleware()}
	if auditPath != "" {
		if err := rebuildLedger(auditPath, ledger, all); err != nil {
			return nil, err
		}
		if g.audit, err = audit.Open(auditPath, audit.Options{ShowEmails: pc.Audit.ShowEmails}); err != nil {
			return nil, err
		}
		mws = append(mws, audit.Middleware(g.audit, logger))
		seq, head := g.audit.Head()
		logger.Info("writing the audit log", "path", auditPath, "records", seq, "head", head)
	}
	destructive := map[string]bool{}
	for _, t := range all {
		destructive[t.Name()] = t.Destructive()
	}
	mws = append(mws,
		g.policy.Middleware(),
		reg.UserLevel(connectionOf),
		confirm.NewWith(g.policy, func(name string) bool { return destructive[name] }, confirm.Options{Key: sh.key, Nonces: sh.nonces}).Middleware(),
		g.policy.Hygiene(),
	)
	if sh.events != nil {
		mws = append(mws, readerMiddleware(sh.events, eventsVisible(g.policy)))
	}
	if cfg.timeout <= 0 {
		return nil, fmt.Errorf("--call-timeout %s: want a positive duration such as 30s", cfg.timeout)
	}
	g.pipeline = &pipeline.Pipeline{Client: client, Middlewares: mws, CallTimeout: cfg.timeout}
	return g, nil
}

// pickLocal chooses the stdio agent of a config: --agent, or the only
// agent there is. --access adds to its grant.
func (g *gate) pickLocal(pc *policy.Config, name string, httpMode bool) error {
	if httpMode {
		if name != "" {
			return errors.New("--agent is for stdio; over HTTP each agent is known by its key")
		}
		return nil
	}
	if name == "" {
		if len(pc.Agents) != 1 {
			return fmt.Errorf("%s defines %d agents: pick the one this stdio server acts as with --agent", g.cfgPath, len(pc.Agents))
		}
		name = pc.Agents[0].Name
	}
	if len(g.access) > 0 {
		if err := pc.Grant(name, g.access); err != nil {
			return err
		}
	}
	for _, a := range pc.Agents {
		if a.Name == name {
			g.local = pipeline.Agent{Name: name}
			return nil
		}
	}
	return fmt.Errorf("--agent %q: no such agent in %s", name, g.cfgPath)
}

// rebuildLedger replays the audit log so that what each agent created and
// its writes of today survive a restart.
func rebuildLedger(path string, ledger policy.CounterLedger, all []tools.Tool) error {
	daily := map[string]bool{}
	for _, t := range all {
		daily[t.Name()] = t.Endpoint.DailyLimited
	}
	today := time.Now().UTC().Format(time.DateOnly)
	writes := map[string]int{}
	err := audit.Read(path, func(r audit.Record) error {
		switch r.Decision {
		case pipeline.Allowed, pipeline.Confirmed:
		case pipeline.Failed:
			if r.Kind != pipeline.KindUnavailable {
				return nil
			}
		default:
			return nil
		}
		if r.Effect == pipeline.Create && r.Created != "" {
			switch zoomapi.Group(r.Toolset) {
			case zoomapi.GroupMeetings:
				_ = ledger.Own(context.Background(), r.Agent, "meeting", r.Created)
			case zoomapi.GroupWebinars:
				_ = ledger.Own(context.Background(), r.Agent, "webinar", r.Created)
			}
		}
		if daily[r.Tool] && r.Time.UTC().Format(time.DateOnly) == today {
			writes[r.Agent]++
		}
		return nil
	})
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	for agent, n := range writes {
		if err := ledger.Raise(context.Background(), agent, today, n); err != nil {
			return err
		}
	}
	return nil
}

// reloadOnHUP reloads the config on SIGHUP. A config that does not load
// leaves the old policy in force, and the log says why.
func (g *gate) reloadOnHUP(ctx context.Context) {
	if g.cfgPath == "" {
		return
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
			if err := g.reload(); err != nil {
				g.logger.Error("config reload failed; keeping the old policy", "config", g.cfgPath, "err", err)
				continue
			}
			g.logger.Info("config reloaded", "config", g.cfgPath, "agents", len(g.policy.Agents()))
			if g.reloaded != nil {
				g.reloaded()
			}
		}
	}
}

func (g *gate) reload() error {
	pc, err := policy.LoadFile(g.cfgPath, g.cat)
	if err != nil {
		return err
	}
	if g.auth == nil && len(g.access) > 0 {
		if err := pc.Grant(g.local.Name, g.access); err != nil {
			return err
		}
	}
	if g.auth == nil && !hasAgent(pc, g.local.Name) {
		return fmt.Errorf("the stdio agent %q is no longer in the config", g.local.Name)
	}
	return g.policy.Reload(pc)
}

func hasAgent(pc *policy.Config, name string) bool {
	for _, a := range pc.Agents {
		if a.Name == name {
			return true
		}
	}
	return false
}

// Close closes the audit log, logging its head: a copy of the chain's
// last hash outside the file, against a rewrite of the whole tail.
func (g *gate) Close() {
	if g.audit != nil {
		seq, head := g.audit.Head()
		g.logger.Info("audit log closed", "records", seq, "head", head)
		_ = g.audit.Close()
	}
}

// runCommand runs the config, agent and audit commands.
func runCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cat := policy.Catalogue{Tools: tools.Catalogue(tools.All())}
	sub := ""
	if len(args) > 1 {
		sub = args[1]
	}
	rest := args[min(2, len(args)):]
	switch args[0] + " " + sub {
	case "config validate":
		return policy.ValidateCommand(rest, cat, stdout, stderr)
	case "config schema":
		return policy.SchemaCommand(stdout)
	case "agent add":
		return policy.AgentAddCommand(rest, stdout, stderr, nil)
	case "audit verify":
		return audit.VerifyCommand(rest, stdout, stderr)
	case "audit tail":
		return audit.TailCommand(ctx, rest, stdout, stderr)
	}
	return fmt.Errorf("unknown command %q: want config validate|schema, agent add, audit verify|tail", args[0]+" "+sub)
}
