package main

import (
	"context"
	"io"
	"net/http"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
)

// TestMetricsServed: --metrics serves Prometheus metrics on its own
// listener, counting tool calls by tool, agent and outcome and Zoom
// requests by operation and status; the MCP port does not serve them.
func TestMetricsServed(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	addr, metricsAddr := freeAddr(t), freeAddr(t)
	done, _ := runInBackground(ctx, []string{"--sandbox", "--http", addr, "--metrics", metricsAddr})
	waitHealthy(t, "http://"+addr+"/healthz")
	c, err := client.NewStreamableHttpClient("http://" + addr + "/mcp")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	initialize(ctx, t, c)
	for _, name := range []string{"get_user", "get_meeting"} {
		if _, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: map[string]any{}}}); err != nil {
			t.Fatal(err)
		}
	}
	get := func(url string) (int, string) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, body := get("http://" + metricsAddr + "/metrics")
	for _, want := range []string{
		`zoom_mcp_tool_calls_total{agent="local",outcome="allowed",tool="get_user"} 1`,
		`zoom_mcp_tool_calls_total{agent="local",outcome="failed:invalid_argument",tool="get_meeting"} 1`,
		`zoom_mcp_zoom_request_duration_seconds_count{operation="user",status="200"} 1`,
		`zoom_mcp_zoom_token_fetches_total{kind="s2s",outcome="ok"}`,
	} {
		if status != 200 || !strings.Contains(body, want) {
			t.Errorf("/metrics (%d) lacks %s", status, want)
		}
	}
	if status, _ := get("http://" + addr + "/metrics"); status == 200 {
		t.Errorf("the MCP port serves /metrics")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
}

// TestMetricsLinksNoPrometheusClient: the binary links neither the
// Prometheus client (client_golang, client_model, common, procfs) nor
// what it brings (protobuf, runtime/metrics, expvar). Their package
// initialisation cost about 3 ms of every start, --metrics or not;
// package metrics writes the exposition itself. Tests may import them.
func TestMetricsLinksNoPrometheusClient(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(goCmd, "list", "-deps", "github.com/zoommcp/zoom-mcp").Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list -deps: %v\n%s", err, stderr)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/prometheus/") || strings.HasPrefix(dep, "google.golang.org/protobuf") ||
			dep == "runtime/metrics" || dep == "expvar" {
			t.Errorf("the binary links %s: its package initialisation costs every start of the server (about 3 ms for the Prometheus client); keep it to tests", dep)
		}
	}
}
