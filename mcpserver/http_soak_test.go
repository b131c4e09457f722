package mcpserver

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/internal/sandbox"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/tools"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// BenchmarkSessionSoak opens 10,000 sessions over HTTP, each with an agent
// key, and abandons them; once they are past the idle timeout and reaped,
// the heap must be back within 10 MB of where it started: neither the
// store nor mcp-go keeps anything of them.
func BenchmarkSessionSoak(b *testing.B) {
	const (
		sessions = 10_000
		workers  = 16
		idle     = time.Minute
		slackMB  = 10
	)
	c, _, err := sandbox.New(zoomfake.Options{})
	if err != nil {
		b.Fatal(err)
	}
	srv := New(Options{Tools: tools.All(), Pipeline: &pipeline.Pipeline{Client: pipeline.Static(c)}})
	var start, peak, end float64
	for b.Loop() {
		var skew atomic.Int64
		h := newHTTPHandler(srv, HandlerOptions{
			Auth: agentKeys{"key-a": "a"}, SessionIdleTimeout: idle, MaxSessions: sessions,
		}, func() time.Time { return time.Now().Add(time.Duration(skew.Load())) })
		hs := httptest.NewServer(h)
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: workers}}
		initialize := func() string {
			req, _ := http.NewRequest(http.MethodPost, hs.URL+"/mcp", strings.NewReader(initBody))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Accept", "application/json, text/event-stream")
			req.Header.Set("Authorization", "Bearer key-a")
			res, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != http.StatusOK {
				b.Fatalf("initialize: %d", res.StatusCode)
			}
			return res.Header.Get("Mcp-Session-Id")
		}
		// One session first, so that what is made once is not counted.
		initialize()
		skew.Add(int64(2 * idle))
		h.gate.reap()
		start = heapMB()

		var wg sync.WaitGroup
		var next atomic.Int32
		for range workers {
			wg.Go(func() {
				for next.Add(1) <= sessions {
					initialize()
				}
			})
		}
		wg.Wait()
		peak = heapMB()

		skew.Add(int64(2 * idle))
		if n := h.gate.reap(); n != sessions {
			b.Fatalf("reaped %d sessions of %d", n, sessions)
		}
		hc.CloseIdleConnections()
		end = heapMB()
		if end-start > slackMB {
			b.Errorf("heap %.1f MB after reaping, %.1f MB before the sessions: more than %d MB kept", end, start, slackMB)
		}
		runtime.KeepAlive(h) // the server is still there, only its sessions are gone
		hs.Close()
		h.close()
	}
	b.ReportMetric(start, "heap-start-MB")
	b.ReportMetric(peak, "heap-peak-MB")
	b.ReportMetric(end, "heap-end-MB")
}

// heapMB is the live heap after a collection, in MB.
func heapMB() float64 {
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return float64(ms.HeapAlloc) / (1 << 20)
}
