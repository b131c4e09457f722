// Package vtt parses WebVTT files, in particular Zoom meeting transcripts,
// into timestamped, speaker-attributed cues.
//
// The parser follows the WebVTT block structure and, like browsers, is
// lenient: a block it cannot use is dropped and counted, never the file.
// Only a missing "WEBVTT" signature or a read error fails a parse.
//
// # Blocks
//
// After the "WEBVTT" line, header lines run to the first blank line (or to a
// line holding "-->", which starts a cue). Then each block, separated from the
// next by blank lines, is one of:
//
//   - a cue: an optional identifier line, a timing line
//     ("00:00:01.120 --> 00:00:04.560", settings after the end time are
//     ignored) and text lines. A line holding "-->" ends the text and starts
//     the next block, as in browsers;
//   - a NOTE, STYLE or REGION block, skipped;
//   - anything else, dropped.
//
// A cue is dropped when its timing line does not parse, when it ends before
// it starts, or when no text is left once tags are removed. Transcript.Dropped
// counts the dropped blocks.
//
// Timestamps are "hh:mm:ss.ttt" or "mm:ss.ttt". Hours may have any number of
// digits, minutes and seconds have two (00–59) and the fraction three. As a
// leniency, the leading field may have one digit, minutes without hours may
// exceed 59, and the fraction may follow a comma.
//
// Lines may end with LF, CRLF or CR; a UTF-8 byte order mark is skipped, and
// invalid UTF-8 and NUL bytes become U+FFFD.
//
// # Text and speakers
//
// Tags (<b>, <i>, <c.class>, <00:00:01.000>, ...) are removed and character
// references (&amp; &lt; &gt; &nbsp; &lrm; &#39; ...) decoded. A '<' that
// starts no tag closed on its line, as in "x < 3", is kept as text. Each line
// is trimmed, empty lines are dropped and the rest joined with a single
// space: WebVTT lines are display wrapping, not structure.
//
// A voice span, <v Ava Owner> or <v.loud Ava>, names the speaker of the text
// that follows it. A cue with several voice spans becomes one Cue per span,
// sharing the identifier and times. Text outside any voice span (or in one
// with no name) takes its speaker from a Zoom-style "Name: " prefix on its
// first line, when the text before the first colon on that line:
//
//   - is followed by whitespace or ends the line,
//   - is 1–64 characters long once whitespace is collapsed, and
//   - contains a letter, or is a phone number (7 or more digits, with only
//     spaces, "+", "-", "(", ")" and the "*" of masked numbers beside them).
//
// So "Ava Owner (she/her): Hi" names Ava Owner (she/her), while
// "10:30 works", "https://zoom.us/j/1 is the link" and "3: that's the count"
// name nobody, and "Note: ..." later in the text is left alone. A name cannot
// contain a colon. The prefix and the whitespace after it are removed from
// Text. Speaker names are whitespace-collapsed.
package vtt

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// Cue is one timed piece of a transcript.
type Cue struct {
	ID      string // the cue identifier line, if any (Zoom numbers cues 1, 2, ...)
	Start   time.Duration
	End     time.Duration // never before Start
	Speaker string        // from a voice span or a "Name: " prefix (see the package doc); "" when the cue names none
	Text    string        // never empty; lines joined with a space, tags removed, references decoded
}

// Transcript is a parsed WebVTT file.
type Transcript struct {
	Cues    []Cue // in file order, never nil
	Dropped int   // blocks dropped: no valid timing line, end before start, or no text
}

// ErrNotWebVTT is wrapped by the error for input that does not start with
// the "WEBVTT" signature.
var ErrNotWebVTT = errors.New("not a WebVTT file")

// Parse reads all of r and returns its cues in file order. It reads until
// EOF: the caller bounds the size of r. The cues' strings may share memory
// with the input.
func Parse(r io.Reader) ([]Cue, error) {
	t, err := ParseTranscript(r)
	return t.Cues, err
}

// ParseString is Parse for a string.
func ParseString(s string) ([]Cue, error) {
	t, err := parse(s)
	return t.Cues, err
}

// ParseTranscript is Parse that also reports how many blocks were dropped.
func ParseTranscript(r io.Reader) (Transcript, error) {
	var b strings.Builder
	if _, err := io.Copy(&b, r); err != nil {
		return Transcript{}, fmt.Errorf("vtt: %w", err)
	}
	return parse(b.String())
}

// FormatTimestamp formats d as a WebVTT timestamp, "hh:mm:ss.ttt", truncated
// to the millisecond. Hours take more digits when needed; a negative d gets
// a leading "-", which WebVTT itself does not allow.
func FormatTimestamp(d time.Duration) string {
	ms := d.Milliseconds()
	sign := ""
	if ms < 0 {
		sign, ms = "-", -ms
	}
	return fmt.Sprintf("%s%02d:%02d:%02d.%03d", sign, ms/3_600_000, ms/60_000%60, ms/1000%60, ms%1000)
}

const bom = "\uFEFF"

