package main

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/audit"
	"github.com/zoommcp/zoom-mcp/internal/redistest"
	"github.com/zoommcp/zoom-mcp/policy"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

const eventsSecret = "main-events-test-secret"

// delivery is one of Zoom's webhook deliveries: its body and the
// x-zm-trackingid that identifies it.
type delivery struct {
	tracking string
	body     []byte
}

// zoomEvent builds the body of a Zoom event of type typ about meeting id.
func zoomEvent(typ string, id int64, ts time.Time) []byte {
	object := map[string]any{"id": id, "uuid": fmt.Sprintf("uuid-%d==", id), "topic": "Event test", "host_id": "h1"}
	switch typ {
	case "meeting.started", "meeting.ended":
		object["id"] = strconv.FormatInt(id, 10) // Zoom sends a string here
		object["start_time"] = ts.UTC().Format(time.RFC3339)
	case "recording.completed":
		object["recording_files"] = []any{map[string]any{"id": "f1", "file_type": "MP4", "status": "completed"}}
	}
	body, err := json.Marshal(map[string]any{"event": typ, "event_ts": ts.UnixMilli(),
		"payload": map[string]any{"account_id": "acc", "object": object}})
	if err != nil {
		panic(err)
	}
	return body
}

// deliver POSTs d to the webhook URL signed with secret as Zoom documents
// it: x-zm-signature = "v0=" + hex(HMAC-SHA256(secret, "v0:" + timestamp +
// ":" + body)), the timestamp in Unix seconds. It returns the status and
// the answer's "stored".
func deliver(t *testing.T, url, secret string, d delivery) (int, bool) {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte("v0:" + ts + ":"))
	mac.Write(d.body)
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(d.body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("x-zm-request-timestamp", ts)
	req.Header.Set("x-zm-signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	req.Header.Set("x-zm-trackingid", d.tracking)
	res, err := httpClient.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", url, err)
	}
	defer res.Body.Close()
	var ans struct {
		Stored bool `json:"stored"`
	}
	data, _ := io.ReadAll(res.Body)
	if res.StatusCode == http.StatusOK {
		if err := json.Unmarshal(data, &ans); err != nil {
			t.Errorf("webhook answer %s: %v", data, err)
		}
	}
	return res.StatusCode, ans.Stored
}

// storedEvent is an event as the resources show it.
type storedEvent struct {
	ID        string `json:"id"`
	Seq       int64  `json:"seq"`
	Type      string `json:"type"`
	MeetingID string `json:"meeting_id"`
	Source    string `json:"source"`
	Toolset   string `json:"toolset"`
}

