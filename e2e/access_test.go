package e2e

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestAccessControl: three agents with their own keys and grants share one
// server, started with --config and --audit-log against the standalone Zoom
// simulator. access.mjs, through the official SDK client, checks what each
// agent sees and may do, and that refused calls, dry runs and declined
// confirmations never reach the simulator. Then the audit log must be an
// intact chain holding each decision, and no key may appear in it.
func TestAccessControl(t *testing.T) {
	t.Parallel()
	requireDeps(t)
	dir := t.TempDir()

	sim := startProcess(t, nil, "simulator", "--addr", "127.0.0.1:0")
	api := sim.logged(t, "api") // http://127.0.0.1:PORT/v2
	base, ok := strings.CutSuffix(api, "/v2")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("the simulator serves its API at %q, want http://127.0.0.1:PORT/v2", api)
	}

	keys := map[string]string{"scheduler": newKey(t), "reporter": newKey(t), "ops": newKey(t)}
	cfg := filepath.Join(dir, "access.yaml")
	config := fmt.Sprintf(`agents:
  - name: scheduler
    key_sha256: %s
    access: { meetings: full, meeting_registrants: read }
  - name: reporter
    key_sha256: %s
    access: { reports: read, users: read }
  - name: ops
    key_sha256: %s
    access: { meetings: full }
    confirm: [destructive]
`, keyHash(keys["scheduler"]), keyHash(keys["reporter"]), keyHash(keys["ops"]))
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}

	auditLog := filepath.Join(dir, "audit.jsonl")
	srv := startProcess(t, []string{
		"ZOOM_API_BASE_URL=" + api,
		"ZOOM_OAUTH_BASE_URL=" + base,
		"ZOOM_ACCOUNT_ID=sandbox-account", // zoomfake.DefaultAccountID
		"ZOOM_CLIENT_ID=sandbox-client",   // zoomfake.DefaultClientID
		"ZOOM_CLIENT_SECRET=sandbox-secret",
	}, "--config", cfg, "--http", "127.0.0.1:0", "--audit-log", auditLog, "--log-format", "json")
	url := srv.logged(t, "url")
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/mcp") {
		t.Fatalf("zoom-mcp listens at %q, want http://127.0.0.1:PORT/mcp", url)
	}
	waitHealthy(t, strings.TrimSuffix(url, "/mcp")+"/healthz")

	runScript(t, node(t), "access.mjs",
		"ZOOM_MCP_URL="+url,
		"ZOOMFAKE_STATS_URL="+base+"/_simulator/stats",
		"ZOOM_MCP_KEY_SCHEDULER="+keys["scheduler"],
		"ZOOM_MCP_KEY_REPORTER="+keys["reporter"],
		"ZOOM_MCP_KEY_OPS="+keys["ops"],
	)

	// Stop the server, so that the log is complete and closed, and read it.
	srv.stop(t)
	verifyAudit(t, auditLog)
	data, err := os.ReadFile(auditLog)
	if err != nil {
		t.Fatal(err)
	}
	checkAuditRecords(t, data)
	for agent, key := range keys {
		for i, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, key) {
				t.Errorf("audit log line %d holds %s's key: %s", i+1, agent, line)
			}
		}
		if strings.Contains(srv.logs.String(), key) {
			t.Errorf("the server's log holds %s's key", agent)
		}
	}
}

