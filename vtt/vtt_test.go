package vtt

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

// ms is a duration in milliseconds, to keep the tables short.
func ms(n int64) time.Duration { return time.Duration(n) * time.Millisecond }

// diffCues describes how got differs from want, or returns "".
func diffCues(got, want []Cue) string {
	var b strings.Builder
	for i := range max(len(got), len(want)) {
		switch {
		case i >= len(got):
			fmt.Fprintf(&b, "cue %d missing: %+q\n", i, want[i])
		case i >= len(want):
			fmt.Fprintf(&b, "cue %d extra: %+q\n", i, got[i])
		case got[i] != want[i]:
			fmt.Fprintf(&b, "cue %d:\n got %+q\nwant %+q\n", i, got[i], want[i])
		}
	}
	return b.String()
}

func TestParseFiles(t *testing.T) {
	tests := []struct {
		file    string
		want    []Cue
		dropped int
	}{
		{
			file: "zoom_cloud.vtt",
			want: []Cue{
				{"1", ms(1120), ms(4560), "Ava Owner", "Good morning everyone."},
				{"2", ms(4900), ms(9310), "Ava Owner (she/her)", "The ratio is 3:1, and Note: that's final."},
				{"3", ms(9500), ms(12000), "José Núñez-O'Brien", "¿Empezamos?"},
				{"4", ms(12250), ms(15800), "Dr. K. Lee", "Let's look at https://zoom.us/j/123 together."},
				{"5", ms(16000), ms(18000), "", "10:30 works for me."},
				{"6", ms(18100), ms(20000), "", "https://example.com/agenda: is where the agenda lives."},
				{"7", ms(20500), ms(23000), "+1 415 555 0100", "Dialing in from the car."},
				{"8", ms(23100), ms(24000), "", "3: that's the count."},
				{"9", ms(24200), ms(27900), "Ava Owner", "We will cover the budget, the timeline: and the risks."},
			},
		},
		{
			file: "voice_spans.vtt",
			want: []Cue{
				{"", ms(1000), ms(3000), "Ava Owner", "Good morning, everyone."},
				{"", ms(3000), ms(5000), "Ben", "Can you hear me?"},
				{"", ms(5000), ms(7000), "Ava Owner", "Ben Li: the voice tag wins over the prefix."},
				{"", ms(7000), ms(9000), "", "Q&A starts at noon <sharp>\u00A0\u200E"},
				{"", ms(9000), ms(11000), "Ava Owner", "Shall we?"},
				{"", ms(9000), ms(11000), "Ben Li", "Yes, let's."},
				{"", ms(11000), ms(12000), "Chloé Martin", "Spaces in the annotation collapse."},
			},
		},
		{
			file: "bom_crlf.vtt",
			want: []Cue{
				{"1", ms(1000), ms(2500), "Ava Owner", "Hello from Windows."},
				{"2", ms(3000), ms(4000), "Ben Li", "Two lines."},
			},
		},
		{
			file: "lone_cr.vtt",
			want: []Cue{
				{"1", ms(1000), ms(2000), "Ava Owner", "Old Mac line endings."},
				{"2", ms(2000), ms(3000), "Ben Li", "Still one cue."},
			},
		},
		{
			file: "comments.vtt",
			want: []Cue{
				{"1", ms(1000), ms(2000), "Ava Owner", "First."},
				{"2", ms(2000), ms(3000), "Ben Li", "Second."},
			},
		},
		{
			file: "loose.vtt",
			want: []Cue{
				{"", ms(1500), ms(3000), "", "No identifier, no hours."},
				{"", ms(3000), ms(4000), "", "Settings after the end time."},
				{"", 123 * time.Hour, 123*time.Hour + time.Second, "", "Hours above 99."},
				{"", time.Hour + ms(5000), time.Hour + ms(6250), "", "One-digit hours, no spaces, a comma."},
				{"", ms(7000), ms(9000), "", "Several lines belong to one cue and are joined."},
				{"", ms(9000), ms(10000), "", "A timing line also ends a cue."},
				{"", ms(10000), ms(10000), "", "No final newline."},
			},
		},
		{
			file: "malformed.vtt",
			want: []Cue{
				{"1", ms(1000), ms(2000), "", "Kept."},
				{"8", ms(8000), ms(9000), "", "Kept too."},
			},
			// bad start, end before start, "->", no text, no timing line, 60 s
			dropped: 6,
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f, err := os.Open(filepath.Join("testdata", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			got, err := ParseTranscript(f)
			if err != nil {
				t.Fatalf("ParseTranscript: %v", err)
			}
			if d := diffCues(got.Cues, tt.want); d != "" {
				t.Errorf("cues differ:\n%s", d)
			}
			if got.Dropped != tt.dropped {
				t.Errorf("Dropped = %d, want %d", got.Dropped, tt.dropped)
			}
		})
	}
}

func TestParseString(t *testing.T) {
	cue := func(speaker, text string) []Cue { return []Cue{{"", ms(1000), ms(2000), speaker, text}} }
	const timing = "WEBVTT\n\n00:01.000 --> 00:02.000\n"
	tests := []struct {
		name string
		in   string
		want []Cue
	}{
		{"empty file", "WEBVTT", []Cue{}},
		{"header text", "WEBVTT\tZoom\n\n00:01.000 --> 00:02.000\nhi", cue("", "hi")},
		{"header without blank line", "WEBVTT\n00:01.000 --> 00:02.000\nhi", cue("", "hi")},
		{"header metadata", "WEBVTT\nKind: captions\nX-TIMESTAMP-MAP=MPEGTS:0,LOCAL:00:00:00.000\n\n00:01.000 --> 00:02.000\nhi", cue("", "hi")},
		{"only a BOM and header", "\uFEFFWEBVTT\n", []Cue{}},
		{"identifier kept", "WEBVTT\n\n  intro-1  \n00:01.000 --> 00:02.000\nhi", []Cue{{"intro-1", ms(1000), ms(2000), "", "hi"}}},
		{"NOTE with a timing line is a cue", "WEBVTT\n\nNOTE\n00:01.000 --> 00:02.000\nhi", []Cue{{"NOTE", ms(1000), ms(2000), "", "hi"}}},
		{"NOTEX is an identifier", "WEBVTT\n\nNOTEX\n00:01.000 --> 00:02.000\nhi", []Cue{{"NOTEX", ms(1000), ms(2000), "", "hi"}}},
		{"a timing line ends a note", "WEBVTT\n\nNOTE\nnote\n00:01.000 --> 00:02.000\nhi", cue("", "hi")},
		{"mixed line endings", "WEBVTT\r\n\r00:01.000 --> 00:02.000\n\rnext\r\n00:01.000 --> 00:02.000\r\nhi\n", []Cue{{"next", ms(1000), ms(2000), "", "hi"}}},
		{"tags removed", timing + "<i>a</i> <b>b</b> <u>c</u> <c.x.y>d</c> <ruby>e<rt>f</rt></ruby> <lang en>g</lang>", cue("", "a b c d ef g")},
		{"timestamp tags removed", timing + "one <00:00:01.500>two <01:00.000>three", cue("", "one two three")},
		{"stray angle brackets", timing + "a < b, 2<3 and c > d <b", cue("", "a < b, 2<3 and c > d <b")},
		{"tag not closed on its line", timing + "x <i\ny> z", cue("", "x <i y> z")},
		{"references", timing + "&amp;&lt;&gt;&quot;&apos;&#65;&#x42;&#X43; &amp &bogus; &#; &#x110000;", cue("", "&<>\"'ABC &amp &bogus; &#; \uFFFD")},
		{"reference for a newline", timing + "a&#10;b", cue("", "a b")},
		{"nbsp trimmed at line ends", timing + "&nbsp;a&nbsp;b&nbsp;", cue("", "a\u00A0b")},
		{"empty voice uses the prefix", timing + "<v>Ava: hi", cue("Ava", "hi")},
		{"voice wins", timing + "<v Ben>Ava: hi", cue("Ben", "Ava: hi")},
		{"voice with classes and references", timing + "<v.a.b Ava &amp; Co>hi</v>", cue("Ava & Co", "hi")},
		{"voice references decoded once", timing + "<v A&amp;0#0;&amp;lt;>hi", cue("A&0#0;&lt;", "hi")},
		{"end tag of voice", timing + "</v>hi", cue("", "hi")},
		{"prefix alone on first line", timing + "Ava Owner:\nhi there", cue("Ava Owner", "hi there")},
		{"prefix with nothing after", timing + "Ava Owner:", []Cue{}},
		{"prefix inside tags", timing + "<b>Ava:</b> hi", cue("Ava", "hi")},
		{"prefix spaces collapse", timing + "  Ava \t Owner :  hi", cue("Ava Owner", "hi")},
		{"prefix on second line ignored", timing + "Well\nAva: hi", cue("", "Well Ava: hi")},
		{"invalid UTF-8 and NUL", timing + "a\xffb\x00c", cue("", "a\uFFFDb\uFFFDc")},
		{"zero length cue", "WEBVTT\n\n00:01.000 --> 00:01.000\nhi", []Cue{{"", ms(1000), ms(1000), "", "hi"}}},
		{"consecutive blank lines", "WEBVTT\n\n\n\n \t \n\n00:01.000 --> 00:02.000\nhi\n\n\n", cue("", "hi")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseString(tt.in)
			if err != nil {
				t.Fatalf("ParseString: %v", err)
			}
			if got == nil {
				t.Error("ParseString returned nil cues")
			}
			if d := diffCues(got, tt.want); d != "" {
				t.Errorf("cues differ:\n%s", d)
			}
		})
	}
}

