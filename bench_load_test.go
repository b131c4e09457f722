package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/internal/loadgen"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// Load benchmarks: the server as a separate process on loopback, the MCP
// sessions (internal/loadgen) in the test process. Tunables, from the
// environment:
//
//	LOADGEN_DURATION      each throughput run (default 3s)
//	LOADGEN_HEAVY_CALLS   calls of each Heavy run (default 1000)
//	LOADGEN_SCALED_CALLS  calls of the Heavy run at --rate-scale 0.2 (default LOADGEN_HEAVY_CALLS)
//
// Run them with -benchtime 1x: one run is the measurement.

func envDuration(name string, def time.Duration) time.Duration {
	if d, err := time.ParseDuration(os.Getenv(name)); err == nil && d > 0 {
		return d
	}
	return def
}

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

var (
	floorOnce sync.Once
	floorBin  string
	floorErr  error
)

// floorHTTP builds the one-tool mcp-go HTTP server (internal/loadgen/floorhttp).
func floorHTTP(b *testing.B) string {
	bin := binary(b)
	floorOnce.Do(func() {
		floorBin = filepath.Join(filepath.Dir(bin), "floorhttp")
		if out, err := exec.Command("go", "build", "-o", floorBin, "./internal/loadgen/floorhttp").CombinedOutput(); err != nil {
			floorErr = &buildError{err, string(out)}
		}
	})
	if floorErr != nil {
		b.Fatal(floorErr)
	}
	return floorBin
}

// cleanEnv is the test's environment without ZOOM_ and ZOOMFAKE_ variables,
// plus extra.
func cleanEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ZOOM_") && !strings.HasPrefix(kv, "ZOOMFAKE_") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// startProcess starts bin with args and env, waits until probe answers
// HTTP, and stops the process when the benchmark ends.
func startProcess(b *testing.B, bin string, args, env []string, probe string) *exec.Cmd {
	b.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { cmd.Wait(); close(exited) }()
	b.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-exited
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-exited:
			cancel()
		case <-ctx.Done():
		}
	}()
	defer cancel()
	if err := loadgen.WaitHTTP(ctx, probe, 15*time.Second); err != nil {
		b.Fatalf("%s %s: %v\n%s", filepath.Base(bin), strings.Join(args, " "), err, stderr.String())
	}
	return cmd
}

// BenchmarkHTTPThroughput: tools/call throughput over streamable HTTP, and
// the server process's CPU time per call, at 1, 10, 50 and 200 concurrent
// sessions, for zoom-mcp (--sandbox, ZOOM_PLAN=unlimited: no pacing, no
// simulated limit; get_meeting) and for the one-tool mcp-go floor (ping).
//
//	go test -run '^$' -bench HTTPThroughput -benchtime 1x .
func BenchmarkHTTPThroughput(b *testing.B) {
	d := envDuration("LOADGEN_DURATION", 3*time.Second)
	servers := []struct {
		name  string
		start func(b *testing.B) (*exec.Cmd, string)
		tool  string
		args  map[string]any
	}{
		{"zoom-mcp", func(b *testing.B) (*exec.Cmd, string) {
			addr := freeAddrB(b)
			cmd := startProcess(b, binary(b),
				[]string{"--sandbox", "--http", addr, "--log-level", "error", "--max-sessions", "2000"},
				cleanEnv("ZOOM_PLAN=unlimited"), "http://"+addr+"/healthz")
			return cmd, "http://" + addr + "/mcp"
		}, "get_meeting", map[string]any{"meeting_id": strconv.FormatInt(zoomfake.SeedRegistrationMeetingID, 10)}},
		{"floor", func(b *testing.B) (*exec.Cmd, string) {
			addr := freeAddrB(b)
			cmd := startProcess(b, floorHTTP(b), []string{addr}, cleanEnv(), "http://"+addr+"/mcp")
			return cmd, "http://" + addr + "/mcp"
		}, "ping", nil},
	}
	for _, srv := range servers {
		b.Run(srv.name, func(b *testing.B) {
			cmd, url := srv.start(b)
			for _, n := range []int{1, 10, 50, 200} {
				b.Run(fmt.Sprintf("sessions=%d", n), func(b *testing.B) {
					for b.Loop() {
						cpu0, err := loadgen.ProcessCPU(cmd.Process.Pid)
						if err != nil {
							b.Fatal(err)
						}
						r, err := loadgen.Run(b.Context(), loadgen.Config{URL: url, Sessions: n, Duration: d, Tool: srv.tool,
							Args: func(int, int) map[string]any { return srv.args }})
						if err != nil {
							b.Fatal(err)
						}
						cpu1, _ := loadgen.ProcessCPU(cmd.Process.Pid)
						if r.OK != r.Calls || r.Calls == 0 {
							b.Fatalf("%v %v", r, r.Samples)
						}
						b.ReportMetric(r.Throughput(), "calls/s")
						b.ReportMetric(float64((cpu1-cpu0).Microseconds())/float64(r.Calls), "cpu-µs/call")
						b.ReportMetric(float64(r.Percentile(50).Microseconds()), "p50-µs")
						b.ReportMetric(float64(r.Percentile(99).Microseconds()), "p99-µs")
						b.Log(r)
					}
				})
			}
		})
	}
}