// verifyAudit runs `zoom-mcp audit verify` on the log, which must pass, and
// on a copy with one record edited, which must not.
func verifyAudit(t *testing.T, path string) {
	t.Helper()
	if out, err := runBin(t, "audit", "verify", path); err != nil {
		t.Errorf("zoom-mcp audit verify: %v\n%s", err, out)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	edited := filepath.Join(t.TempDir(), "edited.jsonl")
	tampered := bytes.Replace(data, []byte(`"decision":"denied"`), []byte(`"decision":"allowed"`), 1)
	if bytes.Equal(tampered, data) {
		t.Fatal("the audit log has no denied record to edit")
	}
	if err := os.WriteFile(edited, tampered, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := runBin(t, "audit", "verify", edited); err == nil {
		t.Errorf("zoom-mcp audit verify passed a log with an edited record:\n%s", out)
	}
}

// checkAuditRecords checks that the log holds one record of each decision
// access.mjs provokes, with its agent, tool, rule and Zoom requests.
func checkAuditRecords(t *testing.T, data []byte) {
	t.Helper()
	type request struct{ Method, Path string }
	type record struct {
		Agent, Tool, Decision, Rule, Method, Path string
		Requests                                  []request
	}
	var records []record
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		var r record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("audit line %d: %v: %s", len(records)+1, err, sc.Bytes())
		}
		records = append(records, r)
	}
	meeting := "/meetings/85746065432" // zoomfake.SeedRegistrationMeetingID
	want := []struct {
		record
		sent []request // some of the requests the call sent
	}{
		{record: record{Agent: "reporter", Tool: "delete_meeting", Decision: "denied", Rule: "meetings=off"}},
		{record: record{Agent: "reporter", Tool: "list_users", Decision: "allowed", Rule: "users=read", Method: "GET", Path: "/users"}},
		{record: record{Agent: "scheduler", Tool: "create_meeting", Decision: "dry_run", Rule: "meetings=full", Method: "POST", Path: "/users/me/meetings"}},
		{record: record{Agent: "ops", Tool: "update_meeting", Decision: "confirmed", Rule: "meetings=full"}, sent: []request{{"PATCH", meeting}}},
		{record: record{Agent: "ops", Tool: "update_meeting", Decision: "declined", Rule: "confirm"}},
	}
	for _, w := range want {
		found := slices.ContainsFunc(records, func(r record) bool {
			if r.Agent != w.Agent || r.Tool != w.Tool || r.Decision != w.Decision || r.Rule != w.Rule {
				return false
			}
			if w.Method != "" && (r.Method != w.Method || r.Path != w.Path) {
				return false
			}
			if w.sent == nil {
				// Nothing reached Zoom unless the decision says so.
				return w.Decision == "allowed" || len(r.Requests) == 0
			}
			for _, s := range w.sent {
				if !slices.Contains(r.Requests, s) {
					return false
				}
			}
			return true
		})
		if !found {
			t.Errorf("no audit record %+v (sent %v) in:\n%s", w.record, w.sent, data)
		}
	}
	for i, r := range records {
		if r.Decision == "failed" {
			t.Errorf("audit line %d: a call failed: %+v", i+1, r)
		}
	}
}

// newKey makes an agent key as `zoom-mcp agent add` does: zmcp_ and random.
func newKey(t *testing.T) string {
	t.Helper()
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	return "zmcp_" + hex.EncodeToString(b)
}

func keyHash(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// runBin runs a zoom-mcp command to its end, bounded by a timeout.
func runBin(t *testing.T, args ...string) ([]byte, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, serverBin, args...)
	cmd.Env = cleanEnv()
	return cmd.CombinedOutput()
}

// cleanEnv is this process's environment without the ZOOM_ variables that
// would configure zoom-mcp or the simulator behind the test's back.
func cleanEnv() []string {
	return slices.DeleteFunc(os.Environ(), func(kv string) bool {
		return strings.HasPrefix(kv, "ZOOM_") || strings.HasPrefix(kv, "ZOOMFAKE_")
	})
}

// process is a zoom-mcp process the test started.
type process struct {
	cmd    *exec.Cmd
	args   []string
	logs   *syncBuffer
	exited chan error // receives cmd.Wait's result once
	once   sync.Once
}

// startProcess starts zoom-mcp with args and env (besides cleanEnv). It is
// stopped when the test ends, pass or fail (its log is shown on failure).
func startProcess(t *testing.T, env []string, args ...string) *process {
	t.Helper()
	p := &process{cmd: exec.Command(serverBin, args...), args: args, logs: &syncBuffer{}, exited: make(chan error, 1)}
	p.cmd.Env = append(cleanEnv(), env...)
	p.cmd.Stdout, p.cmd.Stderr = p.logs, p.logs
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.exited <- p.cmd.Wait() }()
	t.Cleanup(func() {
		p.stop(t)
		if t.Failed() {
			t.Logf("zoom-mcp %s log:\n%s", strings.Join(args, " "), p.logs)
		}
	})
	return p
}

// stop interrupts the process and waits for it to exit, at most 10s; one
// that does not exit cleanly on SIGINT fails the test. Only the first call
// does anything.
func (p *process) stop(t *testing.T) {
	t.Helper()
	p.once.Do(func() {
		_ = p.cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-p.exited:
			if err != nil {
				t.Errorf("zoom-mcp %s exited with %v (want a clean exit on SIGINT)", p.args[0], err)
			}
		case <-time.After(10 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.exited
			t.Errorf("zoom-mcp %s did not stop within 10s of SIGINT; killed it", p.args[0])
		}
	})
}

// logged waits, at most 15s, for the process to log a JSON line with the
// string field key (the address it listens on), and returns the field.
func (p *process) logged(t *testing.T, key string) string {
	t.Helper()
	deadline := time.After(15 * time.Second)
	for {
		for _, line := range strings.Split(p.logs.String(), "\n") {
			var rec map[string]any
			if json.Unmarshal([]byte(line), &rec) == nil {
				if v, ok := rec[key].(string); ok && v != "" {
					return v
				}
			}
		}
		select {
		case err := <-p.exited:
			p.exited <- err // for stop
			t.Fatalf("zoom-mcp %s exited early: %v", p.args[0], err)
		case <-deadline:
			t.Fatalf("zoom-mcp %s logged no %q within 15s", p.args[0], key)
		case <-time.After(20 * time.Millisecond):
		}
	}
}
