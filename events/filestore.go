package events

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

// FileStore is a Store in an append-only file of JSON lines, one Event
// (with its Seq) a line. Appends that arrive together are written and
// fsynced as one batch (group commit) before any of them is acknowledged.
// It keeps at least the last max events, at most about 2×max: past that,
// the file is rewritten (atomically, by rename) with the last max.
// Duplicates are recognised among the events the file holds.
type FileStore struct {
	path string
	max  int
	reqs chan *appendReq
	done chan struct{} // closed by Close
	quit chan struct{} // closed when the writer has ended

	closeOnce sync.Once

	mu     sync.Mutex
	f      *os.File
	events []Event          // the file's events, Seq ascending
	ids    map[string]int64 // their IDs
	seq    int64            // highest Seq assigned
	notify chan struct{}    // closed and replaced on each batch
	err    error            // sticky write failure
}

type appendReq struct {
	e      Event
	stored bool
	err    error
	done   chan struct{}
}

// OpenFile opens (creating it if needed) the event log at path, keeping
// max events (max <= 0: 1000). A torn last line, left by a crash in the
// middle of an append that was therefore never acknowledged, is cut off.
func OpenFile(path string, max int) (*FileStore, error) {
	if max <= 0 {
		max = 1000
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	s := &FileStore{
		path: path, max: max, f: f,
		reqs:   make(chan *appendReq, 1024),
		done:   make(chan struct{}),
		quit:   make(chan struct{}),
		ids:    make(map[string]int64),
		notify: make(chan struct{}),
	}
	if err := s.load(); err != nil {
		f.Close()
		return nil, err
	}
	if len(s.events) > 2*max {
		s.mu.Lock()
		err := s.compactLocked()
		s.mu.Unlock()
		if err != nil {
			s.f.Close()
			return nil, err
		}
	}
	go s.writer()
	return s, nil
}

func (s *FileStore) load() error {
	r := bufio.NewReaderSize(s.f, 64<<10)
	var good int64 // offset after the last good line
	line := 0
	for {
		b, err := r.ReadBytes('\n')
		if len(b) > 0 {
			line++
			var e Event
			complete := b[len(b)-1] == '\n'
			if !complete || json.Unmarshal(b, &e) != nil || e.Seq <= s.seq {
				if _, perr := r.Peek(1); !complete || perr == io.EOF {
					break // torn last line: never acknowledged
				}
				return fmt.Errorf("events: %s: line %d is corrupt", s.path, line)
			}
			good += int64(len(b))
			s.events = append(s.events, e)
			s.ids[e.ID] = e.Seq
			s.seq = e.Seq
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("events: reading %s: %w", s.path, err)
		}
	}
	if err := s.f.Truncate(good); err != nil {
		return fmt.Errorf("events: %w", err)
	}
	if _, err := s.f.Seek(good, io.SeekStart); err != nil {
		return fmt.Errorf("events: %w", err)
	}
	return nil
}

// writer takes the appends waiting, writes them in one write and one
// fsync, then publishes and acknowledges them.
func (s *FileStore) writer() {
	defer close(s.quit)
	var batch []*appendReq
	var buf bytes.Buffer
	for {
		batch = batch[:0]
		select {
		case r := <-s.reqs:
			batch = append(batch, r)
		case <-s.done:
			s.drain()
			return
		}
	more:
		for len(batch) < 4096 {
			select {
			case r := <-s.reqs:
				batch = append(batch, r)
			default:
				break more
			}
		}
		s.commit(batch, &buf)
	}
}

func (s *FileStore) drain() {
	for {
		select {
		case r := <-s.reqs:
			r.err = ErrClosed
			close(r.done)
		default:
			return
		}
	}
}

func (s *FileStore) commit(batch []*appendReq, buf *bytes.Buffer) {
	s.mu.Lock()
	err, seq := s.err, s.seq
	s.mu.Unlock()
	var added []Event
	buf.Reset()
	if err == nil {
		fresh := make(map[string]bool)
		for _, r := range batch {
			if _, dup := s.ids[r.e.ID]; dup || fresh[r.e.ID] { // ids: only this goroutine writes it
				continue
			}
			seq++
			r.e.Seq = seq
			b, merr := json.Marshal(r.e)
			if merr != nil {
				r.err = fmt.Errorf("events: encoding event: %w", merr)
				seq--
				continue
			}
			fresh[r.e.ID] = true
			r.stored = true
			buf.Write(b)
			buf.WriteByte('\n')
			added = append(added, r.e)
		}
		if buf.Len() > 0 {
			if _, err = s.f.Write(buf.Bytes()); err == nil {
				err = s.f.Sync()
			}
			if err != nil {
				err = fmt.Errorf("events: writing %s: %w", s.path, err)
			}
		}
	}
	s.mu.Lock()
	if err != nil {
		// A failed write or fsync leaves the file in doubt: refuse all
		// appends from now on (Zoom retries; a restart recovers).
		s.err = err
	} else if len(added) > 0 {
		s.events = append(s.events, added...)
		for _, e := range added {
			s.ids[e.ID] = e.Seq
		}
		s.seq = seq
		if len(s.events) > 2*s.max {
			if cerr := s.compactLocked(); cerr != nil {
				s.err = cerr
			}
		}
		close(s.notify)
		s.notify = make(chan struct{})
	}
	s.mu.Unlock()
	for _, r := range batch {
		if err != nil {
			r.err, r.stored = err, false
		}
		close(r.done)
	}
}

// compactLocked rewrites the file with the last max events.
func (s *FileStore) compactLocked() error {
	keep := append([]Event(nil), s.events[len(s.events)-s.max:]...)
	tmp := s.path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("events: compacting: %w", err)
	}
	w := bufio.NewWriterSize(f, 256<<10)
	for _, e := range keep {
		b, _ := json.Marshal(e)
		w.Write(b)
		w.WriteByte('\n')
	}
	if err = w.Flush(); err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, s.path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("events: compacting: %w", err)
	}
	if d, derr := os.Open(filepath.Dir(s.path)); derr == nil {
		d.Sync()
		d.Close()
	}
	nf, err := os.OpenFile(s.path, os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return fmt.Errorf("events: compacting: %w", err)
	}
	s.f.Close()
	s.f = nf
	s.events = keep
	s.ids = make(map[string]int64, len(keep))
	for _, e := range keep {
		s.ids[e.ID] = e.Seq
	}
	return nil
}

