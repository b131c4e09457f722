package zoomfake

import (
	"bytes"
	"crypto/tls"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zoommcp/zoom-mcp/internal/zoomspec"
)

// Zoom's operationIds of the endpoints the simulator declares itself.
const (
	opTranscript = "GetMeetingTranscript"
	opSummary    = "Getameetingsummary"
	opSummaries  = "Listmeetingsummaries"
)

// servedOperation is the endpoint with operationId id as the simulator
// serves it.
func servedOperation(t testing.TB, id string) operation {
	t.Helper()
	for _, op := range operations() {
		if op.ID == id {
			return op
		}
	}
	t.Fatalf("the simulator serves no operation %q", id)
	return operation{}
}

// specRateLabel reads the rate-limit label from an operation's description.
var specRateLabel = regexp.MustCompile("Rate Limit Label[^`]*`([A-Z]+)`")

// TestSpecOperations compares what the simulator declares itself with
// Zoom's documents: method, path, scopes and rate-limit label.
func TestSpecOperations(t *testing.T) {
	type facts struct {
		Method, Path    string
		Granular, Macro []string
		RateLimit       string
	}
	doc := zoomspec.Load(t, zoomspec.MeetingsAPI)
	for _, op := range specOperations {
		var want facts
		for path, item := range doc["paths"].(map[string]any) {
			for method, o := range item.(map[string]any) {
				if o, ok := o.(map[string]any); ok && o["operationId"] == op.ID {
					want.Method, want.Path = strings.ToUpper(method), path
					ext := o["x-extensions"].(map[string]any)
					for _, sc := range ext["x-granular-scopes"].([]any) {
						want.Granular = append(want.Granular, sc.(string))
					}
					for _, sc := range ext["x-macro-scopes"].([]any) {
						want.Macro = append(want.Macro, sc.(string))
					}
					if m := specRateLabel.FindStringSubmatch(o["description"].(string)); m != nil {
						want.RateLimit = m[1]
					}
				}
			}
		}
		got := facts{op.Method, op.Path, op.GranularScopes, op.ClassicScopes, string(op.RateLimit)}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s (-spec +simulator):\n%s", op.ID, diff)
		}
	}
}

