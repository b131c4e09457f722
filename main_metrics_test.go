package main

import (
	"context"
	"io"
	"net/http"
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
