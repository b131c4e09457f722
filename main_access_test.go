package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/audit"
	"github.com/zoommcp/zoom-mcp/connections"
	"github.com/zoommcp/zoom-mcp/policy"
	"github.com/zoommcp/zoom-mcp/tools"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const twoAgents = `agents:
  - name: scheduler
    key_sha256: %s
    access: { meetings: full }
    limits: { meetings: [own] }
  - name: reporter
    key_sha256: %s
    access: { reports: read }
`

func twoAgentConfig(t *testing.T) string {
	return writeFile(t, "policy.yaml", fmt.Sprintf(twoAgents, policy.HashKey("zmcp_s"), policy.HashKey("zmcp_r")))
}

// TestStartRefusals: the server never starts open where it should not.
func TestStartRefusals(t *testing.T) {
	bad := writeFile(t, "bad.yaml", "agents:\n  - name: a\n    access: { meetngs: full }\n")
	noKeys := writeFile(t, "nokeys.yaml", "agents:\n  - name: a\n    access: { meetings: read }\n")
	two := twoAgentConfig(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"public HTTP without a config", []string{"--sandbox", "--http", "0.0.0.0:0"}, "needs --config"},
		{"invalid config", []string{"--sandbox", "--config", bad}, "bad.yaml:3"},
		{"missing config", []string{"--sandbox", "--config", "/nonexistent/policy.yaml"}, "policy.yaml"},
		{"HTTP config without keys", []string{"--sandbox", "--config", noKeys, "--http", "127.0.0.1:0"}, "no agent with a key_sha256"},
		{"stdio with two agents and no --agent", []string{"--sandbox", "--config", two}, "--agent"},
		{"unknown --agent", []string{"--sandbox", "--config", two, "--agent", "ghost"}, `"ghost"`},
		{"--agent without config", []string{"--sandbox", "--agent", "scheduler"}, "no config"},
		{"bad --access", []string{"--sandbox", "--access", "meetings=admin"}, "--access"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			var stderr bytes.Buffer
			err := run(ctx, tc.args, env(nil), strings.NewReader(""), io.Discard, &stderr)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want it to contain %q", err, tc.want)
			}
		})
	}
}

// TestLocalAgentGrants: without a config the local agent reads everything
// and writes only what --access grants; the sandbox grants full.
func TestLocalAgentGrants(t *testing.T) {
	creds := simulatorEnv(t)
	names, _ := listTools(t, nil, creds)
	if len(names) != 17 || slices.Contains(names, "create_meeting") {
		t.Errorf("default: %v", names)
	}
	names, _ = listTools(t, []string{"--access", "meetings=full,users=off"}, creds)
	if !slices.Contains(names, "create_meeting") || slices.Contains(names, "get_user") || slices.Contains(names, "create_webinar") {
		t.Errorf("--access meetings=full,users=off: %v", names)
	}
	names, _ = listTools(t, []string{"--sandbox"}, env(nil))
	if len(names) != 29 {
		t.Errorf("--sandbox: %d tools", len(names))
	}
	names, _ = listTools(t, []string{"--sandbox", "--config", twoAgentConfig(t), "--agent", "reporter"}, env(nil))
	if want := []string{"get_meeting_report", "list_meeting_participants", "list_past_meetings"}; !slices.Equal(sorted(names), want) {
		t.Errorf("--agent reporter: %v, want %v", names, want)
	}
}

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

// simulatorEnv starts a simulator on loopback HTTP and returns the
// environment that points a server at it; its state outlives the server.
func simulatorEnv(t *testing.T) func(string) string {
	t.Helper()
	sim := httptest.NewServer(zoomfake.New(zoomfake.Options{}))
	t.Cleanup(sim.Close)
	return env(map[string]string{"ZOOM_ACCOUNT_ID": zoomfake.DefaultAccountID, "ZOOM_CLIENT_ID": zoomfake.DefaultClientID,
		"ZOOM_CLIENT_SECRET": zoomfake.DefaultClientSecret, "ZOOM_OAUTH_BASE_URL": sim.URL, "ZOOM_API_BASE_URL": sim.URL + "/v2"})
}

