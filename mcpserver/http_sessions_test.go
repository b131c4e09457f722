package mcpserver

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/pipeline"
)

// agentKeys authenticates key → agent name.
type agentKeys map[string]string

func (k agentKeys) Authenticate(key string) (pipeline.Agent, bool) {
	name, ok := k[key]
	return pipeline.Agent{Name: name}, ok
}

// sessionServer is Handler over httptest, with two agents, a and b, and
// counts of the sessions mcp-go registers and unregisters.
type sessionServer struct {
	t                   testing.TB
	url                 string
	h                   *httpHandler
	registered, dropped atomic.Int32
	client              *http.Client
	skew                atomic.Int64 // how far the server's clock is ahead
}

func newSessionServer(t testing.TB, opts HandlerOptions) *sessionServer {
	t.Helper()
	ss := &sessionServer{t: t}
	hooks := &server.Hooks{}
	hooks.AddOnRegisterSession(func(context.Context, server.ClientSession) { ss.registered.Add(1) })
	hooks.AddOnUnregisterSession(func(context.Context, server.ClientSession) { ss.dropped.Add(1) })
	opts.Auth = agentKeys{"key-a": "a", "key-b": "b"}
	ss.h = newHTTPHandler(server.NewMCPServer("t", "1", server.WithHooks(hooks)), opts,
		func() time.Time { return time.Now().Add(time.Duration(ss.skew.Load())) })
	hs := httptest.NewServer(ss.h)
	t.Cleanup(func() { hs.Close(); ss.h.close() })
	ss.url = hs.URL + "/mcp"
	ss.client = hs.Client()
	ss.client.Timeout = 5 * time.Second // a GET admitted by mistake would stream on
	return ss
}

const listBody = `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`

// advance moves the server's clock on by d.
func (ss *sessionServer) advance(d time.Duration) { ss.skew.Add(int64(d)) }