func TestTranscript(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	get := func(ref string) map[string]any {
		t.Helper()
		return e.call("GET", "/meetings/"+ref+"/transcript", nil, http.StatusOK)
	}

	ready := get(escapeUUID(SeedTranscriptUUID))
	want := map[string]any{
		"meeting_id": SeedTranscriptUUID, "account_id": DefaultAccountID, "meeting_topic": "Customer research debrief",
		"host_id": SeedOwnerID, "transcript_created_time": "2026-06-13T16:57:05Z", "can_download": true,
		"download_url": "http://example.com" + TranscriptDownloadPath + e.s.pastByID[SeedTranscriptUUID].Recording.transcript.file.ID,
	}
	if diff := cmp.Diff(want, ready); diff != "" {
		t.Errorf("ready transcript (-want +got):\n%s", diff)
	}
	// A meeting ID answers its latest instance.
	if got := get(itoa(SeedTranscriptMeetingID)); !cmp.Equal(got, ready) {
		t.Errorf("by meeting ID: %v", got)
	}
	if got := get(itoa(SeedTeamSyncMeetingID)); got["meeting_id"] != SeedPastDoubleSlashUUID || got["can_download"] != true {
		t.Errorf("team sync by meeting ID: %v", got)
	}
	if got := get(escapeUUID(SeedPastSlashUUID)); got["meeting_id"] != SeedPastSlashUUID {
		t.Errorf("UUID starting with /: %v", got)
	}

	long := get(escapeUUID(SeedLongTranscriptUUID))
	if long["auto_delete"] != true || long["auto_delete_date"] != "2026-07-06" || long["can_download"] != true {
		t.Errorf("long transcript: %v", long)
	}
	for ref, reason := range map[string]string{
		escapeUUID(SeedProcessingTranscriptUUID): "NOT_READY",
		itoa(SeedProcessingTranscriptMeetingID):  "NOT_READY",
		escapeUUID(SeedRestrictedTranscriptUUID): "UNSUPPORTED",
		itoa(SeedRestrictedTranscriptMeetingID):  "UNSUPPORTED",
	} {
		got := get(ref)
		_, hasURL := got["download_url"]
		if got["can_download"] != false || got["download_restriction_reason"] != reason || hasURL {
			t.Errorf("%s: %v, want reason %s", ref, got, reason)
		}
		if _, created := got["transcript_created_time"]; created == (reason == "NOT_READY") {
			t.Errorf("%s: transcript_created_time %v", ref, got["transcript_created_time"])
		}
	}
	// Neither withheld transcript is among the recording's files.
	for _, id := range []int64{SeedProcessingTranscriptMeetingID, SeedRestrictedTranscriptMeetingID} {
		for _, f := range list(e.call("GET", "/meetings/"+itoa(id)+"/recordings", nil, 200), "recording_files") {
			if f["file_type"] == "TRANSCRIPT" {
				t.Errorf("meeting %d lists a transcript file", id)
			}
		}
	}

	for _, ref := range []string{itoa(SeedNoRecordingMeetingID), escapeUUID(SeedNoRecordingUUID), itoa(SeedRecurringMeetingID), "12345678901", "bogus"} {
		e.wantError(e.do("GET", "/meetings/"+ref+"/transcript", nil), 404, 3322, "This meeting transcript does not exist.")
	}
	// In the trash: DELETED_OR_TRASHED; deleted for good: no transcript.
	e.call("DELETE", "/meetings/"+escapeUUID(SeedPastUUID)+"/recordings", nil, 204)
	if got := get(escapeUUID(SeedPastUUID)); got["can_download"] != false || got["download_restriction_reason"] != "DELETED_OR_TRASHED" {
		t.Errorf("trashed: %v", got)
	}
	e.call("DELETE", "/meetings/"+escapeUUID(SeedPastUUID)+"/recordings?action=delete", nil, 204)
	e.wantError(e.do("GET", "/meetings/"+escapeUUID(SeedPastUUID)+"/transcript", nil), 404, 3322, "This meeting transcript does not exist.")

	// A meeting ended through the API has its transcript at once.
	if err := e.s.StartMeeting(SeedRegistrationMeetingID); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(30 * time.Minute)
	e.call("PUT", fmt.Sprintf("/meetings/%d/status", SeedRegistrationMeetingID), map[string]any{"action": "end"}, 204)
	if got := get(itoa(SeedRegistrationMeetingID)); got["can_download"] != true {
		t.Errorf("ended meeting: %v", got)
	}
}

func TestTranscriptScopes(t *testing.T) {
	path := "/meetings/" + escapeUUID(SeedTranscriptUUID) + "/transcript"
	for _, sc := range []string{"cloud_recording:read:meeting_transcript", "cloud_recording:read:meeting_transcript:admin",
		"recording:read", "recording:write", "recording:read:admin", "recording:write:admin"} {
		e := newEnv(t, Options{Scopes: []string{sc}})
		e.call("GET", path, nil, 200)
	}
	e := newEnv(t, Options{Scopes: []string{"cloud_recording:read:list_recording_files", "meeting:read:meeting"}})
	e.wantError(e.do("GET", path, nil), 400, 4711,
		"Invalid access token, does not contain scopes:[cloud_recording:read:meeting_transcript, cloud_recording:read:meeting_transcript:admin].")
	if !slices.Contains(AllScopes(), "cloud_recording:read:meeting_transcript") || !slices.Contains(AllScopes(), "meeting:read:list_summaries:admin") {
		t.Error("AllScopes lacks the scopes of the simulator's own operations")
	}
}

// download fetches a file URL of the simulator with the given
// Authorization header ("" for none).
func (e *env) download(rawURL, authorization string) *httptest.ResponseRecorder {
	e.t.Helper()
	r := httptest.NewRequest("GET", rawURL, nil)
	if authorization != "" {
		r.Header.Set("Authorization", authorization)
	}
	rec := httptest.NewRecorder()
	e.s.ServeHTTP(rec, r)
	return rec
}