// startEventServer runs the server in-process (--sandbox --http) with a
// webhook secret and the event file, plus args, until the returned stop
// is called; it returns the base URL.
func startEventServer(t *testing.T, file string, args ...string) (base string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := freeAddr(t)
	errc := make(chan error, 1)
	var stderr syncBuffer
	getenv := env(map[string]string{envWebhookSecret: eventsSecret, envEventsFile: file})
	go func() {
		errc <- run(ctx, append([]string{"--sandbox", "--http", addr}, args...), getenv, strings.NewReader(""), io.Discard, &stderr)
	}()
	base = "http://" + addr
	deadline := time.Now().Add(10 * time.Second)
	for {
		res, err := http.Get(base + "/healthz")
		if err == nil {
			res.Body.Close()
			if res.StatusCode == http.StatusOK {
				break
			}
		}
		select {
		case err := <-errc:
			cancel()
			t.Fatalf("the server exited: %v\n%s", err, stderr.String())
		default:
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("the server did not start in 10s:\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	stopped := false
	stop = func() {
		t.Helper()
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case err := <-errc:
			if err != nil {
				t.Errorf("the server stopped with %v\n%s", err, stderr.String())
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("the server did not stop within 10s")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", stderr.String())
		}
	}
	t.Cleanup(stop)
	return base, stop
}

// mcpClient is an initialized mcp-go client of the server at base.
func mcpClient(ctx context.Context, t *testing.T, base string) *client.Client {
	t.Helper()
	c, err := client.NewStreamableHttpClient(base + "/mcp")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	initialize(ctx, t, c)
	return c
}

// readEvents reads an event resource.
func readEvents(ctx context.Context, t *testing.T, c *client.Client, uri string) []storedEvent {
	t.Helper()
	res, err := c.ReadResource(ctx, mcp.ReadResourceRequest{Params: mcp.ReadResourceParams{URI: uri}})
	if err != nil {
		t.Fatalf("read %s: %v", uri, err)
	}
	if len(res.Contents) != 1 {
		t.Fatalf("read %s: %d contents", uri, len(res.Contents))
	}
	text, ok := res.Contents[0].(mcp.TextResourceContents)
	if !ok {
		t.Fatalf("read %s: %T", uri, res.Contents[0])
	}
	var body struct {
		Events []storedEvent `json:"events"`
	}
	if err := json.Unmarshal([]byte(text.Text), &body); err != nil {
		t.Fatalf("read %s: %v: %s", uri, err, text.Text)
	}
	return body.Events
}

// waitForEvent calls wait_for_event and returns its structured result.
func waitForEvent(ctx context.Context, t *testing.T, c *client.Client, args map[string]any) map[string]any {
	t.Helper()
	res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "wait_for_event", Arguments: args}})
	if err != nil {
		t.Fatalf("wait_for_event: %v", err)
	}
	data, _ := json.Marshal(res.StructuredContent)
	var out map[string]any
	_ = json.Unmarshal(data, &out)
	if res.IsError {
		t.Fatalf("wait_for_event %v: %s", args, data)
	}
	return out
}

