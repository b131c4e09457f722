package policy

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Bounds that keep a hostile or broken file from costing much.
const (
	// maxFileSize caps a policy file, far above what a real one needs.
	maxFileSize = 1 << 20
	// maxValues caps the values the loader visits: through aliases, a
	// small file can stand for a huge one.
	maxValues = 250_000
	// maxProblems caps the problems reported for one file.
	maxProblems = 100
	// maxMergeDepth caps merge keys (<<) inside merged mappings.
	maxMergeDepth = 8
)

// Catalogue is what the loader knows of the server's tools.
type Catalogue struct {
	// Tools maps every tool name to its toolset. When nil, the tool names
	// in confirm are not checked.
	Tools map[string]string
}

// ConfigError is a policy file that cannot be used, with every problem
// found in it.
type ConfigError struct {
	File     string // as given to LoadFile; empty from Parse
	Problems []Problem
}

// Problem is one thing wrong in a policy file.
type Problem struct {
	Line, Column int    // 1-based; 0 when the problem has no place in the file
	Path         string // where in the config, e.g. agents[1].access.meetngs
	Message      string
}

// Error prints every problem, one a line, as FILE:LINE:COL: path: message.
func (e *ConfigError) Error() string {
	if len(e.Problems) == 0 {
		return e.File + ": invalid policy"
	}
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.format(e.File)
	}
	return strings.Join(lines, "\n")
}

func (p Problem) format(file string) string {
	var where []string
	if file != "" {
		where = append(where, file)
	}
	if p.Line > 0 {
		where = append(where, strconv.Itoa(p.Line))
		if p.Column > 0 {
			where = append(where, strconv.Itoa(p.Column))
		}
	}
	if p.Path != "" {
		where = append(where, " "+p.Path)
	}
	if len(where) == 0 {
		return p.Message
	}
	return strings.TrimPrefix(strings.Join(where, ":")+": "+p.Message, " ")
}

// LoadFile reads and checks the policy file at path, as Parse does. A file
// that cannot be read is an error of the file system; a file that can, but
// is not a valid policy, a *ConfigError naming path.
func LoadFile(path string, cat Catalogue) (*Config, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("policy: %w", err)
	}
	cfg, err := Parse(data, cat)
	var ce *ConfigError
	if errors.As(err, &ce) {
		ce.File = path
	}
	return cfg, err
}

// Parse decodes and checks a policy file (YAML). It reports every problem
// at once, each with its line, in a *ConfigError: unknown keys (with the
// key meant, when one is close), wrong types, unknown toolsets, levels and
// tools, invalid or repeated agent names and keys, and limits out of range.
// It normalises what has one meaning in several spellings: levels,
// key_sha256 and "own" in lower case, emails in limits.users in lower case.
func Parse(data []byte, cat Catalogue) (*Config, error) {
	if len(data) > maxFileSize {
		return nil, &ConfigError{Problems: []Problem{{Message: "the file is larger than 1 MiB; a policy file is far smaller"}}}
	}
	d := &decoder{cat: cat, left: maxValues}
	root := d.document(data)
	var cfg *Config
	if root != nil {
		cfg = d.config(root)
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	return cfg, nil
}

// decoder walks the YAML nodes of a policy file, filling a Config and
// collecting problems. Every function that takes a node takes it with its
// alias resolved; visit resolves it and counts it against the budget.
type decoder struct {
	cat      Catalogue
	problems []Problem
	dropped  int      // problems beyond maxProblems
	left     int      // values still to visit
	spent    *Problem // set once the budget of values is spent
}

func (d *decoder) problem(n *yaml.Node, path, format string, args ...any) {
	if len(d.problems) == maxProblems {
		d.dropped++
		return
	}
	p := Problem{Path: path, Message: fmt.Sprintf(format, args...)}
	if n != nil {
		p.Line, p.Column = n.Line, n.Column
	}
	d.problems = append(d.problems, p)
}

// err returns the problems, in file order, as a *ConfigError, or nil.
func (d *decoder) err() error {
	if len(d.problems) == 0 && d.spent == nil {
		return nil
	}
	ps := d.problems
	sort.SliceStable(ps, func(i, j int) bool {
		if ps[i].Line != ps[j].Line {
			return ps[i].Line < ps[j].Line
		}
		return ps[i].Column < ps[j].Column
	})
	if d.dropped > 0 {
		ps = append(ps, Problem{Message: fmt.Sprintf("%d more problems not shown; fix these first", d.dropped)})
	}
	if d.spent != nil {
		ps = append(ps, *d.spent)
	}
	return &ConfigError{Problems: ps}
}

// visit resolves an alias and counts n against the budget of values. It
// returns false once the budget is spent.
func (d *decoder) visit(n *yaml.Node) (*yaml.Node, bool) {
	if d.spent != nil {
		return nil, false
	}
	d.left--
	if d.left < 0 {
		d.spent = &Problem{Line: n.Line, Column: n.Column,
			Message: fmt.Sprintf("the file stands for more than %d values once its aliases are expanded; stopped here", maxValues)}
		return nil, false
	}
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n, true
}

// document returns the root node of the one YAML document in data.
func (d *decoder) document(data []byte) *yaml.Node {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		d.problem(nil, "", "the file is empty; it must list agents")
		return nil
	} else if err != nil {
		d.syntax(err)
		return nil
	}
	// Look for a second document, ignoring empty ones (a stray --- at
	// the end); the first is checked all the same.
	for {
		var next yaml.Node
		err := dec.Decode(&next)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			d.syntax(err)
			break
		}
		if len(next.Content) > 0 && !isNull(next.Content[0]) {
			d.problem(next.Content[0], "", "a second YAML document starts here; a policy file holds one (remove the ---)")
			break
		}
	}
	if len(doc.Content) == 0 {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"}
	}
	return doc.Content[0]
}

