package zoomfake

// Event delivery: the simulator tells of its own state changes as Zoom
// does, by webhook (a signed POST to Options.WebhookURL) and over its event
// WebSocket (see websocket.go).
//
// Sources for what Zoom does, and what the simulator copies:
//   - The event bodies follow the schemas of Zoom's webhooks document
//     (shared/zoom-spec/extract-webhook-events.json, from
//     https://developers.zoom.us/api-hub/meetings/events/webhooks.json):
//     the meeting ID is a number in meeting.created, meeting.updated,
//     meeting.deleted, meeting.registration_created and
//     recording.completed, a string in meeting.started, meeting.ended and
//     the participant events, as in Zoom's examples. Where a schema and
//     its example disagree, the schema wins (participant_joined has
//     join_time, its example date_time).
//   - Signing (https://developers.zoom.us/docs/api/webhooks/, and
//     meetings.mjs of Zoom's @zoom/rivet SDK): x-zm-request-timestamp is
//     the Unix time in seconds, x-zm-signature is "v0=" +
//     hex(HMAC-SHA256(secret, "v0:" + timestamp + ":" + body)).
//   - URL validation: an endpoint.url_validation event with a plainToken,
//     answered with {plainToken, encryptedToken: hex(HMAC-SHA256(secret,
//     plainToken))}; Zoom does not deliver to a URL until it answered it.
//   - Retries (https://developers.zoom.us/blog/webhook-delays): the
//     endpoint must answer 200 or 204 within three seconds; otherwise Zoom
//     sends the same event 3 more times, 5, 20 and 60 minutes apart. The
//     simulator keeps the number of retries and shortens the delays to
//     seconds by default (Options.WebhookRetryDelays). As the brief of
//     this feature asks, it retries on 5xx answers, timeouts and network
//     errors; a 4xx answer is final (the docs do not say).
//
// Decisions where the docs are silent: events of one meeting are delivered
// in order (a retry holds back the later events of its meeting, not those
// of other meetings); a URL that fails validation for a network error or a
// 5xx is tried again with the next event, events in between are dropped
// (Zoom would not have saved the URL); a URL that answers validation
// wrongly gets nothing, ever.

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// DefaultWebhookSecret is the secret token of the simulated app's event
// subscription when Options.WebhookSecret is empty.
const DefaultWebhookSecret = "sandbox-webhook-secret"

// DefaultWebhookRetryDelays are the waits before the retries of a failed
// delivery: Zoom's 5, 20 and 60 minutes, as seconds.
var DefaultWebhookRetryDelays = []time.Duration{5 * time.Second, 20 * time.Second, 60 * time.Second}

// webhookTimeout is how long Zoom waits for an answer.
const webhookTimeout = 3 * time.Second

// Webhook header names, as Zoom sends them.
const (
	HeaderTimestamp  = "x-zm-request-timestamp"
	HeaderSignature  = "x-zm-signature"
	HeaderTrackingID = "x-zm-trackingid"
)

// SignWebhook returns Zoom's x-zm-signature of body sent at timestamp ts
// (Unix seconds, as in x-zm-request-timestamp).
func SignWebhook(secret, ts string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(body)
	return "v0=" + hex.EncodeToString(mac.Sum(nil))
}

// WebhookStats count the simulator's webhook deliveries (see [Stats]).
type WebhookStats struct {
	// Validated reports whether the URL answered endpoint.url_validation
	// rightly.
	Validated bool `json:"validated"`
	// Delivered and Failed count events (an event retried and then
	// delivered counts once, as delivered); Retries the retry attempts;
	// Refused the events dropped because the URL was not validated.
	Delivered int64 `json:"delivered"`
	Failed    int64 `json:"failed"`
	Retries   int64 `json:"retries"`
	Refused   int64 `json:"refused"`
}

// outEvent is one event to deliver: its body, fixed once built, and the
// tracking ID its every attempt carries.
type outEvent struct {
	key      string // what orders it: the meeting's ID
	typ      string
	body     []byte
	tracking string
}

