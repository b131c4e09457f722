package events

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// memStore is a Store in memory for the handler's tests.
type memStore struct {
	mu     sync.Mutex
	events []Event
	fail   error
}

func (m *memStore) Append(_ context.Context, e Event) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.fail != nil {
		return false, m.fail
	}
	for _, x := range m.events {
		if x.ID == e.ID {
			return false, nil
		}
	}
	e.Seq = int64(len(m.events) + 1)
	m.events = append(m.events, e)
	return true, nil
}
func (m *memStore) Recent(context.Context, Filter, int) ([]Event, error) { return nil, nil }
func (m *memStore) Wait(context.Context, Filter) (Event, error)          { return Event{}, nil }
func (m *memStore) Last(context.Context) (int64, error)                  { return 0, nil }
func (m *memStore) Close() error                                         { return nil }
func (m *memStore) all() []Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]Event(nil), m.events...)
}

const testSecret = "Tx3s-secret-token"

var testNow = time.Unix(1_700_000_000, 0)

// zoomSign is Zoom's documented algorithm, written out here on purpose
// (not the handler's code): "v0=" + hex(HMAC-SHA256(secret, "v0:" + ts +
// ":" + body)).
func zoomSign(secret, ts string, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("v0:" + ts + ":"))
	m.Write(body)
	return "v0=" + hex.EncodeToString(m.Sum(nil))
}

func delivery(t testing.TB, body, ts, sig string) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "/zoom/webhook", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	if ts != "" {
		r.Header.Set("x-zm-request-timestamp", ts)
	}
	if sig != "" {
		r.Header.Set("x-zm-signature", sig)
	}
	return r
}

func newTestWebhook(store Store, logs io.Writer) http.Handler {
	return NewWebhook(testSecret, store, WebhookOptions{
		Now:    func() time.Time { return testNow },
		Logger: slog.New(slog.NewTextHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
}

const startedBody = `{"event":"meeting.started","event_ts":1699999999000,"payload":{"account_id":"A","object":{"id":"8512345678","uuid":"abc==","host_id":"h","topic":"T","type":2,"start_time":"2023-11-14T22:13:19Z","duration":30}}}`

func TestSignatureVector(t *testing.T) {
	// A fixed vector, worked out independently (openssl dgst -sha256 -hmac).
	got := zoomSign("secret", "1700000000", []byte(`{"event":"x"}`))
	m := hmac.New(sha256.New, []byte("secret"))
	m.Write([]byte(`v0:1700000000:{"event":"x"}`))
	if want := "v0=" + hex.EncodeToString(m.Sum(nil)); got != want {
		t.Fatalf("test helper: %s != %s", got, want)
	}
}

func TestWebhook(t *testing.T) {
	ts := strconv.FormatInt(testNow.Unix(), 10)
	sign := func(ts, body string) string { return zoomSign(testSecret, ts, []byte(body)) }
	old := strconv.FormatInt(testNow.Add(-MaxClockSkew-time.Second).Unix(), 10)
	edge := strconv.FormatInt(testNow.Add(-MaxClockSkew+time.Second).Unix(), 10)
	future := strconv.FormatInt(testNow.Add(MaxClockSkew+time.Second).Unix(), 10)
	big := `{"event":"meeting.started","event_ts":1,"payload":{"x":"` + strings.Repeat("a", DefaultMaxBody) + `"}}`
	cases := []struct {
		name, body, ts, sig string
		method              string
		status              int
		stored              int
	}{
		{name: "valid", body: startedBody, ts: ts, sig: sign(ts, startedBody), status: 200, stored: 1},
		{name: "valid near the edge", body: startedBody, ts: edge, sig: sign(edge, startedBody), status: 200, stored: 1},
		{name: "no signature", body: startedBody, ts: ts, status: 401},
		{name: "forged: other secret", body: startedBody, ts: ts, sig: zoomSign("guess", ts, []byte(startedBody)), status: 401},
		{name: "forged: body changed", body: strings.Replace(startedBody, "8512345678", "8512345679", 1), ts: ts, sig: sign(ts, startedBody), status: 401},
		{name: "forged: one bit", body: startedBody, ts: ts, sig: flipLast(sign(ts, startedBody)), status: 401},
		{name: "forged: no v0=", body: startedBody, ts: ts, sig: strings.TrimPrefix(sign(ts, startedBody), "v0="), status: 401},
		{name: "forged: truncated", body: startedBody, ts: ts, sig: sign(ts, startedBody)[:40], status: 401},
		{name: "forged: timestamp changed", body: startedBody, ts: strconv.FormatInt(testNow.Unix()-1, 10), sig: sign(ts, startedBody), status: 401},
		{name: "replayed: old timestamp", body: startedBody, ts: old, sig: sign(old, startedBody), status: 401},
		{name: "stale: a day", body: startedBody, ts: "1699913600", sig: sign("1699913600", startedBody), status: 401},
		{name: "future", body: startedBody, ts: future, sig: sign(future, startedBody), status: 401},
		{name: "no timestamp", body: startedBody, sig: sign("", startedBody), status: 401},
		{name: "bad timestamp", body: startedBody, ts: "17e8", sig: sign("17e8", startedBody), status: 401},
		{name: "oversized", body: big, ts: ts, sig: sign(ts, big), status: 413},
		{name: "malformed JSON", body: `{"event":`, ts: ts, sig: sign(ts, `{"event":`), status: 400},
		{name: "not an event", body: `{"payload":{}}`, ts: ts, sig: sign(ts, `{"payload":{}}`), status: 400},
		{name: "GET", method: http.MethodGet, body: "", ts: ts, sig: sign(ts, ""), status: 405},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			store := &memStore{}
			var logs bytes.Buffer
			r := delivery(t, c.body, c.ts, c.sig)
			if c.method != "" {
				r.Method = c.method
			}
			w := httptest.NewRecorder()
			newTestWebhook(store, &logs).ServeHTTP(w, r)
			if w.Code != c.status {
				t.Errorf("status %d, want %d: %s", w.Code, c.status, w.Body)
			}
			if n := len(store.all()); n != c.stored {
				t.Errorf("%d events stored, want %d", n, c.stored)
			}
			if strings.Contains(logs.String(), testSecret) || strings.Contains(logs.String(), "8512345678") ||
				(c.sig != "" && strings.Contains(logs.String(), c.sig)) {
				t.Errorf("logs leak the secret, signature or body: %s", logs.String())
			}
		})
	}
}

func flipLast(s string) string {
	b := []byte(s)
	if b[len(b)-1] == '0' {
		b[len(b)-1] = '1'
	} else {
		b[len(b)-1] = '0'
	}
	return string(b)
}

func TestWebhookStoresEvent(t *testing.T) {
	store := &memStore{}
	var hooked []bool
	h := NewWebhook(testSecret, store, WebhookOptions{Now: func() time.Time { return testNow },
		Logger: slog.New(slog.DiscardHandler), OnEvent: func(e Event, stored bool) { hooked = append(hooked, stored) }})
	ts := strconv.FormatInt(testNow.Unix(), 10)
	for i := 0; i < 2; i++ { // Zoom's retry: same body, new timestamp
		ts := strconv.FormatInt(testNow.Unix()+int64(i), 10)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, delivery(t, startedBody, ts, zoomSign(testSecret, ts, []byte(startedBody))))
		if w.Code != 200 {
			t.Fatalf("delivery %d: %d %s", i, w.Code, w.Body)
		}
	}
	got := store.all()
	if len(got) != 1 || len(hooked) != 2 || !hooked[0] || hooked[1] {
		t.Fatalf("stored %d, hooks %v; want 1 stored, a duplicate", len(got), hooked)
	}
	e := got[0]
	if e.Type != "meeting.started" || e.MeetingID != "8512345678" || e.UUID != "abc==" || e.Source != "webhook" ||
		!e.Received.Equal(testNow) || e.Toolset != "meetings" || e.Time.UnixMilli() != 1699999999000 {
		t.Errorf("%+v", e)
	}
	// The tracking header, when Zoom sends it, is the delivery ID.
	r := delivery(t, startedBody, ts, zoomSign(testSecret, ts, []byte(startedBody)))
	r.Header.Set("x-zm-trackingid", "v=2.0;clid=aws_us;rid=123")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if got := store.all(); w.Code != 200 || len(got) != 2 || got[1].ID != "tv=2.0;clid=aws_us;rid=123" {
		t.Errorf("with x-zm-trackingid: %d, %+v", w.Code, got)
	}
}

