package tools

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	jsv "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/zoommcp/zoom-mcp/events"
	"github.com/zoommcp/zoom-mcp/internal/sandbox"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// testEpoch is the simulated "now" of the tool tests: dates in results are
// stable, while the clock still moves with real time so that per-second
// windows behave.
var testEpoch = time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)

// harness runs tools against a fresh simulator.
type harness struct {
	t        *testing.T
	sim      *zoomfake.Server
	tools    map[string]Tool
	handlers map[string]server.ToolHandlerFunc
	clock    *fakeClock
	events   *events.FileStore // what wait_for_event reads
}

type fakeClock struct {
	mu    sync.Mutex
	start time.Time
	extra time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return testEpoch.Add(time.Since(c.start) + c.extra)
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.extra += d
	c.mu.Unlock()
}

func newHarness(t *testing.T, opts zoomfake.Options, clientOpts ...zoomapi.Option) *harness {
	t.Helper()
	clock := &fakeClock{start: time.Now()}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	c, sim, err := sandbox.New(opts, append([]zoomapi.Option{zoomapi.WithClock(clock.Now)}, clientOpts...)...)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, sim: sim, tools: map[string]Tool{}, handlers: map[string]server.ToolHandlerFunc{}, clock: clock}
	store, err := events.OpenFile(filepath.Join(t.TempDir(), "events.jsonl"), 100)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	h.events = store
	withEvents := func(next pipeline.Handler) pipeline.Handler {
		return func(ctx context.Context, c *pipeline.Call) pipeline.Outcome {
			return next(events.WithReader(ctx, events.Reader{Store: store, Visible: func(string) bool { return true }}), c)
		}
	}
	p := &pipeline.Pipeline{Client: pipeline.Static(c), Middlewares: []pipeline.Middleware{withEvents}}
	for _, tl := range All() {
		h.tools[tl.Name()] = tl
		h.handlers[tl.Name()] = tl.Bind(p)
	}
	prev := now
	now = clock.Now
	t.Cleanup(func() { now = prev })
	return h
}

// call invokes a tool as an MCP client would and checks the result's shape:
// a success carries structuredContent valid against the outputSchema and the
// same JSON as text; a failure carries isError and {"error": {...}}, also
// valid against the outputSchema.
func (h *harness) call(name string, args map[string]any) (map[string]any, *ErrorInfo) {
	h.t.Helper()
	tl, ok := h.tools[name]
	if !ok {
		h.t.Fatalf("no tool %s", name)
	}
	// Arguments travel as JSON: numbers arrive as float64.
	var decoded any
	if args != nil {
		raw, _ := json.Marshal(args)
		_ = json.Unmarshal(raw, &decoded)
	}
	res, err := h.handlers[name](context.Background(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: decoded}})
	if err != nil {
		h.t.Fatalf("%s returned a Go error (a programming fault): %v", name, err)
	}
	if len(res.Content) != 1 {
		h.t.Fatalf("%s: %d content items, want 1", name, len(res.Content))
	}
	text := res.Content[0].(mcp.TextContent).Text
	structured, _ := res.StructuredContent.(json.RawMessage)
	if res.IsError {
		var body struct {
			Error *ErrorInfo `json:"error"`
		}
		if err := json.Unmarshal(structured, &body); err != nil || body.Error == nil {
			h.t.Fatalf("%s: error result without a structured error: %s", name, structured)
		}
		if body.Error.Message != text || body.Error.Kind == "" {
			h.t.Fatalf("%s: error text %q and structured %+v disagree", name, text, body.Error)
		}
		// Clients check structuredContent against the outputSchema even
		// on errors.
		validateOutput(h.t, tl, structured)
		return nil, body.Error
	}
	if !tl.readable() && text != string(structured) {
		h.t.Errorf("%s: text and structuredContent differ", name)
	}
	validateOutput(h.t, tl, structured)
	var out map[string]any
	if err := json.Unmarshal(structured, &out); err != nil {
		h.t.Fatal(err)
	}
	return out, nil
}

// ok calls a tool that must succeed.
func (h *harness) ok(name string, args map[string]any) map[string]any {
	h.t.Helper()
	out, e := h.call(name, args)
	if e != nil {
		h.t.Fatalf("%s(%v) failed: %s: %s", name, args, e.Kind, e.Message)
	}
	return out
}

// fails calls a tool that must fail with kind, and a message containing
// every string in want.
func (h *harness) fails(name string, args map[string]any, kind string, want ...string) *ErrorInfo {
	h.t.Helper()
	out, e := h.call(name, args)
	if e == nil {
		h.t.Fatalf("%s(%v) succeeded, want %s: %v", name, args, kind, out)
	}
	if e.Kind != kind {
		h.t.Errorf("%s: kind %s, want %s (%s)", name, e.Kind, kind, e.Message)
	}
	for _, w := range want {
		if !strings.Contains(e.Message, w) {
			h.t.Errorf("%s: message %q lacks %q", name, e.Message, w)
		}
	}
	return e
}

var outputSchemas sync.Map // tool name -> *jsv.Schema

func validateOutput(t *testing.T, tl Tool, data []byte) {
	t.Helper()
	v, ok := outputSchemas.Load(tl.Name())
	if !ok {
		doc, err := jsv.UnmarshalJSON(strings.NewReader(string(tl.Definition.RawOutputSchema)))
		if err != nil {
			t.Fatal(err)
		}
		c := jsv.NewCompiler()
		if err := c.AddResource("mem://out.json", doc); err != nil {
			t.Fatal(err)
		}
		sch, err := c.Compile("mem://out.json")
		if err != nil {
			t.Fatal(err)
		}
		v, _ = outputSchemas.LoadOrStore(tl.Name(), sch)
	}
	inst, err := jsv.UnmarshalJSON(strings.NewReader(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	if err := v.(*jsv.Schema).Validate(inst); err != nil {
		t.Errorf("%s: structuredContent does not match the outputSchema: %v\n%s", tl.Name(), err, data)
	}
}

// num reads a JSON number field as int64.
func num(m map[string]any, key string) int64 {
	f, _ := m[key].(float64)
	return int64(f)
}

func items(m map[string]any, key string) []map[string]any {
	raw, _ := m[key].([]any)
	out := make([]map[string]any, len(raw))
	for i, r := range raw {
		out[i], _ = r.(map[string]any)
	}
	return out
}

// day formats the simulated date d days from now.
func (h *harness) day(d int) string {
	return h.clock.Now().AddDate(0, 0, d).Format("2006-01-02")
}

// raw calls a tool and returns the result as the client gets it.
func (h *harness) raw(name string, args map[string]any) *mcp.CallToolResult {
	h.t.Helper()
	var decoded any
	if args != nil {
		data, _ := json.Marshal(args)
		_ = json.Unmarshal(data, &decoded)
	}
	res, err := h.handlers[name](context.Background(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: decoded}})
	if err != nil {
		h.t.Fatalf("%s: Go error %v", name, err)
	}
	return res
}
