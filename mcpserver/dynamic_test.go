package mcpserver

import (
	"encoding/json"
	"slices"
	"sync/atomic"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/policy"
)

// TestDynamicToolsets: with toolsets on demand a session starts with the
// two discovery tools, lists only the toolsets its agent may use, and an
// enabled toolset's tools (those the agent may call) join its list, with
// notifications/tools/list_changed; another session is not affected.
func TestDynamicToolsets(t *testing.T) {
	cfg := &policy.Config{Agents: []policy.AgentConfig{{Name: "a", KeySHA256: policy.HashKey("zmcp_a"),
		Access: map[string]policy.Level{"meetings": policy.Read, "users": policy.Full}}}}
	g := newGated(t, cfg, func(o *Options) { o.DynamicToolsets = true })
	connect := func() (*client.Client, *atomic.Int32) {
		tr, err := transport.NewStreamableHTTP(g.url, transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer zmcp_a"}), transport.WithContinuousListening())
		if err != nil {
			t.Fatal(err)
		}
		c := client.NewClient(tr, client.WithLegacyProtocolOnly())
		t.Cleanup(func() { c.Close() })
		var changed atomic.Int32
		c.OnNotification(func(n mcp.JSONRPCNotification) {
			if n.Method == string(mcp.MethodNotificationToolsListChanged) {
				changed.Add(1)
			}
		})
		if err := c.Start(t.Context()); err != nil {
			t.Fatal(err)
		}
		init := mcp.InitializeRequest{}
		init.Params.ProtocolVersion = "2025-06-18"
		init.Params.ClientInfo = mcp.Implementation{Name: "dyn", Version: "1"}
		if _, err := c.Initialize(t.Context(), init); err != nil {
			t.Fatal(err)
		}
		return c, &changed
	}
	names := func(c *client.Client) []string {
		l, err := c.ListTools(t.Context(), mcp.ListToolsRequest{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, tl := range l.Tools {
			out = append(out, tl.Name)
		}
		slices.Sort(out)
		return out
	}
	c, changed := connect()
	if got := names(c); !slices.Equal(got, []string{"enable_toolset", "list_toolsets"}) {
		t.Fatalf("first list: %v", got)
	}
	res, err := c.CallTool(t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "list_toolsets"}})
	if err != nil || res.IsError {
		t.Fatalf("list_toolsets: %v %v", err, res)
	}
	var sets struct{ Toolsets []toolsetRow }
	data, _ := json.Marshal(res.StructuredContent)
	_ = json.Unmarshal(data, &sets)
	if len(sets.Toolsets) != 2 || sets.Toolsets[0].Name != "meetings" || sets.Toolsets[0].Tools != 2 || sets.Toolsets[1].Name != "users" {
		t.Errorf("toolsets: %+v", sets.Toolsets)
	}
	if res, _ := c.CallTool(t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "enable_toolset", Arguments: map[string]any{"toolset": "webinars"}}}); !res.IsError {
		t.Error("enabled a toolset the agent may not use")
	}
	if res, err := c.CallTool(t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "enable_toolset", Arguments: map[string]any{"toolset": "meetings"}}}); err != nil || res.IsError {
		t.Fatalf("enable meetings: %v %v", err, res)
	}
	if got := names(c); !slices.Equal(got, []string{"enable_toolset", "get_meeting", "list_meetings", "list_toolsets"}) {
		t.Errorf("after enabling meetings: %v", got)
	}
	if changed.Load() == 0 {
		t.Error("no tools/list_changed notification")
	}
	other, _ := connect()
	if got := names(other); len(got) != 2 {
		t.Errorf("another session sees %v", got)
	}
}
