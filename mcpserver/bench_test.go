package mcpserver

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/audit"
	"github.com/zoommcp/zoom-mcp/confirm"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/policy"
	"github.com/zoommcp/zoom-mcp/tools"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// benchEnv is a simulator on a loopback HTTP server, a Zoom client for it,
// and our server on stdio pipes, driven with raw JSON-RPC lines (what any
// client's transport costs at least). Both paths use the same Zoom client,
// so the difference between them is what the MCP server adds: JSON-RPC over
// stdio, argument checks, result trimming.
type benchEnv struct {
	zoom *zoomapi.Client
	raw  *rawClient
}

// rawClient writes JSON-RPC requests as lines and reads the answer lines.
type rawClient struct {
	w  io.Writer
	r  *bufio.Reader
	id int
}

func (c *rawClient) call(b *testing.B, method, params string) []byte {
	c.id++
	fmt.Fprintf(c.w, `{"jsonrpc":"2.0","id":%d,"method":%q,"params":%s}`+"\n", c.id, method, params)
	line, err := c.r.ReadBytes('\n')
	if err != nil {
		b.Fatal(err)
	}
	return line
}

func newBenchEnv(b *testing.B) *benchEnv {
	b.Helper()
	zc := benchZoom(b)
	return &benchEnv{zoom: zc, raw: newRawClient(b, New(Options{Tools: tools.All(), Pipeline: &pipeline.Pipeline{Client: pipeline.Static(zc)}}))}
}

// benchZoom is a Zoom client for a simulator on a loopback HTTP server.
func benchZoom(b *testing.B) *zoomapi.Client {
	b.Helper()
	sim := httptest.NewServer(zoomfake.New(zoomfake.Options{NoRateLimit: true, NoUserDailyLimit: true}))
	b.Cleanup(sim.Close)
	zc, _, err := zoomapi.NewS2SClient(zoomapi.Config{
		APIBaseURL: sim.URL + "/v2", OAuthBaseURL: sim.URL,
		AccountID: zoomfake.DefaultAccountID, ClientID: zoomfake.DefaultClientID, ClientSecret: zoomfake.DefaultClientSecret,
	}, sim.Client(), zoomapi.WithoutPacing())
	if err != nil {
		b.Fatal(err)
	}
	return zc
}

func newRawClient(b *testing.B, srv *server.MCPServer) *rawClient {
	ctx, cancel := context.WithCancel(context.Background())
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	go func() {
		_ = ServeStdio(ctx, srv, pipeline.Agent{Name: "local"}, inR, outW, discardLogger())
		outW.Close()
	}()
	b.Cleanup(func() { cancel(); inW.Close() })
	rc := &rawClient{w: inW, r: bufio.NewReader(outR)}
	rc.call(b, "initialize", `{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}`)
	fmt.Fprintln(inW, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	return rc
}

var getMeetingParams = fmt.Sprintf(`{"name":"get_meeting","arguments":{"meeting_id":%d}}`, zoomfake.SeedRegistrationMeetingID)

func (e *benchEnv) viaRaw(b *testing.B) {
	line := e.raw.call(b, "tools/call", getMeetingParams)
	if !bytes.Contains(line, []byte(`"structuredContent"`)) || bytes.Contains(line, []byte(`"isError":true`)) {
		b.Fatalf("get_meeting: %s", line)
	}
}

func (e *benchEnv) direct(b *testing.B) {
	if _, _, err := e.zoom.Meetings.Get(context.Background(), zoomfake.SeedRegistrationMeetingID, nil); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkGetMeetingDirect calls GET /meetings/{id} with the Zoom client.
func BenchmarkGetMeetingDirect(b *testing.B) {
	e := newBenchEnv(b)
	for b.Loop() {
		e.direct(b)
	}
}

// BenchmarkGetMeetingMCP is the get_meeting tool through mcp-go's client
// over stdio: a Go client library's own cost included.
func BenchmarkGetMeetingMCP(b *testing.B) {
	// mcp-go's stdio transport has one session per process, so this
	// benchmark sets up its own server and no raw client.
	srv := New(Options{Tools: tools.All(), Pipeline: &pipeline.Pipeline{Client: pipeline.Static(benchZoom(b))}})
	ctx, cancel := context.WithCancel(context.Background())
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	go func() {
		_ = ServeStdio(ctx, srv, pipeline.Agent{Name: "local"}, inR, outW, discardLogger())
		outW.Close()
	}()
	c := client.NewClient(transport.NewIO(outR, inW, io.NopCloser(strings.NewReader(""))))
	b.Cleanup(func() { cancel(); inW.Close(); c.Close() })
	if err := c.Start(ctx); err != nil {
		b.Fatal(err)
	}
	if _, err := c.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_PROTOCOL_VERSION, ClientInfo: mcp.Implementation{Name: "bench", Version: "1"},
	}}); err != nil {
		b.Fatal(err)
	}
	call := mcp.CallToolRequest{Params: mcp.CallToolParams{
		Name: "get_meeting", Arguments: map[string]any{"meeting_id": zoomfake.SeedRegistrationMeetingID},
	}}
	for b.Loop() {
		res, err := c.CallTool(ctx, call)
		if err != nil || res.IsError {
			b.Fatalf("get_meeting: %v %+v", err, res)
		}
	}
}

