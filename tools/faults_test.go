package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// A fault is what the fault-injecting proxy between the server and the
// simulator does to one API request.
type fault string

const (
	pass          fault = "pass"             // forward, answer as Zoom did
	error500      fault = "500, not applied" // answer 500 without forwarding
	applied500    fault = "500 after applying"
	appliedHTML   fault = "HTML 502 page after applying"
	resetBefore   fault = "reset before forwarding"
	resetAfter    fault = "reset after applying"
	hangAfter     fault = "no answer after applying"
	truncated     fault = "truncated body after applying"
	unreachable   fault = "connection refused" // the proxy is not there at all
	hangNoForward fault = "no answer, not applied"
)

// proxy forwards to a simulator and injects a fault into the requests the
// plan picks; token requests always pass.
type proxy struct {
	sim   *zoomfake.Server
	stop  chan struct{} // closed at the end of the test: hung answers give up
	mu    sync.Mutex
	plan  func(r *http.Request, n int) fault // n: 1-based count of API requests
	count int
	// emptyBody is set when a truncated answer had no body to truncate:
	// a 2xx without a body is whole, and the write did happen.
	emptyBody bool
}

func (p *proxy) hang(r *http.Request) {
	// The server notices a client that gives up only once the body is read.
	_, _ = io.Copy(io.Discard, r.Body)
	select {
	case <-r.Context().Done():
	case <-p.stop:
	}
}

func (p *proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !strings.HasPrefix(r.URL.Path, "/v2/") {
		p.sim.ServeHTTP(w, r)
		return
	}
	p.mu.Lock()
	p.count++
	f := p.plan(r, p.count)
	p.mu.Unlock()
	switch f {
	case error500:
		http.Error(w, `{"code":500,"message":"Internal server error"}`, http.StatusInternalServerError)
		return
	case resetBefore:
		reset(w)
		return
	case hangNoForward:
		p.hang(r)
		return
	}
	rec := httptest.NewRecorder()
	p.sim.ServeHTTP(rec, r)
	switch f {
	case applied500:
		http.Error(w, `{"code":500,"message":"Internal server error"}`, http.StatusInternalServerError)
	case appliedHTML:
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		fmt.Fprint(w, "<html><body><h1>502 Bad Gateway</h1></body></html>")
	case resetAfter:
		reset(w)
	case hangAfter:
		p.hang(r)
	case truncated:
		conn, buf, err := w.(http.Hijacker).Hijack()
		if err != nil {
			panic(err)
		}
		body := rec.Body.String()
		p.mu.Lock()
		p.emptyBody = body == ""
		p.mu.Unlock()
		fmt.Fprintf(buf, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s",
			rec.Code, http.StatusText(rec.Code), len(body)+100, body[:len(body)/2])
		buf.Flush()
		conn.Close()
	default:
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	}
}

// reset closes the connection with a TCP RST.
func reset(w http.ResponseWriter) {
	conn, _, err := w.(http.Hijacker).Hijack()
	if err != nil {
		panic(err)
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	conn.Close()
}

// faultEnv is a tool bound to a client that reaches a fresh simulator
// through a fault-injecting proxy on loopback.
type faultEnv struct {
	sim   *zoomfake.Server
	proxy *proxy
	call  func(name string, args map[string]any) (*mcp.CallToolResult, time.Duration)
}

const faultTimeout = 1500 * time.Millisecond

func newFaultEnv(t *testing.T, plan func(r *http.Request, n int) fault, down bool) *faultEnv {
	t.Helper()
	sim := zoomfake.New(zoomfake.Options{NoRateLimit: true})
	p := &proxy{sim: sim, plan: plan, stop: make(chan struct{})}
	srv := httptest.NewServer(p)
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(p.stop) }) // runs first

	apiBase := srv.URL + "/v2"
	if down {
		// A port nobody listens on: every API request is refused.
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		apiBase = "http://" + l.Addr().String() + "/v2"
		l.Close()
	}
	c, _, err := zoomapi.NewS2SClient(zoomapi.Config{
		APIBaseURL: apiBase, OAuthBaseURL: srv.URL,
		AccountID: zoomfake.DefaultAccountID, ClientID: zoomfake.DefaultClientID, ClientSecret: zoomfake.DefaultClientSecret,
	}, &http.Client{}, zoomapi.WithoutPacing())
	if err != nil {
		t.Fatal(err)
	}
	pl := &pipeline.Pipeline{Client: pipeline.Static(c), CallTimeout: faultTimeout}
	handlers := map[string]func(context.Context, mcp.CallToolRequest) (*mcp.CallToolResult, error){}
	for _, tl := range All() {
		handlers[tl.Name()] = tl.Bind(pl)
	}
	return &faultEnv{sim: sim, proxy: p, call: func(name string, args map[string]any) (*mcp.CallToolResult, time.Duration) {
		t.Helper()
		raw, _ := json.Marshal(args)
		var decoded any
		_ = json.Unmarshal(raw, &decoded)
		start := time.Now()
		res, err := handlers[name](context.Background(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: decoded}})
		if err != nil {
			t.Fatalf("%s: Go error %v", name, err)
		}
		return res, time.Since(start)
	}}
}

func kindOf(res *mcp.CallToolResult) string {
	if !res.IsError {
		return ""
	}
	var body struct{ Error ErrorInfo }
	data, _ := json.Marshal(res.StructuredContent)
	_ = json.Unmarshal(data, &body)
	return body.Error.Kind
}

