package events

// The client side of Zoom's event WebSocket, for servers without a public
// URL for webhooks.
//
// What Zoom documents ("Using WebSockets",
// https://developers.zoom.us/docs/api/websockets/): the app gets an access
// token with its own credentials (Server-to-Server OAuth here) and opens
// the endpoint URL of its event subscription,
// wss://ws.zoom.us/ws?subscriptionId=ID, with &access_token=TOKEN. Zoom
// delivers events only while the connection is open; events that occur
// while it is closed are never delivered, so a reconnect resumes with the
// events after it. Zoom's sample (github.com/zoom/websocket-js-sample,
// connect_websocket.js) sends {"module":"heartbeat"} every 30 seconds and
// fetches a fresh token before each connection attempt; an event arrives
// as {"module":"message","content":"<the event's JSON as a string>"}
// (github.com/Will4950/ZoomWebSocketListeners, WebSocketService.mjs).
//
// Decisions where the docs are silent: liveness is checked with a
// WebSocket ping after each heartbeat (RFC 6455 makes the server answer
// it), not by waiting for a heartbeat answer, whose format Zoom does not
// document; a message gets the tracking ID "ws-" + the first 32 hex
// digits of the SHA-256 of its content, so that the same event delivered
// twice is stored once; a failed Deliver is logged and the event dropped
// (the WebSocket has no acknowledgement, and Zoom no redelivery).

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/url"
	"strings"
	"time"

	"github.com/coder/websocket"
)

// DefaultWebSocketURL is Zoom's event WebSocket.
const DefaultWebSocketURL = "wss://ws.zoom.us/ws"

// DefaultHeartbeat is how often Zoom's sample sends a heartbeat.
const DefaultHeartbeat = 30 * time.Second

// WebSocketOptions configure [RunWebSocket].
type WebSocketOptions struct {
	// URL is the event WebSocket. Default: DefaultWebSocketURL.
	URL string
	// SubscriptionID is the event subscription's ID (required).
	SubscriptionID string
	// Token returns a valid access token of the app (required); it is
	// called before each connection.
	Token func(ctx context.Context) (string, error)
	// Deliver takes in one event's raw JSON (required), as the webhook
	// endpoint does.
	Deliver func(ctx context.Context, raw []byte, trackingID string) error
	// Logger logs connections and failures. Default: none.
	Logger *slog.Logger
	// Heartbeat is the heartbeat interval. Default: DefaultHeartbeat.
	Heartbeat time.Duration
	// MinBackoff and MaxBackoff bound the wait before a reconnection,
	// which doubles with each failure in a row and is jittered.
	// Defaults: 1s and 1m.
	MinBackoff, MaxBackoff time.Duration
	// Timeout bounds each network step: getting a token, connecting,
	// writing, a ping's answer, one Deliver. Default: 10s (Deliver 30s).
	Timeout time.Duration
}

// maxMessage caps an incoming message; recording.completed with many
// files is the largest event, a few tens of kilobytes.
const maxMessage = 4 << 20