// hub delivers events. Its lock is its own: events are emitted under
// Server.mu, and delivery never takes it.
type hub struct {
	url, secret string
	retry       []time.Duration
	log         *slog.Logger
	client      *http.Client
	ctx         context.Context
	cancel      context.CancelFunc
	wg          sync.WaitGroup

	mu         sync.Mutex
	queues     map[string][]outEvent // per meeting, waiting for its worker
	valid      bool
	bad        error         // a wrong validation answer: never deliver
	valCh      chan struct{} // closed when the validation under way ends
	stats      WebhookStats
	sockets    map[*wsConn]struct{}
	tracked    int64
	heartbeats int64
}

func newHub(opts Options) *hub {
	ctx, cancel := context.WithCancel(context.Background())
	h := &hub{
		url: opts.WebhookURL, secret: opts.WebhookSecret, retry: opts.WebhookRetryDelays,
		log: opts.Logger, client: &http.Client{Timeout: webhookTimeout},
		ctx: ctx, cancel: cancel,
		queues: make(map[string][]outEvent), sockets: make(map[*wsConn]struct{}),
	}
	if h.secret == "" {
		h.secret = DefaultWebhookSecret
	}
	if h.retry == nil {
		h.retry = DefaultWebhookRetryDelays
	}
	if h.log == nil {
		h.log = slog.New(slog.DiscardHandler)
	}
	return h
}

// emit builds event typ of meeting key (its body from payload, event_ts
// now), and hands it to the webhook URL and every connected event
// WebSocket. The caller holds s.mu, which orders the events of the
// simulator; emit does not block.
func (s *Server) emit(key int64, typ string, payload map[string]any) {
	h := s.hub
	if h.url == "" && !h.hasSockets() {
		return
	}
	ev := map[string]any{"event": typ, "event_ts": s.now().UnixMilli(), "payload": payload}
	if typ == "recording.completed" {
		// Beside the payload, a token to download the files with (see
		// the schema).
		ev["download_token"] = encrypted(key, "download:"+itoa(s.next()))
	}
	body, err := json.Marshal(ev)
	if err != nil {
		panic("zoomfake: event " + typ + ": " + err.Error())
	}
	h.enqueue(outEvent{key: itoa(key), typ: typ, body: body, tracking: s.newID("tracking")})
}

func (h *hub) hasSockets() bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.sockets) > 0
}

func (h *hub) enqueue(ev outEvent) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.sockets {
		c.send(ev.body)
	}
	if h.url == "" || h.ctx.Err() != nil {
		return
	}
	q, busy := h.queues[ev.key]
	h.queues[ev.key] = append(q, ev)
	if busy {
		return
	}
	h.wg.Add(1)
	go h.work(ev.key)
}

// work delivers the events of one meeting in order, then ends.
func (h *hub) work(key string) {
	defer h.wg.Done()
	for {
		h.mu.Lock()
		q := h.queues[key]
		if len(q) == 0 || h.ctx.Err() != nil {
			delete(h.queues, key)
			h.mu.Unlock()
			return
		}
		ev := q[0]
		h.queues[key] = q[1:]
		h.mu.Unlock()
		h.deliver(ev)
	}
}

// deliver sends ev until the URL takes it or the retries run out.
func (h *hub) deliver(ev outEvent) {
	if !h.validate() {
		h.count(func(st *WebhookStats) { st.Refused++ })
		h.log.Warn("webhook: event dropped: the URL did not pass validation", "event", ev.typ)
		return
	}
	for attempt := 0; ; attempt++ {
		status, err := h.post(ev.body, ev.tracking)
		switch {
		case err == nil && (status == http.StatusOK || status == http.StatusNoContent || status/100 == 2):
			h.count(func(st *WebhookStats) { st.Delivered++ })
			h.log.Debug("webhook delivered", "event", ev.typ, "tracking_id", ev.tracking, "attempt", attempt+1)
			return
		case err == nil && status < 500:
			h.count(func(st *WebhookStats) { st.Failed++ })
			h.log.Warn("webhook refused by the receiver", "event", ev.typ, "status", status)
			return
		case attempt >= len(h.retry):
			h.count(func(st *WebhookStats) { st.Failed++ })
			h.log.Warn("webhook failed after retries", "event", ev.typ, "status", status, "err", err)
			return
		}
		h.log.Info("webhook failed, will retry", "event", ev.typ, "status", status, "err", err, "in", h.retry[attempt])
		t := time.NewTimer(h.retry[attempt])
		select {
		case <-h.ctx.Done():
			t.Stop()
			return
		case <-t.C:
		}
		h.count(func(st *WebhookStats) { st.Retries++ })
	}
}