// Append implements Store: it returns once e is fsynced (or found stored).
func (s *FileStore) Append(ctx context.Context, e Event) (bool, error) {
	if e.ID == "" {
		return false, errors.New("events: event without ID")
	}
	r := &appendReq{e: e, done: make(chan struct{})}
	select {
	case <-s.done:
		return false, ErrClosed
	default:
	}
	select {
	case s.reqs <- r:
	case <-s.done:
		return false, ErrClosed
	case <-ctx.Done():
		return false, ctx.Err()
	}
	// Once queued the append goes through: wait for it (it is bounded by
	// the disk), so that the answer is the truth.
	select {
	case <-r.done:
	case <-s.quit:
		select {
		case <-r.done:
		default:
			return false, ErrClosed // queued after the writer's last look
		}
	}
	return r.stored, r.err
}

// Recent implements Store.
func (s *FileStore) Recent(ctx context.Context, f Filter, limit int) ([]Event, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed() {
		return nil, ErrClosed
	}
	var out []Event
	for i := len(s.events) - 1; i >= 0 && len(out) < limit; i-- {
		e := s.events[i]
		if e.Seq <= f.After {
			break
		}
		if f.Match(e) {
			out = append(out, e)
		}
	}
	reverse(out)
	return out, nil
}

// Wait implements Store. With f.After 0 it waits for an event stored after
// the call began.
func (s *FileStore) Wait(ctx context.Context, f Filter) (Event, error) {
	s.mu.Lock()
	if f.After <= 0 {
		f.After = s.seq
	}
	s.mu.Unlock()
	for {
		s.mu.Lock()
		if s.closed() {
			s.mu.Unlock()
			return Event{}, ErrClosed
		}
		i := sort.Search(len(s.events), func(i int) bool { return s.events[i].Seq > f.After })
		for ; i < len(s.events); i++ {
			if f.Match(s.events[i]) {
				e := s.events[i]
				s.mu.Unlock()
				return e, nil
			}
		}
		if n := len(s.events); n > 0 && s.events[n-1].Seq > f.After {
			f.After = s.events[n-1].Seq
		}
		ch := s.notify
		s.mu.Unlock()
		select {
		case <-ch:
		case <-s.done:
			return Event{}, ErrClosed
		case <-ctx.Done():
			return Event{}, ctx.Err()
		}
	}
}

// Last implements Store.
func (s *FileStore) Last(ctx context.Context) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed() {
		return 0, ErrClosed
	}
	return s.seq, nil
}

func (s *FileStore) closed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// Close implements Store: appends queued are finished or refused, waiters
// get ErrClosed.
func (s *FileStore) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.done)
		<-s.quit
		s.mu.Lock()
		err = s.f.Close()
		s.mu.Unlock()
	})
	return err
}

func reverse(es []Event) {
	for i, j := 0, len(es)-1; i < j; i, j = i+1, j-1 {
		es[i], es[j] = es[j], es[i]
	}
}
