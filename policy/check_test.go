package policy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/internal/sandbox"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/policy"
	"github.com/zoommcp/zoom-mcp/tools"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// env runs tools through the policy's middlewares against a fresh
// simulator, as one agent.
type env struct {
	t        *testing.T
	sim      *zoomfake.Server
	pol      *policy.Policy
	handlers map[string]server.ToolHandlerFunc
	ops      map[string]string // tool name -> Zoom operation ID
	agent    string
}

func newEnv(t *testing.T, agent policy.AgentConfig) *env {
	t.Helper()
	c, sim, err := sandbox.New(zoomfake.Options{})
	if err != nil {
		t.Fatal(err)
	}
	pol, err := policy.New(&policy.Config{Agents: []policy.AgentConfig{agent}}, policy.Options{Users: &policy.ZoomUsers{Client: pipeline.Static(c)}})
	if err != nil {
		t.Fatal(err)
	}
	p := &pipeline.Pipeline{Client: pipeline.Static(c), Middlewares: []pipeline.Middleware{pol.Middleware(), pol.Hygiene()}}
	e := &env{t: t, sim: sim, pol: pol, handlers: map[string]server.ToolHandlerFunc{}, ops: map[string]string{}, agent: agent.Name}
	for _, tl := range tools.All() {
		e.handlers[tl.Name()] = tl.Bind(p)
		e.ops[tl.Name()] = tl.Endpoint.ID
	}
	return e
}

type result struct {
	isError bool
	kind    string
	rule    string
	message string
	out     map[string]any
}

// call calls a tool as the agent, with arguments as they travel in JSON.
func (e *env) call(name string, args map[string]any) result {
	e.t.Helper()
	raw, _ := json.Marshal(args)
	var decoded any
	_ = json.Unmarshal(raw, &decoded)
	ctx := pipeline.WithAgent(context.Background(), pipeline.Agent{Name: e.agent})
	res, err := e.handlers[name](ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: decoded}})
	if err != nil {
		e.t.Fatalf("%s: Go error %v", name, err)
	}
	var body struct {
		Error *pipeline.ErrorInfo `json:"error"`
	}
	data, _ := json.Marshal(res.StructuredContent)
	_ = json.Unmarshal(data, &body)
	r := result{isError: res.IsError}
	if body.Error != nil {
		r.kind, r.rule, r.message = body.Error.Kind, body.Error.Rule, body.Error.Message
	}
	_ = json.Unmarshal(data, &r.out)
	return r
}

// denied asserts that a call is refused by rule without reaching Zoom.
func (e *env) denied(name string, args map[string]any, rule string) result {
	e.t.Helper()
	// Lookups of users (for limits.users) may reach Zoom; the call not.
	op := e.ops[name]
	before := e.sim.RequestsFor(op)
	r := e.call(name, args)
	if r.kind != pipeline.KindAccessDenied || r.rule != rule {
		e.t.Errorf("%s(%v): kind %q rule %q (%s), want access_denied by %s", name, args, r.kind, r.rule, r.message, rule)
	}
	if n := e.sim.RequestsFor(op) - before; n != 0 {
		e.t.Errorf("%s(%v): a refused call sent %d requests to Zoom", name, args, n)
	}
	if !strings.Contains(r.message, "operator") && !strings.Contains(r.message, "Use ") && !strings.Contains(r.message, "Pass ") && !strings.Contains(r.message, "Call again") {
		e.t.Errorf("%s: the refusal does not say what to do: %s", name, r.message)
	}
	return r
}

// allowed asserts that a call passes the access check and succeeds.
func (e *env) allowed(name string, args map[string]any) result {
	e.t.Helper()
	r := e.call(name, args)
	if r.isError {
		e.t.Errorf("%s(%v): %s (%s, rule %s)", name, args, r.kind, r.message, r.rule)
	}
	return r
}

