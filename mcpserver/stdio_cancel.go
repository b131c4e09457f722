package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// mcp-go's stdio server queues tool calls for a pool of workers, and a
// call registers for notifications/cancelled only when a worker takes it:
// a cancellation that arrives while the call waits in the queue is lost,
// and the call later runs (a queued create_meeting would still reach
// Zoom). The line filter therefore notes every cancellation, and marks
// every tools/call with its JSON-RPC id in _meta; a middleware drops a
// call whose id was cancelled before it started.

// metaRequestID is the _meta key under which the filter puts a tools/call's
// JSON-RPC id. A client's own value is overwritten.
const metaRequestID = "io.github.zoommcp/stdio-request-id"

// cancelledCalls remembers the ids of cancelled requests for a while.
type cancelledCalls struct {
	mu sync.Mutex
	m  map[string]time.Time
}

// keepCancelled bounds how long and how many cancellations are kept.
const (
	keepCancelled    = 10 * time.Minute
	maxCancelledKept = 10000
)

func (c *cancelledCalls) add(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = map[string]time.Time{}
	}
	now := time.Now()
	if len(c.m) >= maxCancelledKept {
		for k, t := range c.m {
			if now.Sub(t) > keepCancelled || len(c.m) >= maxCancelledKept {
				delete(c.m, k)
			}
		}
	}
	c.m[id] = now
}

// take reports whether id was cancelled, and forgets it.
func (c *cancelledCalls) take(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.m[id]
	delete(c.m, id)
	return ok
}

type cancelledKey struct{}

// noteCall looks at one good line: a cancellation is remembered; a
// tools/call gets its id in _meta (the line is rewritten). Any other line
// is returned as it is.
func (c *cancelledCalls) noteCall(line []byte) []byte {
	if !bytes.Contains(line, []byte(`"tools/call"`)) && !bytes.Contains(line, []byte(`"notifications/cancelled"`)) {
		return line
	}
	var msg struct {
		Method string          `json:"method"`
		ID     json.RawMessage `json:"id"`
		Params json.RawMessage `json:"params"`
	}
	if json.Unmarshal(line, &msg) != nil {
		return line
	}
	switch msg.Method {
	case string(mcp.MethodNotificationCancelled):
		var p struct {
			RequestID json.RawMessage `json:"requestId"`
		}
		if json.Unmarshal(msg.Params, &p) == nil && len(p.RequestID) > 0 {
			c.add(string(compactJSON(p.RequestID)))
		}
		return line
	case string(mcp.MethodToolsCall):
		if len(msg.ID) == 0 {
			return line
		}
		var full map[string]json.RawMessage
		var params map[string]json.RawMessage
		if json.Unmarshal(line, &full) != nil || json.Unmarshal(msg.Params, &params) != nil || params == nil {
			return line
		}
		var meta map[string]any
		if raw, ok := params["_meta"]; ok && json.Unmarshal(raw, &meta) != nil {
			return line
		}
		if meta == nil {
			meta = map[string]any{}
		}
		meta[metaRequestID] = string(compactJSON(msg.ID))
		var err error
		if params["_meta"], err = json.Marshal(meta); err != nil {
			return line
		}
		if full["params"], err = json.Marshal(params); err != nil {
			return line
		}
		out, err := json.Marshal(full)
		if err != nil {
			return line
		}
		return append(out, '\n')
	}
	return line
}

func compactJSON(raw json.RawMessage) []byte {
	var b bytes.Buffer
	if json.Compact(&b, raw) != nil {
		return raw
	}
	return b.Bytes()
}

// dropCancelled is the tool middleware that drops a stdio call cancelled
// while it waited in mcp-go's queue: nothing is sent to Zoom.
func dropCancelled(next server.ToolHandlerFunc) server.ToolHandlerFunc {
	return func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		c, _ := ctx.Value(cancelledKey{}).(*cancelledCalls)
		if c != nil && req.Params.Meta != nil {
			if id, ok := req.Params.Meta.AdditionalFields[metaRequestID].(string); ok && c.take(id) {
				return mcp.NewToolResultError("The call was cancelled before it started; nothing was sent to Zoom."), nil
			}
		}
		if ctx.Err() != nil {
			return mcp.NewToolResultError("The call was cancelled before it started; nothing was sent to Zoom."), nil
		}
		return next(ctx, req)
	}
}
