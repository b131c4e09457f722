// Package policy decides what each agent may do: which tools it sees and
// may call (off / read / full per toolset, denied by default), narrowed
// per agent by the Zoom users, meetings and webinars it may act on, the
// registrant actions it may take, page sizes, report ranges and a daily
// budget of writes. Its middleware checks every call on the decoded
// arguments, before Zoom is touched.
package policy

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Policy holds the compiled rules of a Config. It is safe for concurrent
// use; Reload swaps the rules atomically.
type Policy struct {
	rules    atomic.Pointer[rules]
	ledger   Ledger
	resolver UserResolver
	now      func() time.Time
}

type rules struct {
	agents map[string]*agentRules
	keys   []keyEntry // in config order
}

type keyEntry struct {
	hash  [sha256.Size]byte
	agent *agentRules
}

type agentRules struct {
	name    string
	access  map[string]Level
	limits  Limits
	confirm map[string]bool // tool names; "destructive" for every destructive tool
	results Results
	zoom    string // the Zoom connection it acts as; "" for the default
}

// Options configures New.
type Options struct {
	// Ledger keeps what each agent created and its daily write counts;
	// nil: an in-memory ledger.
	Ledger Ledger
	// Users resolves user IDs, emails and "me" to one identity, for
	// limits.users; nil: only literal matches pass.
	Users UserResolver
	// Now is the clock; nil: time.Now.
	Now func() time.Time
}

// New compiles cfg. cfg must have been validated (Parse, LoadFile); New
// checks only what it needs to stay safe (duplicate names or keys).
func New(cfg *Config, opts Options) (*Policy, error) {
	p := &Policy{ledger: opts.Ledger, resolver: opts.Users, now: opts.Now}
	if p.ledger == nil {
		p.ledger = NewMemoryLedger()
	}
	if p.now == nil {
		p.now = time.Now
	}
	if err := p.Reload(cfg); err != nil {
		return nil, err
	}
	return p, nil
}

// Reload replaces the rules with cfg's. On error the old rules stay.
func (p *Policy) Reload(cfg *Config) error {
	r, err := compile(cfg)
	if err != nil {
		return err
	}
	p.rules.Store(r)
	return nil
}

// Ledger returns the policy's ledger.
func (p *Policy) Ledger() Ledger { return p.ledger }

func compile(cfg *Config) (*rules, error) {
	r := &rules{agents: map[string]*agentRules{}}
	for _, a := range cfg.Agents {
		if a.Name == "" {
			return nil, fmt.Errorf("an agent has no name")
		}
		if _, dup := r.agents[a.Name]; dup {
			return nil, fmt.Errorf("agent %q is defined twice", a.Name)
		}
		ar := &agentRules{name: a.Name, access: map[string]Level{}, limits: a.Limits, confirm: map[string]bool{}, results: a.Results, zoom: a.Zoom}
		for set, lv := range a.Access {
			ar.access[set] = Level(strings.ToLower(string(lv)))
		}
		for _, c := range a.Confirm {
			ar.confirm[c] = true
		}
		r.agents[a.Name] = ar
		if a.KeySHA256 == "" {
			continue
		}
		raw, err := hex.DecodeString(a.KeySHA256)
		if err != nil || len(raw) != sha256.Size {
			return nil, fmt.Errorf("agent %q: key_sha256 is not a hex SHA-256", a.Name)
		}
		var h [sha256.Size]byte
		copy(h[:], raw)
		for _, k := range r.keys {
			if k.hash == h {
				return nil, fmt.Errorf("agents %q and %q share one key", k.agent.name, a.Name)
			}
		}
		r.keys = append(r.keys, keyEntry{hash: h, agent: ar})
	}
	return r, nil
}

// Authenticate returns the agent whose key is key. The presented key is
// hashed and compared with every agent's hash in constant time, so that
// neither the match nor its position leaks through timing.
func (p *Policy) Authenticate(key string) (pipeline.Agent, bool) {
	sum := sha256.Sum256([]byte(key))
	var found *agentRules
	for _, k := range p.rules.Load().keys {
		if subtle.ConstantTimeCompare(sum[:], k.hash[:]) == 1 {
			found = k.agent
		}
	}
	if found == nil || key == "" {
		return pipeline.Agent{}, false
	}
	return pipeline.Agent{Name: found.name}, true
}