// writeCalls are the 12 write tools with arguments Zoom accepts on the seed.
var writeCalls = map[string]map[string]any{
	"create_meeting":                   {"topic": "x", "start_time": "2026-12-24T10:00:00Z"},
	"update_meeting":                   {"meeting_id": zoomfake.SeedRegistrationMeetingID, "agenda": "new"},
	"delete_meeting":                   {"meeting_id": zoomfake.SeedRecurringMeetingID},
	"end_meeting":                      {"meeting_id": zoomfake.SeedLiveMeetingID},
	"add_meeting_registrant":           {"meeting_id": zoomfake.SeedRegistrationMeetingID, "email": "p@example.com", "first_name": "P"},
	"update_meeting_registrant_status": {"meeting_id": zoomfake.SeedRegistrationMeetingID, "action": "cancel", "registrants": []any{map[string]any{"email": "p@example.com"}}},
	"create_webinar":                   {"topic": "w", "start_time": "2026-12-24T10:00:00Z"},
	"update_webinar":                   {"webinar_id": zoomfake.SeedWebinarID, "agenda": "new"},
	"delete_webinar":                   {"webinar_id": zoomfake.SeedWebinarID},
	"add_webinar_registrant":           {"webinar_id": zoomfake.SeedWebinarID, "email": "p@example.com", "first_name": "P"},
	"create_user":                      {"email": "new.person@example.com", "type": 1},
	"delete_meeting_recordings":        {"meeting_id": zoomfake.SeedPastUUID},
}

// TestWritesUnderFaults: for every write tool and every fault, Zoom sees
// the write at most once, and the result says what happened: done, not
// done (nothing was sent), or unknown (with the tool that tells).
func TestWritesUnderFaults(t *testing.T) {
	want := map[fault]string{
		pass:          "",
		error500:      KindOutcomeUnknown, // the server cannot tell a 500 before from one after
		applied500:    KindOutcomeUnknown,
		appliedHTML:   KindOutcomeUnknown,
		resetBefore:   KindOutcomeUnknown, // the request was written: it may have arrived
		resetAfter:    KindOutcomeUnknown,
		hangAfter:     KindOutcomeUnknown,
		hangNoForward: KindOutcomeUnknown,
		truncated:     KindOutcomeUnknown,
		unreachable:   KindUnavailable, // never sent
	}
	for name, args := range writeCalls {
		tl := mustTool(t, name)
		for f, kind := range want {
			t.Run(name+"/"+string(f), func(t *testing.T) {
				t.Parallel()
				e := newFaultEnv(t, func(r *http.Request, _ int) fault {
					if r.Method == http.MethodGet {
						return pass
					}
					return f
				}, f == unreachable)
				res, took := e.call(name, args)
				if f == truncated && e.proxy.emptyBody {
					kind = "" // Zoom's whole answer was a 2xx without a body: done
				}
				if got := kindOf(res); got != kind {
					t.Errorf("kind %q, want %q: %v", got, kind, res.Content)
				}
				if n := e.sim.RequestsFor(tl.Endpoint.ID); n > 1 {
					t.Errorf("Zoom saw the write %d times", n)
				}
				text := res.Content[0].(mcp.TextContent).Text
				if kind == KindOutcomeUnknown && (strings.Contains(text, "refused") || !strings.Contains(text, strings.Fields(checkWith[name])[0])) {
					t.Errorf("message: %s", text)
				}
				if took > faultTimeout+3*time.Second {
					t.Errorf("took %s, past the %s deadline", took, faultTimeout)
				}
			})
		}
	}
}

func mustTool(t *testing.T, name string) Tool {
	for _, tl := range All() {
		if tl.Name() == name {
			return tl
		}
	}
	t.Fatalf("no tool %s", name)
	return Tool{}
}

// TestReadsUnderFaults: a read survives a passing fault by retrying, and
// under a lasting one answers "unavailable" inside its deadline.
func TestReadsUnderFaults(t *testing.T) {
	reads := map[string]map[string]any{
		"get_meeting":        {"meeting_id": zoomfake.SeedRegistrationMeetingID},
		"list_meetings":      {},
		"get_meeting_report": {"meeting_id": zoomfake.SeedPastUUID},
	}
	for name, args := range reads {
		for _, f := range []fault{error500, appliedHTML, resetBefore, truncated, hangNoForward} {
			t.Run(name+"/once/"+string(f), func(t *testing.T) {
				t.Parallel()
				e := newFaultEnv(t, func(_ *http.Request, n int) fault {
					if n == 1 && f != hangNoForward {
						return f
					}
					return pass
				}, false)
				if res, _ := e.call(name, args); res.IsError {
					t.Errorf("one passing fault: %v", res.Content)
				}
			})
			t.Run(name+"/always/"+string(f), func(t *testing.T) {
				t.Parallel()
				e := newFaultEnv(t, func(*http.Request, int) fault { return f }, false)
				res, took := e.call(name, args)
				if got := kindOf(res); got != KindUnavailable {
					t.Errorf("kind %q: %v", got, res.Content)
				}
				if text := res.Content[0].(mcp.TextContent).Text; !strings.Contains(text, "retrying later may work") {
					t.Errorf("message: %s", text)
				}
				if took > faultTimeout+3*time.Second {
					t.Errorf("took %s, past the %s deadline", took, faultTimeout)
				}
			})
		}
	}
}
