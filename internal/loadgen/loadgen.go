// Package loadgen drives many concurrent MCP sessions against a server over
// streamable HTTP and measures what they get: per-call latency, throughput,
// and failed calls by kind (the tool result's structuredContent.error.kind).
// With a standalone Zoom simulator (zoom-mcp simulator) it also reads the
// simulator's request and 429 counters (zoomfake.StatsPath), and with the
// server's process ID its CPU time (/proc/PID/stat, Linux).
//
// The benchmarks in bench_load_test.go (repository root) use it; it is
// loopback-only test tooling, not part of the server.
package loadgen

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// Config describes one load run.
type Config struct {
	// URL is the server's MCP endpoint, e.g. http://127.0.0.1:8080/mcp.
	URL string
	// Sessions is the number of concurrent MCP sessions (agents); each
	// makes one call at a time, back to back.
	Sessions int
	// Calls bounds the run to that many calls in all (0: no bound).
	Calls int
	// Duration bounds the run in time (0: no bound). At least one of
	// Calls and Duration must be set.
	Duration time.Duration
	// Tool is called with Args(session, i), i counting the session's calls.
	Tool string
	Args func(session, i int) map[string]any
	// CallTimeout bounds each call (default: 5 minutes).
	CallTimeout time.Duration
	// Headers, if set, are the HTTP headers of session's requests (e.g.
	// an agent key: Authorization: Bearer KEY).
	Headers func(session int) map[string]string
	// Replicas, if set, are host:port addresses that every HTTP request
	// goes to in turn, round robin, in place of URL's host (see
	// RoundRobin): no request sticks to a replica, so the servers must
	// serve without sessions of their own (stateless).
	Replicas []string
}

// Kind values for calls that did not produce a tool result.
const (
	KindTransport = "transport" // the HTTP or JSON-RPC exchange failed
	KindUnknown   = "error"     // an error result without error.kind
)

// Result is what a run measured.
type Result struct {
	Sessions  int
	Calls     int            // calls made
	OK        int            // calls that answered a result that is no error
	Errors    map[string]int // failed calls by kind
	Elapsed   time.Duration  // from the first call to the last answer
	Latencies []time.Duration
	// Ends are when the successful calls ended, relative to the run's
	// start, sorted; they let a caller compute the rate after a warm-up.
	Ends []time.Duration
	// Samples are a few error messages, one per kind.
	Samples map[string]string
}

// Throughput is calls answered per second.
func (r *Result) Throughput() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Calls) / r.Elapsed.Seconds()
}

// OKRateAfter is successful calls per second counted from `after` into the
// run to its end (e.g. after the first second, once a limiter settled).
func (r *Result) OKRateAfter(after time.Duration) float64 {
	n := 0
	for _, e := range r.Ends {
		if e >= after {
			n++
		}
	}
	span := r.Elapsed - after
	if span <= 0 {
		return 0
	}
	return float64(n) / span.Seconds()
}

// Percentile is the p-th percentile latency (0 < p ≤ 100).
func (r *Result) Percentile(p float64) time.Duration {
	if len(r.Latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.Latencies))*p/100+0.5) - 1
	return r.Latencies[min(max(i, 0), len(r.Latencies)-1)]
}

func (r *Result) String() string {
	kinds := make([]string, 0, len(r.Errors))
	for k, n := range r.Errors {
		kinds = append(kinds, fmt.Sprintf("%s=%d", k, n))
	}
	slices.Sort(kinds)
	return fmt.Sprintf("%d sessions: %d calls (%d ok) in %v = %.0f calls/s, p50 %v p99 %v, errors [%s]",
		r.Sessions, r.Calls, r.OK, r.Elapsed.Round(time.Millisecond), r.Throughput(),
		r.Percentile(50).Round(time.Microsecond), r.Percentile(99).Round(time.Microsecond), strings.Join(kinds, " "))
}

// Session is one initialized MCP client session.
type Session struct{ c *client.Client }

