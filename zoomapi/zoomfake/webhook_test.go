package zoomfake

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/zoommcp/zoom-mcp/internal/zoomspec"
)

// delivery is one request the test receiver got.
type delivery struct {
	event    string
	tracking string
	body     []byte
}

// receiver is a webhook endpoint that checks Zoom's signature with its own
// computation and answers URL validation.
type receiver struct {
	t      *testing.T
	secret string
	srv    *httptest.Server

	mu   sync.Mutex
	got  []delivery
	fail map[string]int // event type -> how many attempts to answer 500
	// wrongValidation makes the endpoint answer the handshake wrongly.
	wrongValidation bool
	arrived         chan struct{}
}

func newReceiver(t *testing.T, secret string) *receiver {
	rc := &receiver{t: t, secret: secret, fail: map[string]int{}, arrived: make(chan struct{}, 1000)}
	rc.srv = httptest.NewServer(http.HandlerFunc(rc.serve))
	t.Cleanup(rc.srv.Close)
	return rc
}

func (rc *receiver) hmacHex(msg string) string {
	m := hmac.New(sha256.New, []byte(rc.secret))
	m.Write([]byte(msg))
	return hex.EncodeToString(m.Sum(nil))
}

func (rc *receiver) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	ts := r.Header.Get("x-zm-request-timestamp")
	sig := r.Header.Get("x-zm-signature")
	if sig != "v0="+rc.hmacHex("v0:"+ts+":"+string(body)) {
		rc.t.Errorf("bad signature %q for body %s", sig, body)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if sec, err := strconv.ParseInt(ts, 10, 64); err != nil || time.Since(time.Unix(sec, 0)).Abs() > time.Minute {
		rc.t.Errorf("timestamp %q is not now", ts)
	}
	var ev struct {
		Event   string `json:"event"`
		Payload struct {
			PlainToken string `json:"plainToken"`
		} `json:"payload"`
	}
	if err := json.Unmarshal(body, &ev); err != nil {
		rc.t.Errorf("body %s: %v", body, err)
		return
	}
	rc.mu.Lock()
	rc.got = append(rc.got, delivery{ev.Event, r.Header.Get("x-zm-trackingid"), body})
	fail := rc.fail[ev.Event] > 0
	if fail {
		rc.fail[ev.Event]--
	}
	wrong := rc.wrongValidation
	rc.mu.Unlock()
	rc.arrived <- struct{}{}
	switch {
	case ev.Event == "endpoint.url_validation":
		enc := rc.hmacHex(ev.Payload.PlainToken)
		if wrong {
			enc = rc.hmacHex("something else")
		}
		writeJSON(w, http.StatusOK, map[string]string{"plainToken": ev.Payload.PlainToken, "encryptedToken": enc})
	case fail:
		w.WriteHeader(http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

// waitFor waits until a delivery of typ (after the first skip ones of any
// type) arrived, and returns all deliveries so far.
func (rc *receiver) waitFor(typ string, n int) []delivery {
	rc.t.Helper()
	deadline := time.After(5 * time.Second)
	for {
		rc.mu.Lock()
		count := 0
		for _, d := range rc.got {
			if d.event == typ {
				count++
			}
		}
		got := append([]delivery(nil), rc.got...)
		rc.mu.Unlock()
		if count >= n {
			return got
		}
		select {
		case <-rc.arrived:
		case <-deadline:
			rc.t.Fatalf("no %d× %s; got %v", n, typ, events(got))
		}
	}
}

func events(ds []delivery) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.event)
	}
	return out
}

