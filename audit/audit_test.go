package audit

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// sample returns the i-th of a few varied records.
func sample(i int) Record {
	decisions := []pipeline.Decision{pipeline.Allowed, pipeline.Denied, pipeline.DryRun, pipeline.Failed}
	return Record{
		Agent:    "scheduler",
		Tool:     "delete_meeting",
		Toolset:  "meetings",
		Effect:   pipeline.Change,
		Decision: decisions[i%len(decisions)],
		Rule:     "meetings=full",
		Method:   "DELETE",
		Path:     "/meetings/123",
		Requests: []zoomapi.TracedRequest{{Method: "DELETE", Path: "/meetings/123", Status: 204}},
		Targets:  pipeline.Targets{Meetings: []string{"123"}},
		Text:     "scheduler deleted meeting 123: allowed by meetings=full",
	}
}

// writeLog writes n sample records to a new log file and returns its path.
func writeLog(t *testing.T, n int) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "audit.jsonl")
	l, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if err := l.Write(sample(i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := l.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func readAll(t *testing.T, path string) []Record {
	t.Helper()
	var recs []Record
	if err := Read(path, func(r Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestWriteAndReopenContinueTheChain(t *testing.T) {
	path := writeLog(t, 3)
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("mode: %v, %v", fi.Mode(), err)
	}
	l, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if seq, _ := l.Head(); seq != 3 {
		t.Errorf("head after reopening: seq %d, want 3", seq)
	}
	for i := range 2 {
		if err := l.Write(sample(i)); err != nil {
			t.Fatal(err)
		}
	}
	_, head := l.Head()
	l.Close()

	n, err := VerifyFile(path)
	if err != nil || n != 5 {
		t.Fatalf("VerifyFile = %d, %v; want 5 records", n, err)
	}
	recs := readAll(t, path)
	prev := zeroHash
	for i, r := range recs {
		if r.Seq != int64(i+1) || r.Prev != prev || len(r.Hash) != 64 {
			t.Errorf("record %d: seq %d prev %s hash %s", i+1, r.Seq, r.Prev, r.Hash)
		}
		if r.Time.IsZero() || r.Time.Location().String() != "UTC" {
			t.Errorf("record %d: time %v", i+1, r.Time)
		}
		prev = r.Hash
	}
	if head != prev {
		t.Errorf("Head = %s, last hash %s", head, prev)
	}
	want := sample(1) // the second record written after reopening
	got := recs[4]
	got.Seq, got.Time, got.Prev, got.Hash = 0, want.Time, "", ""
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("record read back (-want +got):\n%s", diff)
	}
}

func TestOneLinePerRecordWithHashLast(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, Options{})
	r := sample(0)
	r.Text = `topic "a&b <c>"`
	r.Time = time.Date(2025, 6, 1, 11, 0, 0, 500, time.FixedZone("CEST", 2*3600))
	if err := l.Write(r); err != nil {
		t.Fatal(err)
	}
	line := buf.String()
	if strings.Count(line, "\n") != 1 || !strings.HasSuffix(line, "\"}\n") {
		t.Fatalf("not one line: %q", line)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(line), &m); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"seq", "time", "agent", "tool", "toolset", "effect", "decision", "rule", "method", "path", "requests", "targets", "duration_ms", "text", "prev", "hash"} {
		if _, ok := m[k]; !ok {
			t.Errorf("field %s missing", k)
		}
	}
	if !strings.Contains(line, `"hash":"`) || strings.Index(line, `"hash":"`) < strings.Index(line, `"prev":"`) {
		t.Errorf("hash is not last: %s", line)
	}
	if !strings.Contains(line, `"time":"2025-06-01T09:00:00.0000005Z"`) {
		t.Errorf("time not in UTC: %s", line)
	}
	if !strings.Contains(line, `a&b <c>`) {
		t.Errorf("text escaped for HTML: %s", line)
	}
}

func TestOpenRefusesASecondWriter(t *testing.T) {
	path := writeLog(t, 1)
	l, err := Open(path, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "another zoom-mcp process") {
		t.Fatalf("second Open: %v", err)
	}
}

// failingSink fails every write after the first ok ones.
type failingSink struct {
	ok     int
	writes int
	buf    bytes.Buffer
}

func (s *failingSink) Write(p []byte) (int, error) {
	s.writes++
	if s.writes > s.ok {
		return 0, errors.New("disk full")
	}
	return s.buf.Write(p)
}

func TestWriteFailureIsSticky(t *testing.T) {
	sink := &failingSink{ok: 1}
	l := New(sink, Options{})
	if err := l.Ready(); err != nil {
		t.Fatalf("Ready before any failure: %v", err)
	}
	if err := l.Write(sample(0)); err != nil {
		t.Fatal(err)
	}
	if err := l.Write(sample(1)); err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("Write = %v, want disk full", err)
	}
	if err := l.Ready(); err == nil {
		t.Fatal("Ready after a failed write: nil")
	}
	sink.ok = 100 // the sink recovers; the log does not
	if err := l.Write(sample(2)); err == nil {
		t.Fatal("Write after a failure succeeded")
	}
	if sink.writes != 2 {
		t.Errorf("sink saw %d writes after the failure, want none", sink.writes-2)
	}
	if err := Verify(&sink.buf); err != nil {
		t.Errorf("what was written: %v", err)
	}
}