// transcriptText downloads the transcript of an instance through the
// transcript endpoint's download_url.
func (e *env) transcriptText(uuid string) *httptest.ResponseRecorder {
	e.t.Helper()
	got := e.call("GET", "/meetings/"+escapeUUID(uuid)+"/transcript", nil, 200)
	u, _ := got["download_url"].(string)
	if u == "" {
		e.t.Fatalf("%s: no download_url: %v", uuid, got)
	}
	rec := e.download(u, "Bearer "+e.token)
	if rec.Code != http.StatusOK {
		e.t.Fatalf("GET %s: %d %s", u, rec.Code, rec.Body)
	}
	return rec
}

func TestDownloadAuth(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	got := e.call("GET", "/meetings/"+escapeUUID(SeedTranscriptUUID)+"/transcript", nil, 200)
	u := got["download_url"].(string)
	before := e.s.RequestsFor(DownloadOp)

	e.wantError(e.download(u, ""), 401, 124, "Invalid access token.")
	e.wantError(e.download(u+"?access_token="+e.token, ""), 401, 124, "Invalid access token.")
	e.wantError(e.download(u, "Basic "+e.token), 401, 124, "Invalid access token.")
	e.wantError(e.download(u, "Bearer not-a-token"), 401, 124, "Invalid access token.")
	if rec := e.download(u, "Bearer "+e.token); rec.Code != 200 {
		t.Fatalf("with the header: %d %s", rec.Code, rec.Body)
	}
	e.wantError(e.download(strings.Replace(u, "/rec/", "/rec/x", 1), "Bearer "+e.token), 404, 404, "Not Found")
	e.wantError(e.download("/rec/download/00000000-0000-0000-0000-000000000000", "Bearer "+e.token), 404, 404, "Not Found")
	if n := e.s.RequestsFor(DownloadOp) - before; n != 6 {
		t.Errorf("RequestsFor(DownloadOp) counted %d downloads, want 6", n)
	}
	e.clock.Advance(2 * time.Hour)
	e.wantError(e.download(u, "Bearer "+e.token), 401, 124, "Access token is expired.")
}

func TestRecordingFileURLs(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	// The URLs carry the scheme and host the API request reached.
	r := httptest.NewRequest("GET", "/v2/meetings/"+escapeUUID(SeedTranscriptUUID)+"/recordings", nil)
	r.Host, r.TLS = "zoom.test:8443", &tls.ConnectionState{}
	r.Header.Set("Authorization", "Bearer "+e.token)
	rec := httptest.NewRecorder()
	e.s.ServeHTTP(rec, r)
	if !strings.Contains(rec.Body.String(), `"download_url":"https://zoom.test:8443/rec/download/`) {
		t.Fatalf("download_url not at the request's host: %s", rec.Body)
	}

	got := e.call("GET", "/meetings/"+escapeUUID(SeedTranscriptUUID)+"/recordings", nil, 200)
	types := map[string]string{"MP4": "video/mp4", "M4A": "audio/mp4", "TRANSCRIPT": "text/vtt", "CHAT": "text/plain; charset=utf-8"}
	for _, f := range list(got, "recording_files") {
		ft := f["file_type"].(string)
		for _, key := range []string{"download_url", "play_url"} {
			u, ok := f[key].(string)
			if !ok {
				continue
			}
			if !strings.HasPrefix(u, "http://example.com/rec/") {
				t.Errorf("%s %s %q is not at the simulator", ft, key, u)
			}
			rec := e.download(u, "Bearer "+e.token)
			if rec.Code != 200 || rec.Header().Get("Content-Type") != types[ft] || rec.Body.Len() == 0 {
				t.Errorf("GET %s (%s): %d %q, %d bytes", u, ft, rec.Code, rec.Header().Get("Content-Type"), rec.Body.Len())
			}
			if ft == "TRANSCRIPT" || ft == "CHAT" {
				if size := num(f["file_size"]); size != int64(rec.Body.Len()) {
					t.Errorf("%s: file_size %d, served %d bytes", ft, size, rec.Body.Len())
				}
			}
		}
	}
	// A trashed recording's files are gone.
	u := list(got, "recording_files")[0]["download_url"].(string)
	e.call("DELETE", "/meetings/"+escapeUUID(SeedTranscriptUUID)+"/recordings", nil, 204)
	e.wantError(e.download(u, "Bearer "+e.token), 404, 404, "Not Found")
}

