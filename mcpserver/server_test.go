package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/internal/sandbox"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/tools"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// sandboxOptions are server options for the tools bound to a fresh
// simulator, with no access control.
func sandboxOptions(t *testing.T) Options {
	t.Helper()
	c, _, err := sandbox.New(zoomfake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return Options{Tools: tools.All(), Pipeline: &pipeline.Pipeline{Client: pipeline.Static(c)}}
}

const initBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`

func TestHandlerRoutes(t *testing.T) {
	srv := httptest.NewServer(Handler(New(sandboxOptions(t)), HandlerOptions{AllowedOrigins: []string{"https://agents.example.com"}}))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var health map[string]string
	json.NewDecoder(resp.Body).Decode(&health)
	resp.Body.Close()
	if resp.StatusCode != 200 || health["status"] != "ok" {
		t.Errorf("/healthz: %d %v", resp.StatusCode, health)
	}

	resp, _ = http.Get(srv.URL + "/nope")
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("/nope: %d, want 404", resp.StatusCode)
	}

	// Browser origins: loopback and listed ones pass, others are refused.
	for origin, want := range map[string]int{
		"http://localhost:6274":      http.StatusOK,
		"http://127.0.0.1:3000":      http.StatusOK,
		"https://agents.example.com": http.StatusOK,
		"https://evil.example.com":   http.StatusForbidden,
		"null":                       http.StatusForbidden,
	} {
		req, _ := http.NewRequest("POST", srv.URL+"/mcp", strings.NewReader(initBody))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Origin", origin)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want {
			t.Errorf("Origin %s: status %d, want %d", origin, resp.StatusCode, want)
		}
	}

	// A body past the cap is refused without reading it all.
	huge := bytes.Repeat([]byte("x"), maxRequestBody+1)
	resp, err = http.Post(srv.URL+"/mcp", "application/json", bytes.NewReader(huge))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode < 400 {
		t.Errorf("oversized body: status %d, want an error", resp.StatusCode)
	}

	// Garbage JSON is a JSON-RPC parse error, not a crash.
	resp, err = http.Post(srv.URL+"/mcp", "application/json", strings.NewReader("{not json"))
	if err != nil {
		t.Fatal(err)
	}
	var rpc struct {
		Error struct{ Code int } `json:"error"`
	}
	json.NewDecoder(resp.Body).Decode(&rpc)
	resp.Body.Close()
	if rpc.Error.Code != mcp.PARSE_ERROR {
		t.Errorf("garbage body: JSON-RPC error %d, want %d", rpc.Error.Code, mcp.PARSE_ERROR)
	}
}

// TestOutputSchemaValidation runs every read tool through mcp-go with its
// own output validation on: a result that broke its outputSchema would come
// back as an error.
func TestOutputSchemaValidation(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	opts := sandboxOptions(t)
	opts.ValidateOutput, opts.Logger = true, logger
	s := New(opts)
	c, err := client.NewInProcessClient(s)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_PROTOCOL_VERSION, ClientInfo: mcp.Implementation{Name: "t", Version: "1"},
	}}); err != nil {
		t.Fatal(err)
	}
	calls := map[string]map[string]any{
		"list_meetings":            {},
		"get_meeting":              {"meeting_id": zoomfake.SeedRecurringMeetingID},
		"list_meeting_registrants": {"meeting_id": zoomfake.SeedRegistrationMeetingID},
		"list_webinars":            {},
		"get_webinar":              {"webinar_id": zoomfake.SeedWebinarID},
		"list_users":               {},
		"get_user":                 {},
		"get_meeting_recordings":   {"meeting_id": zoomfake.SeedPastUUID},
		"get_meeting_report":       {"meeting_id": zoomfake.SeedPastUUID},
	}
	for name, args := range calls {
		res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: args}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if res.IsError {
			t.Errorf("%s: %v", name, res.Content)
		}
	}
	if res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "get_meeting", Arguments: map[string]any{"meeting_id": 1}}}); err != nil || !res.IsError {
		t.Fatalf("get_meeting of a missing meeting: %v %+v", err, res)
	}
	if !strings.Contains(logs.String(), `"msg":"tool call refused","agent":"","tool":"get_meeting"`) || !strings.Contains(logs.String(), `"kind":"not_found"`) {
		t.Errorf("a refused call is not logged with its kind:\n%s", logs.String())
	}
	if !strings.Contains(logs.String(), `"tool":"get_meeting"`) {
		t.Errorf("tool calls are not logged:\n%s", logs.String())
	}
	for _, secretish := range []string{"access_token", "Bearer", zoomfake.DefaultClientSecret} {
		if strings.Contains(logs.String(), secretish) {
			t.Errorf("log contains %q", secretish)
		}
	}
}