// syncSink counts Syncs and fails the second.
type syncSink struct {
	bytes.Buffer
	syncs int
}

func (s *syncSink) Sync() error {
	s.syncs++
	if s.syncs > 1 {
		return errors.New("I/O error")
	}
	return nil
}

func TestSync(t *testing.T) {
	for _, sync := range []bool{false, true} {
		var sink syncSink
		l := New(&sink, Options{Sync: sync})
		l.Write(sample(0))
		err := l.Write(sample(1))
		if want := map[bool]int{false: 0, true: 2}[sync]; sink.syncs != want {
			t.Errorf("Sync=%v: %d syncs, want %d", sync, sink.syncs, want)
		}
		if sync && (err == nil || l.Ready() == nil) {
			t.Errorf("a failed sync did not fail the log: %v", err)
		}
	}
}

func TestClose(t *testing.T) {
	l := New(&bytes.Buffer{}, Options{})
	l.Close()
	if l.Ready() == nil || l.Write(sample(0)) == nil {
		t.Error("a closed log accepts records")
	}
}

func TestEmailsMasked(t *testing.T) {
	rec := Record{
		Agent:    "scheduler",
		Tool:     "create_meeting",
		Decision: pipeline.Allowed,
		Path:     "/users/jane.doe%40example.com/meetings",
		Requests: []zoomapi.TracedRequest{{Method: "POST", Path: "/users/jane.doe@example.com/meetings", Status: 201}},
		Targets:  pipeline.Targets{Users: []string{"jane.doe@example.com", "me"}},
		Text:     `scheduler created meeting 1 "call with bob@example.org" for jane.doe@example.com: allowed`,
	}
	for _, tc := range []struct {
		show bool
		want []string
		not  []string
	}{
		{show: false,
			want: []string{`"j***@example.com","me"`, `for j***@example.com`, `b***@example.org`, `/users/j***%40example.com/meetings`, `/users/j***@example.com/meetings`},
			not:  []string{"jane", "bob"}},
		{show: true,
			want: []string{`"jane.doe@example.com","me"`, `for jane.doe@example.com`, `bob@example.org`, `jane.doe%40example.com`},
			not:  []string{"***"}},
	} {
		var buf bytes.Buffer
		l := New(&buf, Options{ShowEmails: tc.show})
		if err := l.Write(rec); err != nil {
			t.Fatal(err)
		}
		for _, w := range tc.want {
			if !strings.Contains(buf.String(), w) {
				t.Errorf("ShowEmails=%v: %q missing in %s", tc.show, w, buf.String())
			}
		}
		for _, w := range tc.not {
			if strings.Contains(buf.String(), w) {
				t.Errorf("ShowEmails=%v: %q in %s", tc.show, w, buf.String())
			}
		}
	}
	if rec.Targets.Users[0] != "jane.doe@example.com" || rec.Requests[0].Path != "/users/jane.doe@example.com/meetings" {
		t.Error("masking changed the caller's slices")
	}
}

func TestMaskEmail(t *testing.T) {
	for in, want := range map[string]string{
		"jane.doe@example.com": "j***@example.com",
		"é@example.com":        "é***@example.com",
		"me":                   "me",
		"@example.com":         "@example.com",
		"":                     "",
	} {
		if got := MaskEmail(in); got != want {
			t.Errorf("MaskEmail(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReadStopsAtFnError(t *testing.T) {
	path := writeLog(t, 3)
	stop := errors.New("stop")
	n := 0
	err := Read(path, func(Record) error { n++; return stop })
	if err != stop || n != 1 {
		t.Errorf("Read = %v after %d records", err, n)
	}
}
