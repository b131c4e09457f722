// Command floorhttp is the HTTP throughput floor zoom-mcp is measured
// against (bench_load_test.go): an mcp-go server with one tool, "ping", on
// streamable HTTP at /mcp, nothing else — testdata/floor on HTTP.
//
//	floorhttp 127.0.0.1:8080
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: floorhttp ADDR")
		os.Exit(2)
	}
	s := server.NewMCPServer("floor", "1", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("ping", mcp.WithDescription("Answers pong.")),
		func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultText("pong"), nil
		})
	if err := server.NewStreamableHTTPServer(s).Start(os.Args[1]); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
