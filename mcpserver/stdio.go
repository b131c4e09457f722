package mcpserver

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"unicode"
)

// StdioOption configures ServeStdio.
type StdioOption func(*stdioOptions)

type stdioOptions struct {
	maxMessage int
}

// WithMaxMessageBytes bounds one stdio message, its newline not counted
// (default 4 MiB, as an HTTP body). A longer line is discarded as it is
// read and answered with an error; the stream goes on.
func WithMaxMessageBytes(n int) StdioOption {
	return func(o *stdioOptions) {
		if n > 0 {
			o.maxMessage = n
		}
	}
}

const (
	// defaultMaxStdioMessage bounds one stdio message by default.
	defaultMaxStdioMessage = 4 << 20
	// stdioReadChunk is how much of a line is read at a time: bufio's
	// default, as MCP messages are mostly small; a longer line is read in
	// several chunks (64 KB cost that much memory at every start).
	stdioReadChunk = 4 << 10
	// codeInvalidRequest is JSON-RPC's error code for an invalid request.
	codeInvalidRequest = -32600
)

// lineFilter stands between stdin and mcp-go's stdio server, which reads
// whole lines into memory and does not see some ambiguous messages. It
// reads line by line with a bounded buffer and answers itself, on out,
// the lines it refuses: one longer than max (discarded as it is read), a
// request whose id is null, and a message with a key twice in one object.
// It passes every other line on unchanged, syntax errors included: mcp-go
// answers those.
type lineFilter struct {
	r      *bufio.Reader
	out    *lockedWriter
	max    int
	logger *slog.Logger

	cancels *cancelledCalls // notes cancellations and marks tools/call lines; may be nil
	line    []byte          // the line being read
	pending []byte          // what is left of the line passed on
	err     error           // the input's error, returned once pending is served
}

func newLineFilter(in io.Reader, out *lockedWriter, max int, logger *slog.Logger) *lineFilter {
	return &lineFilter{r: bufio.NewReaderSize(in, stdioReadChunk), out: out, max: max, logger: logger}
}

func (f *lineFilter) Read(p []byte) (int, error) {
	for len(f.pending) == 0 {
		if f.err != nil {
			return 0, f.err
		}
		line, tooLong, err := f.readLine()
		f.err = err
		if len(line) == 0 && !tooLong {
			continue
		}
		var refusal *rpcRefusal
		if tooLong {
			refusal = refuse(nullID, fmt.Sprintf("message longer than %d bytes, discarded", f.max))
		} else if refusal = checkMessage(line); refusal == nil {
			f.pending = line
			if f.cancels != nil {
				f.pending = f.cancels.noteCall(line)
			}
			continue
		}
		f.logger.Warn("refused a stdio message", "reason", refusal.Error.Message)
		if err := f.answer(refusal); err != nil {
			return 0, err
		}
	}
	n := copy(p, f.pending)
	f.pending = f.pending[n:]
	return n, nil
}