func TestSpeakerPrefix(t *testing.T) {
	tests := []struct {
		line, name, rest string
	}{
		{"Ava Owner: Good morning.", "Ava Owner", "Good morning."},
		{"Ava Owner (she/her): Hi", "Ava Owner (she/her)", "Hi"},
		{"Dr. K. Lee: Hi", "Dr. K. Lee", "Hi"},
		{"José Núñez-O'Brien: Hola", "José Núñez-O'Brien", "Hola"},
		{"李雷: 你好", "李雷", "你好"},
		{"ava's iPhone: hey", "ava's iPhone", "hey"},
		{"Ava:", "Ava", ""},
		{"Ava:\u00A0hi", "Ava", "hi"},
		{"Ava:\thi", "Ava", "hi"},
		{"Ava: The ratio is 3:1", "Ava", "The ratio is 3:1"},
		{"Ava: Note: later colons stay", "Ava", "Note: later colons stay"},
		{"+1 (415) 555-0100: hi", "+1 (415) 555-0100", "hi"},
		{"1415****100: hi", "1415****100", "hi"},
		{strings.Repeat("a", 64) + ": hi", strings.Repeat("a", 64), "hi"},
		{strings.Repeat("é", 64) + ": hi", strings.Repeat("é", 64), "hi"},
		// Not a speaker.
		{strings.Repeat("a", 65) + ": hi", "", ""},
		{"10:30 works", "", ""},
		{"10: 30 people came", "", ""},
		{"3:1 is the ratio", "", ""},
		{"https://zoom.us/j/1: the link", "", ""},
		{"See https://zoom.us/j/1", "", ""},
		{"Ava:hi", "", ""},
		{": hi", "", ""},
		{"   : hi", "", ""},
		{"12-34: hi", "", ""},
		{"555-010: hi", "", ""},
		{"-- : hi", "", ""},
		{"no colon at all", "", ""},
	}
	for _, tt := range tests {
		name, rest, ok := speakerPrefix(tt.line)
		if name != tt.name || rest != tt.rest || ok != (tt.name != "") {
			t.Errorf("speakerPrefix(%q) = %q, %q, %v; want %q, %q", tt.line, name, rest, ok, tt.name, tt.rest)
		}
	}
}

