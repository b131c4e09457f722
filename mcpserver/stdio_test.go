package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/pipeline"
)

// stdioPeer drives ServeStdio over pipes, as a client process would.
type stdioPeer struct {
	t     *testing.T
	in    *io.PipeWriter
	lines chan []byte
	// readErr is why the server's output could not be read, once lines
	// is closed.
	readErr error
}

func startStdio(t *testing.T, opts ...StdioOption) *stdioPeer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- ServeStdio(ctx, New(sandboxOptions(t)), pipeline.Agent{Name: "local"}, inR, outW, discardLogger(), opts...)
		outW.Close()
	}()
	p := &stdioPeer{t: t, in: inW, lines: make(chan []byte, 16)}
	go func() {
		sc := bufio.NewScanner(outR)
		sc.Buffer(nil, 16<<20)
		for sc.Scan() {
			p.lines <- bytes.Clone(sc.Bytes())
		}
		p.readErr = sc.Err()
		close(p.lines)
		io.Copy(io.Discard, outR) // the server must not block on its output
	}()
	// mcp-go's stdio session is one per process: the next test may start
	// only once this one has ended.
	t.Cleanup(func() {
		inW.Close()
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("ServeStdio: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("ServeStdio did not return within 10s")
		}
	})
	p.send(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	if a := p.answer(); a.Error != nil {
		t.Fatalf("initialize: %+v", a.Error)
	}
	p.send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	return p
}

func (p *stdioPeer) send(line string) {
	p.t.Helper()
	if _, err := io.WriteString(p.in, line+"\n"); err != nil {
		p.t.Fatal(err)
	}
}

type rpcAnswer struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func (a rpcAnswer) String() string {
	s := fmt.Sprintf("id %s", a.ID)
	if a.Error != nil {
		return s + fmt.Sprintf(" error %d %q", a.Error.Code, a.Error.Message)
	}
	return s + fmt.Sprintf(" result %.200s", a.Result)
}

// answer waits for the next line the server writes.
func (p *stdioPeer) answer() rpcAnswer {
	p.t.Helper()
	select {
	case line, ok := <-p.lines:
		if !ok {
			p.t.Fatalf("no more output: %v", p.readErr)
		}
		var a rpcAnswer
		if err := json.Unmarshal(line, &a); err != nil {
			p.t.Fatalf("%v: %s", err, line)
		}
		return a
	case <-time.After(10 * time.Second):
		p.t.Fatal("no answer within 10s")
	}
	return rpcAnswer{}
}

// writeHugeLine writes a tools/call whose argument is size bytes long,
// from one small buffer: the test never holds the line.
func writeHugeLine(w io.Writer, size int) error {
	if _, err := io.WriteString(w, `{"jsonrpc":"2.0","id":99,"method":"tools/call","params":{"name":"get_user","arguments":{"user_id":"`); err != nil {
		return err
	}
	chunk := bytes.Repeat([]byte("a"), 64<<10)
	for size > 0 {
		n := min(size, len(chunk))
		if _, err := w.Write(chunk[:n]); err != nil {
			return err
		}
		size -= n
	}
	_, err := io.WriteString(w, "\"}}}\n")
	return err
}

