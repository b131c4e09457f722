package zoomfake

// The event WebSocket: Zoom's way of delivering events to apps without a
// public URL (https://developers.zoom.us/docs/api/websockets/). The app
// opens wss://ws.zoom.us/ws?subscriptionId=ID&access_token=TOKEN with a
// token of its own (client or account credentials grant), sends
// {"module":"heartbeat"} every 30 seconds (Zoom's sample,
// github.com/zoom/websocket-js-sample, connect_websocket.js), and receives
// each event as {"module":"message","content":"<the event's JSON, as a
// string>"}. Zoom delivers only while a connection is open: events that
// occur while none is are not delivered later (Zoom's docs, "Using
// WebSockets").
//
// Decisions where the docs are silent: a bad or expired token is
// answered 401 with Zoom's JSON error (code 124) and an unknown
// subscription 404, before any upgrade; a heartbeat is answered
// {"module":"heartbeat","success":true}; every open connection of the
// subscription gets every event (Zoom may allow one connection only); a
// connection idle without heartbeats is not closed; a client too slow to
// take its events (256 pending) is disconnected.

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// WebSocketPath is where the simulator serves its event WebSocket.
const WebSocketPath = "/ws"

// DefaultWebSocketSubscriptionID is the event subscription of the
// simulated app when Options.WebSocketSubscriptionID is empty.
const DefaultWebSocketSubscriptionID = "sandbox-subscription"

// wsConn is one open event WebSocket.
type wsConn struct {
	c    *websocket.Conn
	out  chan []byte
	once sync.Once
	done chan struct{}
}

// send queues a message; the caller holds hub.mu.
func (c *wsConn) send(msg []byte) {
	select {
	case <-c.done:
	case c.out <- wsMessage(msg):
	default:
		c.stop(websocket.StatusPolicyViolation, "too slow")
	}
}

func (c *wsConn) stop(code websocket.StatusCode, reason string) {
	c.once.Do(func() {
		close(c.done)
		go c.c.Close(code, reason) // waits for the close handshake, up to 5s
	})
}

func wsMessage(event []byte) []byte {
	b, _ := json.Marshal(map[string]string{"module": "message", "content": string(event)})
	return b
}

// serveWebSocket answers GET WebSocketPath.
func (s *Server) serveWebSocket(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	g, known := s.tokens[strings.TrimSpace(q.Get("access_token"))]
	now := s.now()
	s.base = baseURL(r)
	s.mu.Unlock()
	switch {
	case !known || (g.auth != nil && g.auth.revoked):
		writeError(w, newError(http.StatusUnauthorized, codeInvalidToken, "Invalid access token."))
		return
	case !now.Before(g.expires):
		writeError(w, newError(http.StatusUnauthorized, codeInvalidToken, "Access token is expired."))
		return
	case q.Get("subscriptionId") != s.opts.WebSocketSubscriptionID:
		writeError(w, notFound(codeNotFound, "Subscription does not exist: %s.", q.Get("subscriptionId")))
		return
	}
	c, err := websocket.Accept(w, r, nil)
	if err != nil {
		return // Accept answered the client
	}
	c.SetReadLimit(1 << 16)
	conn := &wsConn{c: c, out: make(chan []byte, 256), done: make(chan struct{})}
	h := s.hub
	h.mu.Lock()
	if h.ctx.Err() != nil {
		h.mu.Unlock()
		c.Close(websocket.StatusGoingAway, "simulator stopped")
		return
	}
	h.sockets[conn] = struct{}{}
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.sockets, conn)
		h.mu.Unlock()
		conn.stop(websocket.StatusNormalClosure, "")
	}()

	ctx, cancel := context.WithCancel(h.ctx)
	defer cancel()
	go func() {
		for {
			select {
			case <-conn.done:
				return // stop closes the connection, and so ends the Read below
			case <-ctx.Done():
				return
			case msg := <-conn.out:
				wctx, wcancel := context.WithTimeout(ctx, 10*time.Second)
				err := c.Write(wctx, websocket.MessageText, msg)
				wcancel()
				if err != nil {
					cancel()
					return
				}
			}
		}
	}()
	for {
		_, msg, err := c.Read(ctx)
		if err != nil {
			return
		}
		var in struct {
			Module string `json:"module"`
		}
		if json.Unmarshal(msg, &in) == nil && in.Module == "heartbeat" {
			h.mu.Lock()
			h.heartbeats++
			h.mu.Unlock()
			select {
			case conn.out <- []byte(`{"module":"heartbeat","success":true}`):
			default:
			}
		}
	}
}

func (h *hub) closeSockets() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.sockets {
		c.stop(websocket.StatusGoingAway, "closed by the simulator")
		delete(h.sockets, c)
	}
}

// CloseWebSockets closes every open event WebSocket, as when Zoom drops
// connections; clients reconnect.
func (s *Server) CloseWebSockets() { s.hub.closeSockets() }

// WebSocketConnections returns how many event WebSockets are open.
func (s *Server) WebSocketConnections() int {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return len(s.hub.sockets)
}

// WebSocketHeartbeats returns how many heartbeats the event WebSockets
// received.
func (s *Server) WebSocketHeartbeats() int64 {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.hub.heartbeats
}
