package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/internal/redistest"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/policy"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// replicaPolicy: scheduler may make two meeting writes a day; ops needs a
// person's OK for create_meeting.
const replicaPolicy = `agents:
  - name: scheduler
    key_sha256: %s
    access: { meetings: full, reports: read, users: read }
    limits: { daily_writes: 2 }
  - name: ops
    key_sha256: %s
    access: { meetings: full }
    confirm: [create_meeting]
`

const (
	schedulerKey = "zmcp_replica_scheduler"
	opsKey       = "zmcp_replica_ops"
)

// simulatorVars are the variables that point a server at the simulator
// at base with its Server-to-Server app.
func simulatorVars(base string) map[string]string {
	return map[string]string{"ZOOM_ACCOUNT_ID": zoomfake.DefaultAccountID, "ZOOM_CLIENT_ID": zoomfake.DefaultClientID,
		"ZOOM_CLIENT_SECRET": zoomfake.DefaultClientSecret, "ZOOM_OAUTH_BASE_URL": base, "ZOOM_API_BASE_URL": base + "/v2"}
}

var urlInLog = regexp.MustCompile(`"url":"(http://[^"]+/mcp)"`)

// startReplica runs the binary with args (an --http 127.0.0.1:0 server)
// and vars, and returns its /mcp URL and its log; the process is stopped
// when the test ends.
func startReplica(t *testing.T, bin string, args []string, vars map[string]string) (string, *syncBuffer) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	home := t.TempDir()
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "ZOOM_") && !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "XDG_CONFIG_HOME=") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, "HOME="+home, "XDG_CONFIG_HOME="+home)
	for k, v := range vars {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	log := &syncBuffer{}
	found := make(chan string, 1)
	scanned := make(chan struct{})
	go func() {
		defer close(scanned)
		sc := bufio.NewScanner(stderr)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			log.Write([]byte(line + "\n"))
			if m := urlInLog.FindStringSubmatch(line); m != nil && strings.Contains(line, "serving MCP over streamable HTTP") {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { <-scanned; _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
	})
	select {
	case u := <-found:
		return u, log
	case <-scanned:
		t.Fatalf("the server exited before serving:\n%s", log.String())
	case <-time.After(30 * time.Second):
		t.Fatalf("the server did not start in 30s:\n%s", log.String())
	}
	return "", nil
}

// rpcReply is the answer to one JSON-RPC request over streamable HTTP,
// with the notifications that came before it on the same response.
type rpcReply struct {
	Status int
	Result json.RawMessage
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	Notes []rpcNote
}

type rpcNote struct {
	Method string         `json:"method"`
	Params map[string]any `json:"params"`
}

var httpClient = &http.Client{Timeout: 60 * time.Second}

// post sends one JSON-RPC message to an MCP endpoint as agent key and
// reads the answer, JSON or an SSE stream.
func post(t *testing.T, url, key string, headers map[string]string, msg any) rpcReply {
	t.Helper()
	body, err := json.Marshal(msg)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Authorization", "Bearer "+key)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := httpClient.Do(req)
	if err != nil {
		t.Errorf("POST %s: %v", url, err)
		return rpcReply{}
	}
	defer res.Body.Close()
	reply := rpcReply{Status: res.StatusCode}
	var messages [][]byte
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		sc := bufio.NewScanner(res.Body)
		sc.Buffer(make([]byte, 64<<10), 8<<20)
		var data []byte
		for sc.Scan() {
			line := sc.Text()
			switch {
			case strings.HasPrefix(line, "data:"):
				data = append(data, strings.TrimPrefix(strings.TrimPrefix(line, "data:"), " ")...)
			case line == "" && len(data) > 0:
				messages = append(messages, data)
				data = nil
			}
		}
		if len(data) > 0 {
			messages = append(messages, data)
		}
	} else {
		data, _ := io.ReadAll(res.Body)
		if len(bytes.TrimSpace(data)) > 0 {
			messages = append(messages, data)
		}
	}
	for _, m := range messages {
		var env struct {
			ID     json.RawMessage `json:"id"`
			Method string          `json:"method"`
			Params map[string]any  `json:"params"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if err := json.Unmarshal(m, &env); err != nil {
			t.Errorf("not JSON-RPC (status %d): %s", res.StatusCode, m)
			continue
		}
		if env.Method != "" && len(env.ID) == 0 {
			reply.Notes = append(reply.Notes, rpcNote{Method: env.Method, Params: env.Params})
			continue
		}
		reply.Result = env.Result
		if len(env.Error) > 0 {
			_ = json.Unmarshal(env.Error, &reply.Error)
		}
	}
	return reply
}

// toolResult is a tools/call result as the wire carries it.
type toolResult struct {
	IsError           bool                       `json:"isError"`
	ResultType        string                     `json:"resultType"`
	RequestState      string                     `json:"requestState"`
	InputRequests     map[string]json.RawMessage `json:"inputRequests"`
	StructuredContent map[string]any             `json:"structuredContent"`
	Content           []struct {
		Text string `json:"text"`
	} `json:"content"`
}

func (r toolResult) errorInfo() pipeline.ErrorInfo {
	var body struct {
		Error pipeline.ErrorInfo `json:"error"`
	}
	data, _ := json.Marshal(r.StructuredContent)
	_ = json.Unmarshal(data, &body)
	return body.Error
}

func (r toolResult) String() string {
	data, _ := json.Marshal(r)
	return string(data)
}

func (r rpcReply) tool(t *testing.T, what string) toolResult {
	t.Helper()
	if r.Status != http.StatusOK || r.Error != nil || r.Result == nil {
		t.Fatalf("%s: status %d, error %+v, result %s", what, r.Status, r.Error, r.Result)
	}
	var tr toolResult
	if err := json.Unmarshal(r.Result, &tr); err != nil {
		t.Fatalf("%s: %v: %s", what, err, r.Result)
	}
	return tr
}

const legacyVersion = "2025-06-18"
const modernVersion = "2026-07-28"

// legacyCall is a tools/call of the initialize-handshake era, sent without
// a session ID.
func legacyCall(id int, name string, args map[string]any) (map[string]string, map[string]any) {
	return map[string]string{"Mcp-Protocol-Version": legacyVersion},
		map[string]any{"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": map[string]any{"name": name, "arguments": args}}
}

// modernCall is a tools/call of protocol 2026-07-28 from a client that can
// elicit; extra adds params (requestState, inputResponses).
func modernCall(id int, name string, args map[string]any, extra map[string]any) (map[string]string, map[string]any) {
	params := map[string]any{"name": name, "arguments": args, "_meta": map[string]any{
		"io.modelcontextprotocol/protocolVersion":    modernVersion,
		"io.modelcontextprotocol/clientInfo":         map[string]any{"name": "replica-test", "version": "1"},
		"io.modelcontextprotocol/clientCapabilities": map[string]any{"elicitation": map[string]any{}},
	}}
	for k, v := range extra {
		params[k] = v
	}
	return map[string]string{"Mcp-Protocol-Version": modernVersion, "Mcp-Method": "tools/call", "Mcp-Name": name},
		map[string]any{"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params}
}

// simStats reads the simulator's counters from its own endpoint.
func simStats(t *testing.T, base string) zoomfake.Stats {
	t.Helper()
	res, err := httpClient.Get(base + zoomfake.StatsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var st zoomfake.Stats
	if err := json.NewDecoder(res.Body).Decode(&st); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestReplicasShareRedis runs three server processes on one Redis and one
// simulator, as replicas behind a load balancer without sticky sessions:
// each request goes to another replica, and the replicas share the
// Server-to-Server token, the rate limiter, the agents' daily budgets and
// the confirmations.
func TestReplicasShareRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the binary")
	}
	rd := redistest.Start(t)
	sim := zoomfake.New(zoomfake.Options{Plan: zoomfake.PlanPro})
	hs := httptest.NewServer(sim)
	t.Cleanup(hs.Close)
	bin := binary(t)
	cfg := writeFile(t, "policy.yaml", fmt.Sprintf(replicaPolicy, policy.HashKey(schedulerKey), policy.HashKey(opsKey)))
	vars := simulatorVars(hs.URL)
	args := []string{"--http", "127.0.0.1:0", "--redis", rd.URL(), "--config", cfg}
	urls := startReplicas(t, bin, args, vars)

	// The replicas share one Server-to-Server token: each checked the
	// app's scopes at start-up, and only one fetched a token.
	if n := sim.RequestsFor("oauth.token"); n != 1 {
		t.Errorf("%d token requests for 3 replicas, want 1", n)
	}

	t.Run("no sticky sessions", func(t *testing.T) {
		r := post(t, urls[0], schedulerKey, nil, json.RawMessage(initMsg))
		if r.Status != http.StatusOK || r.Result == nil {
			t.Fatalf("initialize on replica 1: %d %+v", r.Status, r.Error)
		}
		var init struct {
			ProtocolVersion string `json:"protocolVersion"`
		}
		_ = json.Unmarshal(r.Result, &init)
		if init.ProtocolVersion == "" {
			t.Errorf("initialize: %s", r.Result)
		}
		h, m := legacyCall(2, "list_users", map[string]any{})
		res := post(t, urls[1], schedulerKey, h, m).tool(t, "list_users on replica 2")
		if users, _ := res.StructuredContent["users"].([]any); res.IsError || len(users) == 0 {
			t.Errorf("list_users on replica 2: %s", res)
		}
		h, m = legacyCall(3, "get_meeting", map[string]any{"meeting_id": zoomfake.SeedRegistrationMeetingID})
		res = post(t, urls[2], schedulerKey, h, m).tool(t, "get_meeting on replica 3")
		if res.IsError || res.StructuredContent["topic"] == nil {
			t.Errorf("get_meeting on replica 3: %s", res)
		}
		h, m = modernCall(4, "get_meeting", map[string]any{"meeting_id": zoomfake.SeedRegistrationMeetingID}, nil)
		res = post(t, urls[1], schedulerKey, h, m).tool(t, "get_meeting (2026-07-28) on replica 2")
		if res.IsError || res.StructuredContent["topic"] == nil {
			t.Errorf("get_meeting (2026-07-28) on replica 2: %s", res)
		}
		if n := sim.RequestsFor("oauth.token"); n != 1 {
			t.Errorf("%d token requests after calls on every replica, want 1", n)
		}
	})

	t.Run("shared rate limit", func(t *testing.T) {
		// Pro allows 10 Heavy requests a second for the account: 40
		// concurrent calls spread over the three replicas must be paced
		// together, or the simulator answers 429s by the dozen.
		const calls = 40
		before := simStats(t, hs.URL)
		beforeOp := sim.RequestsFor(zoomapi.OpReportMeetingDetails)
		start := time.Now()
		results := make([]toolResult, calls)
		var wg sync.WaitGroup
		for i := range calls {
			wg.Go(func() {
				h, m := legacyCall(100+i, "get_meeting_report", map[string]any{"meeting_id": zoomfake.SeedPastUUID})
				results[i] = post(t, urls[i%3], schedulerKey, h, m).tool(t, "get_meeting_report")
			})
		}
		// One more, queued behind them, asks for progress: over stateless
		// HTTP the notifications come on its own response stream.
		time.Sleep(300 * time.Millisecond)
		h, m := legacyCall(199, "get_meeting_report", map[string]any{"meeting_id": zoomfake.SeedPastUUID})
		m["params"].(map[string]any)["_meta"] = map[string]any{"progressToken": "burst-199"}
		waited := post(t, urls[1], schedulerKey, h, m)
		wg.Wait()
		elapsed := time.Since(start)
		for i, r := range results {
			if r.IsError {
				t.Errorf("call %d on replica %d: %s", i, i%3+1, r)
			}
		}
		if r := waited.tool(t, "get_meeting_report with a progressToken"); r.IsError {
			t.Errorf("the call with a progressToken: %s", r)
		}
		if len(waited.Notes) == 0 {
			t.Errorf("a call queued behind %d Heavy calls got no progress notification", calls)
		}
		for _, n := range waited.Notes {
			if n.Method != "notifications/progress" || n.Params["progressToken"] != "burst-199" {
				t.Errorf("notification %+v", n)
			}
		}
		after := simStats(t, hs.URL)
		limited := after.RateLimited - before.RateLimited
		sent := sim.RequestsFor(zoomapi.OpReportMeetingDetails) - beforeOp
		t.Logf("%d Heavy calls over 3 replicas in %v: %d requests, %d answered 429 (%v)", calls, elapsed.Round(time.Millisecond), sent, limited, after.RateLimitedBy)
		// A 429 may happen at the edge of Zoom's window when requests
		// arrive unevenly; each is retried. Three replicas pacing alone
		// draw six or more before each has adapted to Zoom's answers.
		if limited > 2 {
			t.Errorf("the simulator answered %d 429s: the replicas do not share the rate limiter", limited)
		}
		if sent != calls+1+limited {
			t.Errorf("%d requests for %d calls and %d 429s", sent, calls+1, limited)
		}
		if min := time.Duration(float64(calls-10) / 10 * float64(time.Second)); elapsed < min {
			t.Errorf("%d Heavy calls took %v, less than Pro's 10/s allows (%v)", calls, elapsed, min)
		}
	})

	t.Run("daily writes across replicas", func(t *testing.T) {
		create := func(id, replica int) toolResult {
			h, m := legacyCall(id, "create_meeting", map[string]any{"topic": fmt.Sprintf("replica write %d", id), "start_time": "2030-01-02T10:00:00Z"})
			return post(t, urls[replica], schedulerKey, h, m).tool(t, "create_meeting")
		}
		for i := range 2 {
			if r := create(200+i, 0); r.IsError {
				t.Fatalf("write %d on replica 1: %s", i+1, r)
			}
		}
		before := sim.RequestsFor(zoomapi.OpCreateMeeting)
		r := create(202, 1)
		if e := r.errorInfo(); !r.IsError || e.Rule != "limits.daily_writes" || e.Kind != pipeline.KindAccessDenied {
			t.Errorf("a third write on replica 2: %s", r)
		}
		if n := sim.RequestsFor(zoomapi.OpCreateMeeting) - before; n != 0 {
			t.Errorf("the refused write sent %d requests", n)
		}
	})

	t.Run("confirmation across replicas", func(t *testing.T) {
		args := map[string]any{"topic": "Confirmed on another replica", "start_time": "2030-01-03T10:00:00Z"}
		before := sim.RequestsFor(zoomapi.OpCreateMeeting)
		h, m := modernCall(300, "create_meeting", args, nil)
		asked := post(t, urls[0], opsKey, h, m).tool(t, "create_meeting on replica 1")
		if asked.ResultType != "input_required" || asked.RequestState == "" || asked.InputRequests["confirm"] == nil {
			t.Fatalf("replica 1 did not ask for a confirmation: %s", asked)
		}
		if n := sim.RequestsFor(zoomapi.OpCreateMeeting) - before; n != 0 {
			t.Fatalf("asking sent %d requests", n)
		}
		answer := map[string]any{
			"requestState":   asked.RequestState,
			"inputResponses": map[string]any{"confirm": map[string]any{"action": "accept", "content": map[string]any{"confirm": true}}},
		}
		h, m = modernCall(301, "create_meeting", args, answer)
		done := post(t, urls[1], opsKey, h, m).tool(t, "the answer on replica 2")
		if done.IsError || done.ResultType == "input_required" || done.StructuredContent["id"] == nil {
			t.Fatalf("the answer on replica 2: %s", done)
		}
		if n := sim.RequestsFor(zoomapi.OpCreateMeeting) - before; n != 1 {
			t.Errorf("the confirmed call sent %d creates, want 1", n)
		}
		// The same answer again, to a third replica: refused, not sent.
		h, m = modernCall(302, "create_meeting", args, answer)
		again := post(t, urls[2], opsKey, h, m).tool(t, "the answer again on replica 3")
		if e := again.errorInfo(); !again.IsError || e.Kind != pipeline.KindDeclined || !strings.Contains(e.Message, "already used") {
			t.Errorf("the answer replayed on replica 3: %s", again)
		}
		if n := sim.RequestsFor(zoomapi.OpCreateMeeting) - before; n != 1 {
			t.Errorf("after a replay, %d creates were sent, want 1", n)
		}
	})

	if n := sim.RequestsFor("oauth.token"); n != 1 {
		t.Errorf("%d token requests in all, want 1", n)
	}
}

// TestRedisDownFailsClosed: a server on --redis whose Redis stops answers
// a call with an unavailable result saying nothing was sent, and sends
// nothing to Zoom.
func TestRedisDownFailsClosed(t *testing.T) {
	rd := redistest.Start(t)
	sim := zoomfake.New(zoomfake.Options{})
	hs := httptest.NewServer(sim)
	t.Cleanup(hs.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, stderr, stop := stdioServer(ctx, t, []string{"--redis", rd.URL()}, env(simulatorVars(hs.URL)))
	initialize(ctx, t, c)
	get := mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "get_meeting", Arguments: map[string]any{"meeting_id": zoomfake.SeedRegistrationMeetingID}}}
	res, err := c.CallTool(ctx, get)
	if err != nil || res.IsError {
		t.Fatalf("with Redis up: %v %v\n%s", err, res, stderr.String())
	}

	// Stop Redis.
	_ = rd.Client(t).ShutdownNoSave(ctx).Err()
	ping := rd.Client(t)
	for deadline := time.Now().Add(10 * time.Second); ping.Ping(ctx).Err() == nil; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("redis-server did not stop")
		}
	}

	requests, tokens := sim.Requests(), sim.TokenRequests()
	for _, name := range []string{"get_meeting", "list_users"} {
		call := get
		if name == "list_users" {
			call = mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: map[string]any{}}}
		}
		start := time.Now()
		res, err = c.CallTool(ctx, call)
		if err != nil {
			t.Fatalf("%s with Redis down: %v", name, err)
		}
		info := errorOfResult(res)
		if !res.IsError || info.Kind != pipeline.KindUnavailable || !strings.Contains(info.Message, "nothing was sent") || !strings.Contains(info.Message, "Redis") {
			t.Errorf("%s with Redis down: isError %v, %+v", name, res.IsError, info)
		}
		if d := time.Since(start); d > 15*time.Second {
			t.Errorf("%s took %v to fail", name, d)
		}
	}
	if n, k := sim.Requests()-requests, sim.TokenRequests()-tokens; n != 0 || k != 0 {
		t.Errorf("with Redis down the simulator saw %d API and %d token requests", n, k)
	}
	if err := stop(); err != nil {
		t.Errorf("run: %v", err)
	}
}

func errorOfResult(res *mcp.CallToolResult) pipeline.ErrorInfo {
	var body struct {
		Error pipeline.ErrorInfo `json:"error"`
	}
	if res == nil {
		return body.Error
	}
	data, _ := json.Marshal(res.StructuredContent)
	_ = json.Unmarshal(data, &body)
	return body.Error
}

// progressNotes collects a client's notifications/progress.
type progressNotes struct {
	mu    sync.Mutex
	notes []map[string]any
}

func (p *progressNotes) add(n mcp.JSONRPCNotification) {
	if n.Method != "notifications/progress" {
		return
	}
	data, _ := json.Marshal(n.Params)
	var m map[string]any
	_ = json.Unmarshal(data, &m)
	p.mu.Lock()
	p.notes = append(p.notes, m)
	p.mu.Unlock()
}

func (p *progressNotes) all() []map[string]any {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]map[string]any(nil), p.notes...)
}

// TestProgressWhileRateLimited: a call that waits for Zoom's rate limit
// tells the client so with notifications/progress on its progressToken,
// progress increasing, and then succeeds; a call without a progressToken
// waits as long and gets none.
func TestProgressWhileRateLimited(t *testing.T) {
	// The client paces to Free (1 Heavy request a second, spaced 1.1 s);
	// the simulator does not limit, so that only the pacing waits.
	sim := zoomfake.New(zoomfake.Options{NoRateLimit: true})
	hs := httptest.NewServer(sim)
	t.Cleanup(hs.Close)
	vars := simulatorVars(hs.URL)
	vars["ZOOM_PLAN"] = "free"
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	c, stderr, stop := stdioServer(ctx, t, nil, env(vars))
	var notes progressNotes
	c.OnNotification(notes.add)
	initialize(ctx, t, c)

	report := func(token mcp.ProgressToken) mcp.CallToolRequest {
		r := mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "get_meeting_report", Arguments: map[string]any{"meeting_id": zoomfake.SeedPastUUID}}}
		if token != nil {
			r.Params.Meta = &mcp.Meta{ProgressToken: token}
		}
		return r
	}
	type outcome struct {
		res  *mcp.CallToolResult
		err  error
		took time.Duration
	}
	callAsync := func(req mcp.CallToolRequest) <-chan outcome {
		ch := make(chan outcome, 1)
		go func() {
			start := time.Now()
			res, err := c.CallTool(ctx, req)
			ch <- outcome{res, err, time.Since(start)}
		}()
		return ch
	}
	// Three calls take the first slots (now, 1.1 s and 2.2 s); the two
	// calls after them wait more than 2 s, one with a progressToken, one
	// without.
	fill1, fill2, fill3 := callAsync(report(nil)), callAsync(report(nil)), callAsync(report(nil))
	time.Sleep(300 * time.Millisecond)
	const token = "report-wait-1"
	withToken, without := callAsync(report(token)), callAsync(report(nil))
	for _, ch := range []<-chan outcome{fill1, fill2, fill3} {
		if o := <-ch; o.err != nil || o.res.IsError {
			t.Fatalf("a call: %v %v\n%s", o.err, o.res, stderr.String())
		}
	}
	w, wo := <-withToken, <-without
	for name, o := range map[string]outcome{"with a progressToken": w, "without": wo} {
		if o.err != nil || o.res.IsError {
			t.Fatalf("the call %s: %v %v", name, o.err, o.res)
		}
		if o.took < 2*time.Second {
			t.Errorf("the call %s waited only %v; the test needs > 2 s", name, o.took)
		}
	}
	got := notes.all()
	var last float64 = -1
	for _, n := range got {
		if n["progressToken"] != token {
			t.Errorf("a progress notification for another call: %v", n)
			continue
		}
		p, _ := n["progress"].(float64)
		if p <= last {
			t.Errorf("progress %v after %v: not increasing (%v)", p, last, got)
		}
		last = p
		if msg, _ := n["message"].(string); !strings.Contains(msg, "rate limit") {
			t.Errorf("progress message %q does not say why it waits", msg)
		}
	}
	if len(got) < 1 {
		t.Errorf("no progress notification for a call that waited %v", w.took)
	}
	t.Logf("waits: %v with token, %v without; notifications: %v", w.took.Round(time.Millisecond), wo.took.Round(time.Millisecond), got)
	if n := sim.RequestsFor(zoomapi.OpReportMeetingDetails); n != 5 {
		t.Errorf("%d report requests, want 5", n)
	}
	if err := stop(); err != nil {
		t.Errorf("run: %v", err)
	}
}

// startReplicas starts three server processes with args and vars and
// returns their URLs; their logs are shown if the test fails.
func startReplicas(t *testing.T, bin string, args []string, vars map[string]string) [3]string {
	t.Helper()
	var urls [3]string
	var logs [3]*syncBuffer
	var wg sync.WaitGroup
	for i := range urls {
		wg.Go(func() { urls[i], logs[i] = startReplica(t, bin, args, vars) })
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	t.Cleanup(func() {
		if t.Failed() {
			for i, l := range logs {
				t.Logf("replica %d log:\n%s", i+1, l.String())
			}
		}
	})
	return urls
}
