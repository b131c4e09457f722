package zoomfake

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// getMeetingTranscript answers GET /meetings/{meetingId}/transcript: the
// transcript of the latest ended instance of a meeting or webinar ID, or
// of the instance with that UUID. A transcript that can be downloaded has
// can_download and a download_url at the simulator; one that cannot has
// download_restriction_reason instead. Without a transcript (no cloud
// recording, or one deleted for good) the answer is 404 with code 3322,
// the only 404 Zoom documents for the operation.
func (s *Server) getMeetingTranscript(c *call) (result, *apiError) {
	in := s.instanceRef(pathID(c, "meetingId"), nil)
	if in == nil || in.Recording == nil || in.Recording.transcript == nil {
		return result{}, notFound(codeNoTranscript, "This meeting transcript does not exist.")
	}
	rec := in.Recording
	t := rec.transcript
	out := map[string]any{
		"meeting_id":    in.UUID,
		"account_id":    s.opts.AccountID,
		"meeting_topic": in.Topic,
		"host_id":       in.HostID,
	}
	if !t.created.IsZero() {
		out["transcript_created_time"] = timeString(t.created)
	}
	if !rec.autoDelete.IsZero() {
		out["auto_delete"] = true
		out["auto_delete_date"] = rec.autoDelete.Format(time.DateOnly)
	}
	reason := t.reason
	if !rec.trashedAt.IsZero() {
		reason = "DELETED_OR_TRASHED"
	}
	if reason == "" {
		out["can_download"] = true
		out["download_url"] = baseURL(c.r) + TranscriptDownloadPath + t.file.ID
	} else {
		out["can_download"] = false
		out["download_restriction_reason"] = reason
	}
	return result{http.StatusOK, out}, nil
}

// vttStyle shapes a generated WebVTT transcript. Its text comes from a
// generator seeded with seed: the same style and duration always give the
// same bytes.
type vttStyle struct {
	speakers []string // labels as Zoom writes them: the display names
	cues     int      // 0: cuesPerMinute a minute of recording
	seed     uint64
	bom      bool // starts with a UTF-8 byte order mark
	crlf     bool // CRLF line endings instead of LF
	notes    bool // NOTE blocks: one before the first cue, one per quarter
}

// cuesPerMinute is the pace of speech in a generated transcript: about
// 2,500 cues in three hours.
const cuesPerMinute = 14

// seedOf derives a generator seed from a label, such as an instance UUID.
func seedOf(label string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(label))
	return h.Sum64()
}

// render writes the transcript of a recording that lasted d: numbered
// cues, one speaker each ("Name: text"), some spanning two lines, back to
// back and never overlapping, the last ending before d.
func (st vttStyle) render(d time.Duration) []byte {
	n := st.cues
	if n <= 0 {
		n = max(int(d/time.Minute)*cuesPerMinute, 1)
	}
	speakers := st.speakers
	if len(speakers) == 0 {
		speakers = []string{"Speaker 1"}
	}
	rng := rand.New(rand.NewPCG(st.seed, 0x7a6f6f6d))
	var b strings.Builder
	b.Grow(n * 110)
	b.WriteString("WEBVTT\n\n")
	if st.notes {
		b.WriteString("NOTE\nTranscribed by the Zoom simulator. Speaker labels are the display\nnames participants had when they spoke.\n\n")
	}
	slot := d / time.Duration(n)
	quarter := max(n/4, 1)
	who := 0
	for i := range n {
		if st.notes && i > 0 && i%quarter == 0 && i/quarter < 4 {
			fmt.Fprintf(&b, "NOTE Part %d of 4\n\n", i/quarter+1)
		}
		start := time.Duration(i)*slot + time.Duration(rng.Int64N(int64(slot/10)+1))
		end := start + slot*time.Duration(55+rng.IntN(36))/100
		// A speaker often goes on for several cues.
		if len(speakers) > 1 && rng.IntN(100) < 45 {
			who = (who + 1 + rng.IntN(len(speakers)-1)) % len(speakers)
		}
		fmt.Fprintf(&b, "%d\n%s --> %s\n%s: %s\n", i+1, vttTime(start), vttTime(end), speakers[who], sentence(rng))
		if rng.IntN(100) < 15 {
			b.WriteString(sentence(rng) + "\n")
		}
		b.WriteString("\n")
	}
	out := b.String()
	if st.crlf {
		out = strings.ReplaceAll(out, "\n", "\r\n")
	}
	if st.bom {
		out = "\uFEFF" + out
	}
	return []byte(out)
}

// vttTime formats a cue time as WebVTT does, hours always present:
// "01:02:03.456".
func vttTime(d time.Duration) string {
	ms := d.Milliseconds()
	return fmt.Sprintf("%02d:%02d:%02d.%03d", ms/3_600_000, ms/60_000%60, ms/1000%60, ms%1000)
}

// The phrases generated speech is made of.
var (
	speechLeads  = []string{"", "", "", "okay, ", "so ", "right, ", "yeah, ", "um, ", "honestly, ", "just to add, ", "quick question: ", "I think "}
	speechTopics = []string{
		"the rollout", "the Q3 roadmap", "the onboarding flow", "feedback from our café partners", "the API migration",
		"the budget", "the naïve retry logic", "the São Paulo launch", "résumé screening", "the incident follow-up",
		"the mobile release", "the pricing page", "the data retention policy", "the Zürich office move",
	}
	speechVerbs = []string{
		"is on track for", "slipped past", "needs another look before", "depends on", "should land before",
		"is blocked until", "came up again ahead of", "looks good for", "has to be signed off before",
	}
	speechTimes = []string{
		"next sprint", "the beta", "Friday's review", "the board update", "the customer demo", "the offsite",
		"the end of the quarter", "the security audit", "the holidays",
	}
	speechTails = []string{".", ".", ".", ", I think.", ", right?", " — does that work for everyone?", ", as far as I know.", ". Let me double-check that.", "?"}
)

// sentence is one generated utterance, capitalized.
func sentence(rng *rand.Rand) string {
	return capitalize(pick(rng, speechLeads) + pick(rng, speechTopics) + " " + pick(rng, speechVerbs) + " " + pick(rng, speechTimes) + pick(rng, speechTails))
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

func pick(rng *rand.Rand, from []string) string {
	return from[rng.IntN(len(from))]
}
