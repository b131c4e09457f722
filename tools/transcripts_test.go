package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/internal/inproc"
	"github.com/zoommcp/zoom-mcp/internal/sandbox"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// TestTranscript: the transcript comes back as speaker-attributed,
// timestamped text, with no URL or token in it, by meeting ID or UUID.
func TestTranscript(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	for _, id := range []any{zoomfake.SeedTranscriptMeetingID, zoomfake.SeedTranscriptUUID} {
		out := h.ok("get_meeting_transcript", map[string]any{"meeting_id": fmt.Sprint(id)})
		segs := items(out, "segments")
		if len(segs) == 0 || num(out, "total") == 0 {
			t.Fatalf("%v: %v", id, out)
		}
		if segs[0]["start"] == "" || segs[0]["text"] == "" || len(out["speakers"].([]any)) < 2 {
			t.Errorf("segments: %v; speakers %v", segs[0], out["speakers"])
		}
		res := h.raw("get_meeting_transcript", map[string]any{"meeting_id": fmt.Sprint(id)})
		text := res.Content[0].(mcp.TextContent).Text
		if !strings.Contains(text, "["+segs[0]["start"].(string)+"]") || strings.HasPrefix(text, "{") {
			t.Errorf("the text is not readable lines:\n%.300s", text)
		}
		for _, leak := range []string{"download", "http", "access_token", "Bearer"} {
			if strings.Contains(strings.ToLower(text), strings.ToLower(leak)) {
				t.Errorf("the result mentions %q", leak)
			}
		}
	}
}

// TestTranscriptPagesThreeHours: a 3-hour transcript comes in pages under
// the size cap that together hold every segment once, in order.
func TestTranscriptPagesThreeHours(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	seen, pages, cursor := 0, 0, ""
	last := ""
	for {
		args := map[string]any{"meeting_id": zoomfake.SeedLongTranscriptUUID}
		if cursor != "" {
			args["cursor"] = cursor
		}
		res := h.raw("get_meeting_transcript", args)
		if len(res.Content[0].(mcp.TextContent).Text) > transcriptPageBytes+4096 {
			t.Errorf("page %d is %d bytes of text", pages, len(res.Content[0].(mcp.TextContent).Text))
		}
		out := h.ok("get_meeting_transcript", args)
		pages++
		for _, s := range items(out, "segments") {
			if st := s["start"].(string); st < last {
				t.Fatalf("out of order: %s after %s", st, last)
			} else {
				last = st
			}
			seen++
		}
		next, _ := out["next_cursor"].(string)
		if next == "" {
			if num(out, "total") != zoomfake.SeedLongTranscriptCues {
				t.Errorf("total %d, want %d", num(out, "total"), zoomfake.SeedLongTranscriptCues)
			}
			break
		}
		cursor = next
		if pages > 500 {
			t.Fatal("paging does not end")
		}
	}
	if seen != zoomfake.SeedLongTranscriptCues || pages < 10 {
		t.Errorf("%d segments in %d pages, want %d in several", seen, pages, zoomfake.SeedLongTranscriptCues)
	}
	if !strings.HasPrefix(last, "02:") {
		t.Errorf("the last segment starts at %s, want past two hours", last)
	}
}

// TestTranscriptFilters: speaker and words narrow the segments.
func TestTranscriptFilters(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	all := h.ok("get_meeting_transcript", map[string]any{"meeting_id": zoomfake.SeedTranscriptUUID})
	speaker := all["speakers"].([]any)[0].(string)
	first := strings.Fields(speaker)[0]
	out := h.ok("get_meeting_transcript", map[string]any{"meeting_id": zoomfake.SeedTranscriptUUID, "speaker": strings.ToLower(first)})
	if num(out, "matching") == 0 || num(out, "matching") >= num(all, "total") {
		t.Errorf("speaker filter: %d of %d", num(out, "matching"), num(all, "total"))
	}
	for _, s := range items(out, "segments") {
		if !strings.Contains(s["speaker"].(string), first) {
			t.Errorf("segment of %v", s["speaker"])
		}
	}
	word := strings.Fields(items(all, "segments")[0]["text"].(string))[0]
	if out := h.ok("get_meeting_transcript", map[string]any{"meeting_id": zoomfake.SeedTranscriptUUID, "contains": word}); num(out, "matching") == 0 {
		t.Errorf("no segment contains %q", word)
	}
	if out := h.ok("get_meeting_transcript", map[string]any{"meeting_id": zoomfake.SeedTranscriptUUID, "contains": "zzqx-not-said"}); num(out, "matching") != 0 || len(items(out, "segments")) != 0 {
		t.Errorf("nothing should match: %v", out)
	}
	h.fails("get_meeting_transcript", map[string]any{"meeting_id": zoomfake.SeedTranscriptUUID, "cursor": "x"}, KindInvalidArgument, "cursor")
}