// BenchmarkHeavyAgents: 50 concurrent agents share LOADGEN_HEAVY_CALLS
// (1,000) Heavy calls (get_meeting_report) through zoom-mcp (a separate
// process, Server-to-Server app, ZOOM_PLAN=pro) against a standalone
// simulator at Pro limits (Heavy 10/s), then against one at --rate-scale
// 0.2 (2/s, which the client is not told). It reports the rate achieved
// against the simulator's, overall and after the first second, the 429s
// surfaced to agents (error.kind rate_limited) and those the simulator
// answered, and the agents' wait (call latency) p50 and p99 against the
// fair wait, sessions / rate.
//
//	go test -run '^$' -bench HeavyAgents -benchtime 1x -timeout 30m .
func BenchmarkHeavyAgents(b *testing.B) {
	const sessions = 50
	for _, c := range []struct {
		name  string
		scale float64
		calls int
	}{
		{"pro", 1, envInt("LOADGEN_HEAVY_CALLS", 1000)},
		{"pro-scale=0.2", 0.2, envInt("LOADGEN_SCALED_CALLS", envInt("LOADGEN_HEAVY_CALLS", 1000))},
	} {
		b.Run(c.name, func(b *testing.B) {
			bin := binary(b)
			simAddr := freeAddrB(b)
			startProcess(b, bin, []string{"simulator", "--addr", simAddr, "--plan", "pro",
				"--rate-scale", strconv.FormatFloat(c.scale, 'g', -1, 64), "--log-level", "error", "--token-ttl", "24h"},
				cleanEnv(), "http://"+simAddr+zoomfake.StatsPath)
			lim, _ := zoomfake.Limits(zoomfake.PlanPro, zoomfake.CategoryHeavy)
			n, w := lim.Scaled(c.scale)
			allowed := float64(n) / w.Seconds()

			addr := freeAddrB(b)
			startProcess(b, bin, []string{"--http", addr, "--auth", "s2s", "--log-level", "error", "--call-timeout", "10m", "--tools", "get_meeting_report"},
				cleanEnv("ZOOM_API_BASE_URL=http://"+simAddr+"/v2", "ZOOM_OAUTH_BASE_URL=http://"+simAddr,
					"ZOOM_ACCOUNT_ID="+zoomfake.DefaultAccountID, "ZOOM_CLIENT_ID="+zoomfake.DefaultClientID,
					"ZOOM_CLIENT_SECRET="+zoomfake.DefaultClientSecret, "ZOOM_PLAN=pro"),
				"http://"+addr+"/healthz")
			// Bound: three times the calls' fair duration, plus a minute.
			bound := time.Duration(float64(c.calls)/allowed*3*float64(time.Second)) + time.Minute
			for b.Loop() {
				st0, err := loadgen.SimulatorStats(b.Context(), "http://"+simAddr)
				if err != nil {
					b.Fatal(err)
				}
				r, err := loadgen.Run(b.Context(), loadgen.Config{URL: "http://" + addr + "/mcp", Sessions: sessions,
					Calls: c.calls, Duration: bound, Tool: "get_meeting_report",
					Args: func(int, int) map[string]any { return map[string]any{"meeting_id": zoomfake.SeedPastUUID} }})
				if err != nil {
					b.Fatal(err)
				}
				st1, err := loadgen.SimulatorStats(b.Context(), "http://"+simAddr)
				if err != nil {
					b.Fatal(err)
				}
				achieved := float64(r.OK) / r.Elapsed.Seconds()
				after := r.OKRateAfter(time.Second)
				fair := time.Duration(float64(sessions) / allowed * float64(time.Second))
				b.ReportMetric(allowed, "allowed/s")
				b.ReportMetric(achieved, "ok/s")
				b.ReportMetric(100*achieved/allowed, "%allowed")
				b.ReportMetric(100*after/allowed, "%allowed-after-1s")
				b.ReportMetric(float64(r.Errors["rate_limited"]), "429s-surfaced")
				b.ReportMetric(float64(st1.RateLimited-st0.RateLimited), "sim-429s")
				b.ReportMetric(float64(r.Calls-r.OK), "failed")
				b.ReportMetric(r.Percentile(50).Seconds(), "wait-p50-s")
				b.ReportMetric(r.Percentile(99).Seconds(), "wait-p99-s")
				b.ReportMetric(fair.Seconds(), "fair-wait-s")
				b.Logf("%v; allowed %.1f/s, achieved %.2f/s (%.2f/s after 1 s); simulator: %d requests, 429s %v; samples %v",
					r, allowed, achieved, after, st1.Requests-st0.Requests, st1.RateLimitedBy, r.Samples)
			}
		})
	}
}

func freeAddrB(b *testing.B) string {
	b.Helper()
	a, err := loadgen.FreeAddr()
	if err != nil {
		b.Fatal(err)
	}
	return a
}