// webhookSchemas compiles the schemas of Zoom's webhook events, made
// strict (no property they do not list) like the contract test's.
func webhookSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(zoomspec.Dir(t), "extract-webhook-events.json"))
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Events map[string]struct {
			Schema map[string]any `json:"schema"`
		} `json:"events"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	out := make(map[string]*jsonschema.Schema)
	for name, ev := range doc.Events {
		sch := ev.Schema
		if name == "meeting.updated" {
			// Its old_object points outside the document (see the
			// extract's note): it has the properties of object.
			p := sch["properties"].(map[string]any)["payload"].(map[string]any)["properties"].(map[string]any)
			p["old_object"] = p["object"]
		}
		c := jsonschema.NewCompiler()
		c.DefaultDraft(jsonschema.Draft2020)
		url := "mem://" + name + ".json"
		if err := c.AddResource(url, toJSONSchema(sch)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		s, err := c.Compile(url)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		out[name] = s
	}
	return out
}

func (e *env) admin(method, path string, body any) *httptest.ResponseRecorder {
	e.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	rec := httptest.NewRecorder()
	e.s.ServeHTTP(rec, httptest.NewRequest(method, path, rd))
	return rec
}

func adminPath(id int64, tail string) string {
	return AdminPrefix + strconv.FormatInt(id, 10) + tail
}

func TestWebhookDeliveriesMatchSpec(t *testing.T) {
	schemas := webhookSchemas(t)
	const secret = "test-secret"
	rc := newReceiver(t, secret)
	e := newEnv(t, Options{WebhookURL: rc.srv.URL, WebhookSecret: secret, WebhookRetryDelays: []time.Duration{}})
	t.Cleanup(e.s.Close)

	m := e.call("POST", "/users/me/meetings", map[string]any{"topic": "Events", "type": 2, "start_time": "2026-06-16T10:00:00Z", "duration": 30}, 201)
	id := num(m["id"])
	e.call("PATCH", "/meetings/"+itoa(id), map[string]any{"topic": "Events, renamed"}, 204)
	if rec := e.admin("POST", adminPath(id, "/start"), nil); rec.Code != 200 {
		t.Fatalf("start: %d %s", rec.Code, rec.Body)
	}
	rec := e.admin("POST", adminPath(id, "/participants"), map[string]string{"name": "Jill Chill", "email": "jill@example.com"})
	if rec.Code != 200 {
		t.Fatalf("join: %d %s", rec.Code, rec.Body)
	}
	var joined struct {
		ParticipantID string `json:"participant_id"`
	}
	json.Unmarshal(rec.Body.Bytes(), &joined)
	if rec := e.admin("DELETE", adminPath(id, "/participants/"+joined.ParticipantID), nil); rec.Code != 204 {
		t.Fatalf("leave: %d %s", rec.Code, rec.Body)
	}
	e.clock.Advance(10 * time.Minute)
	if rec := e.admin("POST", adminPath(id, "/end"), nil); rec.Code != 200 {
		t.Fatalf("end: %d %s", rec.Code, rec.Body)
	}
	if rec := e.admin("POST", adminPath(id, "/recording"), nil); rec.Code != 200 {
		t.Fatalf("recording: %d %s", rec.Code, rec.Body)
	}
	e.call("POST", "/meetings/"+itoa(SeedRegistrationMeetingID)+"/registrants", map[string]any{"email": "new@example.com", "first_name": "New"}, 201)
	e.call("DELETE", "/meetings/"+itoa(id), nil, 204)

	got := rc.waitFor("meeting.deleted", 1)
	rc.waitFor("meeting.registration_created", 1)
	got = rc.waitFor("meeting.deleted", 1)
	if got[0].event != "endpoint.url_validation" {
		t.Errorf("first request %s, want endpoint.url_validation", got[0].event)
	}
	var mine []string
	for _, d := range got[1:] {
		if d.event == "endpoint.url_validation" {
			t.Errorf("validated twice")
		}
		sch := schemas[d.event]
		if sch == nil {
			t.Errorf("event %s has no schema", d.event)
			continue
		}
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(d.body))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(inst); err != nil {
			t.Errorf("%s does not match Zoom's schema: %v\n%s", d.event, err, d.body)
		}
		if d.tracking == "" {
			t.Errorf("%s: no x-zm-trackingid", d.event)
		}
		if d.event != "meeting.registration_created" {
			mine = append(mine, d.event)
		}
	}
	want := []string{"meeting.created", "meeting.updated", "meeting.started", "meeting.participant_joined",
		"meeting.participant_joined", "meeting.participant_left", "meeting.participant_left", "meeting.ended",
		"recording.completed", "meeting.deleted"}
	if strings.Join(mine, " ") != strings.Join(want, " ") {
		t.Errorf("events of the meeting\n got %v\nwant %v", mine, want)
	}
	// The recording the event announced is the one the API lists.
	var rc0 map[string]any
	for _, d := range got {
		if d.event == "recording.completed" {
			json.Unmarshal(d.body, &rc0)
		}
	}
	obj := rc0["payload"].(map[string]any)["object"].(map[string]any)
	api := e.call("GET", "/meetings/"+escapeUUID(obj["uuid"].(string))+"/recordings", nil, 200)
	if len(list(api, "recording_files")) != len(obj["recording_files"].([]any))+1 || num(api["id"]) != id { // +1: the transcript
		t.Errorf("recordings API %v, event %v", api, obj)
	}
	deadline := time.Now().Add(2 * time.Second)
	for e.s.WebhookStats().Delivered != int64(len(got)-1) && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond) // the receiver answers before the simulator counts
	}
	if st := e.s.WebhookStats(); !st.Validated || st.Delivered != int64(len(got)-1) || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestWebhookRetriesWithSameTrackingID(t *testing.T) {
	rc := newReceiver(t, DefaultWebhookSecret)
	rc.fail["meeting.created"] = 2
	e := newEnv(t, Options{WebhookURL: rc.srv.URL, WebhookRetryDelays: []time.Duration{10 * time.Millisecond, 10 * time.Millisecond, 10 * time.Millisecond}})
	t.Cleanup(e.s.Close)
	e.call("POST", "/users/me/meetings", map[string]any{"topic": "Retry"}, 201)
	got := rc.waitFor("meeting.created", 3)
	var tries []delivery
	for _, d := range got {
		if d.event == "meeting.created" {
			tries = append(tries, d)
		}
	}
	for _, d := range tries[1:] {
		if d.tracking != tries[0].tracking || !bytes.Equal(d.body, tries[0].body) {
			t.Errorf("retry differs: %q %s vs %q %s", d.tracking, d.body, tries[0].tracking, tries[0].body)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for e.s.WebhookStats().Delivered != 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if st := e.s.WebhookStats(); st.Delivered != 1 || st.Retries != 2 || st.Failed != 0 {
		t.Errorf("stats %+v", st)
	}
}

func TestWebhookGivesUpAfterRetries(t *testing.T) {
	rc := newReceiver(t, DefaultWebhookSecret)
	rc.fail["meeting.created"] = 100
	e := newEnv(t, Options{WebhookURL: rc.srv.URL, WebhookRetryDelays: []time.Duration{time.Millisecond, time.Millisecond, time.Millisecond}})
	t.Cleanup(e.s.Close)
	e.call("POST", "/users/me/meetings", map[string]any{"topic": "Retry"}, 201)
	rc.waitFor("meeting.created", 4)
	deadline := time.Now().Add(2 * time.Second)
	for e.s.WebhookStats().Failed != 1 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(50 * time.Millisecond)
	if got := events(rc.waitFor("meeting.created", 4)); len(got) != 5 { // validation + 1 + 3 retries
		t.Errorf("got %v, want the validation and 4 attempts", got)
	}
}

func TestWebhookRefusesURLThatFailsValidation(t *testing.T) {
	rc := newReceiver(t, DefaultWebhookSecret)
	rc.wrongValidation = true
	e := newEnv(t, Options{WebhookURL: rc.srv.URL})
	t.Cleanup(e.s.Close)
	e.call("POST", "/users/me/meetings", map[string]any{"topic": "A"}, 201)
	e.call("POST", "/users/me/meetings", map[string]any{"topic": "B"}, 201)
	deadline := time.Now().Add(2 * time.Second)
	for e.s.WebhookStats().Refused != 2 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if got := events(rc.got); len(got) != 1 || got[0] != "endpoint.url_validation" {
		t.Errorf("got %v, want one validation and no event", got)
	}
	if st := e.s.WebhookStats(); st.Validated || st.Refused != 2 {
		t.Errorf("stats %+v", st)
	}
}

func TestAdminEndpointErrors(t *testing.T) {
	e := newEnv(t, Options{})
	m := e.call("POST", "/users/me/meetings", map[string]any{"topic": "Admin"}, 201)
	id := num(m["id"])
	for _, c := range []struct {
		method, path string
		body         any
		status, code int
	}{
		{"POST", adminPath(99999999999, "/start"), nil, 404, codeMeetingNotFound},
		{"POST", AdminPrefix + "abc/start", nil, 404, codeMeetingNotFound},
		{"POST", adminPath(id, "/end"), nil, 400, codeMeeting},
		{"POST", adminPath(id, "/participants"), map[string]string{"name": "X"}, 400, codeMeeting},
		{"POST", adminPath(id, "/recording"), nil, 400, codeMeeting},
	} {
		rec := e.admin(c.method, c.path, c.body)
		e.wantError(rec, c.status, c.code, "")
	}
	if err := e.s.StartMeeting(id); err != nil {
		t.Fatal(err)
	}
	if err := e.s.StartMeeting(id); err == nil {
		t.Error("second start: no error")
	}
	e.wantError(e.admin("POST", adminPath(id, "/participants"), map[string]string{"email": "x@example.com"}), 400, codeValidation, "Validation")
	pid, err := e.s.JoinMeeting(id, "Guest", "guest2@example.com")
	if err != nil || pid == "" {
		t.Fatalf("join: %q %v", pid, err)
	}
	if err := e.s.LeaveMeeting(id, pid); err != nil {
		t.Fatal(err)
	}
	if err := e.s.LeaveMeeting(id, pid); err == nil {
		t.Error("second leave: no error")
	}
	e.clock.Advance(5 * time.Minute)
	if err := e.s.EndMeeting(id); err != nil {
		t.Fatal(err)
	}
	// The participants report has the guest who joined and left.
	rep := e.call("GET", "/report/meetings/"+itoa(id)+"/participants", nil, 200)
	var names []string
	for _, p := range list(rep, "participants") {
		names = append(names, p["name"].(string))
	}
	if !strings.Contains(strings.Join(names, ","), "Guest") {
		t.Errorf("report participants %v lack the guest", names)
	}
	e.call("DELETE", "/meetings/"+itoa(id)+"/recordings", nil, 204)
	e.call("GET", "/meetings/"+itoa(id)+"/recordings", nil, 404)
	if err := e.s.CompleteRecording(id); err != nil {
		t.Fatal(err)
	}
	e.call("GET", "/meetings/"+itoa(id)+"/recordings", nil, 200)
}

func TestWebSocketServer(t *testing.T) {
	s := New(Options{WebSocketSubscriptionID: "sub-1"})
	t.Cleanup(s.Close)
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	e := &env{t: t, s: s}
	token := e.fetchToken()
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + WebSocketPath
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	for _, q := range []string{"?subscriptionId=sub-1&access_token=nope", "?subscriptionId=other&access_token=" + token} {
		_, resp, err := websocket.Dial(ctx, wsURL+q, nil)
		if err == nil || resp == nil || (resp.StatusCode != 401 && resp.StatusCode != 404) {
			t.Errorf("%s: %v %v, want 401 or 404", q, resp, err)
		}
	}
	c, _, err := websocket.Dial(ctx, wsURL+"?subscriptionId=sub-1&access_token="+token, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer c.CloseNow()
	if err := c.Write(ctx, websocket.MessageText, []byte(`{"module":"heartbeat"}`)); err != nil {
		t.Fatal(err)
	}
	_, msg, err := c.Read(ctx)
	if err != nil || !strings.Contains(string(msg), `"module":"heartbeat"`) {
		t.Fatalf("heartbeat answer %s %v", msg, err)
	}
	if err := s.StartMeeting(SeedRegistrationMeetingID); err != nil {
		t.Fatal(err)
	}
	_, msg, err = c.Read(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var env struct {
		Module  string `json:"module"`
		Content string `json:"content"`
	}
	if err := json.Unmarshal(msg, &env); err != nil || env.Module != "message" {
		t.Fatalf("message %s: %v", msg, err)
	}
	var ev struct {
		Event   string `json:"event"`
		Payload struct {
			Object struct {
				ID any `json:"id"`
			} `json:"object"`
		} `json:"payload"`
	}
	if err := json.Unmarshal([]byte(env.Content), &ev); err != nil || ev.Event != "meeting.started" || ev.Payload.Object.ID != itoa(SeedRegistrationMeetingID) {
		t.Errorf("content %s: %v", env.Content, err)
	}
	if s.WebSocketHeartbeats() != 1 || s.WebSocketConnections() != 1 {
		t.Errorf("heartbeats %d connections %d", s.WebSocketHeartbeats(), s.WebSocketConnections())
	}
	s.CloseWebSockets()
	for {
		_, msg, err := c.Read(ctx)
		if err != nil {
			if websocket.CloseStatus(err) != websocket.StatusGoingAway {
				t.Errorf("after CloseWebSockets: %v", err)
			}
			break
		}
		if !strings.Contains(string(msg), "meeting.participant_joined") {
			t.Errorf("unexpected message %s", msg)
		}
	}
}