var full = map[string]policy.Level{"meetings": policy.Full, "meeting_registrants": policy.Full, "webinars": policy.Full,
	"users": policy.Full, "recordings": policy.Full, "reports": policy.Full}

func TestLimitUsers(t *testing.T) {
	for _, allowedAs := range []string{"me", zoomfake.SeedOwnerEmail, zoomfake.SeedOwnerID, strings.ToUpper(zoomfake.SeedOwnerEmail)} {
		t.Run(allowedAs, func(t *testing.T) {
			e := newEnv(t, policy.AgentConfig{Name: "a", Access: full, Limits: policy.Limits{Users: []string{allowedAs}}})
			// The owner, however named, is the one user this agent may act for.
			for _, u := range []any{nil, "me", zoomfake.SeedOwnerEmail, zoomfake.SeedOwnerID, "AVA.OWNER@example.com"} {
				args := map[string]any{}
				if u != nil {
					args["user_id"] = u
				}
				e.allowed("list_meetings", args)
			}
			for _, u := range []string{zoomfake.SeedMemberEmail, zoomfake.SeedMemberID, zoomfake.SeedAdminEmail, "nobody@example.com"} {
				e.denied("list_meetings", map[string]any{"user_id": u}, "limits.users")
				e.denied("create_meeting", map[string]any{"user_id": u, "topic": "x"}, "limits.users")
			}
			e.denied("create_user", map[string]any{"email": "new.person@example.com", "type": 1}, "limits.users")
		})
	}
}

// TestLimitUsersCoversHosts: an agent limited to some users may not act on
// a meeting or webinar of another host by naming only its ID.
func TestLimitUsersCoversHosts(t *testing.T) {
	for _, allowedAs := range []string{"me", zoomfake.SeedOwnerEmail} {
		t.Run(allowedAs, func(t *testing.T) {
			e := newEnv(t, policy.AgentConfig{Name: "a", Access: full, Limits: policy.Limits{Users: []string{allowedAs}}})
			e.allowed("get_meeting", map[string]any{"meeting_id": zoomfake.SeedRegistrationMeetingID})
			e.allowed("get_webinar", map[string]any{"webinar_id": zoomfake.SeedWebinarID})
			for _, id := range []any{zoomfake.SeedDesignReviewMeetingID, fmt.Sprint(zoomfake.SeedLiveMeetingID)} {
				// (get_meeting itself is the lookup of the host, so not used here.)
				e.denied("list_meeting_registrants", map[string]any{"meeting_id": id}, "limits.users")
				e.denied("delete_meeting", map[string]any{"meeting_id": id, "dry_run": true}, "limits.users")
				e.denied("end_meeting", map[string]any{"meeting_id": id}, "limits.users")
			}
			r := e.denied("get_meeting_report", map[string]any{"meeting_id": zoomfake.SeedDesignReviewUUID}, "limits.users")
			if !strings.Contains(r.message, "numeric meeting ID") {
				t.Errorf("UUID refusal: %s", r.message)
			}
			// No such meeting: nothing to protect, and the call says so.
			if r := e.call("get_meeting", map[string]any{"meeting_id": 1}); r.kind != pipeline.KindNotFound {
				t.Errorf("missing meeting: %+v", r)
			}
		})
	}
}

func TestLimitMeetings(t *testing.T) {
	id := zoomfake.SeedRegistrationMeetingID
	e := newEnv(t, policy.AgentConfig{Name: "a", Access: full, Limits: policy.Limits{Meetings: []string{fmt.Sprint(id)}}})
	// The ID as a number, a string, with spaces: all the same meeting.
	for _, v := range []any{id, fmt.Sprint(id), " " + fmt.Sprint(id) + " ", float64(id)} {
		e.allowed("get_meeting", map[string]any{"meeting_id": v})
	}
	e.denied("get_meeting", map[string]any{"meeting_id": id + 1}, "limits.meetings")
	e.denied("get_meeting", map[string]any{"meeting_id": fmt.Sprint(id + 1)}, "limits.meetings")
	e.denied("delete_meeting", map[string]any{"meeting_id": id + 1, "dry_run": true}, "limits.meetings")
	e.denied("list_meeting_registrants", map[string]any{"meeting_id": id + 1}, "limits.meetings")
	// A past instance's UUID cannot be matched against an ID list.
	r := e.denied("get_meeting_recordings", map[string]any{"meeting_id": zoomfake.SeedPastUUID}, "limits.meetings")
	if !strings.Contains(r.message, "numeric meeting ID") {
		t.Errorf("message: %s", r.message)
	}
	e.allowed("list_meeting_registrants", map[string]any{"meeting_id": fmt.Sprint(id)})
}

