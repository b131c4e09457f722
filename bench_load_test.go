package main

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/internal/loadgen"
	"github.com/zoommcp/zoom-mcp/internal/redistest"
	"github.com/zoommcp/zoom-mcp/policy"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// Load benchmarks: the server as a separate process on loopback, the MCP
// sessions (internal/loadgen) in the test process. Tunables, from the
// environment:
//
//	LOADGEN_DURATION      each throughput run (default 3s)
//	LOADGEN_HEAVY_CALLS   calls of each Heavy run (default 1000)
//	LOADGEN_SCALED_CALLS  calls of the Heavy run at --rate-scale 0.2 (default LOADGEN_HEAVY_CALLS)
//	LOADGEN_REPLICA_CALLS         calls of each BenchmarkReplicas run at Pro (default 600)
//	LOADGEN_REPLICA_SCALED_CALLS  and at --rate-scale 0.2 (default 200)
//	LOADGEN_FAULT_CALLS           calls of BenchmarkTokenExpiry at Pro (default 400)
//	LOADGEN_FAULT_SCALED_CALLS    and at rate scale 0.2 (default 150)
//	LOADGEN_EXPIRE_EVERY          BenchmarkTokenExpiry's token expiry period (default 5s)
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
	p := launch(b, bin, args, env)
	p.ready(b, probe)
	return p.cmd
}

// process is a child process launched by launch.
type process struct {
	cmd    *exec.Cmd
	stderr *syncBuffer
	exited chan struct{}
}

// launch starts bin with args and env and stops it (SIGINT, then SIGKILL
// after 5 s) when the benchmark ends; it does not wait for it to serve.
func launch(b *testing.B, bin string, args, env []string) *process {
	b.Helper()
	p := &process{cmd: exec.Command(bin, args...), stderr: &syncBuffer{}, exited: make(chan struct{})}
	p.cmd.Env = env
	p.cmd.Stderr = p.stderr
	if err := p.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.exited) }()
	b.Cleanup(func() {
		p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.exited:
		case <-time.After(5 * time.Second):
			p.cmd.Process.Kill()
			<-p.exited
		}
	})
	return p
}

// ready waits until probe answers HTTP, failing the benchmark if the
// process exits first or 15 s pass.
func (p *process) ready(b *testing.B, probe string) {
	b.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		select {
		case <-p.exited:
			cancel()
		case <-ctx.Done():
		}
	}()
	defer cancel()
	if err := loadgen.WaitHTTP(ctx, probe, 15*time.Second); err != nil {
		b.Fatalf("%s %s: %v\n%s", filepath.Base(p.cmd.Path), strings.Join(p.cmd.Args[1:], " "), err, p.stderr.String())
	}
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
			addr := freeAddr(b)
			cmd := startProcess(b, binary(b),
				[]string{"--sandbox", "--http", addr, "--log-level", "error", "--max-sessions", "2000"},
				cleanEnv("ZOOM_PLAN=unlimited"), "http://"+addr+"/healthz")
			return cmd, "http://" + addr + "/mcp"
		}, "get_meeting", map[string]any{"meeting_id": strconv.FormatInt(zoomfake.SeedRegistrationMeetingID, 10)}},
		{"floor", func(b *testing.B) (*exec.Cmd, string) {
			addr := freeAddr(b)
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
			simAddr, allowed := startSimulator(b, c.scale)
			addr := freeAddr(b)
			startProcess(b, binary(b), []string{"--http", addr, "--auth", "s2s", "--log-level", "error", "--call-timeout", "10m", "--tools", "get_meeting_report"},
				simulatorS2SEnv(simAddr), "http://"+addr+"/healthz")
			for b.Loop() {
				heavyRun(b, "http://"+simAddr, allowed, loadgen.Config{URL: "http://" + addr + "/mcp", Sessions: sessions, Calls: c.calls})
			}
		})
	}
}

// startSimulator starts a standalone simulator at Pro limits times scale
// (tokens live 24 h) and returns its address and Heavy's allowed rate a
// second.
func startSimulator(b *testing.B, scale float64) (addr string, allowed float64) {
	b.Helper()
	addr = freeAddr(b)
	startProcess(b, binary(b), []string{"simulator", "--addr", addr, "--plan", "pro",
		"--rate-scale", strconv.FormatFloat(scale, 'g', -1, 64), "--log-level", "error", "--token-ttl", "24h"},
		cleanEnv(), "http://"+addr+zoomfake.StatsPath)
	lim, _ := zoomfake.Limits(zoomfake.PlanPro, zoomfake.CategoryHeavy)
	n, w := lim.Scaled(scale)
	return addr, float64(n) / w.Seconds()
}