// callTools runs the stdio server with args, calls tools in order (each
// a JSON {"name", "arguments"}) and returns their structured results.
func callTools(t *testing.T, args []string, getenv func(string) string, calls ...string) []map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, stderr, stop := stdioServer(ctx, t, args, getenv)
	initialize(ctx, t, c)
	results := make([]map[string]any, len(calls))
	for i, raw := range calls {
		var p mcp.CallToolParams
		if err := json.Unmarshal([]byte(raw), &p); err != nil {
			t.Fatal(err)
		}
		res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: p})
		if err != nil {
			t.Fatalf("%s: %v\n%s", p.Name, err, stderr.String())
		}
		data, _ := json.Marshal(res.StructuredContent)
		_ = json.Unmarshal(data, &results[i])
	}
	if err := stop(); err != nil {
		t.Fatalf("run: %v", err)
	}
	return results
}

// TestAuditAcrossRestarts: every call is audited; a restarted server
// continues the chain and remembers which meetings the agent created.
func TestAuditAcrossRestarts(t *testing.T) {
	creds := simulatorEnv(t)
	cfg := twoAgentConfig(t)
	log := filepath.Join(t.TempDir(), "audit.jsonl")
	args := []string{"--config", cfg, "--agent", "scheduler", "--audit-log", log}
	first := callTools(t, args, creds,
		`{"name":"create_meeting","arguments":{"topic":"Q3 review","start_time":"2026-12-24T10:00:00Z"}}`,
		fmt.Sprintf(`{"name":"get_meeting","arguments":{"meeting_id":%d}}`, zoomfake.SeedRegistrationMeetingID))
	id, _ := first[0]["id"].(float64)
	if id == 0 {
		t.Fatalf("create_meeting: %v", first[0])
	}
	if e, _ := first[1]["error"].(map[string]any); e["rule"] != "limits.meetings" {
		t.Errorf("a meeting it did not create: %v", first[1])
	}
	// A new process: the meeting it created is still its own.
	second := callTools(t, args, creds, fmt.Sprintf(`{"name":"get_meeting","arguments":{"meeting_id":"%d"}}`, int64(id)))
	if second[0]["topic"] != "Q3 review" {
		t.Errorf("after a restart, its own meeting: %v", second[0])
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"audit", "verify", log}, env(nil), nil, &out, io.Discard); err != nil {
		t.Fatalf("audit verify: %v %s", err, out.String())
	}
	var decisions []string
	if err := audit.Read(log, func(r audit.Record) error {
		decisions = append(decisions, string(r.Decision))
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"allowed", "denied", "allowed"}; !slices.Equal(decisions, want) {
		t.Errorf("decisions %v, want %v", decisions, want)
	}
	data, _ := os.ReadFile(log)
	if !strings.Contains(string(data), `scheduler created meeting`) || !strings.Contains(string(data), `\"Q3 review\"`) {
		t.Errorf("no plain-English sentence:\n%s", data)
	}
	// Edit one record: verify fails and names the line.
	tampered := strings.Replace(string(data), `"decision":"denied"`, `"decision":"allowed"`, 1)
	if err := os.WriteFile(log, []byte(tampered), 0o600); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	err := run(context.Background(), []string{"audit", "verify", log}, env(nil), nil, &out, &out)
	if err == nil || !strings.Contains(out.String()+err.Error(), ":2") {
		t.Errorf("tampered log: err %v, output %s", err, out.String())
	}
	// And a server refuses to append to it.
	var stderr bytes.Buffer
	if err := run(context.Background(), args, creds, strings.NewReader(""), io.Discard, &stderr); err == nil {
		t.Error("the server started on a tampered audit log")
	}
}

