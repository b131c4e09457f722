package mcpserver

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/tools"
)

// Toolsets on demand (--dynamic-toolsets), as github-mcp-server offers
// them: tools/list starts with two small tools, list_toolsets and
// enable_toolset, and a session's list grows by a toolset's tools when the
// model enables it (notifications/tools/list_changed tells the client). It
// saves context, it is not access control: a tool of a toolset not enabled
// can still be called, and passes the access policy like any other.
type dynamicToolsets struct {
	sets    []tools.Toolset
	members map[string][]pipeline.Tool // toolset -> its tools offered
	visible func(string, pipeline.Tool) bool

	mu      sync.Mutex
	enabled map[string]map[string]bool // session ID -> toolset -> enabled
}

// Names of the discovery tools.
const (
	listToolsetsTool  = "list_toolsets"
	enableToolsetTool = "enable_toolset"
)

func newDynamicToolsets(offered []tools.Tool, visible func(string, pipeline.Tool) bool) *dynamicToolsets {
	d := &dynamicToolsets{members: map[string][]pipeline.Tool{}, visible: visible, enabled: map[string]map[string]bool{}}
	for _, t := range offered {
		d.members[string(t.Toolset)] = append(d.members[string(t.Toolset)], t.Info())
	}
	for _, ts := range tools.Toolsets() {
		if len(d.members[string(ts.Name)]) > 0 {
			d.sets = append(d.sets, ts)
		}
	}
	if d.visible == nil {
		d.visible = func(string, pipeline.Tool) bool { return true }
	}
	return d
}

func sessionID(ctx context.Context) string {
	if s := server.ClientSessionFromContext(ctx); s != nil {
		return s.SessionID()
	}
	return ""
}

// isEnabled reports whether the session of ctx enabled toolset. A request
// without a session (the stateless 2026-07-28 HTTP transport) cannot keep
// the choice: it sees every toolset.
func (d *dynamicToolsets) isEnabled(ctx context.Context, toolset string) bool {
	id := sessionID(ctx)
	if id == "" {
		return true
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.enabled[id][toolset]
}

// forget drops a session's choices when it ends.
func (d *dynamicToolsets) forget(id string) {
	d.mu.Lock()
	delete(d.enabled, id)
	d.mu.Unlock()
}

// mine lists the tools of a toolset the agent may call.
func (d *dynamicToolsets) mine(agent, toolset string) []string {
	var names []string
	for _, t := range d.members[toolset] {
		if d.visible(agent, t) {
			names = append(names, t.Name)
		}
	}
	return names
}

type toolsetRow struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	Tools       int    `json:"tools"`
	Enabled     bool   `json:"enabled"`
}

func (d *dynamicToolsets) serverTools() []server.ServerTool {
	b := mcp.ToBoolPtr
	list := mcp.NewToolWithRawSchema(listToolsetsTool,
		"List the Zoom toolsets you may use; enable one with enable_toolset to get its tools.",
		json.RawMessage(`{"type":"object","properties":{},"additionalProperties":false}`))
	list.Annotations = mcp.ToolAnnotation{Title: "List toolsets", ReadOnlyHint: b(true), DestructiveHint: b(false), IdempotentHint: b(true), OpenWorldHint: b(false)}
	list.Title = "List toolsets"
	enable := mcp.NewToolWithRawSchema(enableToolsetTool,
		"Add a toolset's tools to your tool list (see list_toolsets).",
		json.RawMessage(`{"type":"object","properties":{"toolset":{"type":"string","description":"Its name, e.g. meetings."}},"required":["toolset"],"additionalProperties":false}`))
	enable.Annotations = mcp.ToolAnnotation{Title: "Enable toolset", ReadOnlyHint: b(true), DestructiveHint: b(false), IdempotentHint: b(true), OpenWorldHint: b(false)}
	enable.Title = "Enable toolset"
	return []server.ServerTool{
		{Tool: list, Handler: d.listHandler},
		{Tool: enable, Handler: d.enableHandler},
	}
}

func (d *dynamicToolsets) listHandler(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	agent, _ := pipeline.AgentFrom(ctx)
	rows := []toolsetRow{}
	for _, ts := range d.sets {
		if n := len(d.mine(agent.Name, string(ts.Name))); n > 0 {
			rows = append(rows, toolsetRow{Name: string(ts.Name), Description: ts.Description, Tools: n, Enabled: d.isEnabled(ctx, string(ts.Name))})
		}
	}
	return mcp.NewToolResultStructuredOnly(map[string]any{"toolsets": rows}), nil
}

func (d *dynamicToolsets) enableHandler(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
	agent, _ := pipeline.AgentFrom(ctx)
	name, _ := req.GetArguments()["toolset"].(string)
	names := d.mine(agent.Name, name)
	if len(names) == 0 {
		var valid []string
		for _, ts := range d.sets {
			if len(d.mine(agent.Name, string(ts.Name))) > 0 {
				valid = append(valid, string(ts.Name))
			}
		}
		return mcp.NewToolResultError(fmt.Sprintf("No toolset %q that you may use; yours: %v. Call list_toolsets to see them.", name, valid)), nil
	}
	if id := sessionID(ctx); id != "" {
		d.mu.Lock()
		if d.enabled[id] == nil {
			d.enabled[id] = map[string]bool{}
		}
		d.enabled[id][name] = true
		d.mu.Unlock()
		if s := server.ServerFromContext(ctx); s != nil {
			_ = s.SendNotificationToClient(ctx, string(mcp.MethodNotificationToolsListChanged), nil)
		}
	}
	slices.Sort(names)
	return mcp.NewToolResultStructuredOnly(map[string]any{"enabled": name, "tools": names}), nil
}
