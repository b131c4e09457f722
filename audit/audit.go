// Package audit keeps the audit log: one JSON line per decision the
// pipeline makes (allowed, denied, dry run, confirmed, declined, failed),
// each with a sentence a person can read, appended to a file that shows
// tampering.
//
// Every record carries its sequence number (seq, from 1), the hash of the
// record before it (prev; 64 zeros for the first) and its own hash, last:
// the hex SHA-256 of the record's JSON without the hash field, which is the
// line as written up to `,"hash":` followed by `}`. Editing, removing, inserting or reordering lines, or cutting the
// file short mid-line, breaks the chain, and Verify names the first line
// where it breaks. The chain has no secret key: someone who rewrites every
// record after the one they edit goes unnoticed, unless a copy of the head
// (Log.Head, logged at start-up) was kept elsewhere.
//
// A log that cannot be written fails closed: Middleware refuses every call
// from then on, so that nothing happens unaudited.
package audit

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Record is one line of the audit log: one decision about one call. It
// holds only the fields below, never the call's arguments wholesale, so no
// secret reaches the log.
type Record struct {
	Seq      int64             `json:"seq"`
	Time     time.Time         `json:"time"` // RFC 3339 with nanoseconds, UTC
	Agent    string            `json:"agent"`
	Tool     string            `json:"tool"`
	Toolset  string            `json:"toolset"`
	Effect   pipeline.Effect   `json:"effect"`
	Decision pipeline.Decision `json:"decision"`
	Rule     string            `json:"rule"`
	// Method and Path are the call's main Zoom request: the last one sent,
	// or the one a dry run described; empty if none.
	Method   string                  `json:"method"`
	Path     string                  `json:"path"`
	Requests []zoomapi.TracedRequest `json:"requests,omitempty"`
	Targets  pipeline.Targets        `json:"targets,omitzero"`
	// Created is the ID of what the call created (create_ and add_ tools).
	Created string `json:"created,omitempty"`
	// Status and Code are Zoom's HTTP status and error code for the main
	// request; Kind is the kind of error of a failed call.
	Status     int     `json:"status,omitempty"`
	Code       int     `json:"code,omitempty"`
	Kind       string  `json:"kind,omitempty"`
	DurationMS float64 `json:"duration_ms"`
	// Text says in one sentence what happened.
	Text string `json:"text"`
	Prev string `json:"prev"`
	// Hash must stay the last field: it is appended to the record's JSON.
	Hash string `json:"hash,omitempty"`
}

// zeroHash is the prev of the first record.
var zeroHash = strings.Repeat("0", 64)

// Options configure a Log.
type Options struct {
	// ShowEmails writes emails as they are; by default they are masked
	// (j***@example.com) in the text, the targets and the request paths.
	ShowEmails bool
	// Sync flushes the file to disk after every record. It is off by
	// default: an fsync takes milliseconds, far beyond the 50 µs a call
	// may spend in the server, and once write returns the kernel has the
	// line, so it survives the server crashing. Only a crash of the
	// machine itself can lose the last records.
	Sync bool
}

// Log appends records to an audit log. Its methods are safe for concurrent
// use.
type Log struct {
	opts Options
	w    io.Writer
	f    *os.File // set by Open; closed by Close

	mu     sync.Mutex
	seq    int64
	prev   string
	err    error // sticky: once set, nothing more is written
	closed bool
	buf    bytes.Buffer
	enc    *json.Encoder
	line   []byte
}

var errClosed = errors.New("audit: the log is closed")

// Open opens the audit log at path for appending, creating it (mode 0600)
// if needed. An existing file must be a valid chain, which the new records
// continue; a damaged one is refused with the first bad line, for a person
// to look at, rather than silently continued. While open, the file is
// locked against a second server appending to it.
func Open(path string, opts Options) (*Log, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return nil, fmt.Errorf("audit: %w", err)
	}
	if err := lock(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("audit: %s: %w", path, err)
	}
	c, err := scan(f, nil)
	if err != nil {
		f.Close()
		if _, ok := errors.AsType[*VerifyError](err); ok {
			return nil, fmt.Errorf("audit: %s is not a valid chain, so nothing will be appended to it (check it with zoom-mcp audit verify; move it aside to start a new log): %w", path, err)
		}
		return nil, fmt.Errorf("audit: reading %s: %w", path, err)
	}
	l := New(f, opts)
	l.f = f
	l.seq, l.prev = c.seq, c.hash
	return l, nil
}

// New returns a log that appends records to w, starting a new chain. Each
// record is written with one call to w.Write; if w has a Sync method, it is
// called after each record when opts.Sync is set. Close does not close w.
func New(w io.Writer, opts Options) *Log {
	l := &Log{opts: opts, w: w, prev: zeroHash}
	l.enc = json.NewEncoder(&l.buf)
	l.enc.SetEscapeHTML(false)
	return l
}

// Write appends r as the next record. It sets r's Seq, Prev and Hash, and
// its Time if zero, and masks emails unless Options.ShowEmails is set. If
// the record cannot be written, the log fails for good: this and every
// later Write, and Ready, return the error.
func (l *Log) Write(r Record) error {
	if !l.opts.ShowEmails {
		maskRecord(&r)
	}
	if r.Targets.Empty() {
		r.Targets = pipeline.Targets{}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.err != nil {
		return l.err
	}
	r.Seq, r.Prev, r.Hash = l.seq+1, l.prev, ""
	if r.Time.IsZero() {
		r.Time = time.Now()
	}
	r.Time = r.Time.UTC()

	l.buf.Reset()
	if err := l.enc.Encode(&r); err != nil {
		l.err = fmt.Errorf("audit: encoding record %d: %w", r.Seq, err)
		return l.err
	}
	body := bytes.TrimSuffix(l.buf.Bytes(), []byte("\n"))
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	l.line = append(l.line[:0], body[:len(body)-1]...)
	l.line = append(l.line, hashKey...)
	l.line = append(l.line, hash...)
	l.line = append(l.line, "\"}\n"...)

	n, err := l.w.Write(l.line)
	if err == nil && n < len(l.line) {
		err = io.ErrShortWrite
	}
	if s, ok := l.w.(interface{ Sync() error }); err == nil && ok && l.opts.Sync {
		err = s.Sync()
	}
	if err != nil {
		l.err = fmt.Errorf("audit: writing record %d: %w", r.Seq, err)
		return l.err
	}
	l.seq, l.prev = r.Seq, hash
	return nil
}

// hashKey introduces the hash at the end of a line.
const hashKey = `,"hash":"`

// Ready returns nil if records can still be written, or why not.
func (l *Log) Ready() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.err
}

// Head returns the sequence number and hash of the last record written
// (0 and 64 zeros for an empty log). Logging it at start-up and shutdown
// keeps a copy of the chain's head outside the file.
func (l *Log) Head() (seq int64, hash string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.seq, l.prev
}

// Close stops the log; later Writes fail. It closes the file Open opened,
// which releases its lock.
func (l *Log) Close() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil
	}
	l.closed = true
	if l.err == nil {
		l.err = errClosed
	}
	if l.f != nil {
		return l.f.Close()
	}
	return nil
}
