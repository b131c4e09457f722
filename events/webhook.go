package events

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Webhook defaults.
const (
	DefaultMaxBody = 256 << 10        // bytes of a delivery's body
	MaxClockSkew   = 5 * time.Minute  // x-zm-request-timestamp's distance from now
	appendTimeout  = 10 * time.Second // for the store to acknowledge a delivery
)

// WebhookOptions tune NewWebhook; the zero value is usable.
type WebhookOptions struct {
	Now     func() time.Time // clock; time.Now if nil
	Logger  *slog.Logger     // rejections and store failures; slog.Default if nil
	MaxBody int64            // body limit in bytes; DefaultMaxBody if 0
	// OnEvent, if set, is called for each verified delivery the store
	// acknowledged; stored is false for a duplicate.
	OnEvent func(e Event, stored bool)
	// OnReject, if set, is called for each delivery refused: reason is a
	// short constant ("method", "too_large", "timestamp", "signature",
	// "malformed", "store", "no_secret"), status the HTTP status answered.
	OnReject func(reason string, status int)
}

// NewWebhook returns the handler of Zoom's webhook deliveries (POST
// /zoom/webhook). It verifies each delivery before reading it: the
// x-zm-request-timestamp header must be within MaxClockSkew of now and
// x-zm-signature must be "v0=" + hex(HMAC-SHA256(secret, "v0:" + timestamp
// + ":" + body)). It answers Zoom's endpoint.url_validation challenge, and
// stores other events, answering 200 only once store acknowledged them (a
// duplicate too, so that Zoom stops retrying), 5xx if it failed (Zoom
// retries). With an empty secret every delivery is refused (503).
func NewWebhook(secret string, store Store, opts WebhookOptions) http.Handler {
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = DefaultMaxBody
	}
	return &webhook{secret: []byte(secret), store: store, o: opts}
}

type webhook struct {
	secret []byte
	store  Store
	o      WebhookOptions
}

func (h *webhook) reject(w http.ResponseWriter, r *http.Request, status int, reason, msg string, err error) {
	attrs := []any{"reason", reason, "status", status, "remote", r.RemoteAddr}
	if err != nil {
		attrs = append(attrs, "err", err.Error())
	}
	if status >= 500 {
		h.o.Logger.Error("zoom webhook: "+msg, attrs...)
	} else {
		h.o.Logger.Warn("zoom webhook: "+msg, attrs...)
	}
	if h.o.OnReject != nil {
		h.o.OnReject(reason, status)
	}
	http.Error(w, msg, status)
}

func (h *webhook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.reject(w, r, http.StatusMethodNotAllowed, "method", "method not allowed", nil)
		return
	}
	if len(h.secret) == 0 {
		h.reject(w, r, http.StatusServiceUnavailable, "no_secret", "webhook secret not configured", nil)
		return
	}
	if r.ContentLength > h.o.MaxBody {
		h.reject(w, r, http.StatusRequestEntityTooLarge, "too_large", "body too large", nil)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.o.MaxBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.reject(w, r, http.StatusRequestEntityTooLarge, "too_large", "body too large", nil)
		} else {
			h.reject(w, r, http.StatusBadRequest, "malformed", "cannot read body", err)
		}
		return
	}
	ts := r.Header.Get("x-zm-request-timestamp")
	if !h.freshTimestamp(ts) {
		h.reject(w, r, http.StatusUnauthorized, "timestamp", "missing, stale or future timestamp", nil)
		return
	}
	if !h.validSignature(r.Header.Get("x-zm-signature"), ts, body) {
		h.reject(w, r, http.StatusUnauthorized, "signature", "bad signature", nil)
		return
	}

	// Verified: now read it.
	var head struct {
		Event   string `json:"event"`
		Payload struct {
			PlainToken string `json:"plainToken"`
		} `json:"payload"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		h.reject(w, r, http.StatusBadRequest, "malformed", "malformed JSON", err)
		return
	}
	if head.Event == "endpoint.url_validation" {
		if head.Payload.PlainToken == "" {
			h.reject(w, r, http.StatusBadRequest, "malformed", "url_validation without plainToken", nil)
			return
		}
		writeJSON(w, map[string]string{
			"plainToken":     head.Payload.PlainToken,
			"encryptedToken": hex.EncodeToString(h.mac([]byte(head.Payload.PlainToken))),
		})
		return
	}
	e, err := Decode(body)
	if err != nil {
		h.reject(w, r, http.StatusBadRequest, "malformed", "malformed event", err)
		return
	}
	if id := trackingID(r.Header.Get("x-zm-trackingid")); id != "" {
		e.ID = id
	}
	e.Source = "webhook"
	e.Received = h.o.Now().UTC()
	// The acknowledgement must not depend on Zoom staying connected: a
	// write half done would be retried anyway, but a finished one should
	// be answered.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), appendTimeout)
	defer cancel()
	stored, err := h.store.Append(ctx, e)
	if err != nil {
		h.reject(w, r, http.StatusServiceUnavailable, "store", "cannot store the event", err)
		return
	}
	if h.o.OnEvent != nil {
		h.o.OnEvent(e, stored)
	}
	if !stored {
		h.o.Logger.Debug("zoom webhook: duplicate delivery", "type", e.Type, "id", e.ID)
	}
	writeJSON(w, map[string]bool{"stored": stored})
}

// freshTimestamp reports whether ts (Unix seconds) is within MaxClockSkew
// of now. Zoom documents seconds; milliseconds are accepted too.
func (h *webhook) freshTimestamp(ts string) bool {
	if ts == "" || len(ts) > 20 {
		return false
	}
	n, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || n <= 0 {
		return false
	}
	var t time.Time
	if n > 1e11 { // milliseconds
		t = time.UnixMilli(n)
	} else {
		t = time.Unix(n, 0)
	}
	d := h.o.Now().Sub(t)
	return d <= MaxClockSkew && d >= -MaxClockSkew
}

func (h *webhook) mac(msg ...[]byte) []byte {
	m := hmac.New(sha256.New, h.secret)
	for _, b := range msg {
		m.Write(b)
	}
	return m.Sum(nil)
}

// validSignature checks sig against the HMAC of "v0:ts:body" in constant
// time.
func (h *webhook) validSignature(sig, ts string, body []byte) bool {
	hexSig, ok := strings.CutPrefix(sig, "v0=")
	if !ok {
		return false
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return false
	}
	want := h.mac([]byte("v0:"+ts+":"), body)
	return hmac.Equal(got, want)
}

// trackingID returns the delivery ID for Zoom's x-zm-trackingid header, ""
// if the header is absent or not a plausible ID.
func trackingID(v string) string {
	if v == "" || len(v) > 128 {
		return ""
	}
	for i := 0; i < len(v); i++ {
		c := v[i]
		if c <= ' ' || c >= 0x7f {
			return ""
		}
	}
	return "t" + v
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_ = json.NewEncoder(w).Encode(v)
}