// TestReload: a reload applies a valid config and keeps the old policy
// when the new one is invalid.
func TestReload(t *testing.T) {
	cfgPath := twoAgentConfig(t)
	var cfg config
	cfg.policy, cfg.sandbox, cfg.timeout = cfgPath, true, 30*time.Second
	c, err := zoomClient(true, nil, env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	all := toolsAll()
	g, err := newGate(cfg, all, connections.New(connections.Options{S2S: c}), &shared{}, true, false, discard())
	if err != nil {
		t.Fatal(err)
	}
	defer g.Close()
	if g.policy.Level("reporter", "reports") != policy.Read {
		t.Fatal("reporter cannot read reports")
	}
	if err := os.WriteFile(cfgPath, []byte("agents: [ { name: reporter, access: { reports: everything } } ]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := g.reload(); err == nil {
		t.Error("an invalid config reloaded")
	}
	if g.policy.Level("reporter", "reports") != policy.Read {
		t.Error("a failed reload changed the policy")
	}
	valid := fmt.Sprintf("agents:\n  - name: reporter\n    key_sha256: %s\n    access: { reports: read, users: read }\n", policy.HashKey("zmcp_r"))
	if err := os.WriteFile(cfgPath, []byte(valid), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := g.reload(); err != nil {
		t.Fatal(err)
	}
	if g.policy.Level("reporter", "users") != policy.Read || g.policy.HasAgent("scheduler") {
		t.Error("the reload did not apply")
	}
}

// TestCommands: config validate, config schema and agent add.
func TestCommands(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"config", "validate", "policy/testdata/example.yaml"}, env(nil), nil, &out, &out); err != nil {
		t.Errorf("validate example: %v %s", err, out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"agent", "add", "helper"}, env(nil), nil, &out, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "zmcp_") || !strings.Contains(out.String(), "key_sha256:") {
		t.Errorf("agent add printed:\n%s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), []string{"config", "schema"}, env(nil), nil, &out, io.Discard); err != nil || !json.Valid(out.Bytes()) {
		t.Errorf("config schema: %v", err)
	}
	if err := run(context.Background(), []string{"config", "frobnicate"}, env(nil), nil, io.Discard, io.Discard); err == nil {
		t.Error("an unknown command succeeded")
	}
}

func toolsAll() []tools.Tool { return tools.All() }

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

var updateReadme = flag.Bool("update-readme", false, "rewrite the README's access-control example and table")

// TestReadmeAccessSection keeps the README's example policy identical to
// policy/testdata/example.yaml (which TestCommands validates) and its table
// of what each agent sees derived from the registry and the policy.
func TestReadmeAccessSection(t *testing.T) {
	example, err := os.ReadFile("policy/testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	all := tools.All()
	cfg, err := policy.LoadFile("policy/testdata/example.yaml", policy.Catalogue{Tools: tools.Catalogue(all)})
	if err != nil {
		t.Fatal(err)
	}
	pol, err := policy.New(cfg, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var table strings.Builder
	table.WriteString("| agent | tools it sees and may call | needs a person's OK |\n|---|---|---|\n")
	for _, a := range cfg.Agents {
		var seen, confirmed []string
		for _, tl := range all {
			if !pol.Visible(a.Name, tl.Info()) {
				continue
			}
			seen = append(seen, "`"+tl.Name()+"`")
			if pol.NeedsConfirmation(a.Name, tl.Info(), tl.Destructive()) {
				confirmed = append(confirmed, "`"+tl.Name()+"`")
			}
		}
		c := "none"
		if len(confirmed) > 0 {
			c = strings.Join(confirmed, ", ")
		}
		fmt.Fprintf(&table, "| %s (%d) | %s | %s |\n", a.Name, len(seen), strings.Join(seen, ", "), c)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	got := replaceBlock(t, readme, "policy-example", "```yaml\n"+string(example)+"```\n")
	got = replaceBlock(t, got, "agents", table.String())
	if bytes.Equal(got, readme) {
		return
	}
	if *updateReadme {
		if err := os.WriteFile("README.md", got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Error("README.md's access-control section is stale: run go test . -run TestReadmeAccessSection -update-readme")
}

func replaceBlock(t *testing.T, doc []byte, name, body string) []byte {
	t.Helper()
	start, end := []byte("<!-- "+name+":start -->\n"), []byte("<!-- "+name+":end -->")
	i, j := bytes.Index(doc, start), bytes.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("README.md has no %s block", name)
	}
	out := slices.Clone(doc[:i+len(start)])
	out = append(out, body...)
	return append(out, doc[j:]...)
}
