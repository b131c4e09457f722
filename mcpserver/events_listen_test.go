package mcpserver

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/events"
	"github.com/zoommcp/zoom-mcp/pipeline"
)

// TestEventResourceUpdates: a client of either protocol era subscribed to
// zoom://events is told of an event its agent may see (resources/subscribe
// on 2025-06-18, subscriptions/listen on 2026-07-28), and not of one it
// may not.
func TestEventResourceUpdates(t *testing.T) {
	store, err := events.OpenFile(filepath.Join(t.TempDir(), "events.jsonl"), 100)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	opts := &EventOptions{Store: store, Visible: func(agent, toolset string) bool { return toolset == "meetings" }}
	srv := New(Options{Pipeline: &pipeline.Pipeline{}, Events: opts})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go opts.Notify(ctx)
	h := newHTTPHandler(srv, HandlerOptions{Auth: agentKeys{"key-a": "a"}}, time.Now)
	hs := httptest.NewServer(h)
	t.Cleanup(func() { hs.Close(); h.close() })

	for _, era := range []string{mcp.ProtocolVersion20250618, mcp.ProtocolVersion20260728} {
		t.Run(era, func(t *testing.T) {
			topts := []transport.StreamableHTTPCOption{transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer key-a"})}
			if era != mcp.ProtocolVersion20260728 {
				// On 2025-06-18 notifications come on the session's GET stream.
				topts = append(topts, transport.WithContinuousListening())
			}
			c, err := client.NewStreamableHttpClient(hs.URL+"/mcp", topts...)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			var mu sync.Mutex
			var got []string
			c.OnNotification(func(n mcp.JSONRPCNotification) {
				if n.Method == mcp.MethodNotificationResourceUpdated {
					mu.Lock()
					got = append(got, n.Params.AdditionalFields["uri"].(string))
					mu.Unlock()
				}
			})
			if err := c.Start(ctx); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{ProtocolVersion: era,
				ClientInfo: mcp.Implementation{Name: "t", Version: "1"}}}); err != nil {
				t.Fatal(err)
			}
			if era == mcp.ProtocolVersion20260728 {
				stop, err := c.ListenAsync(ctx, mcp.SubscriptionFilter{ResourceSubscriptions: []string{EventsURI}}, nil)
				if err != nil {
					t.Fatal(err)
				}
				defer stop()
			} else if err := c.Subscribe(ctx, mcp.SubscribeRequest{Params: mcp.SubscribeParams{URI: EventsURI}}); err != nil {
				t.Fatal(err)
			}
			time.Sleep(200 * time.Millisecond) // the subscription is in place
			for i, e := range []events.Event{
				{ID: era + "hidden", Type: "recording.completed", Toolset: "recordings", Payload: json.RawMessage(`{}`)},
				{ID: era + "seen", Type: "meeting.started", Toolset: "meetings", MeetingID: "1", Payload: json.RawMessage(`{}`)},
			} {
				if _, err := store.Append(ctx, e); err != nil {
					t.Fatal(i, err)
				}
			}
			deadline := time.Now().Add(5 * time.Second)
			for {
				mu.Lock()
				n := len(got)
				mu.Unlock()
				if n >= 1 || time.Now().After(deadline) {
					break
				}
				time.Sleep(20 * time.Millisecond)
			}
			time.Sleep(200 * time.Millisecond)
			mu.Lock()
			defer mu.Unlock()
			if len(got) != 1 || got[0] != EventsURI {
				t.Errorf("updates %v, want one for %s (the meeting event, not the recording)", got, EventsURI)
			}
		})
	}
}
