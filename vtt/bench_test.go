package vtt

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
)

var speakers3Hours = []string{"Ava Owner", "Ben Li (he/him)", "Chloé Martin", "Dr. K. Lee"}

const cues3Hours = 2500

// gen3Hours returns a Zoom cloud transcript of a 3-hour meeting: 2,500
// numbered cues of about 160 bytes from 4 speakers, the same every call.
var gen3Hours = sync.OnceValue(func() string {
	words := strings.Fields(`we should ship the budget review before Friday and then look at
		the timeline risks customers asked about pricing: it is 3:1 against last quarter so
		let's take that offline I think the numbers are fine but the launch date moves`)
	r := rand.New(rand.NewPCG(1, 2))
	step := 3 * time.Hour / cues3Hours
	var b strings.Builder
	b.WriteString("WEBVTT\n\n")
	for i := range cues3Hours {
		start := time.Duration(i) * step
		fmt.Fprintf(&b, "%d\n%s --> %s\n%s: ", i+1, FormatTimestamp(start), FormatTimestamp(start+step-80*time.Millisecond),
			speakers3Hours[r.IntN(len(speakers3Hours))])
		for n := 0; n < 110; {
			w := words[r.IntN(len(words))]
			b.WriteString(w + " ")
			n += len(w) + 1
		}
		b.WriteString("right.\n\n")
	}
	return b.String()
})

func TestParse3Hours(t *testing.T) {
	in := gen3Hours()
	if len(in) < 350_000 || len(in) > 450_000 {
		t.Errorf("generated %d bytes, want about 400 KB", len(in))
	}
	got, err := ParseTranscript(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Cues) != cues3Hours || got.Dropped != 0 {
		t.Fatalf("got %d cues, %d dropped; want %d, 0", len(got.Cues), got.Dropped, cues3Hours)
	}
	seen := map[string]bool{}
	for i, c := range got.Cues {
		seen[c.Speaker] = true
		if c.ID != fmt.Sprint(i+1) || strings.Contains(c.Text, ":  ") || !strings.HasSuffix(c.Text, " right.") {
			t.Fatalf("cue %d: %+q", i, c)
		}
		if i > 0 && c.Start < got.Cues[i-1].Start {
			t.Fatalf("cue %d starts before cue %d", i, i-1)
		}
	}
	if len(seen) != len(speakers3Hours) {
		t.Errorf("speakers %v, want %v", seen, speakers3Hours)
	}
	if last := got.Cues[len(got.Cues)-1]; last.End > 3*time.Hour || last.End < 3*time.Hour-time.Minute {
		t.Errorf("last cue ends at %v, want about 3h", last.End)
	}
}

func BenchmarkParse3Hours(b *testing.B) {
	in := gen3Hours()
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseString(in); err != nil {
			b.Fatal(err)
		}
	}
}