// do sends one request and returns the response with its body read.
func (ss *sessionServer) do(method, key, sid, body string) (*http.Response, string) {
	ss.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, _ := http.NewRequest(method, ss.url, rd)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json, text/event-stream")
	req.Header.Set("Authorization", "Bearer "+key)
	if sid != "" {
		req.Header.Set("Mcp-Session-Id", sid)
	}
	res, err := ss.client.Do(req)
	if err != nil {
		ss.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// open initializes a session with key.
func (ss *sessionServer) open(key string) string {
	ss.t.Helper()
	res, body := ss.do(http.MethodPost, key, "", initBody)
	sid := res.Header.Get("Mcp-Session-Id")
	if res.StatusCode != http.StatusOK || sid == "" {
		ss.t.Fatalf("initialize: %d, session %q: %s", res.StatusCode, sid, body)
	}
	return sid
}

// wantError checks an HTTP error with a JSON body of code.
func wantError(t *testing.T, what string, res *http.Response, body string, status int, code string) {
	t.Helper()
	var msg map[string]string
	if res.StatusCode != status || json.Unmarshal([]byte(body), &msg) != nil || msg["error"] != code || msg["message"] == "" {
		t.Errorf("%s: %d %s, want %d with error %q", what, res.StatusCode, body, status, code)
	}
}

// TestSessionIDs: a session ID that is unknown, another agent's or ended
// is 404 with a JSON body, after which a client starts again; a request
// without one is 400.
func TestSessionIDs(t *testing.T) {
	ss := newSessionServer(t, HandlerOptions{})
	sid := ss.open("key-a")
	if res, body := ss.do(http.MethodPost, "key-a", sid, listBody); res.StatusCode != http.StatusOK {
		t.Fatalf("a's own session: %d %s", res.StatusCode, body)
	}
	for what, tc := range map[string]struct{ key, sid string }{
		"another agent's":                   {"key-b", sid},
		"made up":                           {"key-a", "made-up-session"},
		"well-formed, never opened":         {"key-a", ss.h.gate.ids.generate("a")},
		"with a signature of another agent": {"key-b", ss.h.gate.ids.generate("a")},
	} {
		for _, method := range []string{http.MethodPost, http.MethodGet, http.MethodDelete} {
			res, body := ss.do(method, tc.key, tc.sid, listBody)
			wantError(t, what+" session, "+method, res, body, http.StatusNotFound, "session_not_found")
		}
	}
	// b cannot end a's session: a still can use it.
	if res, _ := ss.do(http.MethodPost, "key-a", sid, listBody); res.StatusCode != http.StatusOK {
		t.Errorf("a's session after b's attempts: %d", res.StatusCode)
	}

	for _, method := range []string{http.MethodPost, http.MethodGet, http.MethodDelete} {
		res, body := ss.do(method, "key-a", "", listBody)
		wantError(t, "no session, "+method, res, body, http.StatusBadRequest, "session_required")
	}

	if res, body := ss.do(http.MethodHead, "key-a", "", ""); res.StatusCode != http.StatusOK {
		t.Errorf("HEAD: %d %s", res.StatusCode, body)
	}

	if res, body := ss.do(http.MethodDelete, "key-a", sid, ""); res.StatusCode != http.StatusOK {
		t.Fatalf("DELETE: %d %s", res.StatusCode, body)
	}
	if n := ss.dropped.Load(); n != 1 {
		t.Errorf("mcp-go unregistered %d sessions after DELETE, want 1", n)
	}
	for _, method := range []string{http.MethodPost, http.MethodDelete} {
		res, body := ss.do(method, "key-a", sid, listBody)
		wantError(t, "ended session, "+method, res, body, http.StatusNotFound, "session_not_found")
	}
	// The client starts again.
	if sid2 := ss.open("key-a"); sid2 == sid {
		t.Errorf("a new session has the old ID")
	}
}

// TestSessionIdle: a session with no request for the idle timeout ends,
// mcp-go's state of it with it; one with a request running does not.
func TestSessionIdle(t *testing.T) {
	const idle = time.Minute
	ss := newSessionServer(t, HandlerOptions{SessionIdleTimeout: idle})
	used, abandoned, streaming := ss.open("key-a"), ss.open("key-a"), ss.open("key-b")

	// A GET stream is a request running all along.
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, ss.url, nil)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Authorization", "Bearer key-b")
	req.Header.Set("Mcp-Session-Id", streaming)
	stream, err := ss.client.Do(req)
	if err != nil || stream.StatusCode != http.StatusOK {
		t.Fatalf("GET stream: %v %v", err, stream)
	}

	ss.advance(idle / 2)
	if n := ss.h.gate.reap(); n != 0 {
		t.Errorf("%d sessions reaped before the idle timeout", n)
	}
	ss.do(http.MethodPost, "key-a", used, listBody)
	ss.advance(idle/2 + time.Second)
	if n := ss.h.gate.reap(); n != 1 {
		t.Errorf("reaped %d sessions, want 1 (of 3, one used since and one with a stream open)", n)
	}
	if n := ss.dropped.Load(); n != 1 {
		t.Errorf("mcp-go unregistered %d sessions, want 1", n)
	}
	res, body := ss.do(http.MethodPost, "key-a", abandoned, listBody)
	wantError(t, "idled-out session", res, body, http.StatusNotFound, "session_not_found")
	if res, _ := ss.do(http.MethodPost, "key-a", used, listBody); res.StatusCode != http.StatusOK {
		t.Errorf("used session: %d", res.StatusCode)
	}

	// Once the stream ends, its session idles too.
	cancel()
	stream.Body.Close()
	mem := ss.h.gate.store.(*memSessions)
	running := func() int32 {
		mem.mu.Lock()
		defer mem.mu.Unlock()
		return mem.m[streaming].running
	}
	for deadline := time.Now().Add(5 * time.Second); running() > 0 && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond) // until the GET handler has returned
	}
	ss.advance(idle + time.Second)
	ss.h.gate.reap()
	res, body = ss.do(http.MethodPost, "key-b", streaming, listBody)
	wantError(t, "session after its stream ended", res, body, http.StatusNotFound, "session_not_found")
}

// TestSessionReaper: idle sessions end without anyone asking.
func TestSessionReaper(t *testing.T) {
	ss := newSessionServer(t, HandlerOptions{SessionIdleTimeout: 100 * time.Millisecond})
	sid := ss.open("key-a")
	deadline := time.Now().Add(5 * time.Second)
	for ss.dropped.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if ss.dropped.Load() != 1 {
		t.Fatal("the idle session was not reaped")
	}
	res, body := ss.do(http.MethodPost, "key-a", sid, listBody)
	wantError(t, "reaped session", res, body, http.StatusNotFound, "session_not_found")
}

