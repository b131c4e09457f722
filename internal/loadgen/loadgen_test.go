package loadgen

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// testServer serves "ping", and "fail", which answers an error result of
// kind rate_limited on every other call.
func testServer(t *testing.T) string {
	s := server.NewMCPServer("t", "1", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("ping"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText("pong"), nil
	})
	s.AddTool(mcp.NewTool("fail", mcp.WithNumber("i")), func(_ context.Context, r mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if int(r.GetFloat("i", 0))%2 == 0 {
			return mcp.NewToolResultText("ok"), nil
		}
		res := mcp.NewToolResultError("slow down")
		res.StructuredContent = json.RawMessage(`{"error":{"kind":"rate_limited","message":"slow down"}}`)
		return res, nil
	})
	hs := httptest.NewServer(server.NewStreamableHTTPServer(s))
	t.Cleanup(hs.Close)
	return hs.URL + "/mcp"
}

func TestRunCounts(t *testing.T) {
	url := testServer(t)
	r, err := Run(t.Context(), Config{URL: url, Sessions: 4, Calls: 40, Tool: "fail",
		Args: func(_, i int) map[string]any { return map[string]any{"i": i} }})
	if err != nil {
		t.Fatal(err)
	}
	// Sessions share the 40 calls unevenly; each answers ok, error, ok...
	if r.Calls != 40 || r.OK+r.Errors["rate_limited"] != 40 || r.OK < 20 || r.Errors["rate_limited"] < 16 ||
		len(r.Latencies) != 40 || len(r.Ends) != r.OK {
		t.Fatalf("%v %v", r, r.Samples)
	}
	if r.Samples["rate_limited"] != "slow down" || r.Throughput() <= 0 || r.Percentile(99) < r.Percentile(50) {
		t.Errorf("%v %v", r, r.Samples)
	}
}

func TestRunDuration(t *testing.T) {
	url := testServer(t)
	r, err := Run(t.Context(), Config{URL: url, Sessions: 3, Duration: 200 * time.Millisecond, Tool: "ping"})
	if err != nil {
		t.Fatal(err)
	}
	if r.Calls == 0 || r.OK != r.Calls || r.Elapsed < 150*time.Millisecond || r.Elapsed > 2*time.Second {
		t.Fatalf("%v", r)
	}
	if _, err := Run(t.Context(), Config{URL: url, Sessions: 1, Calls: 1, Tool: "nope"}); err != nil {
		t.Fatal(err)
	}
}

func TestSimulatorStatsAndCPU(t *testing.T) {
	hs := httptest.NewServer(zoomfake.New(zoomfake.Options{}))
	defer hs.Close()
	st, err := SimulatorStats(t.Context(), hs.URL)
	if err != nil || st.Requests != 0 || st.RateLimited != 0 {
		t.Fatalf("%+v %v", st, err)
	}
	end := time.Now().Add(30 * time.Millisecond)
	for time.Now().Before(end) {
	}
	cpu, err := ProcessCPU(os.Getpid())
	if err != nil || cpu <= 0 {
		t.Fatalf("ProcessCPU: %v %v", cpu, err)
	}
	addr, err := FreeAddr()
	if err != nil || WaitHTTP(t.Context(), "http://"+addr, 50*time.Millisecond) == nil {
		t.Fatalf("FreeAddr %q answered: %v", addr, err)
	}
}

// TestReplicasAndHeaders: with Replicas each request goes to the next
// server in turn, and Headers reach them.
func TestReplicasAndHeaders(t *testing.T) {
	var hosts []string
	var hits [2]atomic.Int64
	for i := range hits {
		s := server.NewMCPServer("t", "1", server.WithToolCapabilities(false))
		s.AddTool(mcp.NewTool("ping"), func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error) {
			return mcp.NewToolResultText("pong"), nil
		})
		h := server.NewStreamableHTTPServer(s, server.WithStateLess(true))
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Header.Get("Authorization") != "Bearer k1" && r.Header.Get("Authorization") != "Bearer k0" {
				http.Error(w, "no key", http.StatusUnauthorized)
				return
			}
			hits[i].Add(1)
			h.ServeHTTP(w, r)
		}))
		t.Cleanup(hs.Close)
		hosts = append(hosts, strings.TrimPrefix(hs.URL, "http://"))
	}
	r, err := Run(t.Context(), Config{URL: "http://" + hosts[0] + "/mcp", Sessions: 2, Calls: 20, Tool: "ping",
		Replicas: hosts, Headers: func(s int) map[string]string { return map[string]string{"Authorization": fmt.Sprintf("Bearer k%d", s)} }})
	if err != nil {
		t.Fatal(err)
	}
	a, b := hits[0].Load(), hits[1].Load()
	if r.OK != 20 || a < 10 || b < 10 || a-b > 1 || b-a > 1 {
		t.Fatalf("%v %v; requests per replica %d %d", r, r.Samples, a, b)
	}
}
