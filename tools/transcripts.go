package tools

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"
	"weak"

	"github.com/zoommcp/zoom-mcp/vtt"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Transcripts are downloaded by the server with its own token and returned
// as text: the download URL and the token never reach the agent.

const (
	// maxTranscriptBytes caps a transcript file; a 3-hour meeting's VTT is
	// about 400 KB.
	maxTranscriptBytes = 16 << 20
	// transcriptPageBytes caps the text of one page of segments.
	transcriptPageBytes = 12 << 10
)

type transcriptIn struct {
	MeetingID string `json:"meeting_id" jsonschema:"required,minLength=1" jsonschema_description:"Meeting ID (latest instance) or a past instance's UUID."`
	Speaker   string `json:"speaker,omitempty" jsonschema_description:"Only speakers whose name has this."`
	Contains  string `json:"contains,omitempty" jsonschema_description:"Only lines with these words."`
	Cursor    string `json:"cursor,omitempty" jsonschema_description:"next_cursor of the last page."`
}

type segmentOut struct {
	Start   string `json:"start" jsonschema_description:"hh:mm:ss.mmm from the start of the recording."`
	End     string `json:"end"`
	Speaker string `json:"speaker,omitempty"`
	Text    string `json:"text"`
}

type transcriptOut struct {
	MeetingID  string       `json:"meeting_id" jsonschema_description:"The instance's UUID, or the ID asked for."`
	Topic      string       `json:"topic,omitempty"`
	Speakers   []string     `json:"speakers,omitempty" jsonschema_description:"Everyone who speaks in the transcript."`
	Segments   []segmentOut `json:"segments"`
	Matching   int          `json:"matching" jsonschema_description:"Segments that match the filters, in all pages."`
	Total      int          `json:"total" jsonschema_description:"Segments in the whole transcript."`
	NextCursor string       `json:"next_cursor,omitempty" jsonschema_description:"Pass as cursor for the next page; absent on the last."`
}

// ResultText renders the page for a person or a model to read: one line
// a segment.
func (t *transcriptOut) ResultText() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Transcript of %s", t.MeetingID)
	if t.Topic != "" {
		fmt.Fprintf(&b, " (%q)", t.Topic)
	}
	fmt.Fprintf(&b, ": %d of %d segments match", t.Matching, t.Total)
	if len(t.Speakers) > 0 {
		fmt.Fprintf(&b, "; speakers: %s", strings.Join(t.Speakers, ", "))
	}
	b.WriteString(".\n")
	for _, s := range t.Segments {
		b.WriteString("[" + s.Start + "] ")
		if s.Speaker != "" {
			b.WriteString(s.Speaker + ": ")
		}
		b.WriteString(s.Text + "\n")
	}
	if t.NextCursor != "" {
		fmt.Fprintf(&b, "More: call again with cursor %q.\n", t.NextCursor)
	}
	return b.String()
}

// GetMeetingTranscript returns a meeting's transcript as text.
func GetMeetingTranscript() Tool {
	return newTool(spec{
		name: "get_meeting_transcript", title: "Get meeting transcript", op: zoomapi.OpGetMeetingTranscript, effect: reads,
		description: "Read a past meeting's transcript: timed lines by speaker, in pages, filterable.",
	}, func(ctx context.Context, c *zoomapi.Client, in transcriptIn) (*transcriptOut, error) {
		start := 0
		if in.Cursor != "" {
			n, err := strconv.Atoi(in.Cursor)
			if err != nil || n < 0 {
				return nil, &zoomapi.ArgumentError{Arg: "cursor", Reason: "must be the next_cursor of a previous page"}
			}
			start = n
		}
		t, err := transcripts.get(ctx, c, in.MeetingID)
		if err != nil {
			return nil, err
		}
		out := &transcriptOut{MeetingID: t.id, Topic: t.topic, Speakers: t.speakers, Total: len(t.cues), Segments: []segmentOut{}}
		if start > len(t.cues) {
			return nil, &zoomapi.ArgumentError{Arg: "cursor", Reason: fmt.Sprintf("is past the end of the transcript (%d segments)", len(t.cues))}
		}
		size := 0
		for i, cue := range t.cues {
			if !matches(cue, in.Speaker, in.Contains) {
				continue
			}
			out.Matching++
			if i < start || out.NextCursor != "" {
				continue
			}
			seg := segmentOut{Start: vtt.FormatTimestamp(cue.Start), End: vtt.FormatTimestamp(cue.End), Speaker: cue.Speaker, Text: cue.Text}
			n := len(seg.Text) + len(seg.Speaker) + 40
			if size+n > transcriptPageBytes && len(out.Segments) > 0 {
				out.NextCursor = strconv.Itoa(i)
				continue
			}
			size += n
			out.Segments = append(out.Segments, seg)
		}
		return out, nil
	})
}

func matches(c vtt.Cue, speaker, contains string) bool {
	if speaker != "" && !strings.Contains(strings.ToLower(c.Speaker), strings.ToLower(speaker)) {
		return false
	}
	return contains == "" || strings.Contains(strings.ToLower(c.Text), strings.ToLower(contains))
}

// transcript is a parsed transcript and what identifies it.
type transcript struct {
	id, topic string
	speakers  []string
	cues      []vtt.Cue
	fetched   time.Time
}