// TestMaxSessions: past the limit, initialize is 503 with Retry-After; a
// session ended, or an initialize that failed, frees its place.
func TestMaxSessions(t *testing.T) {
	ss := newSessionServer(t, HandlerOptions{MaxSessions: 2})
	first := ss.open("key-a")
	ss.open("key-b")
	res, body := ss.do(http.MethodPost, "key-a", "", initBody)
	wantError(t, "third session", res, body, http.StatusServiceUnavailable, "too_many_sessions")
	if s, err := strconv.Atoi(res.Header.Get("Retry-After")); err != nil || s < 1 {
		t.Errorf("Retry-After: %q", res.Header.Get("Retry-After"))
	}
	if res.Header.Get("Mcp-Session-Id") != "" || !strings.Contains(body, "--max-sessions") {
		t.Errorf("refused initialize: session %q, body %s", res.Header.Get("Mcp-Session-Id"), body)
	}
	if n := ss.registered.Load(); n != 2 {
		t.Errorf("mcp-go registered %d sessions, want 2", n)
	}

	ss.do(http.MethodDelete, "key-a", first, "")
	// An initialize that mcp-go refuses holds no place.
	bad, _ := http.NewRequest(http.MethodPost, ss.url, strings.NewReader(initBody))
	bad.Header.Set("Content-Type", "text/plain")
	bad.Header.Set("Authorization", "Bearer key-a")
	if res, err := ss.client.Do(bad); err != nil || res.StatusCode != http.StatusBadRequest {
		t.Fatalf("initialize as text/plain: %v %v", err, res)
	}
	ss.open("key-a")
}

// TestShutdownEndsStreams: an open GET stream does not hold up shutdown.
func TestShutdownEndsStreams(t *testing.T) {
	h := Handler(server.NewMCPServer("t", "1"), HandlerOptions{})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- ServeHTTP(ctx, "127.0.0.1:0", h, discardLogger(), func(a net.Addr) { addrc <- a.String() })
	}()
	url := "http://" + <-addrc + "/mcp"
	res, err := http.Post(url, "application/json", strings.NewReader(initBody))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	req, _ := http.NewRequest(http.MethodGet, url, nil)
	req.Header.Set("Accept", "text/event-stream")
	req.Header.Set("Mcp-Session-Id", res.Header.Get("Mcp-Session-Id"))
	stream, err := http.DefaultClient.Do(req)
	if err != nil || stream.StatusCode != http.StatusOK {
		t.Fatalf("GET stream: %v %v", err, stream)
	}
	defer stream.Body.Close()
	t0 := time.Now()
	cancel()
	if err := <-done; err != nil {
		t.Errorf("ServeHTTP: %v", err)
	}
	if d := time.Since(t0); d > time.Second {
		t.Errorf("shutdown took %v with a stream open", d)
	}
}

// TestShutdownWithClients: Ctrl-C while an agent, authenticated by key,
// holds an initialized session with a GET stream open and a tool call
// running returns nil, within a second: the stream is ended, the call cut.
func TestShutdownWithClients(t *testing.T) {
	s := server.NewMCPServer("t", "1", server.WithToolCapabilities(false))
	calling := make(chan struct{})
	s.AddTool(mcp.NewTool("wait"), func(ctx context.Context, _ mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		close(calling)
		<-ctx.Done()
		return nil, ctx.Err()
	})
	h := Handler(s, HandlerOptions{Auth: agentKeys{"key-a": "a"}})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- ServeHTTP(ctx, "127.0.0.1:0", h, discardLogger(), func(a net.Addr) { addrc <- a.String() })
	}()
	url := "http://" + <-addrc + "/mcp"
	try := func(method, sid, body string) (*http.Response, error) {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, _ := http.NewRequest(method, url, rd)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Authorization", "Bearer key-a")
		if sid != "" {
			req.Header.Set("Mcp-Session-Id", sid)
		}
		return http.DefaultClient.Do(req)
	}
	send := func(method, sid, body string) *http.Response {
		t.Helper()
		res, err := try(method, sid, body)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	res := send(http.MethodPost, "", initBody)
	res.Body.Close()
	sid := res.Header.Get("Mcp-Session-Id")
	if res.StatusCode != http.StatusOK || sid == "" {
		t.Fatalf("initialize: %d, session %q", res.StatusCode, sid)
	}
	res = send(http.MethodPost, sid, `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	res.Body.Close()
	stream := send(http.MethodGet, sid, "")
	defer stream.Body.Close()
	if stream.StatusCode != http.StatusOK {
		t.Fatalf("GET stream: %d", stream.StatusCode)
	}
	callDone := make(chan struct{})
	go func() {
		defer close(callDone)
		// The call is cut off: its connection is closed.
		if res, err := try(http.MethodPost, sid, `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"wait","arguments":{}}}`); err == nil {
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
		}
	}()
	<-calling
	t0 := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ServeHTTP: %v, want nil", err)
		}
	case <-time.After(1500 * time.Millisecond):
		t.Fatal("ServeHTTP still running 1.5 s after its context ended")
	}
	if d := time.Since(t0); d > time.Second {
		t.Errorf("shutdown took %v with clients connected", d)
	}
	<-callDone
}
