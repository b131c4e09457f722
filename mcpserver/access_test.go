package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/audit"
	"github.com/zoommcp/zoom-mcp/confirm"
	"github.com/zoommcp/zoom-mcp/internal/sandbox"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/policy"
	"github.com/zoommcp/zoom-mcp/tools"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// gated is a server with the whole access control, over HTTP, on a fresh
// simulator.
type gated struct {
	url   string
	sim   *zoomfake.Server
	audit *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newGated(t *testing.T, cfg *policy.Config, opts ...func(*Options)) *gated {
	t.Helper()
	c, sim, err := sandbox.New(zoomfake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pol, err := policy.New(cfg, policy.Options{Users: &policy.ZoomUsers{Client: pipeline.Static(c)}})
	if err != nil {
		t.Fatal(err)
	}
	all := tools.All()
	destructive := map[string]bool{}
	for _, tl := range all {
		destructive[tl.Name()] = tl.Destructive()
	}
	buf := &syncBuffer{}
	log := audit.New(buf, audit.Options{})
	p := &pipeline.Pipeline{Client: pipeline.Static(c), Middlewares: []pipeline.Middleware{
		audit.Middleware(log, nil),
		pol.Middleware(),
		confirm.New(pol, func(n string) bool { return destructive[n] }).Middleware(),
		pol.Hygiene(),
	}}
	o := Options{Tools: all, Pipeline: p, Visible: pol.Visible, ValidateOutput: true}
	for _, f := range opts {
		f(&o)
	}
	srv := New(o)
	hs := httptest.NewServer(Handler(srv, HandlerOptions{Auth: pol}))
	t.Cleanup(hs.Close)
	return &gated{url: hs.URL + "/mcp", sim: sim, audit: buf}
}

// connect opens an MCP session with an agent's key.
func (g *gated) connect(t *testing.T, key string, opts ...client.ClientOption) *client.Client {
	t.Helper()
	tr, err := transport.NewStreamableHTTP(g.url, transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + key}))
	if err != nil {
		t.Fatal(err)
	}
	c := client.NewClient(tr, opts...)
	t.Cleanup(func() { c.Close() })
	if err := c.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	init := mcp.InitializeRequest{}
	init.Params.ProtocolVersion = mcp.LATEST_PROTOCOL_VERSION
	init.Params.ClientInfo = mcp.Implementation{Name: "access-test", Version: "1"}
	if _, err := c.Initialize(t.Context(), init); err != nil {
		t.Fatalf("initialize: %v", err)
	}
	return c
}