// RunWebSocket keeps a connection to Zoom's event WebSocket open and hands
// every event to opts.Deliver, until ctx ends; it then returns nil. It
// reconnects, with a fresh token, after any failure. It returns an error
// only for invalid options.
func RunWebSocket(ctx context.Context, opts WebSocketOptions) error {
	if opts.SubscriptionID == "" || opts.Token == nil || opts.Deliver == nil {
		return errors.New("events: RunWebSocket needs SubscriptionID, Token and Deliver")
	}
	if opts.URL == "" {
		opts.URL = DefaultWebSocketURL
	}
	if _, err := url.Parse(opts.URL); err != nil {
		return fmt.Errorf("events: websocket URL: %w", err)
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Heartbeat <= 0 {
		opts.Heartbeat = DefaultHeartbeat
	}
	if opts.MinBackoff <= 0 {
		opts.MinBackoff = time.Second
	}
	if opts.MaxBackoff < opts.MinBackoff {
		opts.MaxBackoff = max(time.Minute, opts.MinBackoff)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	log := opts.Logger.With("subscription", opts.SubscriptionID)
	failures := 0
	for ctx.Err() == nil {
		healthy, err := session(ctx, opts, log)
		if ctx.Err() != nil {
			break
		}
		if healthy {
			failures = 0
		}
		wait := backoff(opts.MinBackoff, opts.MaxBackoff, failures)
		failures++
		log.Warn("event websocket disconnected; reconnecting", "err", err, "in", wait.Round(time.Millisecond))
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
		case <-t.C:
		}
	}
	log.Info("event websocket stopped")
	return nil
}

// backoff is the wait after n failures in a row: min doubled n times,
// capped at max, then jittered to between half and all of it.
func backoff(lo, hi time.Duration, n int) time.Duration {
	d := lo
	for i := 0; i < n && d < hi; i++ {
		d *= 2
	}
	d = min(d, hi)
	return d/2 + rand.N(d/2+1)
}

// session runs one connection until it fails or ctx ends. healthy reports
// whether it lasted long enough (a heartbeat) or carried an event, which
// resets the backoff.
func session(ctx context.Context, opts WebSocketOptions, log *slog.Logger) (healthy bool, err error) {
	tctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	token, err := opts.Token(tctx)
	cancel()
	if err != nil {
		return false, fmt.Errorf("access token: %w", err)
	}
	u, _ := url.Parse(opts.URL)
	q := u.Query()
	q.Set("subscriptionId", opts.SubscriptionID)
	q.Set("access_token", token)
	u.RawQuery = q.Encode()

	dctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	c, resp, err := websocket.Dial(dctx, u.String(), nil)
	cancel()
	if err != nil {
		// The error may hold the URL, and so the token: say less.
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		return false, fmt.Errorf("connect to %s (status %d): %s", u.Host, status,
			strings.ReplaceAll(err.Error(), url.QueryEscape(token), "REDACTED"))
	}
	defer c.CloseNow()
	c.SetReadLimit(maxMessage)
	log.Info("event websocket connected", "host", u.Host)
	started := time.Now()

	sctx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	go heartbeat(sctx, stop, c, opts)

	got := false
	for {
		_, msg, err := c.Read(sctx)
		if err != nil {
			if cause := context.Cause(sctx); cause != nil && ctx.Err() == nil {
				err = cause
			}
			return got || time.Since(started) >= opts.Heartbeat, err
		}
		var env struct {
			Module  string          `json:"module"`
			Content json.RawMessage `json:"content"`
		}
		if err := json.Unmarshal(msg, &env); err != nil {
			log.Warn("event websocket: message is not JSON", "err", err)
			continue
		}
		switch env.Module {
		case "message":
			raw := []byte(env.Content)
			var s string
			if json.Unmarshal(env.Content, &s) == nil {
				raw = []byte(s) // content is the event's JSON as a string
			}
			if len(raw) == 0 {
				continue
			}
			got = true
			sum := sha256.Sum256(raw)
			id := "ws-" + hex.EncodeToString(sum[:16])
			dctx, cancel := context.WithTimeout(ctx, 3*opts.Timeout)
			if err := opts.Deliver(dctx, raw, id); err != nil && ctx.Err() == nil {
				log.Error("event websocket: event not taken in", "tracking_id", id, "err", err)
			}
			cancel()
		case "heartbeat":
			log.Debug("event websocket heartbeat answered")
		default:
			log.Debug("event websocket: unknown message", "module", env.Module)
		}
	}
}

// heartbeat sends {"module":"heartbeat"} every interval and checks that
// the server still answers a ping; a failure ends the session.
func heartbeat(ctx context.Context, stop context.CancelCauseFunc, c *websocket.Conn, opts WebSocketOptions) {
	t := time.NewTicker(opts.Heartbeat)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		wctx, cancel := context.WithTimeout(ctx, opts.Timeout)
		err := c.Write(wctx, websocket.MessageText, []byte(`{"module":"heartbeat"}`))
		if err == nil {
			err = c.Ping(wctx)
		}
		cancel()
		if err != nil {
			if ctx.Err() == nil {
				stop(fmt.Errorf("heartbeat: %w", err))
			}
			return
		}
	}
}