var yamlLine = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^yaml: line (\d+): (.*)$`) })

// syntax reports a YAML syntax error, at its line when the parser gave one.
func (d *decoder) syntax(err error) {
	msg := err.Error()
	p := Problem{Message: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
	if m := yamlLine().FindStringSubmatch(msg); m != nil {
		p.Line, _ = strconv.Atoi(m[1])
		p.Message = "invalid YAML: " + m[2]
	}
	d.problems = append(d.problems, p)
}

func (d *decoder) config(root *yaml.Node) *Config {
	var c Config
	if isNull(root) {
		d.problem(nil, "", "the file is empty; it must list agents")
		return &c
	}
	var agents *yaml.Node
	ok := d.object(root, "", fields{
		"agents": func(v *yaml.Node, p string) { agents = v; c.Agents = d.agents(v, p) },
		"audit":  func(v *yaml.Node, p string) { c.Audit = d.audit(v, p) },
	}, topHomes())
	if ok && agents == nil && d.spent == nil {
		d.problem(root, "", "agents is missing: list at least one agent")
	}
	return &c
}

// agentNodes are where an agent's name and key are, for the problems
// that involve two agents.
type agentNodes struct {
	name, key *yaml.Node
}

func (d *decoder) agents(n *yaml.Node, path string) []AgentConfig {
	var agents []AgentConfig
	var nodes []agentNodes
	ok := d.list(n, path, "{ name: ..., access: ... }", func(item *yaml.Node, p string) {
		a, at := d.agent(item, p)
		agents = append(agents, a)
		nodes = append(nodes, at)
	})
	if !ok {
		return nil
	}
	if len(agents) == 0 {
		d.problem(n, path, "list at least one agent; an agent not listed has no access")
		return nil
	}
	names := map[string]int{}
	keys := map[string]int{}
	for i, a := range agents {
		if a.Name != "" {
			folded := strings.ToLower(a.Name)
			if j, dup := names[folded]; dup {
				d.problem(nodes[i].name, fmt.Sprintf("%s[%d].name", path, i),
					"agent %q is already defined on line %d (%s[%d]); every name must be unique, whatever its case",
					a.Name, nodes[j].name.Line, path, j)
			} else {
				names[folded] = i
			}
		}
		if a.KeySHA256 != "" {
			if j, dup := keys[a.KeySHA256]; dup {
				d.problem(nodes[i].key, fmt.Sprintf("%s[%d].key_sha256", path, i),
					"same key as %s[%d] on line %d; every agent needs its own key (zoom-mcp agent add makes one)",
					path, j, nodes[j].key.Line)
			} else {
				keys[a.KeySHA256] = i
			}
		}
	}
	return agents
}

func (d *decoder) agent(n *yaml.Node, path string) (AgentConfig, agentNodes) {
	var a AgentConfig
	var at agentNodes
	ok := d.object(n, path, fields{
		"name":       func(v *yaml.Node, p string) { at.name = v; a.Name = d.name(v, p) },
		"key_sha256": func(v *yaml.Node, p string) { at.key = v; a.KeySHA256 = d.keyHash(v, p) },
		"access":     func(v *yaml.Node, p string) { a.Access = d.access(v, p) },
		"limits":     func(v *yaml.Node, p string) { a.Limits = d.limits(v, p) },
		"confirm":    func(v *yaml.Node, p string) { a.Confirm = d.texts(v, p, "[destructive]", d.confirmEntry) },
		"results":    func(v *yaml.Node, p string) { a.Results = d.results(v, p) },
		"zoom":       func(v *yaml.Node, p string) { a.Zoom = d.connection(v, p) },
	}, agentHomes())
	if ok && at.name == nil && d.spent == nil {
		d.problem(n, path, "name is missing: every agent needs one, shown in logs and the audit log")
	}
	return a, at
}

// namePattern is the pattern of agent names, from the struct tag.
var namePattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(tagValue(reflect.TypeFor[AgentConfig](), "Name", "pattern"))
})

func (d *decoder) name(n *yaml.Node, path string) string {
	s, ok := d.text(n, path)
	switch {
	case !ok:
	case s == "":
		d.problem(n, path, "name is empty")
	case !namePattern().MatchString(s):
		d.problem(n, path, "invalid name %s: it must match %s (a letter or digit, then letters, digits, '.', '_' or '-')",
			quoteShort(s), namePattern())
	}
	return s
}

// connectionPattern is the pattern of Zoom connection names, from the
// struct tag.
var connectionPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(tagValue(reflect.TypeFor[AgentConfig](), "Zoom", "pattern"))
})

// connection checks the name of a Zoom connection.
func (d *decoder) connection(n *yaml.Node, path string) string {
	s, ok := d.text(n, path)
	if ok && !connectionPattern().MatchString(s) {
		d.problem(n, path, "invalid Zoom connection name %s: it must match %s; s2s is the Server-to-Server app, any other name a user connection (zoom-mcp login --connection NAME)",
			quoteShort(s), connectionPattern())
	}
	return s
}

// keyPattern is the pattern of key_sha256, from the struct tag.
var keyPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(tagValue(reflect.TypeFor[AgentConfig](), "KeySHA256", "pattern"))
})

// keyHash checks a key_sha256 and returns it in lower case. Empty is
// allowed: an agent used only over stdio needs no key.
func (d *decoder) keyHash(n *yaml.Node, path string) string {
	s, ok := d.text(n, path)
	if !ok || s == "" {
		return ""
	}
	if strings.HasPrefix(s, KeyPrefix) {
		// Never echo the key: problems end up in logs.
		d.problem(n, path, "this is the API key itself, not its hash; paste its SHA-256 instead (key_sha256: %s) and keep the key out of this file", HashKey(s))
		return ""
	}
	if !keyPattern().MatchString(s) {
		if i := strings.IndexFunc(s, func(r rune) bool { return !isHexDigit(r) }); i >= 0 {
			r, _ := utf8.DecodeRuneInString(s[i:])
			d.problem(n, path, "want the 64 hex digits of a SHA-256; %q is not a hex digit", r)
		} else {
			d.problem(n, path, "want the 64 hex digits of a SHA-256, got %d characters", len(s))
		}
		return ""
	}
	s = strings.ToLower(s)
	if s == HashKey("") {
		d.problem(n, path, "this is the SHA-256 of an empty key; paste the hash zoom-mcp agent add printed")
		return ""
	}
	return s
}

func isHexDigit(r rune) bool {
	return '0' <= r && r <= '9' || 'a' <= r && r <= 'f' || 'A' <= r && r <= 'F'
}

func (d *decoder) access(n *yaml.Node, path string) map[string]Level {
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		d.problem(n, path, "want a level per toolset, e.g. { meetings: read }, got %s", describe(n))
		return nil
	}
	out := map[string]Level{}
	for _, e := range d.entries(n, path, 0) {
		set := e.key.Value
		p := keyPath(path, set)
		if !isToolset(set) {
			d.problem(e.key, p, "unknown toolset %q%s", set, hint(set, toolsetNames))
			continue
		}
		if lv, ok := d.level(e.val, p); ok {
			out[set] = lv
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

var levelNames = []string{string(Off), string(Read), string(Full)}

// level decodes an access level, in any case.
func (d *decoder) level(n *yaml.Node, path string) (Level, bool) {
	s, ok := d.text(n, path)
	if !ok {
		return "", false
	}
	switch lv := Level(strings.ToLower(s)); lv {
	case Off, Read, Full:
		return lv, true
	}
	d.problem(n, path, "want off, read or full, got %s%s", describe(n), suggestion(s, levelNames))
	return "", false
}

var toolsetNames = func() []string {
	names := make([]string, len(zoomapi.Groups))
	for i, g := range zoomapi.Groups {
		names[i] = string(g)
	}
	return names
}()

func isToolset(s string) bool {
	for _, g := range zoomapi.Groups {
		if string(g) == s {
			return true
		}
	}
	return false
}

// The ranges of the limits, from the struct tags.
var (
	pageSizeRange   = tagRange(reflect.TypeFor[Limits](), "MaxPageSize")
	reportDaysRange = tagRange(reflect.TypeFor[Limits](), "MaxReportDays")
	dailyWriteRange = tagRange(reflect.TypeFor[Limits](), "DailyWrites")
)

func (d *decoder) limits(n *yaml.Node, path string) Limits {
	var l Limits
	d.object(n, path, fields{
		"users":              func(v *yaml.Node, p string) { l.Users = d.texts(v, p, "[me]", d.user) },
		"meetings":           func(v *yaml.Node, p string) { l.Meetings = d.texts(v, p, "[own]", d.idEntry("meeting")) },
		"webinars":           func(v *yaml.Node, p string) { l.Webinars = d.texts(v, p, "[own]", d.idEntry("webinar")) },
		"registrant_actions": func(v *yaml.Node, p string) { l.RegistrantActions = d.registrantActions(v, p) },
		"max_page_size":      func(v *yaml.Node, p string) { l.MaxPageSize = d.integer(v, p, pageSizeRange) },
		"max_report_days":    func(v *yaml.Node, p string) { l.MaxReportDays = d.integer(v, p, reportDaysRange) },
		"daily_writes":       func(v *yaml.Node, p string) { l.DailyWrites = d.integer(v, p, dailyWriteRange) },
	}, limitsHomes())
	return l
}

// user decodes an entry of limits.users: a user ID, an email (lower-cased)
// or me.
func (d *decoder) user(n *yaml.Node, path string) (string, bool) {
	s, ok := d.text(n, path)
	if !ok {
		return "", false
	}
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		d.problem(n, path, "empty entry; want a user ID, an email or me")
		return "", false
	case strings.EqualFold(s, "me"), strings.Contains(s, "@"):
		return strings.ToLower(s), true
	}
	return s, true
}

var meetingID = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`^[1-9][0-9]*$`) })

// idEntry returns the decoder of an entry of limits.meetings or
// limits.webinars: a positive ID, as a number or text, or own.
func (d *decoder) idEntry(kind string) func(*yaml.Node, string) (string, bool) {
	return func(n *yaml.Node, path string) (string, bool) {
		s, ok := d.text(n, path)
		if !ok {
			return "", false
		}
		if strings.EqualFold(s, "own") {
			return "own", true
		}
		if !meetingID().MatchString(s) {
			d.problem(n, path, "want a %s ID (a positive number) or own, got %s%s", kind, describe(n), suggestion(s, []string{"own"}))
			return "", false
		}
		if _, err := strconv.ParseInt(s, 10, 64); err != nil {
			d.problem(n, path, "%s ID %s is too large", kind, quoteShort(s))
			return "", false
		}
		return s, true
	}
}

var registrantActionNames = []string{"approve", "deny", "cancel"}

func (d *decoder) registrantActions(n *yaml.Node, path string) []string {
	seen := map[string]bool{}
	return d.texts(n, path, "[approve]", func(n *yaml.Node, path string) (string, bool) {
		s, ok := d.text(n, path)
		if !ok {
			return "", false
		}
		action := strings.ToLower(s)
		switch {
		case action != "approve" && action != "deny" && action != "cancel":
			d.problem(n, path, "want approve, deny or cancel, got %s%s", describe(n), suggestion(s, registrantActionNames))
			return "", false
		case seen[action]:
			d.problem(n, path, "%s is listed twice", action)
			return "", false
		}
		seen[action] = true
		return action, true
	})
}

// confirmEntry decodes an entry of confirm: a tool name or destructive.
func (d *decoder) confirmEntry(n *yaml.Node, path string) (string, bool) {
	s, ok := d.text(n, path)
	switch {
	case !ok:
		return "", false
	case strings.EqualFold(s, "destructive"):
		return "destructive", true
	case s == "":
		d.problem(n, path, "empty entry; want a tool name or destructive")
		return "", false
	case d.cat.Tools != nil:
		if _, known := d.cat.Tools[s]; !known {
			names := []string{"destructive"}
			for t := range d.cat.Tools {
				names = append(names, t)
			}
			sort.Strings(names[1:])
			h := suggestion(s, names)
			if h == "" {
				h = "; want a tool name or destructive"
			}
			d.problem(n, path, "unknown tool %s%s", quoteShort(s), h)
			return "", false
		}
	}
	return s, true
}

func (d *decoder) results(n *yaml.Node, path string) Results {
	var r Results
	d.object(n, path, fields{
		"mask_emails":        func(v *yaml.Node, p string) { r.MaskEmails = d.boolean(v, p) },
		"withhold_passcodes": func(v *yaml.Node, p string) { r.WithholdPasscodes = d.boolean(v, p) },
	}, nil)
	return r
}

func (d *decoder) audit(n *yaml.Node, path string) AuditConfig {
	var a AuditConfig
	d.object(n, path, fields{
		"path":        func(v *yaml.Node, p string) { a.Path, _ = d.text(v, p) },
		"show_emails": func(v *yaml.Node, p string) { a.ShowEmails = d.boolean(v, p) },
	}, nil)
	return a
}