func TestLimitOwnMeetings(t *testing.T) {
	e := newEnv(t, policy.AgentConfig{Name: "a", Access: full, Limits: policy.Limits{Meetings: []string{"own"}}})
	e.denied("get_meeting", map[string]any{"meeting_id": zoomfake.SeedRegistrationMeetingID}, "limits.meetings")
	made := e.allowed("create_meeting", map[string]any{"topic": "mine", "start_time": "2026-12-24T10:00:00Z"})
	id := int64(made.out["id"].(float64))
	e.allowed("get_meeting", map[string]any{"meeting_id": id})
	e.allowed("get_meeting", map[string]any{"meeting_id": fmt.Sprint(id)})
	e.allowed("update_meeting", map[string]any{"meeting_id": id, "topic": "still mine"})
	// A dry run creates nothing, so it owns nothing.
	if r := e.allowed("create_meeting", map[string]any{"topic": "dry", "dry_run": true}); r.out["dry_run"] != true {
		t.Errorf("dry run result: %v", r.out)
	}
	if owns, _ := e.pol.Ledger().Owns(context.Background(), "a", "meeting", "0"); owns {
		t.Error("a dry run recorded ownership")
	}
}

func TestLimitRegistrantActions(t *testing.T) {
	e := newEnv(t, policy.AgentConfig{Name: "a", Access: full, Limits: policy.Limits{RegistrantActions: []string{"approve"}}})
	args := func(action string) map[string]any {
		return map[string]any{"meeting_id": zoomfake.SeedRegistrationMeetingID, "action": action,
			"registrants": []map[string]any{{"email": "someone@example.com"}}, "dry_run": true}
	}
	e.allowed("update_meeting_registrant_status", args("approve"))
	e.denied("update_meeting_registrant_status", args("deny"), "limits.registrant_actions")
	e.denied("update_meeting_registrant_status", args("cancel"), "limits.registrant_actions")
	// Another tool's "action" argument is not a registrant action.
	e.allowed("delete_meeting_recordings", map[string]any{"meeting_id": zoomfake.SeedPastUUID, "action": "trash", "dry_run": true})
}

func TestLimitPageSize(t *testing.T) {
	e := newEnv(t, policy.AgentConfig{Name: "a", Access: full, Limits: policy.Limits{MaxPageSize: 50}})
	e.allowed("list_meetings", map[string]any{"page_size": 50})
	e.denied("list_meetings", map[string]any{"page_size": 51}, "limits.max_page_size")
	e.denied("list_meetings", map[string]any{"page_size": "300"}, "limits.max_page_size")
	e.allowed("list_meetings", nil)

	small := newEnv(t, policy.AgentConfig{Name: "a", Access: full, Limits: policy.Limits{MaxPageSize: 5}})
	r := small.allowed("list_meetings", nil) // Zoom's default of 30 would exceed 5: the cap applies
	if n := len(r.out["meetings"].([]any)); n != 5 {
		t.Errorf("a page without page_size has %d meetings, want the cap of 5", n)
	}
}