// transcriptCache keeps recently read transcripts, so that paging through
// a long one downloads it once. It is bounded in entries and age; entries
// are per Zoom client (identity) and meeting.
type transcriptCache struct {
	mu      sync.Mutex
	entries map[transcriptKey]*transcript
	order   []transcriptKey
}

// transcriptKey identifies a transcript per Zoom client: a weak pointer,
// unlike an address, never matches a new client that reuses a collected
// one's memory.
type transcriptKey struct {
	client  weak.Pointer[zoomapi.Client]
	meeting string
}

const (
	transcriptCacheEntries = 8
	transcriptCacheTTL     = 5 * time.Minute
)

var transcripts = &transcriptCache{entries: map[transcriptKey]*transcript{}}

func (tc *transcriptCache) get(ctx context.Context, c *zoomapi.Client, meetingID string) (*transcript, error) {
	key := transcriptKey{client: weak.Make(c), meeting: meetingID}
	tc.mu.Lock()
	if t, ok := tc.entries[key]; ok && time.Since(t.fetched) < transcriptCacheTTL {
		tc.mu.Unlock()
		return t, nil
	}
	tc.mu.Unlock()
	t, err := fetchTranscript(ctx, c, meetingID)
	if err != nil {
		return nil, err
	}
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if _, ok := tc.entries[key]; !ok {
		tc.order = append(tc.order, key)
	}
	tc.entries[key] = t
	for len(tc.order) > transcriptCacheEntries {
		delete(tc.entries, tc.order[0])
		tc.order = tc.order[1:]
	}
	return t, nil
}

// fetchTranscript finds the transcript (Zoom's transcript endpoint, else
// the TRANSCRIPT file of the cloud recording), downloads it with the
// server's token in the Authorization header and parses it.
func fetchTranscript(ctx context.Context, c *zoomapi.Client, meetingID string) (*transcript, error) {
	t := &transcript{id: meetingID}
	url := ""
	mt, _, err := c.Meetings.GetTranscript(ctx, meetingID)
	var nf *zoomapi.NotFoundError
	var scope *zoomapi.ScopeError
	switch {
	case err == nil:
		if mt.MeetingID != "" {
			t.id = mt.MeetingID
		}
		t.topic = mt.MeetingTopic
		if !mt.CanDownload || mt.DownloadURL == "" {
			return nil, noTranscript(meetingID, restriction(mt.DownloadRestrictionReason))
		}
		url = mt.DownloadURL
	case errors.As(err, &nf), errors.As(err, &scope):
		// Not there, or the app lacks this endpoint's scope: the cloud
		// recording may still hold a TRANSCRIPT file.
		r, _, rerr := c.Recordings.Get(ctx, meetingID, nil)
		if rerr != nil {
			if errors.As(rerr, &nf) {
				return nil, noTranscript(meetingID, "the meeting has no cloud recording (record it to the cloud with audio transcript on)")
			}
			if errors.As(err, &scope) {
				return nil, err // the transcript endpoint's scope is the one to add
			}
			return nil, rerr
		}
		if r.UUID != "" {
			t.id = r.UUID
		}
		t.topic = r.Topic
		for _, f := range r.RecordingFiles {
			if f.FileType != "TRANSCRIPT" {
				continue
			}
			if f.Status != "" && f.Status != "completed" {
				return nil, noTranscript(meetingID, "the transcript is still being processed; try again in a few minutes")
			}
			url = f.DownloadURL
			break
		}
		if url == "" {
			return nil, noTranscript(meetingID, "the cloud recording has no transcript (audio transcript may be off, or it is still processing)")
		}
	default:
		return nil, err
	}
	data, _, err := c.Download(ctx, url, maxTranscriptBytes)
	if err != nil {
		return nil, err
	}
	parsed, err := vtt.ParseTranscript(bytes.NewReader(data))
	if err != nil {
		return nil, &zoomapi.DecodeError{Endpoint: zoomapi.OpGetMeetingTranscript, StatusCode: 200, Reason: "the transcript file is not WebVTT"}
	}
	t.cues = parsed.Cues
	seen := map[string]bool{}
	for _, cue := range t.cues {
		if cue.Speaker != "" && !seen[cue.Speaker] {
			seen[cue.Speaker] = true
			t.speakers = append(t.speakers, cue.Speaker)
		}
	}
	t.fetched = time.Now()
	return t, nil
}

// noTranscript is the not-found answer when there is no transcript to read,
// with the reason.
func noTranscript(meetingID, why string) error {
	return &zoomapi.NotFoundError{ErrorResponse: &zoomapi.ErrorResponse{
		Endpoint: zoomapi.OpGetMeetingTranscript, StatusCode: 404,
		Message: fmt.Sprintf("No transcript to read for %s: %s", meetingID, why),
	}}
}

func restriction(reason string) string {
	switch reason {
	case "":
		return "Zoom offers no download for it (it may still be processing)"
	case zoomapi.TranscriptNotReady:
		return "it is still being processed; try again in a few minutes"
	}
	return "Zoom does not allow downloading it (" + strings.ToLower(strings.ReplaceAll(reason, "_", " ")) + ")"
}