func TestWebhookStoreFailure(t *testing.T) {
	store := &memStore{fail: errors.New("disk full")}
	ts := strconv.FormatInt(testNow.Unix(), 10)
	w := httptest.NewRecorder()
	newTestWebhook(store, io.Discard).ServeHTTP(w, delivery(t, startedBody, ts, zoomSign(testSecret, ts, []byte(startedBody))))
	if w.Code < 500 {
		t.Errorf("store failed, status %d: Zoom would not retry", w.Code)
	}
}

func TestWebhookNoSecret(t *testing.T) {
	store := &memStore{}
	ts := strconv.FormatInt(testNow.Unix(), 10)
	h := NewWebhook("", store, WebhookOptions{Now: func() time.Time { return testNow }, Logger: slog.New(slog.DiscardHandler)})
	w := httptest.NewRecorder()
	h.ServeHTTP(w, delivery(t, startedBody, ts, zoomSign("", ts, []byte(startedBody))))
	if w.Code == 200 || len(store.all()) != 0 {
		t.Errorf("empty secret accepted a delivery: %d", w.Code)
	}
}

func TestURLValidation(t *testing.T) {
	body := `{"payload":{"plainToken":"qgg8vlvZRS6UYooatFL8Aw"},"event_ts":1654503849680,"event":"endpoint.url_validation"}`
	ts := strconv.FormatInt(testNow.Unix(), 10)
	store := &memStore{}
	w := httptest.NewRecorder()
	newTestWebhook(store, io.Discard).ServeHTTP(w, delivery(t, body, ts, zoomSign(testSecret, ts, []byte(body))))
	if w.Code != 200 {
		t.Fatalf("status %d: %s", w.Code, w.Body)
	}
	var got map[string]string
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	// Zoom's documented answer: encryptedToken = hex(HMAC-SHA256(secret, plainToken)).
	m := hmac.New(sha256.New, []byte(testSecret))
	m.Write([]byte("qgg8vlvZRS6UYooatFL8Aw"))
	want := map[string]string{"plainToken": "qgg8vlvZRS6UYooatFL8Aw", "encryptedToken": hex.EncodeToString(m.Sum(nil))}
	if len(got) != 2 || got["plainToken"] != want["plainToken"] || got["encryptedToken"] != want["encryptedToken"] {
		t.Errorf("got %v, want %v", got, want)
	}
	if len(store.all()) != 0 {
		t.Error("url_validation stored")
	}
	// Unsigned, it is refused like any delivery.
	w = httptest.NewRecorder()
	newTestWebhook(store, io.Discard).ServeHTTP(w, delivery(t, body, ts, ""))
	if w.Code != 401 {
		t.Errorf("unsigned url_validation: %d", w.Code)
	}
}