func (h *hub) count(f func(*WebhookStats)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	f(&h.stats)
}

// post sends one signed attempt; the timestamp, and so the signature, are
// of the attempt, the body and tracking ID of the event.
func (h *hub) post(body []byte, tracking string) (int, error) {
	ctx, cancel := context.WithTimeout(h.ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "Zoom Marketplace/1.0a")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, SignWebhook(h.secret, ts, body))
	req.Header.Set(HeaderTrackingID, tracking)
	resp, err := h.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	return resp.StatusCode, nil
}

// validate runs the endpoint.url_validation handshake unless it passed
// already; concurrent callers wait for one handshake.
func (h *hub) validate() bool {
	h.mu.Lock()
	for {
		if h.valid {
			h.mu.Unlock()
			return true
		}
		if h.bad != nil {
			h.mu.Unlock()
			return false
		}
		ch := h.valCh
		if ch == nil {
			break
		}
		h.mu.Unlock()
		select {
		case <-ch:
		case <-h.ctx.Done():
			return false
		}
		h.mu.Lock()
		if !h.valid {
			h.mu.Unlock()
			return false
		}
	}
	ch := make(chan struct{})
	h.valCh = ch
	h.mu.Unlock()

	err := h.handshake()
	h.mu.Lock()
	h.valCh = nil
	var wrong *wrongAnswer
	switch {
	case err == nil:
		h.valid = true
		h.stats.Validated = true
	case errors.As(err, &wrong):
		h.bad = err
	}
	h.mu.Unlock()
	close(ch)
	if err != nil {
		h.log.Warn("webhook URL validation failed", "url", h.url, "err", err)
	}
	return err == nil
}

// wrongAnswer is a validation answer that is not the expected one.
type wrongAnswer struct{ msg string }

func (e *wrongAnswer) Error() string { return e.msg }

func (h *hub) handshake() error {
	h.mu.Lock()
	h.tracked++
	n := h.tracked
	h.mu.Unlock()
	plain := hex.EncodeToString(digest("plain-token", n))[:22]
	body, _ := json.Marshal(map[string]any{
		"payload":  map[string]any{"plainToken": plain},
		"event_ts": time.Now().UnixMilli(),
		"event":    "endpoint.url_validation",
	})
	ctx, cancel := context.WithTimeout(h.ctx, webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.url, bytes.NewReader(body))
	if err != nil {
		return &wrongAnswer{err.Error()}
	}
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set(HeaderTimestamp, ts)
	req.Header.Set(HeaderSignature, SignWebhook(h.secret, ts, body))
	req.Header.Set(HeaderTrackingID, hex.EncodeToString(digest("validation", n)))
	resp, err := h.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode >= 500 {
		return fmt.Errorf("validation answered %d", resp.StatusCode)
	}
	if resp.StatusCode != http.StatusOK {
		return &wrongAnswer{fmt.Sprintf("validation answered %d", resp.StatusCode)}
	}
	var got struct {
		PlainToken     string `json:"plainToken"`
		EncryptedToken string `json:"encryptedToken"`
	}
	if err := json.Unmarshal(raw, &got); err != nil {
		return &wrongAnswer{"validation answer is not JSON: " + err.Error()}
	}
	mac := hmac.New(sha256.New, []byte(h.secret))
	mac.Write([]byte(plain))
	want := hex.EncodeToString(mac.Sum(nil))
	if got.PlainToken != plain || !hmac.Equal([]byte(got.EncryptedToken), []byte(want)) {
		return &wrongAnswer{"validation answered a wrong plainToken or encryptedToken"}
	}
	return nil
}

// close stops delivery: retries pending end, and the event WebSockets
// close.
func (h *hub) close() {
	h.closeSockets()
	h.cancel()
	h.wg.Wait()
}

// WebhookStats returns the webhook delivery counters.
func (s *Server) WebhookStats() WebhookStats {
	s.hub.mu.Lock()
	defer s.hub.mu.Unlock()
	return s.hub.stats
}

// Close stops the simulator's background work: webhook deliveries (and
// their retries) end, and event WebSockets close. The handler still
// answers requests.
func (s *Server) Close() {
	s.hub.close()
}
