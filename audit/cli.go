package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"
)

// VerifyCommand runs "zoom-mcp audit verify FILE...": it prints, for each
// file, how many records it holds and that the chain is intact, or the
// first bad line (FILE:LINE: reason). It returns an error if any file is
// not intact, so that the process exits non-zero.
func VerifyCommand(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: zoom-mcp audit verify FILE...\n\nChecks that each audit log is an unbroken hash chain: no record edited, removed, inserted or moved.")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return errors.New("audit verify: no file given")
	}
	bad := 0
	for _, path := range fs.Args() {
		n, err := VerifyFile(path)
		if ve, ok := errors.AsType[*VerifyError](err); ok {
			fmt.Fprintf(stdout, "%s:%d: %s\n", path, ve.Line, ve.Reason)
			bad++
			continue
		}
		if err != nil {
			return fmt.Errorf("audit verify: %w", err)
		}
		fmt.Fprintf(stdout, "%s: %d records, chain intact\n", path, n)
	}
	if bad > 0 {
		return fmt.Errorf("audit verify: %d of %d audit logs are damaged or were tampered with", bad, fs.NArg())
	}
	return nil
}

// pollEvery is how often tail -f looks for new records.
const pollEvery = 200 * time.Millisecond

// TailCommand runs "zoom-mcp audit tail [-f] [-n N] FILE": it prints the
// last N records of the audit log as "time  text" lines, for a person,
// and with -f goes on printing records as they are appended until ctx
// ends. It does not verify the chain; "audit verify" does.
func TailCommand(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("audit tail", flag.ContinueOnError)
	fs.SetOutput(stderr)
	follow := fs.Bool("f", false, "keep printing records as they are appended")
	n := fs.Int("n", 10, "print the last `N` records")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: zoom-mcp audit tail [-f] [-n N] FILE\n\nPrints the last records of an audit log as sentences.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 || *n < 0 {
		fs.Usage()
		return errors.New("audit tail: want one FILE and N >= 0")
	}
	path := fs.Arg(0)
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("audit tail: %w", err)
	}
	defer f.Close()

	t := &tailer{f: f, path: path, stdout: stdout, stderr: stderr}
	// The last N complete lines so far, in a ring.
	last := make([]tailLine, 0, *n)
	next := 0
	if err := t.poll(func(l tailLine) {
		switch {
		case *n == 0:
		case len(last) < *n:
			last = append(last, l)
		default:
			last[next] = l
			next = (next + 1) % *n
		}
	}); err != nil {
		return fmt.Errorf("audit tail: %w", err)
	}
	for i := range last {
		t.print(last[(next+i)%len(last)])
	}
	if !*follow {
		return nil
	}
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
			if err := t.poll(t.print); err != nil {
				return fmt.Errorf("audit tail: %w", err)
			}
		}
	}
}

// tailer reads the lines of a growing file.
type tailer struct {
	f              *os.File
	path           string
	stdout, stderr io.Writer
	offset         int64  // how far f was read
	partial        []byte // the start of a line not yet complete
	skipping       bool   // the line being read is too long to print
	lines          int    // complete lines read
	buf            [32 << 10]byte
}

type tailLine struct {
	n    int
	text []byte
}

// poll reads what was appended since the last poll and passes on each
// complete line. A file that shrank was truncated or replaced: it is read
// again from the start.
func (t *tailer) poll(emit func(tailLine)) error {
	fi, err := t.f.Stat()
	if err != nil {
		return err
	}
	if fi.Size() < t.offset {
		fmt.Fprintf(t.stderr, "%s: the file shrank; reading it from the start\n", t.path)
		if _, err := t.f.Seek(0, io.SeekStart); err != nil {
			return err
		}
		t.offset, t.partial, t.lines, t.skipping = 0, nil, 0, false
	}
	for {
		n, err := t.f.Read(t.buf[:])
		t.offset += int64(n)
		data := t.buf[:n]
		for len(data) > 0 {
			i := bytes.IndexByte(data, '\n')
			if i < 0 {
				if !t.skipping {
					t.partial = append(t.partial, data...)
				}
				if len(t.partial) > maxLine {
					fmt.Fprintf(t.stderr, "%s:%d: longer than %d bytes: skipped\n", t.path, t.lines+1, maxLine)
					t.partial, t.skipping = nil, true
				}
				break
			}
			line := append(t.partial, data[:i]...)
			t.partial = nil
			t.lines++
			if !t.skipping {
				emit(tailLine{n: t.lines, text: line})
			}
			t.skipping = false
			data = data[i+1:]
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// print writes one record as "time  text".
func (t *tailer) print(l tailLine) {
	var r struct {
		Time     time.Time `json:"time"`
		Text     string    `json:"text"`
		Agent    string    `json:"agent"`
		Tool     string    `json:"tool"`
		Decision string    `json:"decision"`
	}
	if err := json.Unmarshal(l.text, &r); err != nil {
		fmt.Fprintf(t.stderr, "%s:%d: not a JSON record\n", t.path, l.n)
		return
	}
	text := r.Text
	if text == "" {
		text = fmt.Sprintf("%s called %s: %s", r.Agent, r.Tool, r.Decision)
	}
	fmt.Fprintf(t.stdout, "%s  %s\n", r.Time.UTC().Format(time.RFC3339), text)
}