func TestLimitReportDays(t *testing.T) {
	e := newEnv(t, policy.AgentConfig{Name: "a", Access: full, Limits: policy.Limits{MaxReportDays: 7}})
	today := time.Now().UTC()
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
	e.allowed("list_past_meetings", map[string]any{"from": day(-6), "to": day(0)})
	e.denied("list_past_meetings", map[string]any{"from": day(-7), "to": day(0)}, "limits.max_report_days")
	e.denied("list_past_meetings", nil, "limits.max_report_days") // the default is a month
	// Recordings are not reports.
	e.allowed("list_recordings", nil)
}

func TestLimitDailyWrites(t *testing.T) {
	e := newEnv(t, policy.AgentConfig{Name: "a", Access: full, Limits: policy.Limits{DailyWrites: 2}})
	e.allowed("create_meeting", map[string]any{"topic": "dry", "dry_run": true}) // sends nothing, costs nothing
	if r := e.call("create_meeting", map[string]any{"topic": "x", "type": 2, "start_time": "not a time"}); r.kind != pipeline.KindInvalidArgument {
		t.Errorf("bad create: %+v", r) // refused before Zoom: costs nothing
	}
	e.allowed("create_meeting", map[string]any{"topic": "one", "start_time": "2026-12-24T10:00:00Z"})
	e.allowed("update_meeting", map[string]any{"meeting_id": zoomfake.SeedRegistrationMeetingID, "topic": "two"})
	r := e.denied("create_meeting", map[string]any{"topic": "three"}, "limits.daily_writes")
	if !strings.Contains(r.message, "00:00 UTC") {
		t.Errorf("the refusal does not say when the budget resets: %s", r.message)
	}
	e.allowed("get_meeting", map[string]any{"meeting_id": zoomfake.SeedRegistrationMeetingID}) // reads are not counted
}

// TestInvalidArgumentsOfAHiddenTool: a tool the agent may not call is
// refused as such, whatever its arguments; the argument help of a tool it
// may call is given.
func TestInvalidArgumentsOfAHiddenTool(t *testing.T) {
	e := newEnv(t, policy.AgentConfig{Name: "a", Access: map[string]policy.Level{"meetings": policy.Read}})
	e.denied("delete_meeting", map[string]any{"bogus": 1}, "meetings=read")
	e.denied("list_users", map[string]any{"bogus": 1}, "users=off")
	if r := e.call("get_meeting", map[string]any{"bogus": 1}); r.kind != pipeline.KindInvalidArgument {
		t.Errorf("get_meeting with a bad argument: %+v", r)
	}
}

func TestUnknownAgentDenied(t *testing.T) {
	e := newEnv(t, policy.AgentConfig{Name: "a", Access: full})
	e.agent = "intruder"
	e.denied("get_user", nil, "agents")
}

func TestHygiene(t *testing.T) {
	id := zoomfake.SeedRegistrationMeetingID
	open := newEnv(t, policy.AgentConfig{Name: "a", Access: full})
	m := open.allowed("get_meeting", map[string]any{"meeting_id": id}).out
	if m["password"] == nil || !strings.Contains(fmt.Sprint(m["join_url"]), "pwd=") {
		t.Skipf("the seeded meeting has no passcode to withhold: %v", m)
	}
	u := open.allowed("get_user", nil).out
	if u["email"] != zoomfake.SeedOwnerEmail {
		t.Errorf("email shown as %v", u["email"])
	}

	e := newEnv(t, policy.AgentConfig{Name: "a", Access: full, Results: policy.Results{MaskEmails: true, WithholdPasscodes: true}})
	m = e.allowed("get_meeting", map[string]any{"meeting_id": id}).out
	if _, has := m["password"]; has || strings.Contains(fmt.Sprint(m["join_url"]), "pwd=") {
		t.Errorf("passcode not withheld: %v", m)
	}
	if u := e.allowed("get_user", nil).out; u["email"] != "a***@example.com" {
		t.Errorf("email shown as %v", u["email"])
	}
	regs := e.allowed("list_meeting_registrants", map[string]any{"meeting_id": id}).out
	for _, r := range regs["registrants"].([]any) {
		if em := r.(map[string]any)["email"].(string); !strings.Contains(em, "***@") {
			t.Errorf("registrant email shown: %s", em)
		}
	}
}

