package mcpserver

import (
	"context"
	"io"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/tools"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// benchEnv is a simulator on a loopback HTTP server, a Zoom client for it,
// and an MCP client talking to our server over stdio pipes. Both paths use
// the same Zoom client, so the difference between them is what the MCP
// server adds: JSON-RPC over stdio, argument checks, result trimming.
type benchEnv struct {
	zoom *zoomapi.Client
	mcp  *client.Client
}

func newBenchEnv(b *testing.B) *benchEnv {
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
	srv := New(Options{Tools: tools.All(zc)})

	ctx, cancel := context.WithCancel(context.Background())
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	go func() {
		_ = ServeStdio(ctx, srv, inR, outW, discardLogger())
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
	return &benchEnv{zoom: zc, mcp: c}
}

func (e *benchEnv) direct(b *testing.B) {
	if _, _, err := e.zoom.Meetings.Get(context.Background(), zoomfake.SeedRegistrationMeetingID, nil); err != nil {
		b.Fatal(err)
	}
}

var getMeetingCall = mcp.CallToolRequest{Params: mcp.CallToolParams{
	Name: "get_meeting", Arguments: map[string]any{"meeting_id": zoomfake.SeedRegistrationMeetingID},
}}

func (e *benchEnv) viaMCP(b *testing.B) {
	res, err := e.mcp.CallTool(context.Background(), getMeetingCall)
	if err != nil || res.IsError {
		b.Fatalf("get_meeting: %v %+v", err, res)
	}
}

// BenchmarkGetMeetingDirect calls GET /meetings/{id} with the Zoom client.
func BenchmarkGetMeetingDirect(b *testing.B) {
	e := newBenchEnv(b)
	for b.Loop() {
		e.direct(b)
	}
}

// BenchmarkGetMeetingMCP calls the get_meeting tool through an MCP client
// over stdio: the same Zoom call plus everything the server adds.
func BenchmarkGetMeetingMCP(b *testing.B) {
	e := newBenchEnv(b)
	for b.Loop() {
		e.viaMCP(b)
	}
}

// BenchmarkGetMeetingOverhead interleaves the two paths and reports the p50
// of each and the p50 overhead the MCP server adds (target: <= 0.3 ms).
func BenchmarkGetMeetingOverhead(b *testing.B) {
	e := newBenchEnv(b)
	for range 50 { // warm up both paths
		e.direct(b)
		e.viaMCP(b)
	}
	var direct, viaMCP []time.Duration
	for b.Loop() {
		t0 := time.Now()
		e.direct(b)
		t1 := time.Now()
		e.viaMCP(b)
		t2 := time.Now()
		direct = append(direct, t1.Sub(t0))
		viaMCP = append(viaMCP, t2.Sub(t1))
	}
	pd, pm := p50(direct), p50(viaMCP)
	b.ReportMetric(float64(pd.Microseconds()), "direct-p50-µs")
	b.ReportMetric(float64(pm.Microseconds()), "mcp-p50-µs")
	b.ReportMetric(float64((pm - pd).Microseconds()), "overhead-p50-µs")
}

func p50(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}
