package tools

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/events"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// TestWaitForEvent: the wait returns the first matching event that
// arrives, skips other types, other meetings and toolsets the agent may
// not read, resumes from a cursor without missing one, and says when none
// came.
func TestWaitForEvent(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	store := h.events
	appendSoon := func(es ...events.Event) {
		go func() {
			time.Sleep(100 * time.Millisecond)
			for _, e := range es {
				if _, err := store.Append(context.Background(), e); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	ev := func(id, typ, meeting, toolset string) events.Event {
		return events.Event{ID: id, Type: typ, MeetingID: meeting, Toolset: toolset, Time: time.Now(), Payload: json.RawMessage(`{"object":{}}`)}
	}
	appendSoon(ev("1", "meeting.started", "111", "meetings"), ev("2", "recording.completed", "222", "recordings"),
		ev("3", "meeting.started", "222", "meetings"))
	got := h.ok("wait_for_event", map[string]any{"types": []any{"meeting.started"}, "meeting_id": 222, "timeout_seconds": 5})
	e, _ := got["event"].(map[string]any)
	if e == nil || e["meeting_id"] != "222" || e["type"] != "meeting.started" {
		t.Fatalf("got %v", got)
	}
	// From the cursor of the first wait, recording.completed of 222 came
	// before: waiting from cursor 0+... finds it; an agent without
	// recordings never does.
	hidden := Tool.Bind(h.tools["wait_for_event"], &pipeline.Pipeline{Middlewares: []pipeline.Middleware{func(next pipeline.Handler) pipeline.Handler {
		return func(ctx context.Context, c *pipeline.Call) pipeline.Outcome {
			return next(events.WithReader(ctx, events.Reader{Store: store, Visible: func(ts string) bool { return ts != "recordings" }}), c)
		}
	}}})
	res, err := hidden(t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Arguments: map[string]any{
		"types": []any{"recording.completed"}, "after": 1, "timeout_seconds": 1}}})
	if err != nil || res.IsError {
		t.Fatal(err, res)
	}
	if sc, _ := json.Marshal(res.StructuredContent); json.Valid(sc) && string(sc) != "" {
		var out map[string]any
		_ = json.Unmarshal(sc, &out)
		if out["event"] != nil || out["note"] == nil {
			t.Errorf("an agent without recordings saw %v", out)
		}
	}
	seen := h.ok("wait_for_event", map[string]any{"types": []any{"recording.completed"}, "after": 1, "timeout_seconds": 1})
	if e, _ := seen["event"].(map[string]any); e == nil || e["meeting_id"] != "222" {
		t.Errorf("waiting from a cursor missed the event: %v", seen)
	}
	none := h.ok("wait_for_event", map[string]any{"types": []any{"meeting.ended"}, "timeout_seconds": 1})
	if none["event"] != nil || none["note"] == nil {
		t.Errorf("no event: %v", none)
	}
}