// HTTPClient is a client for n concurrent sessions on loopback: enough idle
// connections per host that no call opens a new one.
func HTTPClient(n int) *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConns = n + 16
	tr.MaxIdleConnsPerHost = n + 16
	return &http.Client{Transport: tr}
}

// RoundRobin is an http.RoundTripper that sends each request to the next
// of Hosts (host:port) in turn, in place of the request URL's host, through
// Base (default http.DefaultTransport): a load balancer without sticky
// sessions, in the client.
type RoundRobin struct {
	Base  http.RoundTripper
	Hosts []string
	next  atomic.Uint64
}

// RoundTrip sends req to the next host.
func (rr *RoundRobin) RoundTrip(req *http.Request) (*http.Response, error) {
	base := rr.Base
	if base == nil {
		base = http.DefaultTransport
	}
	if len(rr.Hosts) == 0 {
		return base.RoundTrip(req)
	}
	host := rr.Hosts[(rr.next.Add(1)-1)%uint64(len(rr.Hosts))]
	r := req.Clone(req.Context())
	r.URL.Host, r.Host = host, ""
	return base.RoundTrip(r)
}

// CloseIdleConnections closes Base's idle connections.
func (rr *RoundRobin) CloseIdleConnections() {
	if c, ok := rr.Base.(interface{ CloseIdleConnections() }); ok {
		c.CloseIdleConnections()
	}
}

// Open starts and initializes an MCP session on url through hc, sending
// headers with each request.
func Open(ctx context.Context, url string, hc *http.Client, headers map[string]string) (*Session, error) {
	opts := []transport.StreamableHTTPCOption{transport.WithHTTPBasicClient(hc)}
	if len(headers) > 0 {
		opts = append(opts, transport.WithHTTPHeaders(headers))
	}
	c, err := client.NewStreamableHttpClient(url, opts...)
	if err != nil {
		return nil, err
	}
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	if _, err := c.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_PROTOCOL_VERSION,
		ClientInfo:      mcp.Implementation{Name: "loadgen", Version: "1"},
	}}); err != nil {
		c.Close()
		return nil, err
	}
	return &Session{c: c}, nil
}

// Close ends the session.
func (s *Session) Close() error { return s.c.Close() }

// Call calls a tool and classifies the answer: "" for a result that is no
// error, else the error's kind, and a message for the samples.
func (s *Session) Call(ctx context.Context, tool string, args map[string]any) (kind, msg string) {
	res, err := s.c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: tool, Arguments: args}})
	if err != nil {
		return KindTransport, err.Error()
	}
	if !res.IsError {
		return "", ""
	}
	return ErrorKind(res)
}