// vttCue is a cue as checkVTT reads it.
type vttCue struct {
	start, end time.Duration
	speaker    string
	lines      int
}

var (
	vttTiming  = regexp.MustCompile(`^(\d\d):(\d\d):(\d\d)\.(\d{3}) --> (\d\d):(\d\d):(\d\d)\.(\d{3})$`)
	vttSpeaker = regexp.MustCompile(`^([^:]+): \S`)
)

// checkVTT checks that body is well-formed WebVTT as Zoom writes it:
// "WEBVTT", blocks apart by one blank line, NOTE blocks, and cues numbered
// from 1 with ordered, non-overlapping times and a "Name: " first line.
// It returns the cues and the number of NOTE blocks.
func checkVTT(t *testing.T, body []byte) ([]vttCue, int) {
	t.Helper()
	text := strings.TrimPrefix(string(body), "\uFEFF")
	if strings.Contains(text, "\r\n") {
		if strings.Count(text, "\n") != strings.Count(text, "\r\n") {
			t.Fatal("mixed line endings")
		}
		text = strings.ReplaceAll(text, "\r\n", "\n")
	}
	blocks := strings.Split(strings.TrimSuffix(text, "\n\n"), "\n\n")
	if blocks[0] != "WEBVTT" {
		t.Fatalf("header %q", blocks[0])
	}
	ts := func(m []string) time.Duration {
		n := func(s string) time.Duration { v, _ := strconv.Atoi(s); return time.Duration(v) }
		return n(m[0])*time.Hour + n(m[1])*time.Minute + n(m[2])*time.Second + n(m[3])*time.Millisecond
	}
	var cues []vttCue
	notes := 0
	for _, b := range blocks[1:] {
		lines := strings.Split(b, "\n")
		if lines[0] == "NOTE" || strings.HasPrefix(lines[0], "NOTE ") {
			notes++
			continue
		}
		if len(lines) < 3 || lines[0] != strconv.Itoa(len(cues)+1) {
			t.Fatalf("cue %d: %q", len(cues)+1, b)
		}
		m := vttTiming.FindStringSubmatch(lines[1])
		sp := vttSpeaker.FindStringSubmatch(lines[2])
		if m == nil || sp == nil || strings.Contains(strings.Join(lines[2:], "\n"), "-->") {
			t.Fatalf("cue %d: %q", len(cues)+1, b)
		}
		c := vttCue{start: ts(m[1:5]), end: ts(m[5:9]), speaker: sp[1], lines: len(lines) - 2}
		if c.end <= c.start || (len(cues) > 0 && c.start < cues[len(cues)-1].end) {
			t.Fatalf("cue %d: times %q", len(cues)+1, lines[1])
		}
		cues = append(cues, c)
	}
	return cues, notes
}

func speakersOf(cues []vttCue) []string {
	var out []string
	for _, c := range cues {
		if !slices.Contains(out, c.speaker) {
			out = append(out, c.speaker)
		}
	}
	slices.Sort(out)
	return out
}

