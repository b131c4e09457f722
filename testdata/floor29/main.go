// Command floor29 is the one-tool floor (testdata/floor) with zoom-mcp's
// 29 tool definitions instead of one: the same names, descriptions,
// schemas and annotations, read from the tools/list answer in the file
// $FLOOR_TOOLS, each answering "pong". BenchmarkStartupVsFloor measures it
// beside zoom-mcp to tell what the tool count costs mcp-go (AddTools, the
// tools/list answer) from what zoom-mcp's own start costs. Reading and
// decoding the file is part of its start (about 0.5 ms), so it is an
// upper bound of that cost. It ignores its arguments.
package main

import (
	"context"
	"encoding/json"
	"os"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	data, err := os.ReadFile(os.Getenv("FLOOR_TOOLS"))
	if err != nil {
		os.Exit(1)
	}
	var defs []struct {
		Name         string             `json:"name"`
		Title        string             `json:"title"`
		Description  string             `json:"description"`
		InputSchema  json.RawMessage    `json:"inputSchema"`
		OutputSchema json.RawMessage    `json:"outputSchema"`
		Annotations  mcp.ToolAnnotation `json:"annotations"`
		Meta         map[string]any     `json:"_meta"`
	}
	if err := json.Unmarshal(data, &defs); err != nil {
		os.Exit(1)
	}
	s := server.NewMCPServer("floor29", "1", server.WithToolCapabilities(false))
	tools := make([]server.ServerTool, 0, len(defs))
	for _, d := range defs {
		t := mcp.NewToolWithRawSchema(d.Name, d.Description, d.InputSchema)
		t.Title, t.RawOutputSchema, t.Annotations = d.Title, d.OutputSchema, d.Annotations
		if d.Meta != nil {
			t.Meta = mcp.NewMetaFromMap(d.Meta)
		}
		tools = append(tools, server.ServerTool{Tool: t, Handler: func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultText("pong"), nil
		}})
	}
	s.AddTools(tools...)
	if err := server.NewStdioServer(s).Listen(context.Background(), os.Stdin, os.Stdout); err != nil {
		os.Exit(1)
	}
}