// peakHeap samples the live heap until stop is called, and returns the
// highest value seen.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	finished := make(chan struct{})
	sample := func() {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapAlloc > peak.Load() {
			peak.Store(m.HeapAlloc)
		}
	}
	go func() {
		defer close(finished)
		for {
			sample()
			select {
			case <-done:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() uint64 {
		close(done)
		<-finished
		sample()
		return peak.Load()
	}
}

// TestStdioEdgeCases: lines that mcp-go would buffer whole, leave
// unanswered or read differently from a proxy are answered with a
// JSON-RPC error, and the stream goes on working.
func TestStdioEdgeCases(t *testing.T) {
	p := startStdio(t)
	const hugeSize = 50 << 20
	tests := []struct {
		name     string
		send     func() error
		wantID   string // the answer's id, as JSON
		wantText []string
	}{
		{name: "line of 50 MB", send: func() error { return writeHugeLine(p.in, hugeSize) },
			wantID: "null", wantText: []string{"longer than 4194304 bytes"}},
		{name: "id null", send: line(p, `{"jsonrpc":"2.0","id":null,"method":"tools/list"}`),
			wantID: "null", wantText: []string{"id must not be null"}},
		{name: "method twice", send: line(p, `{"jsonrpc":"2.0","id":3,"method":"tools/list","method":"tools/call","params":{"name":"end_meeting"}}`),
			wantID: "3", wantText: []string{`duplicate key "method"`}},
		{name: "method in two cases", send: line(p, `{"jsonrpc":"2.0","id":"four","method":"tools/list","Method":"tools/call"}`),
			wantID: `"four"`, wantText: []string{`duplicate key "Method"`, `the same as "method"`}},
		{name: "argument twice", send: line(p, `{"jsonrpc":"2.0","id":5,"method":"tools/call","params":{"name":"get_user","arguments":{"user_id":"me","user_id":"someone@example.com"}}}`),
			wantID: "5", wantText: []string{`duplicate key "user_id" in params.arguments`}},
		{name: "key twice in an array's object", send: line(p, `{"jsonrpc":"2.0","id":6,"method":"tools/call","params":{"name":"x","arguments":{"registrants":[{"id":"a"},{"id":"b","id":"c"}]}}}`),
			wantID: "6", wantText: []string{`duplicate key "id" in params.arguments.registrants[]`}},
		{name: "id twice", send: line(p, `{"jsonrpc":"2.0","id":7,"id":8,"method":"tools/list"}`),
			wantID: "null", wantText: []string{`duplicate key "id"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p.t = t
			runtime.GC()
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			stop := peakHeap()
			if err := tt.send(); err != nil {
				t.Fatal(err)
			}
			a := p.answer()
			// The line is never held whole: the heap grows by the 4 MiB
			// bound and a little, not by the line.
			if grew := int64(stop()) - int64(before.HeapAlloc); grew > 24<<20 {
				t.Errorf("the heap grew by %d MiB", grew>>20)
			}
			if a.Error == nil || a.Error.Code != codeInvalidRequest {
				t.Fatalf("answer %s, want error %d", a, codeInvalidRequest)
			}
			if string(a.ID) != tt.wantID {
				t.Errorf("id %s, want %s", a.ID, tt.wantID)
			}
			for _, w := range tt.wantText {
				if !strings.Contains(a.Error.Message, w) {
					t.Errorf("message %q lacks %q", a.Error.Message, w)
				}
			}
		})
	}
	p.t = t
	// The stream still works.
	p.send(`{"jsonrpc":"2.0","id":10,"method":"tools/list"}`)
	a := p.answer()
	if a.Error != nil || string(a.ID) != "10" || !bytes.Contains(a.Result, []byte(`"get_user"`)) {
		t.Fatalf("tools/list after the refusals: %s", a)
	}
}

func line(p *stdioPeer, s string) func() error {
	return func() error {
		_, err := io.WriteString(p.in, s+"\n")
		return err
	}
}

// TestStdioMaxMessageOption: the bound is an option; a line at the bound
// passes, one byte more is refused, and the next line is served.
func TestStdioMaxMessageOption(t *testing.T) {
	const max = 1024
	p := startStdio(t, WithMaxMessageBytes(max))
	call := func(id int, pad int) string {
		head := fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"ping","params":{"_meta":{"pad":"`, id)
		tail := `"}}}`
		return head + strings.Repeat("x", pad-len(head)-len(tail)) + tail
	}
	p.send(call(1, max))
	if a := p.answer(); a.Error != nil || string(a.ID) != "1" {
		t.Errorf("a line of %d bytes: %s", max, a)
	}
	p.send(call(2, max+1))
	if a := p.answer(); a.Error == nil || string(a.ID) != "null" || !strings.Contains(a.Error.Message, "longer than 1024 bytes") {
		t.Errorf("a line of %d bytes: %s", max+1, a)
	}
	p.send(call(3, 100))
	if a := p.answer(); a.Error != nil || string(a.ID) != "3" {
		t.Errorf("the next line: %s", a)
	}
}

// TestCheckMessage covers what the line filter lets through to mcp-go.
func TestCheckMessage(t *testing.T) {
	tests := []struct {
		line    string
		refused string // part of the refusal, "" if passed on
	}{
		{`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`, ""},
		{`{"jsonrpc":"2.0","method":"notifications/initialized"}`, ""},
		{`{"jsonrpc":"2.0","id":null,"result":{}}`, ""}, // a response: never answered
		{`{"jsonrpc":"2.0","id":1,"result":{"a":1,"b":{"a":2}}}`, ""},
		{`not json`, ""},             // mcp-go answers the parse error
		{`{"a":1}{"a":1,"a":2}`, ""}, // likewise the second value
		{`[{"a":1},{"a":1}]`, ""},
		{`{"jsonrpc":"2.0","id":null,"method":"ping"}`, "id must not be null"},
		{`{"jsonrpc":"2.0","method":"ping","id":null}`, "id must not be null"},
		{`{"a":1,"a":1}`, `duplicate key "a"`},
		{`[{"a":1,"b":[{"c":1,"C":2}]}]`, `duplicate key "C" (the same as "c"`},
		{`{"k":1,"\u212a":2}`, "duplicate key \"\u212a\""}, // the Kelvin sign folds to k
		{`{"x":{"y":{"z":1,"z":2}}}`, `in x.y`},
	}
	for _, tt := range tests {
		r := checkMessage([]byte(tt.line))
		switch {
		case tt.refused == "" && r != nil:
			t.Errorf("%s refused: %s", tt.line, r.Error.Message)
		case tt.refused != "" && r == nil:
			t.Errorf("%s passed", tt.line)
		case r != nil && !strings.Contains(r.Error.Message, tt.refused):
			t.Errorf("%s: %q lacks %q", tt.line, r.Error.Message, tt.refused)
		}
	}
}
