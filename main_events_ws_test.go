package main

import (
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// TestEventsOverWebSocket: on stdio, with no public URL, the server takes
// Zoom's events from the event WebSocket (ZOOM_EVENTS_WEBSOCKET_SUBSCRIPTION_ID),
// connecting with its Server-to-Server token; a wait_for_event returns the
// meeting.started the simulator sends when the meeting starts.
func TestEventsOverWebSocket(t *testing.T) {
	sim := zoomfake.New(zoomfake.Options{NoRateLimit: true})
	hs := httptest.NewServer(sim)
	t.Cleanup(hs.Close)
	t.Cleanup(sim.Close)
	vars := simulatorVars(hs.URL)
	vars["ZOOM_EVENTS_WEBSOCKET_SUBSCRIPTION_ID"] = zoomfake.DefaultWebSocketSubscriptionID
	vars["ZOOM_EVENTS_WEBSOCKET_URL"] = "ws" + strings.TrimPrefix(hs.URL, "http") + "/ws"
	vars["ZOOM_MCP_EVENTS_FILE"] = filepath.Join(t.TempDir(), "events.jsonl")
	id := zoomfake.SeedRegistrationMeetingID
	go func() {
		// Once the server is connected, the meeting starts.
		deadline := time.Now().Add(10 * time.Second)
		for sim.WebSocketConnections() == 0 && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
		time.Sleep(300 * time.Millisecond) // the wait below is in place
		if err := sim.StartMeeting(id); err != nil {
			t.Error(err)
		}
	}()
	res := callTools(t, []string{"--access", "events=read,meetings=read"}, env(vars),
		`{"name":"wait_for_event","arguments":{"types":["meeting.started"],"meeting_id":`+itoa(id)+`,"timeout_seconds":20}}`)
	e, _ := res[0]["event"].(map[string]any)
	if e == nil || e["type"] != "meeting.started" || e["meeting_id"] != itoa(id) {
		t.Fatalf("wait_for_event: %v", res[0])
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
