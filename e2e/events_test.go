package e2e

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvents: Zoom's events reach agents end to end. A standalone
// simulator sends signed webhooks, with the same secret, to the server's
// /zoom/webhook; the server keeps them in a file and serves them to two
// agents: recorder (meetings, recordings and events: read) and watcher
// (meetings and events: read, no recordings). events.mjs, through the
// official SDK client over streamable HTTP, waits for events with
// wait_for_event, subscribes to a meeting's event resource and reads the
// resources, while it drives the simulator's admin endpoints. Then the
// simulator must have delivered every webhook (validated, none failed)
// and the server's event file must hold what it acknowledged.
func TestEvents(t *testing.T) {
	t.Parallel()
	requireDeps(t)
	dir := t.TempDir()
	const secret = "e2e-webhook-secret"

	// The simulator needs the server's webhook URL and the server the
	// simulator's API: the server's port is chosen first. The simulator
	// sends nothing (not even the URL validation) before its first event.
	addr := freeLoopback(t)
	sim := startProcess(t, nil, "simulator", "--addr", "127.0.0.1:0",
		"--webhook-url", "http://"+addr+"/zoom/webhook", "--webhook-secret", secret)
	api := sim.logged(t, "api")
	base, ok := strings.CutSuffix(api, "/v2")
	if !ok || !strings.HasPrefix(base, "http://127.0.0.1:") {
		t.Fatalf("the simulator serves its API at %q, want http://127.0.0.1:PORT/v2", api)
	}

	keys := map[string]string{"recorder": newKey(t), "watcher": newKey(t)}
	cfg := filepath.Join(dir, "events.yaml")
	config := fmt.Sprintf(`agents:
  - name: recorder
    key_sha256: %s
    access: { meetings: read, recordings: read, events: read }
  - name: watcher
    key_sha256: %s
    access: { meetings: read, events: read }
`, keyHash(keys["recorder"]), keyHash(keys["watcher"]))
	if err := os.WriteFile(cfg, []byte(config), 0o600); err != nil {
		t.Fatal(err)
	}
	eventsFile := filepath.Join(dir, "events.jsonl")
	srv := startProcess(t, []string{
		"ZOOM_API_BASE_URL=" + api,
		"ZOOM_OAUTH_BASE_URL=" + base,
		"ZOOM_ACCOUNT_ID=sandbox-account", // zoomfake.DefaultAccountID
		"ZOOM_CLIENT_ID=sandbox-client",   // zoomfake.DefaultClientID
		"ZOOM_CLIENT_SECRET=sandbox-secret",
		"ZOOM_WEBHOOK_SECRET_TOKEN=" + secret,
		"ZOOM_MCP_EVENTS_FILE=" + eventsFile,
	}, "--config", cfg, "--http", addr, "--log-format", "json")
	url := srv.logged(t, "url")
	if url != "http://"+addr+"/mcp" {
		t.Fatalf("zoom-mcp listens at %q, want http://%s/mcp", url, addr)
	}
	waitHealthy(t, strings.TrimSuffix(url, "/mcp")+"/healthz")

	runScript(t, node(t), "events.mjs",
		"ZOOM_MCP_URL="+url,
		"ZOOMFAKE_URL="+base,
		"ZOOM_MCP_KEY_RECORDER="+keys["recorder"],
		"ZOOM_MCP_KEY_WATCHER="+keys["watcher"],
	)

	// Every webhook the simulator sent was acknowledged on its first
	// try, after the URL validation.
	res, err := http.Get(base + "/_simulator/stats")
	if err != nil {
		t.Fatal(err)
	}
	var stats struct {
		Webhooks *struct {
			Validated                           bool
			Delivered, Failed, Retries, Refused int64
		} `json:"webhooks"`
	}
	err = json.NewDecoder(res.Body).Decode(&stats)
	res.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if w := stats.Webhooks; w == nil || !w.Validated || w.Delivered == 0 || w.Failed+w.Retries+w.Refused != 0 {
		t.Errorf("the simulator's webhook deliveries: %+v", w)
	}

	// What the server acknowledged is in its file.
	srv.stop(t)
	f, err := os.Open(eventsFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	types := map[string]int{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var e struct{ Type, Source string }
		if json.Unmarshal(sc.Bytes(), &e) == nil && e.Source == "webhook" {
			types[e.Type]++
		}
	}
	for _, typ := range []string{"meeting.started", "meeting.ended", "recording.completed"} {
		if types[typ] == 0 {
			t.Errorf("the event file %s holds no %s (it holds %v)", eventsFile, typ, types)
		}
	}
	if w := stats.Webhooks; w != nil {
		n := int64(0)
		for _, c := range types {
			n += int64(c)
		}
		if n != w.Delivered {
			t.Errorf("the event file holds %d webhook events, the simulator delivered %d", n, w.Delivered)
		}
	}
}

// freeLoopback returns a loopback address nothing listens on now.
func freeLoopback(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
