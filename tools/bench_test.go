package tools

import (
	"context"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/internal/sandbox"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// BenchmarkToolLayer measures what the tool layer adds to a get_meeting
// call (argument checks, conversion, encoding) over the client call alone,
// both against the in-process simulator.
func BenchmarkToolLayer(b *testing.B) {
	c, _, err := sandbox.New(zoomfake.Options{NoRateLimit: true}, zoomapi.WithoutPacing())
	if err != nil {
		b.Fatal(err)
	}
	tool := GetMeeting().Bind(&pipeline.Pipeline{Client: pipeline.Static(c)})
	req := mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "get_meeting", Arguments: map[string]any{"meeting_id": float64(zoomfake.SeedRegistrationMeetingID)}}}
	ctx := context.Background()
	b.Run("client", func(b *testing.B) {
		for b.Loop() {
			if _, _, err := c.Meetings.Get(ctx, zoomfake.SeedRegistrationMeetingID, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("tool", func(b *testing.B) {
		for b.Loop() {
			if res, err := tool(ctx, req); err != nil || res.IsError {
				b.Fatal(err, res)
			}
		}
	})
}