// BenchmarkGetMeetingRaw is the get_meeting tool over stdio as raw JSON-RPC.
func BenchmarkGetMeetingRaw(b *testing.B) {
	e := newBenchEnv(b)
	for b.Loop() {
		e.viaRaw(b)
	}
}

// BenchmarkGetMeetingOverhead interleaves the direct call and the tool call
// over stdio and reports the p50 of each and the p50 overhead the server
// adds (target: <= 0.3 ms). The tool call is sent as raw JSON-RPC lines, so
// no client library's cost is counted (BenchmarkGetMeetingMCP has one).
func BenchmarkGetMeetingOverhead(b *testing.B) {
	e := newBenchEnv(b)
	for range 50 { // warm up both paths
		e.direct(b)
		e.viaRaw(b)
	}
	var direct, viaRaw []time.Duration
	for b.Loop() {
		t0 := time.Now()
		e.direct(b)
		t1 := time.Now()
		e.viaRaw(b)
		t2 := time.Now()
		direct = append(direct, t1.Sub(t0))
		viaRaw = append(viaRaw, t2.Sub(t1))
	}
	pd, pr := p50(direct), p50(viaRaw)
	b.ReportMetric(float64(pd.Microseconds()), "direct-p50-µs")
	b.ReportMetric(float64(pr.Microseconds()), "tool-p50-µs")
	b.ReportMetric(float64((pr - pd).Microseconds()), "overhead-p50-µs")
}

func p50(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkPipelineOverhead interleaves get_meeting through a pipeline with
// no middleware and through the full access control of a shared server
// (the policy check with limits on users and meetings, whose host lookup
// is remembered for minutes, result hygiene, the audit log written to a
// file), against the same simulator and Zoom
// client, and reports the p50 of each and the p50 the access control adds
// (target: <= 50 µs). Transport costs are the same for both and left out.
func BenchmarkPipelineOverhead(b *testing.B) {
	zc := benchZoom(b)
	cfg := &policy.Config{Agents: []policy.AgentConfig{{
		Name: "scheduler", KeySHA256: policy.HashKey("zmcp_bench"),
		Access:  map[string]policy.Level{"meetings": policy.Full, "meeting_registrants": policy.Read},
		Limits:  policy.Limits{Users: []string{"me"}, Meetings: []string{"own", fmt.Sprint(zoomfake.SeedRegistrationMeetingID)}, MaxPageSize: 100},
		Results: policy.Results{MaskEmails: true, WithholdPasscodes: true},
	}}}
	pol, err := policy.New(cfg, policy.Options{Users: &policy.ZoomUsers{Client: pipeline.Static(zc)}})
	if err != nil {
		b.Fatal(err)
	}
	log, err := audit.Open(filepath.Join(b.TempDir(), "audit.jsonl"), audit.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { log.Close() })
	tool := tools.GetMeeting()
	off := tool.Bind(&pipeline.Pipeline{Client: pipeline.Static(zc)})
	on := tool.Bind(&pipeline.Pipeline{Client: pipeline.Static(zc), Middlewares: []pipeline.Middleware{
		audit.Middleware(log, nil), pol.Middleware(),
		confirm.New(pol, func(string) bool { return false }).Middleware(), pol.Hygiene(),
	}})
	ctx := pipeline.WithAgent(context.Background(), pipeline.Agent{Name: "scheduler"})
	req := mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "get_meeting",
		Arguments: map[string]any{"meeting_id": float64(zoomfake.SeedRegistrationMeetingID)}}}
	call := func(h server.ToolHandlerFunc) {
		res, err := h(ctx, req)
		if err != nil || res.IsError {
			b.Fatalf("get_meeting: %v %+v", err, res)
		}
	}
	for range 50 {
		call(off)
		call(on)
	}
	var tOff, tOn []time.Duration
	for b.Loop() {
		t0 := time.Now()
		call(off)
		t1 := time.Now()
		call(on)
		t2 := time.Now()
		tOff = append(tOff, t1.Sub(t0))
		tOn = append(tOn, t2.Sub(t1))
	}
	po, pn := p50(tOff), p50(tOn)
	b.ReportMetric(float64(po.Microseconds()), "off-p50-µs")
	b.ReportMetric(float64(pn.Microseconds()), "on-p50-µs")
	b.ReportMetric(float64((pn - po).Microseconds()), "overhead-p50-µs")
}