// TestNoTranscript: when there is none, the answer says why.
func TestNoTranscript(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	h.fails("get_meeting_transcript", map[string]any{"meeting_id": zoomfake.SeedProcessingTranscriptUUID}, KindNotFound, "processed")
	h.fails("get_meeting_transcript", map[string]any{"meeting_id": zoomfake.SeedRestrictedTranscriptUUID}, KindNotFound, "not allow")
	h.fails("get_meeting_transcript", map[string]any{"meeting_id": fmt.Sprint(zoomfake.SeedRegistrationMeetingID)}, KindNotFound, "No transcript")
}

// TestTranscriptDownloadUsesHeader: the file is fetched with the access
// token in the Authorization header, never in the URL, and neither the
// token nor the download URL appears in the result.
func TestTranscriptDownloadUsesHeader(t *testing.T) {
	sim := zoomfake.New(zoomfake.Options{})
	var mu sync.Mutex
	var downloads []*http.Request
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, "/rec/") {
			mu.Lock()
			downloads = append(downloads, r.Clone(r.Context()))
			mu.Unlock()
		}
		sim.ServeHTTP(w, r)
	})
	c, _, err := zoomapi.NewS2SClient(zoomapi.Config{
		APIBaseURL: sandbox.Host + "/v2", OAuthBaseURL: sandbox.Host,
		AccountID: zoomfake.DefaultAccountID, ClientID: zoomfake.DefaultClientID, ClientSecret: zoomfake.DefaultClientSecret,
	}, inproc.Client(h))
	if err != nil {
		t.Fatal(err)
	}
	res, err := GetMeetingTranscript().Bind(&pipeline.Pipeline{Client: pipeline.Static(c)})(context.Background(),
		mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "get_meeting_transcript", Arguments: map[string]any{"meeting_id": zoomfake.SeedTranscriptUUID}}})
	if err != nil || res.IsError {
		t.Fatalf("%v %v", err, res)
	}
	if len(downloads) != 1 {
		t.Fatalf("%d downloads", len(downloads))
	}
	d := downloads[0]
	auth := d.Header.Get("Authorization")
	token := strings.TrimPrefix(auth, "Bearer ")
	if !strings.HasPrefix(auth, "Bearer ") || token == "" {
		t.Fatalf("Authorization: %q", auth)
	}
	if d.URL.RawQuery != "" && (strings.Contains(d.URL.RawQuery, token) || strings.Contains(d.URL.RawQuery, "token")) {
		t.Errorf("the token is in the URL: %s", d.URL)
	}
	structured, _ := json.Marshal(res.StructuredContent)
	text := res.Content[0].(mcp.TextContent).Text
	for _, leak := range []string{token, d.URL.Path, "download_url"} {
		if strings.Contains(text, leak) || strings.Contains(string(structured), leak) {
			t.Errorf("the result contains %q", leak)
		}
	}
}

// TestSummaries: the AI Companion summary as Zoom returns it, a person's
// edit winning, and the list of meetings that have one.
func TestSummaries(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	s := h.ok("get_meeting_summary", map[string]any{"meeting_id": zoomfake.SeedSummaryUUID})
	if s["summary_content"] == nil && s["overview"] == nil {
		t.Errorf("no content: %v", s)
	}
	if s["meeting_uuid"] != zoomfake.SeedSummaryUUID {
		t.Errorf("uuid: %v", s["meeting_uuid"])
	}
	list := h.ok("list_meeting_summaries", map[string]any{"from": h.day(-30) + "T00:00:00Z", "to": h.day(1) + "T00:00:00Z"})
	found := false
	for _, r := range items(list, "summaries") {
		found = found || r["meeting_uuid"] == zoomfake.SeedSummaryUUID
	}
	if !found {
		t.Errorf("the summary is not listed: %v", list)
	}
	h.fails("get_meeting_summary", map[string]any{"meeting_id": fmt.Sprint(zoomfake.SeedRegistrationMeetingID)}, KindNotFound)
}