func parse(s string) (Transcript, error) {
	s = strings.TrimPrefix(s, bom)
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	}
	p := &parser{lines: lines{s: s}}
	first, _ := p.next()
	if !hasKeyword(first, "WEBVTT") {
		const shown = 40
		if len(first) > shown {
			first = strings.ToValidUTF8(first[:shown], "") + "..."
		}
		return Transcript{}, fmt.Errorf("vtt: line 1: %w: got %q, want \"WEBVTT\"", ErrNotWebVTT, first)
	}
	p.t.Cues = make([]Cue, 0, strings.Count(s, "-->"))
	// Header lines run to the first blank line; a timing line ends them too.
	for {
		mark := p.pos
		line, ok := p.next()
		if !ok || isBlank(line) {
			break
		}
		if strings.Contains(line, "-->") {
			p.pos = mark
			break
		}
	}
	for {
		line, ok := p.next()
		if !ok {
			return p.t, nil
		}
		if !isBlank(line) {
			p.block(line)
		}
	}
}

// lines reads s line by line; a line ends at LF, CRLF or CR.
type lines struct {
	s   string
	pos int // offset of the next line; save and restore it to read a line again
}

func (l *lines) next() (string, bool) {
	if l.pos >= len(l.s) {
		return "", false
	}
	rest := l.s[l.pos:]
	i := strings.IndexAny(rest, "\r\n")
	if i < 0 {
		l.pos = len(l.s)
		return rest, true
	}
	l.pos += i + 1
	if rest[i] == '\r' && i+1 < len(rest) && rest[i+1] == '\n' {
		l.pos++
	}
	return rest[:i], true
}

type parser struct {
	lines
	t    Transcript
	segs []segment // scratch
	buf  []byte    // scratch
}

// block reads the block whose first line is first.
func (p *parser) block(first string) {
	id, timing := "", first
	if !strings.Contains(first, "-->") {
		mark := p.pos
		second, _ := p.next()
		if !strings.Contains(second, "-->") {
			p.pos = mark
			p.skipText()
			if !hasKeyword(first, "NOTE") && !hasKeyword(first, "STYLE") && !hasKeyword(first, "REGION") {
				p.t.Dropped++
			}
			return
		}
		id, timing = strings.TrimSpace(first), second
	}
	start, end, ok := parseTiming(timing)
	from, to := p.skipText()
	if !ok || end < start {
		p.t.Dropped++
		return
	}
	n := len(p.t.Cues)
	for _, seg := range p.segments(p.s[from:to]) {
		if speaker, text := p.clean(seg); text != "" {
			p.t.Cues = append(p.t.Cues, Cue{ID: id, Start: start, End: end, Speaker: speaker, Text: text})
		}
	}
	if len(p.t.Cues) == n {
		p.t.Dropped++
	}
}

// skipText reads the lines up to a blank line, a line holding "-->" (left
// unread) or the end, and returns the offsets of the text they span.
func (p *parser) skipText() (from, to int) {
	from, to = p.pos, p.pos
	for {
		mark := p.pos
		line, ok := p.next()
		if !ok || isBlank(line) {
			return from, to
		}
		if strings.Contains(line, "-->") {
			p.pos = mark
			return from, to
		}
		to = p.pos
	}
}

// hasKeyword reports whether line is word, alone or followed by a space or
// a tab.
func hasKeyword(line, word string) bool {
	rest, ok := strings.CutPrefix(line, word)
	return ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t')
}

func isBlank(line string) bool {
	return strings.TrimSpace(line) == ""
}

// maxMillis is the largest timestamp a time.Duration holds.
const maxMillis = math.MaxInt64 / int64(time.Millisecond)

// parseTiming parses a cue timing line: start, "-->", end, then ignored
// settings.
func parseTiming(line string) (start, end time.Duration, ok bool) {
	s := strings.TrimLeft(line, " \t")
	start, n, ok := parseTimestamp(s)
	if !ok {
		return 0, 0, false
	}
	s, ok = strings.CutPrefix(strings.TrimLeft(s[n:], " \t"), "-->")
	if !ok {
		return 0, 0, false
	}
	if end, _, ok = parseTimestamp(strings.TrimLeft(s, " \t")); !ok {
		return 0, 0, false
	}
	return start, end, true
}

// parseTimestamp parses the timestamp at the start of s and returns it and
// its length.
func parseTimestamp(s string) (d time.Duration, n int, ok bool) {
	digits := func(least, most int) (v int64, ok bool) {
		i := n
		for n < len(s) && '0' <= s[n] && s[n] <= '9' {
			v = v*10 + int64(s[n]-'0')
			n++
			if n-i > most {
				return 0, false
			}
		}
		return v, n-i >= least
	}
	sep := func(seps string) bool {
		if n < len(s) && strings.IndexByte(seps, s[n]) >= 0 {
			n++
			return true
		}
		return false
	}
	var h, m, sec, frac int64
	lead, ok := digits(1, 10)
	if !ok || !sep(":") {
		return 0, 0, false
	}
	if m, ok = digits(2, 2); !ok {
		return 0, 0, false
	}
	if sep(":") {
		h = lead
		if m > 59 {
			return 0, 0, false
		}
		if sec, ok = digits(2, 2); !ok {
			return 0, 0, false
		}
	} else {
		m, sec = lead, m
	}
	if sec > 59 || !sep(".,") {
		return 0, 0, false
	}
	if frac, ok = digits(3, 3); !ok {
		return 0, 0, false
	}
	ms := ((h*60+m)*60+sec)*1000 + frac
	if ms > maxMillis {
		return 0, 0, false
	}
	return time.Duration(ms) * time.Millisecond, n, true
}