// ErrorKind reads structuredContent.error.kind and .message of an error
// result.
func ErrorKind(res *mcp.CallToolResult) (kind, msg string) {
	raw, err := json.Marshal(res.StructuredContent)
	var body struct {
		Error struct {
			Kind    string `json:"kind"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err == nil {
		_ = json.Unmarshal(raw, &body)
	}
	kind, msg = body.Error.Kind, body.Error.Message
	if kind == "" {
		kind = KindUnknown
	}
	if msg == "" {
		for _, c := range res.Content {
			if t, ok := c.(mcp.TextContent); ok {
				msg = t.Text
				break
			}
		}
	}
	return kind, msg
}

// Run opens cfg.Sessions sessions (before the clock starts), then has each
// call cfg.Tool back to back until cfg.Calls calls were made or
// cfg.Duration passed, and closes them.
func Run(ctx context.Context, cfg Config) (*Result, error) {
	if cfg.Sessions < 1 || (cfg.Calls <= 0 && cfg.Duration <= 0) {
		return nil, errors.New("loadgen: need Sessions and Calls or Duration")
	}
	if cfg.CallTimeout <= 0 {
		cfg.CallTimeout = 5 * time.Minute
	}
	hc := HTTPClient(cfg.Sessions)
	defer hc.CloseIdleConnections()
	if len(cfg.Replicas) > 0 {
		hc.Transport = &RoundRobin{Base: hc.Transport, Hosts: cfg.Replicas}
	}
	sessions := make([]*Session, cfg.Sessions)
	var openWG sync.WaitGroup
	errs := make([]error, cfg.Sessions)
	sem := make(chan struct{}, 32)
	for i := range sessions {
		openWG.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			var h map[string]string
			if cfg.Headers != nil {
				h = cfg.Headers(i)
			}
			sessions[i], errs[i] = Open(ctx, cfg.URL, hc, h)
		})
	}
	openWG.Wait()
	defer func() {
		for _, s := range sessions {
			if s != nil {
				s.Close()
			}
		}
	}()
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("loadgen: opening sessions: %w", err)
	}

	runCtx := ctx
	if cfg.Duration > 0 {
		var cancel context.CancelFunc
		runCtx, cancel = context.WithTimeout(ctx, cfg.Duration)
		defer cancel()
	}
	type rec struct {
		lat, end time.Duration
		kind     string
	}
	recs := make([][]rec, cfg.Sessions)
	samples := sync.Map{}
	var issued atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for si, s := range sessions {
		wg.Go(func() {
			for i := 0; ; i++ {
				if runCtx.Err() != nil {
					return
				}
				if cfg.Calls > 0 && issued.Add(1) > int64(cfg.Calls) {
					return
				}
				var args map[string]any
				if cfg.Args != nil {
					args = cfg.Args(si, i)
				}
				cctx, cancel := context.WithTimeout(ctx, cfg.CallTimeout)
				t0 := time.Now()
				kind, msg := s.Call(cctx, cfg.Tool, args)
				t1 := time.Now()
				cancel()
				if kind != "" {
					samples.LoadOrStore(kind, msg)
				}
				recs[si] = append(recs[si], rec{t1.Sub(t0), t1.Sub(start), kind})
			}
		})
	}
	wg.Wait()
	r := &Result{Sessions: cfg.Sessions, Errors: map[string]int{}, Samples: map[string]string{}, Elapsed: time.Since(start)}
	var last time.Duration
	for _, rs := range recs {
		for _, x := range rs {
			last = max(last, x.end)
			r.Calls++
			r.Latencies = append(r.Latencies, x.lat)
			if x.kind == "" {
				r.OK++
				r.Ends = append(r.Ends, x.end)
			} else {
				r.Errors[x.kind]++
			}
		}
	}
	slices.Sort(r.Latencies)
	slices.Sort(r.Ends)
	if last > 0 {
		r.Elapsed = last // not the sessions' closing
	}
	samples.Range(func(k, v any) bool { r.Samples[k.(string)] = v.(string); return true })
	return r, nil
}

// SimulatorStats reads GET zoomfake.StatsPath of a standalone simulator at
// base (http://ADDR).
func SimulatorStats(ctx context.Context, base string) (zoomfake.Stats, error) {
	var st zoomfake.Stats
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimSuffix(base, "/")+zoomfake.StatsPath, nil)
	if err != nil {
		return st, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return st, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return st, fmt.Errorf("GET %s: %s", zoomfake.StatsPath, resp.Status)
	}
	return st, json.NewDecoder(resp.Body).Decode(&st)
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's times: 100 on every
// Linux the benchmarks run on.
const clockTicks = 100

// ProcessCPU is the user and system CPU time process pid has used, read
// from /proc/PID/stat (Linux), in 10 ms ticks.
func ProcessCPU(pid int) (time.Duration, error) {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, err
	}
	// The command name, field 2, is in parentheses and may hold spaces.
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	if i < 0 {
		return 0, fmt.Errorf("parsing /proc/%d/stat", pid)
	}
	f := strings.Fields(s[i+1:]) // f[0] is field 3 (state)
	if len(f) < 13 {
		return 0, fmt.Errorf("parsing /proc/%d/stat", pid)
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err := errors.Join(err1, err2); err != nil {
		return 0, err
	}
	return time.Duration(utime+stime) * time.Second / clockTicks, nil
}

// FreeAddr is a loopback address with a port nothing listens on.
func FreeAddr() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// WaitHTTP waits until url answers any HTTP status, or timeout passes.
func WaitHTTP(ctx context.Context, url string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not answer in %v: %w", url, timeout, err)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