// matrixArgs calls each tool with valid arguments; writes are dry runs, so
// that an allowed call sends nothing either.
var matrixArgs = map[string]map[string]any{
	"list_meetings":                    {},
	"create_meeting":                   {"topic": "x", "dry_run": true},
	"get_meeting":                      {"meeting_id": zoomfake.SeedRegistrationMeetingID},
	"update_meeting":                   {"meeting_id": zoomfake.SeedRegistrationMeetingID, "topic": "y", "dry_run": true},
	"delete_meeting":                   {"meeting_id": zoomfake.SeedRegistrationMeetingID, "dry_run": true},
	"end_meeting":                      {"meeting_id": zoomfake.SeedRegistrationMeetingID, "dry_run": true},
	"list_meeting_registrants":         {"meeting_id": zoomfake.SeedRegistrationMeetingID},
	"add_meeting_registrant":           {"meeting_id": zoomfake.SeedRegistrationMeetingID, "email": "p@example.com", "first_name": "P", "dry_run": true},
	"update_meeting_registrant_status": {"meeting_id": zoomfake.SeedRegistrationMeetingID, "action": "approve", "registrants": []any{map[string]any{"email": "p@example.com"}}, "dry_run": true},
	"list_webinars":                    {},
	"create_webinar":                   {"topic": "w", "dry_run": true},
	"get_webinar":                      {"webinar_id": zoomfake.SeedWebinarID},
	"update_webinar":                   {"webinar_id": zoomfake.SeedWebinarID, "topic": "w2", "dry_run": true},
	"delete_webinar":                   {"webinar_id": zoomfake.SeedWebinarID, "dry_run": true},
	"list_webinar_registrants":         {"webinar_id": zoomfake.SeedWebinarID},
	"add_webinar_registrant":           {"webinar_id": zoomfake.SeedWebinarID, "email": "p@example.com", "first_name": "P", "dry_run": true},
	"list_users":                       {},
	"get_user":                         {},
	"create_user":                      {"email": "new@example.com", "type": 1, "dry_run": true},
	"list_recordings":                  {},
	"get_meeting_recordings":           {"meeting_id": zoomfake.SeedPastUUID},
	"delete_meeting_recordings":        {"meeting_id": zoomfake.SeedPastUUID, "dry_run": true},
	"list_past_meetings":               {},
	"get_meeting_report":               {"meeting_id": zoomfake.SeedPastUUID},
	"list_meeting_participants":        {"meeting_id": zoomfake.SeedPastUUID},
	"get_meeting_transcript":           {"meeting_id": zoomfake.SeedTranscriptUUID},
	"get_meeting_summary":              {"meeting_id": zoomfake.SeedSummaryUUID},
	"list_meeting_summaries":           {},
	// No event store in this server: it answers unavailable once allowed.
	"wait_for_event": {"types": []any{"meeting.started"}},
}

func errorOf(res *mcp.CallToolResult) pipeline.ErrorInfo {
	var body struct{ Error pipeline.ErrorInfo }
	data, _ := json.Marshal(res.StructuredContent)
	_ = json.Unmarshal(data, &body)
	return body.Error
}

// TestAccessMatrix: for every toolset at every level, an agent granted just
// that sees exactly the tools the grant allows, may call exactly those, and
// every other call is refused before Zoom is touched, and audited.
func TestAccessMatrix(t *testing.T) {
	all := tools.All()
	if len(matrixArgs) != len(all) {
		t.Fatalf("matrixArgs covers %d tools of %d", len(matrixArgs), len(all))
	}
	var cfg policy.Config
	type agentCase struct {
		name, key, toolset string
		level              policy.Level
	}
	var cases []agentCase
	for _, g := range zoomapi.Groups {
		for _, lv := range []policy.Level{policy.Off, policy.Read, policy.Full} {
			a := agentCase{name: string(g) + "-" + string(lv), key: "zmcp_" + string(g) + "-" + string(lv), toolset: string(g), level: lv}
			cases = append(cases, a)
			cfg.Agents = append(cfg.Agents, policy.AgentConfig{Name: a.name, KeySHA256: policy.HashKey(a.key), Access: map[string]policy.Level{a.toolset: a.level}})
		}
	}
	g := newGated(t, &cfg)
	for _, a := range cases {
		t.Run(a.name, func(t *testing.T) {
			var want []string
			for _, tl := range all {
				if string(tl.Toolset) == a.toolset && (a.level == policy.Full || (a.level == policy.Read && tl.ReadOnly())) {
					want = append(want, tl.Name())
				}
			}
			c := g.connect(t, a.key)
			list, err := c.ListTools(t.Context(), mcp.ListToolsRequest{})
			if err != nil {
				t.Fatal(err)
			}
			var listed []string
			for _, tl := range list.Tools {
				listed = append(listed, tl.Name)
			}
			slices.Sort(listed)
			slices.Sort(want)
			if !slices.Equal(listed, want) {
				t.Errorf("tools/list = %v, want %v", listed, want)
			}
			for _, tl := range all {
				before := g.sim.Requests()
				res, err := c.CallTool(t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: tl.Name(), Arguments: matrixArgs[tl.Name()]}})
				if err != nil {
					t.Fatalf("%s: %v", tl.Name(), err)
				}
				e := errorOf(res)
				sent := g.sim.Requests() - before
				if slices.Contains(want, tl.Name()) {
					// wait_for_event passed the access check when it
					// reaches its own answer: this server takes in no events.
					if res.IsError && !(tl.Local() && e.Kind == pipeline.KindUnavailable) {
						t.Errorf("%s: refused: %s %s", tl.Name(), e.Kind, e.Message)
					}
					if !tl.ReadOnly() && sent != 0 {
						t.Errorf("%s: a dry run sent %d requests", tl.Name(), sent)
					}
					continue
				}
				lv := policy.Off // the toolsets not named
				if string(tl.Toolset) == a.toolset {
					lv = a.level
				}
				if !res.IsError || e.Kind != pipeline.KindAccessDenied || e.Rule != string(tl.Toolset)+"="+string(lv) {
					t.Errorf("%s: not refused by %s=%s: %+v", tl.Name(), tl.Toolset, lv, e)
				}
				if sent != 0 {
					t.Errorf("%s: a refused call sent %d requests to Zoom", tl.Name(), sent)
				}
			}
		})
	}
	// Every call was audited, with a valid chain.
	log := g.audit.String()
	if err := audit.Verify(strings.NewReader(log)); err != nil {
		t.Errorf("audit chain: %v", err)
	}
	if n := strings.Count(log, "\n"); n != len(cases)*len(all) {
		t.Errorf("%d audit records for %d calls", n, len(cases)*len(all))
	}
	if !strings.Contains(log, `"decision":"denied"`) || !strings.Contains(log, `"decision":"dry_run"`) {
		t.Errorf("decisions missing from the audit log")
	}
}