// readLine reads up to and including the next newline. A line longer than
// f.max is not kept: tooLong reports it, and the returned line is empty.
func (f *lineFilter) readLine() ([]byte, bool, error) {
	if cap(f.line) > stdioReadChunk {
		f.line = nil // a large line's buffer is not kept for small ones
	}
	f.line = f.line[:0]
	tooLong := false
	for {
		chunk, err := f.r.ReadSlice('\n')
		if !tooLong {
			size := len(f.line) + len(bytes.TrimSuffix(chunk, []byte("\n")))
			if size > f.max {
				tooLong, f.line = true, f.line[:0]
			} else {
				f.line = append(f.line, chunk...)
			}
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return f.line, tooLong, err
	}
}

// answer writes a refusal as one line.
func (f *lineFilter) answer(r *rpcRefusal) error {
	msg, err := json.Marshal(r)
	if err != nil {
		return err
	}
	_, err = f.out.Write(append(msg, '\n'))
	return err
}

// rpcRefusal is the JSON-RPC error answer to a line the filter refuses.
type rpcRefusal struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Error   struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// refuse answers an invalid request; id is null unless the request's own
// id is known beyond doubt.
func refuse(id json.RawMessage, why string) *rpcRefusal {
	r := &rpcRefusal{JSONRPC: "2.0", ID: id}
	r.Error.Code, r.Error.Message = codeInvalidRequest, "Invalid request: "+why
	return r
}

var nullID = json.RawMessage("null")

// checkMessage refuses a message that a proxy and this server could read
// differently: one with a key twice in an object, at any depth (keys that
// differ only in case count as the same: Go's decoder matches struct
// fields that way), and a request whose id is null, which MCP forbids and
// mcp-go would take for a notification and not answer. It returns nil for
// any other line, including one that is not JSON.
func checkMessage(line []byte) *rpcRefusal {
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.UseNumber()
	type frame struct {
		object, wantKey bool
		path            string
		keys            map[string]string // folded key → key as sent
		key             string            // the key whose value comes next
	}
	var (
		stack          []*frame
		dup            string // the first key found twice, described
		method, idNull bool   // at the top level
		ids            int
		id             json.RawMessage
	)
scan:
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil // not JSON: mcp-go answers with a parse error
		}
		if tok == json.Delim('}') || tok == json.Delim(']') {
			if stack = stack[:len(stack)-1]; len(stack) == 0 {
				break scan // one message a line; what follows is mcp-go's to refuse
			}
			continue
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object {
			if top.wantKey {
				k, ok := tok.(string)
				if !ok {
					return nil // the decoder reports a syntax error first
				}
				fk := foldKey(k)
				if first, seen := top.keys[fk]; seen && dup == "" {
					dup = describeDup(k, first, top.path)
				}
				top.keys[fk], top.key, top.wantKey = k, k, false
				continue
			}
			top.wantKey = true
			if len(stack) == 1 {
				switch top.key {
				case "method":
					method = true
				case "id":
					ids++
					idNull, id = tok == nil, rawID(tok)
				}
			}
		}
		if tok == json.Delim('{') || tok == json.Delim('[') {
			f := &frame{object: tok == json.Delim('{')}
			if f.object {
				f.wantKey, f.keys = true, map[string]string{}
			}
			if top != nil {
				f.path = top.path + "[]"
				if top.object {
					f.path = strings.TrimPrefix(top.path+"."+top.key, ".")
				}
			}
			stack = append(stack, f)
			continue
		}
		if len(stack) == 0 {
			break scan // a bare value
		}
	}
	switch {
	case dup != "":
		// Echo the id of a request, if it has one beyond doubt, so that
		// the client's call ends; never that of a response, whose id is
		// from the server's own numbering.
		if !method || ids != 1 || id == nil {
			id = nullID
		}
		return refuse(id, dup)
	case method && idNull:
		return refuse(nullID, "id must not be null; leave it out for a notification")
	}
	return nil
}

// rawID is a request id as JSON, for a string or a number, else nil.
func rawID(tok json.Token) json.RawMessage {
	switch v := tok.(type) {
	case string:
		b, _ := json.Marshal(v)
		return b
	case json.Number:
		return json.RawMessage(v)
	}
	return nil
}

func describeDup(k, first, path string) string {
	s := fmt.Sprintf("duplicate key %q", k)
	if k != first {
		s += fmt.Sprintf(" (the same as %q: keys differing only in case are one key to Go's JSON decoder)", first)
	}
	if path != "" {
		s += " in " + path
	}
	return s + "; send each key once"
}

// foldKey maps keys that strings.EqualFold finds equal, as Go's JSON
// decoder does when it matches struct fields, to the same string: each
// rune becomes the smallest of its case-folding orbit.
func foldKey(k string) string {
	var b strings.Builder
	b.Grow(len(k))
	for _, r := range k {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		b.WriteRune(m)
	}
	return b.String()
}

// lockedWriter serializes the writes of mcp-go, which writes each message
// with one Write call, and those of the line filter, so that lines never
// interleave. After close it writes nothing: ServeStdio has returned, and
// a reader goroutine mcp-go left blocked on stdin must not write to out.
type lockedWriter struct {
	mu     sync.Mutex
	w      io.Writer
	closed bool
}

var errStdioClosed = errors.New("mcpserver: stdio session ended")

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return 0, errStdioClosed
	}
	return l.w.Write(p)
}

func (l *lockedWriter) close() {
	l.mu.Lock()
	l.closed = true
	l.mu.Unlock()
}
