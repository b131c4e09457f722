package events

import (
	"io"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"
)

// FuzzWebhook: whatever the body and headers, the handler does not panic,
// answers a known status, and stores nothing it cannot verify. When the
// fuzzer asks (sign), the delivery is signed correctly (computed here), to
// reach the parser.
func FuzzWebhook(f *testing.F) {
	f.Add([]byte(startedBody), int64(0), "", true)
	f.Add([]byte(startedBody), int64(0), "v0=00", false)
	f.Add([]byte(`{"event":"endpoint.url_validation","payload":{"plainToken":"x"}}`), int64(10), "", true)
	f.Add([]byte(`{"event":"meeting.created","event_ts":1,"payload":{"object":{"id":1e400}}}`), int64(-10), "", true)
	f.Add([]byte(`{"event":"x","payload":{"object":{"id":[]}}}`), int64(400), "", true)
	f.Add([]byte(`{`), int64(0), "", true)
	f.Fuzz(func(t *testing.T, body []byte, skew int64, sig string, sign bool) {
		ts := strconv.FormatInt(testNow.Unix()+skew, 10)
		if sign {
			sig = zoomSign(testSecret, ts, body)
		}
		signed := sig == zoomSign(testSecret, ts, body)
		fresh := skew >= -int64(MaxClockSkew/time.Second) && skew <= int64(MaxClockSkew/time.Second)
		store := &memStore{}
		w := httptest.NewRecorder()
		newTestWebhook(store, io.Discard).ServeHTTP(w, delivery(t, string(body), ts, sig))
		n := len(store.all())
		switch w.Code {
		case 200, 400, 401, 413:
		default:
			t.Fatalf("status %d", w.Code)
		}
		if n > 0 && (!signed || !fresh) {
			t.Fatalf("stored an unverified delivery (signed %v, fresh %v)", signed, fresh)
		}
		if w.Code == 200 && (!signed || !fresh) {
			t.Fatalf("200 for an unverified delivery")
		}
		if (!signed || !fresh) && len(body) <= DefaultMaxBody && w.Code != 401 {
			t.Fatalf("unverified delivery: %d, want 401", w.Code)
		}
		if n > 1 {
			t.Fatalf("%d events from one delivery", n)
		}
	})
}