func TestTranscriptText(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})

	// The ready transcript: BOM, LF, NOTE blocks, names with spaces,
	// accents and pronouns, some cues on two lines.
	rec := e.transcriptText(SeedTranscriptUUID)
	body := rec.Body.Bytes()
	if rec.Header().Get("Content-Type") != "text/vtt" || !bytes.HasPrefix(body, []byte("\uFEFFWEBVTT\n\n")) || bytes.Contains(body, []byte("\r")) {
		t.Errorf("ready transcript: %q, starts %q", rec.Header().Get("Content-Type"), body[:16])
	}
	if cd := rec.Header().Get("Content-Disposition"); cd != `attachment; filename="GMT20260613-160005_Recording.transcript.vtt"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	cues, notes := checkVTT(t, body)
	if diff := cmp.Diff([]string{"Ava Owner (she/her)", "José María Núñez", "Nguyễn Thu Hà", "Zoë Brontë"}, speakersOf(cues)); diff != "" {
		t.Errorf("speakers (-want +got):\n%s", diff)
	}
	multi := slices.IndexFunc(cues, func(c vttCue) bool { return c.lines > 1 })
	if notes < 2 || multi < 0 || len(cues) != 50*cuesPerMinute-cuesPerMinute {
		t.Errorf("%d cues, %d NOTE blocks, first multi-line cue %d", len(cues), notes, multi)
	}

	// BOM and CRLF together; a plain one without either.
	body = e.transcriptText(SeedPastSlashUUID).Body.Bytes()
	if !bytes.HasPrefix(body, []byte("\uFEFFWEBVTT\r\n\r\n")) {
		t.Errorf("team sync (slash) starts %q", body[:16])
	}
	checkVTT(t, body)
	body = e.transcriptText(SeedPastDoubleSlashUUID).Body.Bytes()
	if !bytes.HasPrefix(body, []byte("WEBVTT\n\n1\n")) || bytes.Contains(body, []byte("\r")) {
		t.Errorf("team sync (double slash) starts %q", body[:16])
	}
	if cues, _ := checkVTT(t, body); len(speakersOf(cues)) != 4 {
		t.Errorf("team sync speakers %v", speakersOf(cues))
	}
}

func TestLongTranscript(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	body := e.transcriptText(SeedLongTranscriptUUID).Body.Bytes()
	if bytes.HasPrefix(body, []byte("\uFEFF")) || !bytes.HasPrefix(body, []byte("WEBVTT\r\n\r\nNOTE\r\n")) {
		t.Errorf("starts %q", body[:20])
	}
	if n := len(body); n < 200_000 || n > 400_000 {
		t.Errorf("%d bytes, want a few hundred KB", n)
	}
	cues, notes := checkVTT(t, body)
	if len(cues) != SeedLongTranscriptCues || notes != 4 {
		t.Fatalf("%d cues, %d NOTE blocks", len(cues), notes)
	}
	if last := cues[len(cues)-1].end; last < 2*time.Hour+59*time.Minute || last > 3*time.Hour {
		t.Errorf("last cue ends at %v", last)
	}
	if diff := cmp.Diff([]string{"Ava Owner", "Ben Admin", "Carla Member", "Łukasz Wójcik"}, speakersOf(cues)); diff != "" {
		t.Errorf("speakers (-want +got):\n%s", diff)
	}
	// The same seed, the same bytes.
	if again := newEnv(t, Options{}).transcriptText(SeedLongTranscriptUUID).Body.Bytes(); !bytes.Equal(again, body) {
		t.Error("the long transcript differs between two simulators")
	}
}

// TestEveryTranscriptParses checks the text of every downloadable seeded
// transcript, and of a meeting ended through the API.
func TestEveryTranscriptParses(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	if err := e.s.StartMeeting(SeedRegistrationMeetingID); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(10 * time.Minute)
	e.call("PUT", fmt.Sprintf("/meetings/%d/status", SeedRegistrationMeetingID), map[string]any{"action": "end"}, 204)
	n := 0
	for _, in := range e.s.past {
		if in.Recording == nil || in.Recording.transcript.reason != "" {
			continue
		}
		cues, _ := checkVTT(t, e.transcriptText(in.UUID).Body.Bytes())
		if len(cues) == 0 {
			t.Errorf("%s: no cues", in.UUID)
		}
		n++
	}
	if n < 7 {
		t.Errorf("checked %d transcripts", n)
	}
}