func TestParseTiming(t *testing.T) {
	tests := []struct {
		line       string
		start, end time.Duration
		ok         bool
	}{
		{"00:00:01.120 --> 00:00:04.560", ms(1120), ms(4560), true},
		{"01:02.500 --> 01:03.000", ms(62500), ms(63000), true},
		{"100:00:00.000 --> 100:00:00.001", 100 * time.Hour, 100*time.Hour + ms(1), true},
		{"1:00:00.000 --> 2:00:00.000", time.Hour, 2 * time.Hour, true},
		{"75:00.000 --> 75:01.000", 75 * time.Minute, 75*time.Minute + time.Second, true},
		{"00:00:01,000 --> 00:00:02,000", time.Second, 2 * time.Second, true},
		{"00:01.000-->00:02.000", time.Second, 2 * time.Second, true},
		{"  00:01.000 \t-->\t 00:02.000   ", time.Second, 2 * time.Second, true},
		{"00:01.000 --> 00:02.000 align:start position:10% size:50%", time.Second, 2 * time.Second, true},
		{"00:01.000 --> 00:02.000x", time.Second, 2 * time.Second, true},
		{"00:01.000 --> 00:00.500", time.Second, ms(500), true}, // the caller drops it
		{"2562047:47:16.854 --> 2562047:47:16.854", ms(maxMillis), ms(maxMillis), true},
		// Malformed.
		{"2562047:47:16.855 --> 2562047:47:16.855", 0, 0, false},
		{"99999999999:00:00.000 --> 00:01.000", 0, 0, false},
		{"00:01.00 --> 00:02.000", 0, 0, false},
		{"00:01.0000 --> 00:02.000", 0, 0, false},
		{"00:01 --> 00:02", 0, 0, false},
		{"00:60.000 --> 01:00.000", 0, 0, false},
		{"00:60:00.000 --> 01:00:00.000", 0, 0, false},
		{"00:1:00.000 --> 00:2:00.000", 0, 0, false},
		{"00:01.000 -> 00:02.000", 0, 0, false},
		{"00:01.000 -->", 0, 0, false},
		{"--> 00:02.000", 0, 0, false},
		{"-00:01.000 --> 00:02.000", 0, 0, false},
		{"00:01.000 --> 00:02.000 --> 00:03.000", time.Second, 2 * time.Second, true},
		{"１0:01.000 --> 00:02.000", 0, 0, false},
	}
	for _, tt := range tests {
		start, end, ok := parseTiming(tt.line)
		if start != tt.start || end != tt.end || ok != tt.ok {
			t.Errorf("parseTiming(%q) = %v, %v, %v; want %v, %v, %v", tt.line, start, end, ok, tt.start, tt.end, tt.ok)
		}
	}
}