func TestCleanURLTokens(t *testing.T) {
	// An agent without recordings=full gets no token in a URL.
	for _, tc := range []struct {
		level policy.Level
		keep  bool
	}{{policy.Read, false}, {policy.Full, true}} {
		pol, err := policy.New(&policy.Config{Agents: []policy.AgentConfig{{Name: "a", Access: map[string]policy.Level{"recordings": tc.level}}}}, policy.Options{})
		if err != nil {
			t.Fatal(err)
		}
		h := pol.Hygiene()(func(context.Context, *pipeline.Call) pipeline.Outcome {
			return pipeline.Outcome{Decision: pipeline.Allowed, Value: map[string]any{"files": []any{map[string]any{"download_url": "https://zoom.us/rec/download/abc?access_token=SECRET&x=1"}}}}
		})
		o := h(context.Background(), &pipeline.Call{Agent: pipeline.Agent{Name: "a"}})
		data, _ := json.Marshal(o.Value)
		if got := strings.Contains(string(data), "SECRET"); got != tc.keep {
			t.Errorf("recordings=%s: token kept = %v: %s", tc.level, got, data)
		}
	}
}

func TestAuthenticate(t *testing.T) {
	key := "zmcp_test-key"
	pol, err := policy.New(&policy.Config{Agents: []policy.AgentConfig{
		{Name: "a", KeySHA256: policy.HashKey(key)},
		{Name: "b", KeySHA256: policy.HashKey("other")},
		{Name: "stdio-only"},
	}}, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := pol.Authenticate(key); !ok || a.Name != "a" {
		t.Errorf("Authenticate(key) = %v %v", a, ok)
	}
	for _, bad := range []string{"", "zmcp_test-ke", key + " ", policy.HashKey(key)} {
		if a, ok := pol.Authenticate(bad); ok {
			t.Errorf("Authenticate(%q) = %v", bad, a)
		}
	}
	if _, err := policy.New(&policy.Config{Agents: []policy.AgentConfig{{Name: "a", KeySHA256: policy.HashKey(key)}, {Name: "b", KeySHA256: policy.HashKey(key)}}}, policy.Options{}); err == nil {
		t.Error("two agents with one key were accepted")
	}
}

func TestReloadKeepsOldPolicyOnError(t *testing.T) {
	pol, err := policy.New(&policy.Config{Agents: []policy.AgentConfig{{Name: "a", Access: full}}}, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := pol.Reload(&policy.Config{Agents: []policy.AgentConfig{{Name: "a"}, {Name: "a"}}}); err == nil {
		t.Fatal("a config with a duplicate agent reloaded")
	}
	if pol.Level("a", "meetings") != policy.Full {
		t.Error("the old policy was lost")
	}
}

// TestMaskEmailField: an address keeps its first character whole (the
// same masking as the audit log); a non-address in an email field is
// withheld.
func TestMaskEmailField(t *testing.T) {
	pol, err := policy.New(&policy.Config{Agents: []policy.AgentConfig{{Name: "a", Results: policy.Results{MaskEmails: true}}}}, policy.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := pol.Hygiene()(func(context.Context, *pipeline.Call) pipeline.Outcome {
		return pipeline.Outcome{Decision: pipeline.Allowed, Value: map[string]any{"email": "élodie@example.com", "host_email": "not an address"}}
	})
	o := h(context.Background(), &pipeline.Call{Agent: pipeline.Agent{Name: "a"}})
	var got map[string]string
	data, _ := json.Marshal(o.Value)
	_ = json.Unmarshal(data, &got)
	if got["email"] != "é***@example.com" || got["host_email"] != "***" {
		t.Errorf("masked: %v", got)
	}
}