// TestHTTPAuthentication: a missing or unknown key gets 401 with
// WWW-Authenticate and a JSON body; a session opened with one key is
// unknown (404) to another.
func TestHTTPAuthentication(t *testing.T) {
	g := newGated(t, &policy.Config{Agents: []policy.AgentConfig{
		{Name: "a", KeySHA256: policy.HashKey("zmcp_a"), Access: map[string]policy.Level{"users": policy.Read}},
		{Name: "b", KeySHA256: policy.HashKey("zmcp_b"), Access: map[string]policy.Level{"users": policy.Read}},
	}})
	post := func(auth, session, body string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, g.url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		if session != "" {
			req.Header.Set("Mcp-Session-Id", session)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	for _, auth := range []string{"", "Bearer", "Bearer zmcp_c", "Basic emNwX2E6", "Bearer " + policy.HashKey("zmcp_a")} {
		res := post(auth, "", initBody)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusUnauthorized || !strings.HasPrefix(res.Header.Get("WWW-Authenticate"), "Bearer") {
			t.Errorf("auth %q: %d %q", auth, res.StatusCode, res.Header.Get("WWW-Authenticate"))
		}
		var msg map[string]string
		if json.Unmarshal(body, &msg) != nil || msg["error"] == "" || !strings.Contains(msg["message"], "Bearer") && !strings.Contains(msg["message"], "key") {
			t.Errorf("auth %q: body %s", auth, body)
		}
	}
	res := post("Bearer zmcp_a", "", initBody)
	res.Body.Close()
	sid := res.Header.Get("Mcp-Session-Id")
	if res.StatusCode != http.StatusOK || sid == "" {
		t.Fatalf("initialize with a's key: %d, session %q", res.StatusCode, sid)
	}
	list := `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`
	if res := post("Bearer zmcp_a", sid, list); res.StatusCode != http.StatusOK {
		t.Errorf("a's own session: %d", res.StatusCode)
	}
	for _, other := range []string{"zmcp_b"} {
		res := post("Bearer "+other, sid, list)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusNotFound || !strings.Contains(string(body), "session") {
			t.Errorf("a's session with %s's key: %d %s", other, res.StatusCode, body)
		}
	}
	if res := post("Bearer zmcp_b", "made-up-session", list); res.StatusCode != http.StatusNotFound {
		t.Errorf("a made-up session: %d", res.StatusCode)
	}
}

// elicitor answers confirmations as a person would.
type elicitor struct {
	action  mcp.ElicitationResponseAction
	tick    bool
	mu      sync.Mutex
	message string
}

func (e *elicitor) Elicit(_ context.Context, req mcp.ElicitationRequest) (*mcp.ElicitationResult, error) {
	e.mu.Lock()
	e.message = req.Params.Message
	e.mu.Unlock()
	r := &mcp.ElicitationResult{}
	r.Action = e.action
	if e.action == mcp.ElicitationResponseActionAccept {
		r.Content = map[string]any{"confirm": e.tick}
	}
	return r, nil
}

// TestConfirmation: a destructive call of an agent with confirm runs only
// once a person accepts it, in both protocol eras; a decline or a client
// that cannot ask sends nothing.
func TestConfirmation(t *testing.T) {
	cfg := &policy.Config{Agents: []policy.AgentConfig{{Name: "ops", KeySHA256: policy.HashKey("zmcp_ops"),
		Access: map[string]policy.Level{"meetings": policy.Full}, Confirm: []string{"destructive"}}}}
	id := zoomfake.SeedRegistrationMeetingID
	update := mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "update_meeting", Arguments: map[string]any{"meeting_id": id, "agenda": "confirmed change"}}}
	for _, era := range []struct {
		name string
		opts []client.ClientOption
	}{
		{"legacy", []client.ClientOption{client.WithLegacyProtocolOnly()}},
		{"2026-07-28", nil},
	} {
		t.Run(era.name, func(t *testing.T) {
			for _, tc := range []struct {
				name     string
				answer   *elicitor
				decision string
			}{
				{"accepted", &elicitor{action: mcp.ElicitationResponseActionAccept, tick: true}, "confirmed"},
				{"unticked", &elicitor{action: mcp.ElicitationResponseActionAccept, tick: false}, "declined"},
				{"declined", &elicitor{action: mcp.ElicitationResponseActionDecline}, "declined"},
				{"cancelled", &elicitor{action: mcp.ElicitationResponseActionCancel}, "declined"},
				{"no elicitation", nil, "declined"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					g := newGated(t, cfg)
					opts := era.opts
					if tc.answer != nil {
						opts = append(slices.Clone(opts), client.WithElicitationHandler(tc.answer))
					}
					c := g.connect(t, "zmcp_ops", opts...)
					before := g.sim.RequestsFor(zoomapi.OpUpdateMeeting)
					res, err := c.CallTool(t.Context(), update)
					if err != nil {
						t.Fatal(err)
					}
					sent := g.sim.RequestsFor(zoomapi.OpUpdateMeeting) - before
					if tc.decision == "confirmed" {
						if res.IsError || sent != 1 {
							t.Errorf("accepted: isError %v, %d updates sent: %v", res.IsError, sent, res.Content)
						}
						if !strings.Contains(tc.answer.message, `"ops"`) || !strings.Contains(tc.answer.message, "update meeting") || !strings.Contains(tc.answer.message, fmt.Sprint(id)) {
							t.Errorf("the person was asked %q", tc.answer.message)
						}
					} else {
						if e := errorOf(res); !res.IsError || e.Kind != pipeline.KindDeclined || sent != 0 {
							t.Errorf("%s: %+v, %d updates sent", tc.name, e, sent)
						}
					}
					if !strings.Contains(g.audit.String(), `"decision":"`+tc.decision+`"`) {
						t.Errorf("audit log lacks decision %s:\n%s", tc.decision, g.audit.String())
					}
					// Reads and dry runs need no confirmation.
					if r, _ := c.CallTool(t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "delete_meeting", Arguments: map[string]any{"meeting_id": id, "dry_run": true}}}); r.IsError {
						t.Errorf("dry run: %v", r.Content)
					}
				})
			}
		})
	}
}