// HasAgent reports whether an agent of that name is defined.
func (p *Policy) HasAgent(name string) bool {
	_, ok := p.rules.Load().agents[name]
	return ok
}

// Agents returns the names of the defined agents, sorted.
func (p *Policy) Agents() []string {
	var names []string
	for n := range p.rules.Load().agents {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// HasKeys reports whether any agent can authenticate over HTTP.
func (p *Policy) HasKeys() bool { return len(p.rules.Load().keys) > 0 }

func (p *Policy) agent(name string) *agentRules {
	return p.rules.Load().agents[name]
}

// Level returns an agent's access level for a toolset.
func (p *Policy) Level(agent, toolset string) Level {
	a := p.agent(agent)
	if a == nil {
		return Off
	}
	if lv, ok := a.access[toolset]; ok {
		return lv
	}
	return Off
}

// Visible reports whether an agent may see and call a tool at all: its
// toolset is granted at full, or at read and the tool only reads.
func (p *Policy) Visible(agent string, t pipeline.Tool) bool {
	_, ok := grant(p.Level(agent, t.Toolset), t)
	return ok
}

// grant checks a tool against a level; rule explains the answer.
func grant(lv Level, t pipeline.Tool) (rule string, ok bool) {
	rule = t.Toolset + "=" + string(lv)
	switch lv {
	case Full:
		return rule, true
	case Read:
		return rule, !t.Effect.Writes()
	}
	return rule, false
}

// NeedsConfirmation reports whether a person must accept the agent's call
// of t first.
func (p *Policy) NeedsConfirmation(agent string, t pipeline.Tool, destructive bool) bool {
	a := p.agent(agent)
	if a == nil {
		return false
	}
	return a.confirm[t.Name] || (destructive && a.confirm["destructive"])
}

// Connection returns the Zoom connection an agent acts as, or "" for the
// server's default.
func (p *Policy) Connection(agent string) string {
	if a := p.agent(agent); a != nil {
		return a.zoom
	}
	return ""
}

// Connections returns the Zoom connections the agents name, sorted,
// without duplicates.
func (p *Policy) Connections() []string {
	seen := map[string]bool{}
	var out []string
	for _, a := range p.rules.Load().agents {
		if a.zoom != "" && !seen[a.zoom] {
			seen[a.zoom] = true
			out = append(out, a.zoom)
		}
	}
	sort.Strings(out)
	return out
}

// ResultsFor returns the result hygiene of an agent.
func (p *Policy) ResultsFor(agent string) Results {
	if a := p.agent(agent); a != nil {
		return a.results
	}
	return Results{MaskEmails: true, WithholdPasscodes: true}
}

// Summary describes an agent's grant in one line, for logs.
func (p *Policy) Summary(agent string) string {
	a := p.agent(agent)
	if a == nil {
		return "no access"
	}
	var parts []string
	for _, g := range zoomapi.Groups {
		if lv, ok := a.access[string(g)]; ok && lv != Off {
			parts = append(parts, string(g)+"="+string(lv))
		}
	}
	if len(parts) == 0 {
		return "no access"
	}
	return strings.Join(parts, ",")
}

// OpenConfig returns the policy of a server without a config file: one
// local agent with read on every toolset, plus the grants of access
// (--access), or full everywhere for the sandbox.
func OpenConfig(agent string, access map[string]Level, sandbox bool) *Config {
	a := AgentConfig{Name: agent, Access: map[string]Level{}}
	for _, g := range zoomapi.Groups {
		a.Access[string(g)] = Read
		if sandbox {
			a.Access[string(g)] = Full
		}
	}
	for set, lv := range access {
		a.Access[set] = lv
	}
	return &Config{Agents: []AgentConfig{a}}
}

// Grant merges access into the named agent's grant (--access with a
// config, for the stdio agent).
func (c *Config) Grant(agent string, access map[string]Level) error {
	for i := range c.Agents {
		if c.Agents[i].Name != agent {
			continue
		}
		if c.Agents[i].Access == nil {
			c.Agents[i].Access = map[string]Level{}
		}
		for set, lv := range access {
			c.Agents[i].Access[set] = lv
		}
		return nil
	}
	return fmt.Errorf("no agent %q in the config", agent)
}

func contains(list []string, s string) bool {
	return slices.ContainsFunc(list, func(e string) bool { return strings.EqualFold(e, s) })
}