// simulatorS2SEnv is the environment of a zoom-mcp whose Server-to-Server
// app is the simulator's at simAddr, on a Pro plan.
func simulatorS2SEnv(simAddr string) []string {
	return cleanEnv("ZOOM_API_BASE_URL=http://"+simAddr+"/v2", "ZOOM_OAUTH_BASE_URL=http://"+simAddr,
		"ZOOM_ACCOUNT_ID="+zoomfake.DefaultAccountID, "ZOOM_CLIENT_ID="+zoomfake.DefaultClientID,
		"ZOOM_CLIENT_SECRET="+zoomfake.DefaultClientSecret, "ZOOM_PLAN=pro")
}

// heavyRun makes cfg.Calls get_meeting_report calls (cfg.Sessions agents)
// and reports the rate achieved against allowed, the 429s surfaced and
// those the simulator at sim answered, the simulator's token requests
// during the run, and the agents' wait against the fair one.
func heavyRun(b *testing.B, sim string, allowed float64, cfg loadgen.Config) (*loadgen.Result, zoomfake.Stats) {
	b.Helper()
	cfg.Tool = "get_meeting_report"
	cfg.Args = func(int, int) map[string]any { return map[string]any{"meeting_id": zoomfake.SeedPastUUID} }
	// Bound: three times the calls' fair duration, plus a minute.
	cfg.Duration = time.Duration(float64(cfg.Calls)/allowed*3*float64(time.Second)) + time.Minute
	st0, err := loadgen.SimulatorStats(b.Context(), sim)
	if err != nil {
		b.Fatal(err)
	}
	r, err := loadgen.Run(b.Context(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	st1, err := loadgen.SimulatorStats(b.Context(), sim)
	if err != nil {
		b.Fatal(err)
	}
	achieved := float64(r.OK) / r.Elapsed.Seconds()
	after := r.OKRateAfter(time.Second)
	fair := time.Duration(float64(cfg.Sessions) / allowed * float64(time.Second))
	b.ReportMetric(allowed, "allowed/s")
	b.ReportMetric(achieved, "ok/s")
	b.ReportMetric(100*achieved/allowed, "%allowed")
	b.ReportMetric(100*after/allowed, "%allowed-after-1s")
	b.ReportMetric(float64(r.Errors["rate_limited"]), "429s-surfaced")
	b.ReportMetric(float64(st1.RateLimited-st0.RateLimited), "sim-429s")
	b.ReportMetric(float64(r.Calls-r.OK), "failed")
	b.ReportMetric(float64(st1.ByOperation[tokenOp]-st0.ByOperation[tokenOp]), "tokens-in-run")
	b.ReportMetric(r.Percentile(50).Seconds(), "wait-p50-s")
	b.ReportMetric(r.Percentile(99).Seconds(), "wait-p99-s")
	b.ReportMetric(fair.Seconds(), "fair-wait-s")
	b.Logf("%v; allowed %.1f/s, achieved %.2f/s (%.2f/s after 1 s); simulator: %d requests, 429s %v, operations %v; samples %v",
		r, allowed, achieved, after, st1.Requests-st0.Requests, st1.RateLimitedBy, st1.ByOperation, r.Samples)
	return r, st1
}

// tokenOp is the simulator's operation name of its token endpoint (Stats.ByOperation).
const tokenOp = "oauth.token"

// BenchmarkReplicas: 1 and 3 zoom-mcp processes (--http, --redis of one
// redis-server, one --config of 50 agent keys, the S2S app of a standalone
// simulator at Pro) behind a round robin in the benchmark that sends each
// HTTP request to the next replica (no sticky sessions: --redis serves
// stateless). 50 agents, each with its own key, share
// LOADGEN_REPLICA_CALLS (600) Heavy calls; with the simulator at
// --rate-scale 0.2, LOADGEN_REPLICA_SCALED_CALLS (200). Besides
// BenchmarkHeavyAgents' figures it reports the token requests the
// simulator received from start-up (the replicas start at once; one S2S
// token should serve them all) to the run's end.
//
//	go test -run '^$' -bench Replicas -benchtime 1x -timeout 30m .
func BenchmarkReplicas(b *testing.B) {
	const sessions = 50
	cfgFile, headers := agentsConfig(b, sessions)
	for _, c := range []struct {
		name  string
		scale float64
		calls int
	}{
		{"pro", 1, envInt("LOADGEN_REPLICA_CALLS", 600)},
		{"pro-scale=0.2", 0.2, envInt("LOADGEN_REPLICA_SCALED_CALLS", 200)},
	} {
		for _, n := range []int{3, 1} {
			b.Run(fmt.Sprintf("%s/replicas=%d", c.name, n), func(b *testing.B) {
				rs := redistest.Start(b)
				simAddr, allowed := startSimulator(b, c.scale)
				addrs := launchReplicas(b, n, rs.URL(), cfgFile, simAddr)
				for b.Loop() {
					_, st := heavyRun(b, "http://"+simAddr, allowed, loadgen.Config{URL: "http://" + addrs[0] + "/mcp",
						Sessions: sessions, Calls: c.calls, Headers: headers, Replicas: addrs})
					b.ReportMetric(float64(st.ByOperation[tokenOp]), "tokens-total")
				}
			})
		}
	}
}

// BenchmarkTokenExpiry: BenchmarkReplicas' three replicas and 50 agents
// against a simulator in the benchmark's process (so that it can call
// zoomfake.Server.ExpireTokens; the simulator subcommand has no endpoint
// for it), which expires every token issued so far each
// LOADGEN_EXPIRE_EVERY (5 s) of the run: each replica's next call meets
// code 124 and renews the shared token. LOADGEN_FAULT_CALLS (400) Heavy
// calls at Pro, LOADGEN_FAULT_SCALED_CALLS (150) at rate scale 0.2, where
// 429s come on top. It reports BenchmarkHeavyAgents' figures, the
// expiries and the token requests during the run (ideally one per
// expiry); the log has the calls failed by kind.
//
//	go test -run '^$' -bench TokenExpiry -benchtime 1x -timeout 30m .
func BenchmarkTokenExpiry(b *testing.B) {
	const sessions, replicas = 50, 3
	every := envDuration("LOADGEN_EXPIRE_EVERY", 5*time.Second)
	cfgFile, headers := agentsConfig(b, sessions)
	for _, c := range []struct {
		name  string
		scale float64
		calls int
	}{
		{"pro", 1, envInt("LOADGEN_FAULT_CALLS", 400)},
		{"pro-scale=0.2", 0.2, envInt("LOADGEN_FAULT_SCALED_CALLS", 150)},
	} {
		b.Run(c.name, func(b *testing.B) {
			rs := redistest.Start(b)
			sim := zoomfake.New(zoomfake.Options{Plan: zoomfake.PlanPro, RateScale: c.scale, TokenTTL: 24 * time.Hour})
			hs := httptest.NewServer(sim)
			b.Cleanup(hs.Close)
			simAddr := strings.TrimPrefix(hs.URL, "http://")
			lim, _ := zoomfake.Limits(zoomfake.PlanPro, zoomfake.CategoryHeavy)
			n, w := lim.Scaled(c.scale)
			allowed := float64(n) / w.Seconds()
			addrs := launchReplicas(b, replicas, rs.URL(), cfgFile, simAddr)
			for b.Loop() {
				var expiries atomic.Int64
				ctx, stop := context.WithCancel(b.Context())
				done := make(chan struct{})
				go func() {
					defer close(done)
					t := time.NewTicker(every)
					defer t.Stop()
					for {
						select {
						case <-ctx.Done():
							return
						case <-t.C:
							sim.ExpireTokens()
							expiries.Add(1)
						}
					}
				}()
				heavyRun(b, hs.URL, allowed, loadgen.Config{URL: "http://" + addrs[0] + "/mcp",
					Sessions: sessions, Calls: c.calls, Headers: headers, Replicas: addrs})
				stop()
				<-done
				b.ReportMetric(float64(expiries.Load()), "expiries")
			}
		})
	}
}

// launchReplicas starts n server processes over HTTP that share Redis at
// redisURL, serve get_meeting_report to the agents of cfgFile, and reach
// the simulator at simAddr; it returns their addresses once each answers.
func launchReplicas(b *testing.B, n int, redisURL, cfgFile, simAddr string) []string {
	b.Helper()
	bin := binary(b)
	procs := make([]*process, n)
	addrs := make([]string, n)
	for i := range procs {
		addrs[i] = freeAddr(b)
		procs[i] = launch(b, bin, []string{"--http", addrs[i], "--redis", redisURL, "--config", cfgFile,
			"--auth", "s2s", "--log-level", "error", "--call-timeout", "10m", "--tools", "get_meeting_report"},
			simulatorS2SEnv(simAddr))
	}
	for i, p := range procs {
		p.ready(b, "http://"+addrs[i]+"/healthz")
	}
	return addrs
}

// agentsConfig writes a policy with n agents that may read reports, each
// with its own key, and returns it and the headers of session s's agent.
func agentsConfig(b *testing.B, n int) (string, func(s int) map[string]string) {
	keys := make([]string, n)
	var cfg strings.Builder
	cfg.WriteString("agents:\n")
	for i := range keys {
		keys[i] = fmt.Sprintf("zmcp_bench_agent_%02d", i)
		fmt.Fprintf(&cfg, "  - name: agent%02d\n    key_sha256: %s\n    access: { reports: read }\n", i, policy.HashKey(keys[i]))
	}
	cfgFile := filepath.Join(b.TempDir(), "policy.yaml")
	if err := os.WriteFile(cfgFile, []byte(cfg.String()), 0o600); err != nil {
		b.Fatal(err)
	}
	return cfgFile, func(s int) map[string]string { return map[string]string{"Authorization": "Bearer " + keys[s]} }
}
