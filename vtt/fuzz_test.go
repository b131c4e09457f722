package vtt

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// serialize writes cues as a WebVTT file that parses back to the same cues:
// a speaker goes in a voice span, and text that would read as a "Name: "
// prefix gets a line break before the name.
func serialize(t testing.TB, cues []Cue) string {
	esc := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	var b strings.Builder
	b.WriteString("WEBVTT\n\n")
	for _, c := range cues {
		if c.ID != "" {
			b.WriteString(c.ID + "\n")
		}
		b.WriteString(FormatTimestamp(c.Start) + " --> " + FormatTimestamp(c.End) + "\n")
		text := esc.Replace(c.Text)
		switch {
		case c.Speaker != "":
			// "-" is escaped so that "<v A-->" holds no "-->".
			text = "<v " + strings.ReplaceAll(esc.Replace(c.Speaker), "-", "&#45;") + ">" + text
		case hasPrefix(c.Text):
			j := prefixBreak(c.Text)
			if j < 0 {
				t.Fatalf("serialize: no line break keeps %q from reading as a speaker", c.Text)
			}
			text = esc.Replace(c.Text[:j]) + "\n" + esc.Replace(c.Text[j+1:])
		}
		b.WriteString(text + "\n\n")
	}
	return b.String()
}

func hasPrefix(text string) bool {
	_, _, ok := speakerPrefix(text)
	return ok
}

// prefixBreak returns the offset of a space before the first colon of text
// with no white space on either side, or -1. Breaking the line there keeps
// the colon off the first line and the text unchanged once lines are joined.
func prefixBreak(text string) int {
	colon := strings.IndexByte(text, ':')
	for j := colon - 1; j > 0; j-- {
		if text[j] != ' ' {
			continue
		}
		before, _ := utf8.DecodeLastRuneInString(text[:j])
		after, _ := utf8.DecodeRuneInString(text[j+1:])
		if !unicode.IsSpace(before) && !unicode.IsSpace(after) {
			return j
		}
	}
	return -1
}

func FuzzParse(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.vtt"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, s := range []string{
		"WEBVTT\n\n00:01.000 --> 00:02.000\nThe plan is\nAva: go",
		"WEBVTT\n\n00:01.000 --> 00:02.000\n<v>Ava:</v>\n<v Ben>hi <v>Cy: yo",
		"WEBVTT\n\n00:01.000 --> 00:02.000\n&nbsp;a &#10;Ava: b&#xD800;",
		"WEBVTT\n00:01.000 --> 00:02.000\n<<<<a<b<1<1>",
		gen3Hours()[:4000],
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		done := make(chan struct{})
		var (
			cues []Cue
			err  error
		)
		go func() {
			defer close(done)
			cues, err = ParseString(in)
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatalf("ParseString of %d bytes did not return in 10s", len(in))
		}
		if err != nil {
			return
		}
		for i, c := range cues {
			if c.Start > c.End || c.Text == "" {
				t.Fatalf("cue %d: %+q", i, c)
			}
		}
		out := serialize(t, cues)
		again, err := ParseString(out)
		if err != nil {
			t.Fatalf("reparse: %v", err)
		}
		if !slices.Equal(cues, again) {
			t.Fatalf("reparse of\n%s\ndiffers:\n%s", out, diffCues(again, cues))
		}
	})
}
