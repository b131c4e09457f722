package events_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/events"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// simToken fetches a Server-to-Server token from the simulator.
func simToken(base string, calls *atomic.Int64) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		calls.Add(1)
		req, _ := http.NewRequestWithContext(ctx, "POST", base+"/oauth/token?grant_type=account_credentials&account_id="+zoomfake.DefaultAccountID, nil)
		req.SetBasicAuth(zoomfake.DefaultClientID, zoomfake.DefaultClientSecret)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		var tr struct {
			AccessToken string `json:"access_token"`
		}
		err = json.NewDecoder(resp.Body).Decode(&tr)
		return tr.AccessToken, err
	}
}

type got struct {
	raw      []byte
	tracking string
}

func eventType(t *testing.T, raw []byte) string {
	t.Helper()
	var ev struct {
		Event string `json:"event"`
	}
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatalf("delivered %q: %v", raw, err)
	}
	return ev.Event
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestRunWebSocketAgainstSimulator(t *testing.T) {
	sim := zoomfake.New(zoomfake.Options{WebSocketSubscriptionID: "sub-42"})
	t.Cleanup(sim.Close)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)

	var tokens atomic.Int64
	delivered := make(chan got, 100)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- events.RunWebSocket(ctx, events.WebSocketOptions{
			URL:            "ws" + strings.TrimPrefix(srv.URL, "http") + zoomfake.WebSocketPath,
			SubscriptionID: "sub-42",
			Token:          simToken(srv.URL, &tokens),
			Deliver: func(_ context.Context, raw []byte, id string) error {
				delivered <- got{raw, id}
				return nil
			},
			Heartbeat:  20 * time.Millisecond,
			MinBackoff: 10 * time.Millisecond,
			MaxBackoff: 50 * time.Millisecond,
		})
	}()

	waitUntil(t, "a connection", func() bool { return sim.WebSocketConnections() == 1 })
	waitUntil(t, "heartbeats", func() bool { return sim.WebSocketHeartbeats() >= 2 })
	if err := sim.StartMeeting(zoomfake.SeedRegistrationMeetingID); err != nil {
		t.Fatal(err)
	}
	receive := func(want string) got {
		t.Helper()
		select {
		case g := <-delivered:
			if typ := eventType(t, g.raw); typ != want {
				t.Fatalf("delivered %s, want %s", typ, want)
			}
			if !strings.HasPrefix(g.tracking, "ws-") {
				t.Errorf("tracking ID %q", g.tracking)
			}
			return g
		case <-time.After(5 * time.Second):
			t.Fatalf("no %s delivered", want)
		}
		return got{}
	}
	receive("meeting.started")
	receive("meeting.participant_joined")

	// The server drops the connection: the client reconnects with a fresh
	// token and gets the events after it.
	before := tokens.Load()
	sim.CloseWebSockets()
	waitUntil(t, "a reconnection", func() bool { return tokens.Load() > before && sim.WebSocketConnections() == 1 })
	if err := sim.EndMeeting(zoomfake.SeedRegistrationMeetingID); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"meeting.participant_left", "meeting.ended"} {
		receive(want)
	}

	// Cancelling stops it promptly, and closes the connection.
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("RunWebSocket: %v", err)
		}
	case <-time.After(time.Second):
		t.Fatal("RunWebSocket did not stop within a second of cancel")
	}
	waitUntil(t, "the connection to close", func() bool { return sim.WebSocketConnections() == 0 })
}

func TestRunWebSocketBacksOffWhileRefused(t *testing.T) {
	var attempts atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		attempts.Add(1)
		if r.URL.Query().Get("access_token") != "tok" || r.URL.Query().Get("subscriptionId") != "s" {
			t.Errorf("query %q", r.URL.RawQuery)
		}
		w.WriteHeader(http.StatusUnauthorized)
	}))
	defer srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := events.RunWebSocket(ctx, events.WebSocketOptions{
		URL: "ws" + strings.TrimPrefix(srv.URL, "http"), SubscriptionID: "s",
		Token:      func(context.Context) (string, error) { return "tok", nil },
		Deliver:    func(context.Context, []byte, string) error { return nil },
		MinBackoff: 10 * time.Millisecond, MaxBackoff: 40 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if el := time.Since(start); el > time.Second {
		t.Errorf("returned %v after the deadline", el)
	}
	// 300ms of waits between 5 and 40ms, doubling: a few attempts, not
	// hundreds (no backoff) nor one (no retry).
	if n := attempts.Load(); n < 4 || n > 40 {
		t.Errorf("%d attempts in 300ms", n)
	}
}

func TestRunWebSocketOptions(t *testing.T) {
	if err := events.RunWebSocket(context.Background(), events.WebSocketOptions{}); err == nil {
		t.Error("no error without SubscriptionID, Token and Deliver")
	}
}