// TestEventsSurviveRestart: every delivery the webhook acknowledged is in
// the file store: a server stopped and started again on the same file still
// shows them in zoom://events, in order, with their Seqs; a retry of one
// is recognised as a duplicate after the restart; a new event continues
// the Seqs. A delivery with a bad signature is refused and never shown.
// The audit log records each wait_for_event call with its event types.
func TestEventsSurviveRestart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	dir := t.TempDir()
	file := filepath.Join(dir, "events.jsonl")
	auditLog := filepath.Join(dir, "audit.jsonl")

	base, stop := startEventServer(t, file, "--audit-log", auditLog)
	hook := base + "/zoom/webhook"
	now := time.Now()
	var sent []delivery
	for i, typ := range []string{"meeting.created", "meeting.started", "meeting.participant_joined", "meeting.ended", "recording.completed"} {
		sent = append(sent, delivery{tracking: fmt.Sprintf("track-%d", i), body: zoomEvent(typ, 81234567890, now.Add(time.Duration(i)*time.Second))})
	}
	for _, d := range sent {
		if status, stored := deliver(t, hook, eventsSecret, d); status != http.StatusOK || !stored {
			t.Fatalf("delivery %s: status %d, stored %v", d.tracking, status, stored)
		}
	}
	forged := delivery{tracking: "forged", body: zoomEvent("meeting.deleted", 81234567890, now)}
	if status, stored := deliver(t, hook, "not-the-secret", forged); status != http.StatusUnauthorized || stored {
		t.Errorf("a delivery signed with another secret: status %d, stored %v; want 401", status, stored)
	}
	// A wait, to be audited: nothing comes within its second.
	c := mcpClient(ctx, t, base)
	out := waitForEvent(ctx, t, c, map[string]any{"types": []string{"meeting.started", "recording.completed"}, "meeting_id": 81234567890, "timeout_seconds": 1})
	if out["event"] != nil || !strings.Contains(fmt.Sprint(out["note"]), "No matching event") {
		t.Errorf("a wait with nothing coming: %v", out)
	}
	before := readEvents(ctx, t, c, "zoom://events")
	c.Close()
	stop()

	// Started again on the same file.
	base, stop = startEventServer(t, file, "--audit-log", auditLog)
	hook = base + "/zoom/webhook"
	c = mcpClient(ctx, t, base)
	after := readEvents(ctx, t, c, "zoom://events")
	if len(after) != len(sent) {
		t.Fatalf("after a restart zoom://events shows %d events, want the %d acknowledged: %+v", len(after), len(sent), after)
	}
	if !slices.Equal(before, after) {
		t.Errorf("the events changed across the restart:\nbefore %+v\nafter  %+v", before, after)
	}
	for i, e := range after {
		var want struct{ Event string }
		_ = json.Unmarshal(sent[i].body, &want)
		if e.ID != "t"+sent[i].tracking || e.Type != want.Event || e.MeetingID != "81234567890" || e.Source != "webhook" {
			t.Errorf("event %d after the restart: %+v, want delivery %s (%s)", i, e, sent[i].tracking, want.Event)
		}
		if i > 0 && e.Seq <= after[i-1].Seq {
			t.Errorf("Seqs not ascending: %d after %d", e.Seq, after[i-1].Seq)
		}
	}
	if got := readEvents(ctx, t, c, "zoom://meetings/81234567890/events"); len(got) != len(sent) {
		t.Errorf("the meeting's resource after the restart shows %d events, want %d", len(got), len(sent))
	}
	// A cursor from before the restart still resumes where it was.
	out = waitForEvent(ctx, t, c, map[string]any{"types": []string{"recording.completed"}, "after": after[0].Seq, "timeout_seconds": 5})
	if ev, _ := out["event"].(map[string]any); ev == nil || ev["type"] != "recording.completed" || ev["seq"] != float64(after[4].Seq) {
		t.Errorf("a wait after the first event's cursor: %v", out)
	}
	// Zoom retrying a delivery it already had acknowledged: not stored twice.
	if status, stored := deliver(t, hook, eventsSecret, sent[1]); status != http.StatusOK || stored {
		t.Errorf("a retry after the restart: status %d, stored %v; want 200, not stored", status, stored)
	}
	fresh := delivery{tracking: "track-fresh", body: zoomEvent("meeting.started", 81234567890, now.Add(time.Minute))}
	if status, stored := deliver(t, hook, eventsSecret, fresh); status != http.StatusOK || !stored {
		t.Errorf("a new delivery after the restart: status %d, stored %v", status, stored)
	}
	latest := readEvents(ctx, t, c, "zoom://events")
	if len(latest) != len(sent)+1 || latest[len(latest)-1].ID != "ttrack-fresh" || latest[len(latest)-1].Seq <= after[len(after)-1].Seq {
		t.Errorf("after a retry and a new delivery: %+v", latest)
	}
	c.Close()
	stop()

	// Each wait is audited, with the event types it waited for.
	var waits []audit.Record
	if err := audit.Read(auditLog, func(r audit.Record) error {
		if r.Tool == "wait_for_event" {
			waits = append(waits, r)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(waits) != 2 {
		t.Fatalf("%d audit records of wait_for_event, want 2: %+v", len(waits), waits)
	}
	for i, want := range [][]string{{"meeting.started", "recording.completed"}, {"recording.completed"}} {
		r := waits[i]
		if r.Agent == "" || r.Toolset != "events" || r.Decision != "allowed" {
			t.Errorf("wait %d audited as %+v", i+1, r)
		}
		for _, typ := range want {
			if !strings.Contains(r.Text, typ) {
				t.Errorf("wait %d's audit record does not name %s: %q", i+1, typ, r.Text)
			}
		}
	}
	t.Logf("audited: %q", waits[0].Text)
	if w := waits[0]; !slices.Contains(w.Targets.Meetings, "81234567890") {
		t.Errorf("the first wait's audit record names no meeting: %+v", w.Targets)
	}
	if strings.Contains(waits[1].Text, "meeting.started") {
		t.Errorf("the second wait's audit record names a type it did not wait for: %q", waits[1].Text)
	}
}

// eventsPolicy: one agent that may see meetings' and recordings' events.
const eventsPolicy = `agents:
  - name: listener
    key_sha256: %s
    access: { meetings: read, recordings: read, events: read }
`

const listenerKey = "zmcp_events_listener"

// TestEventsAcrossReplicas: two server processes share one Redis stream. A
// delivery POSTed to replica 1's webhook wakes a wait_for_event call
// blocked on replica 2, and replica 2's zoom://events shows it.
func TestEventsAcrossReplicas(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	rd := redistest.Start(t)
	sim := httptest.NewServer(zoomfake.New(zoomfake.Options{}))
	t.Cleanup(sim.Close)
	bin := binary(t)
	cfg := writeFile(t, "policy.yaml", fmt.Sprintf(eventsPolicy, policy.HashKey(listenerKey)))
	vars := simulatorVars(sim.URL)
	vars[envWebhookSecret] = eventsSecret
	args := []string{"--http", "127.0.0.1:0", "--redis", rd.URL(), "--config", cfg}
	url1, log1 := startReplica(t, bin, args, vars)
	url2, log2 := startReplica(t, bin, args, vars)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("replica 1 log:\n%s\nreplica 2 log:\n%s", log1.String(), log2.String())
		}
	})

	type waited struct {
		reply rpcReply
		took  time.Duration
	}
	done := make(chan waited, 1)
	go func() {
		start := time.Now()
		h, m := legacyCall(1, "wait_for_event", map[string]any{"types": []string{"recording.completed"}, "meeting_id": 81234567890, "timeout_seconds": 10})
		r := post(t, url2, listenerKey, h, m)
		done <- waited{r, time.Since(start)}
	}()
	// The call is blocked on replica 2 before the event comes to replica 1.
	time.Sleep(time.Second)
	select {
	case w := <-done:
		t.Fatalf("the wait on replica 2 ended before any event: %s", w.reply.Result)
	default:
	}
	d := delivery{tracking: "replica-track", body: zoomEvent("recording.completed", 81234567890, time.Now())}
	if status, stored := deliver(t, strings.TrimSuffix(url1, "/mcp")+"/zoom/webhook", eventsSecret, d); status != http.StatusOK || !stored {
		t.Fatalf("delivery to replica 1: status %d, stored %v", status, stored)
	}
	delivered := time.Now()
	var w waited
	select {
	case w = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("the wait on replica 2 did not end")
	}
	res := w.reply.tool(t, "wait_for_event on replica 2")
	ev, _ := res.StructuredContent["event"].(map[string]any)
	if res.IsError || ev == nil || ev["type"] != "recording.completed" || ev["meeting_id"] != "81234567890" {
		t.Fatalf("the wait on replica 2: %s", res)
	}
	if late := time.Since(delivered); late > 5*time.Second || w.took > 9*time.Second {
		t.Errorf("the wait on replica 2 ended %v after the delivery (%v in all): not woken by it", late, w.took)
	}

	// Replica 2 shows it, and recognises Zoom's retry of it as a duplicate.
	r := post(t, url2, listenerKey, map[string]string{"Mcp-Protocol-Version": legacyVersion},
		map[string]any{"jsonrpc": "2.0", "id": 2, "method": "resources/read", "params": map[string]any{"uri": "zoom://events"}})
	if r.Status != http.StatusOK || r.Error != nil || !bytes.Contains(r.Result, []byte(`\"id\":\"treplica-track\"`)) {
		t.Errorf("zoom://events on replica 2: %d %+v %s", r.Status, r.Error, r.Result)
	}
	if status, stored := deliver(t, strings.TrimSuffix(url2, "/mcp")+"/zoom/webhook", eventsSecret, d); status != http.StatusOK || stored {
		t.Errorf("Zoom's retry to replica 2: status %d, stored %v; want 200, not stored", status, stored)
	}
}