func TestFormatTimestamp(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "00:00:00.000"},
		{ms(3723456), "01:02:03.456"},
		{ms(1999) + 999*time.Microsecond, "00:00:01.999"},
		{123 * time.Hour, "123:00:00.000"},
		{-ms(1500), "-00:00:01.500"},
		{ms(maxMillis), "2562047:47:16.854"},
	}
	for _, tt := range tests {
		if got := FormatTimestamp(tt.d); got != tt.want {
			t.Errorf("FormatTimestamp(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestNotWebVTT(t *testing.T) {
	srt, err := os.ReadFile(filepath.Join("testdata", "not_webvtt.vtt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{
		string(srt),
		"",
		"\uFEFF",
		"WEBVTTX\n",
		"webvtt\n",
		" WEBVTT\n",
		"\nWEBVTT\n",
		"\uFEFF\uFEFFWEBVTT\n",
		strings.Repeat("é", 100),
	} {
		_, err := ParseString(in)
		if !errors.Is(err, ErrNotWebVTT) || !strings.Contains(err.Error(), "line 1") {
			t.Errorf("ParseString(%.20q) error = %v, want ErrNotWebVTT naming line 1", in, err)
		}
	}
}

func TestParseReadError(t *testing.T) {
	boom := errors.New("boom")
	_, err := Parse(iotest.TimeoutReader(strings.NewReader("WEBVTT\n\n" + strings.Repeat("x", 100_000))))
	if !errors.Is(err, iotest.ErrTimeout) {
		t.Errorf("Parse error = %v, want the read error", err)
	}
	if _, err := Parse(iotest.ErrReader(boom)); !errors.Is(err, boom) {
		t.Errorf("Parse error = %v, want %v", err, boom)
	}
}

func TestParseReader(t *testing.T) {
	got, err := Parse(iotest.OneByteReader(strings.NewReader("WEBVTT\n\n00:01.000 --> 00:02.000\nAva: hi")))
	if err != nil {
		t.Fatal(err)
	}
	if d := diffCues(got, []Cue{{"", ms(1000), ms(2000), "Ava", "hi"}}); d != "" {
		t.Error(d)
	}
}
