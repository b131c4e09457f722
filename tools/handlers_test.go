package tools

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/internal/inproc"
	"github.com/zoommcp/zoom-mcp/internal/sandbox"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// validArgs are arguments under which each tool succeeds on the seeded
// account. The changing tools act on objects the test does not use again.
func validArgs(h *harness) map[string]map[string]any {
	reg := zoomfake.SeedRegistrationMeetingID
	return map[string]map[string]any{
		"list_meetings":                    {"page_size": 5},
		"wait_for_event":                   {"types": []any{"meeting.started"}, "timeout_seconds": 1},
		"create_meeting":                   {"topic": "Planning", "type": 2, "start_time": h.day(3)[:10] + "T15:00:00Z", "duration": 30, "settings": map[string]any{"waiting_room": true}},
		"get_meeting":                      {"meeting_id": reg},
		"update_meeting":                   {"meeting_id": zoomfake.SeedRecurringMeetingID, "agenda": "Updated agenda"},
		"delete_meeting":                   {"meeting_id": h.upcomingMeeting(0)},
		"end_meeting":                      {"meeting_id": h.startedMeeting()},
		"list_meeting_registrants":         {"meeting_id": reg, "status": "approved"},
		"add_meeting_registrant":           {"meeting_id": reg, "email": "new.person@example.org", "first_name": "New"},
		"update_meeting_registrant_status": {"meeting_id": reg, "action": "approve", "registrants": []any{map[string]any{"email": h.pendingRegistrant(reg)}}},
		"list_webinars":                    {},
		"create_webinar":                   {"topic": "Launch", "start_time": h.day(10)[:10] + "T17:00:00Z", "duration": 60},
		"get_webinar":                      {"webinar_id": zoomfake.SeedWebinarID},
		"update_webinar":                   {"webinar_id": zoomfake.SeedWebinarID, "duration": 90},
		"delete_webinar":                   {"webinar_id": zoomfake.SeedOpenWebinarID},
		"list_webinar_registrants":         {"webinar_id": zoomfake.SeedWebinarID},
		"add_webinar_registrant":           {"webinar_id": zoomfake.SeedWebinarID, "email": "viewer@example.org", "first_name": "Vi"},
		"list_users":                       {},
		"get_user":                         {"user_id": zoomfake.SeedMemberEmail},
		"create_user":                      {"email": "gil.new@example.com", "type": 1, "first_name": "Gil"},
		"list_recordings":                  {"from": h.day(-29), "to": h.day(0)},
		"get_meeting_recordings":           {"meeting_id": zoomfake.SeedPastSlashUUID},
		"delete_meeting_recordings":        {"meeting_id": zoomfake.SeedDesignReviewUUID},
		"list_past_meetings":               {"from": h.day(-29), "to": h.day(0)},
		"get_meeting_report":               {"meeting_id": zoomfake.SeedPastDoubleSlashUUID},
		"list_meeting_participants":        {"meeting_id": zoomfake.SeedPastUUID},
		"get_meeting_transcript":           {"meeting_id": zoomfake.SeedTranscriptUUID, "speaker": "Ava"},
		"get_meeting_summary":              {"meeting_id": zoomfake.SeedSummaryUUID},
		"list_meeting_summaries":           {"page_size": 5},
	}
}

// upcomingMeeting returns the nth plain upcoming meeting of the seed.
func (h *harness) upcomingMeeting(nth int) int64 {
	out := h.ok("list_meetings", map[string]any{"type": "upcoming_meetings", "page_size": 50})
	for _, m := range items(out, "meetings") {
		id := num(m, "id")
		if id != zoomfake.SeedRegistrationMeetingID && id != zoomfake.SeedRecurringMeetingID && m["type"].(float64) == 2 {
			if nth == 0 {
				return id
			}
			nth--
		}
	}
	h.t.Fatal("no upcoming meeting in the seed")
	return 0
}

func (h *harness) startedMeeting() int64 {
	id := h.upcomingMeeting(1)
	if err := h.sim.StartMeeting(id); err != nil {
		h.t.Fatal(err)
	}
	return id
}

func (h *harness) pendingRegistrant(meetingID int64) string {
	out := h.ok("list_meeting_registrants", map[string]any{"meeting_id": meetingID, "status": "pending"})
	regs := items(out, "registrants")
	if len(regs) == 0 {
		h.t.Fatal("no pending registrant in the seed")
	}
	return regs[0]["email"].(string)
}

// TestEveryToolSucceeds calls each of the 25 tools with valid arguments.
func TestEveryToolSucceeds(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	args := validArgs(h)
	for _, name := range publicNames {
		t.Run(name, func(t *testing.T) {
			h.t = t
			a, ok := args[name]
			if !ok {
				t.Fatal("no valid arguments for this tool")
			}
			out := h.ok(name, a)
			if len(out) == 0 {
				t.Errorf("empty result")
			}
		})
	}
}

// TestMissingScope: with no scopes granted, every tool fails and names the
// scopes to add, user-level and :admin, from the endpoint table.
func TestMissingScope(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	args := validArgs(h)
	h.sim.SetScopes([]string{"user:read:user"}) // enough for nothing but get_user
	for _, name := range publicNames {
		if name == "get_user" || h.tools[name].Local() {
			continue // get_user has its scope; the server's own tool needs none
		}
		t.Run(name, func(t *testing.T) {
			h.t = t
			ep := h.tools[name].Endpoint
			e := h.fails(name, args[name], KindMissingScope, ep.AdminScopes()[0], "Zoom App Marketplace")
			for _, s := range ep.UserScopes() {
				if !strings.Contains(e.Message, s) {
					t.Errorf("message lacks the user-level scope %s: %s", s, e.Message)
				}
			}
			if len(e.MissingScopes) == 0 {
				t.Errorf("missing_scopes is empty")
			}
		})
	}
}

func TestNotFound(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	const ghost = 99999999999
	tests := []struct {
		tool string
		args map[string]any
	}{
		{"list_meetings", map[string]any{"user_id": "nobody@example.com"}},
		{"create_meeting", map[string]any{"user_id": "nobody@example.com", "topic": "x"}},
		{"get_meeting", map[string]any{"meeting_id": ghost}},
		{"update_meeting", map[string]any{"meeting_id": ghost, "topic": "x"}},
		{"delete_meeting", map[string]any{"meeting_id": ghost}},
		{"end_meeting", map[string]any{"meeting_id": ghost}},
		{"list_meeting_registrants", map[string]any{"meeting_id": ghost}},
		{"add_meeting_registrant", map[string]any{"meeting_id": ghost, "email": "a@b.co", "first_name": "A"}},
		{"update_meeting_registrant_status", map[string]any{"meeting_id": ghost, "action": "deny", "registrants": []any{map[string]any{"id": "x"}}}},
		{"list_webinars", map[string]any{"user_id": "nobody@example.com"}},
		{"create_webinar", map[string]any{"user_id": "nobody@example.com", "topic": "x"}},
		{"get_webinar", map[string]any{"webinar_id": ghost}},
		{"update_webinar", map[string]any{"webinar_id": ghost, "topic": "x"}},
		{"delete_webinar", map[string]any{"webinar_id": ghost}},
		{"list_webinar_registrants", map[string]any{"webinar_id": ghost}},
		{"add_webinar_registrant", map[string]any{"webinar_id": ghost, "email": "a@b.co", "first_name": "A"}},
		{"get_user", map[string]any{"user_id": "nobody@example.com"}},
		{"list_recordings", map[string]any{"user_id": "nobody@example.com"}},
		{"get_meeting_recordings", map[string]any{"meeting_id": strconv.Itoa(ghost)}},
		{"delete_meeting_recordings", map[string]any{"meeting_id": strconv.Itoa(ghost)}},
		{"list_past_meetings", map[string]any{"user_id": "nobody@example.com", "from": h.day(-7), "to": h.day(0)}},
		{"get_meeting_report", map[string]any{"meeting_id": strconv.Itoa(ghost)}},
		{"list_meeting_participants", map[string]any{"meeting_id": strconv.Itoa(ghost)}},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			h.t = t
			e := h.fails(tt.tool, tt.args, KindNotFound, "Check the ID")
			if e.ZoomCode == 0 {
				t.Errorf("zoom_code missing")
			}
			if !strings.Contains(e.Message, "=99999999999.") && !strings.Contains(e.Message, "nobody@example.com") {
				t.Errorf("message does not name the ID: %s", e.Message)
			}
		})
	}
}

// TestInvalidArguments covers what the tools reject before calling Zoom
// (schema: unknown keys, types, enums, bounds, required) and what Zoom
// rejects (the simulator's validation), for every tool.
func TestInvalidArguments(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	tests := []struct {
		tool string
		args map[string]any
		want []string
	}{
		{"list_meetings", map[string]any{"type": "yesterday"}, []string{"type"}},
		{"list_meetings", map[string]any{"page_size": 301}, []string{"page_size"}},
		{"list_meetings", map[string]any{"usr_id": "me"}, []string{"unknown argument(s) usr_id", "this tool accepts:", "user_id"}},
		{"create_meeting", map[string]any{"type": 2}, []string{"topic"}},
		{"create_meeting", map[string]any{"topic": strings.Repeat("x", 201)}, []string{"topic"}},
		{"create_meeting", map[string]any{"topic": "x", "settings": map[string]any{"auto_recording": "tape"}}, []string{"settings.auto_recording"}},
		{"create_meeting", map[string]any{"topic": "x", "password": "bad pass!"}, []string{"password"}},
		{"get_meeting", map[string]any{}, []string{"meeting_id"}},
		{"get_meeting", map[string]any{"meeting_id": "abc"}, []string{"meeting_id"}},
		{"update_meeting", map[string]any{"meeting_id": zoomfake.SeedRecurringMeetingID, "start_time": "next tuesday"}, []string{"start_time"}},
		{"delete_meeting", map[string]any{"meeting_id": 0}, []string{"meeting_id"}},
		{"end_meeting", map[string]any{"meeting_id": -5}, []string{"meeting_id"}},
		{"list_meeting_registrants", map[string]any{"meeting_id": 1, "status": "maybe"}, []string{"status"}},
		{"add_meeting_registrant", map[string]any{"meeting_id": zoomfake.SeedRegistrationMeetingID, "email": "not-an-email", "first_name": "A"}, []string{"email"}},
		{"update_meeting_registrant_status", map[string]any{"meeting_id": 1, "action": "approve", "registrants": []any{}}, []string{"registrants"}},
		{"update_meeting_registrant_status", map[string]any{"meeting_id": zoomfake.SeedRegistrationMeetingID, "action": "approve", "registrants": []any{map[string]any{}}}, []string{"id or an email"}},
		{"list_webinars", map[string]any{"next_page_token": "garbage"}, []string{"next_page_token"}},
		{"create_webinar", map[string]any{"topic": "x", "type": 7}, []string{"type"}},
		{"create_webinar", map[string]any{"topic": "x", "type": 9}, []string{"recurrence"}},
		{"get_webinar", map[string]any{"webinar_id": true}, []string{"webinar_id"}},
		{"update_webinar", map[string]any{"webinar_id": zoomfake.SeedWebinarID, "duration": 0}, []string{"duration"}},
		{"delete_webinar", map[string]any{}, []string{"webinar_id"}},
		{"list_webinar_registrants", map[string]any{"webinar_id": zoomfake.SeedWebinarID, "page_size": 0}, []string{"page_size"}},
		{"add_webinar_registrant", map[string]any{"webinar_id": zoomfake.SeedWebinarID, "email": "a@b.co"}, []string{"first_name"}},
		{"list_users", map[string]any{"status": "asleep"}, []string{"status"}},
		{"get_user", map[string]any{"user_id": true}, []string{"user_id"}},
		{"create_user", map[string]any{"email": "x@example.com", "type": 3}, []string{"type"}},
		{"list_recordings", map[string]any{"from": "01/02/2026"}, []string{"from"}},
		{"list_recordings", map[string]any{"from": h.day(-90), "to": h.day(0)}, []string{"from", "one month", h.day(0)}},
		{"get_meeting_recordings", map[string]any{"meeting_id": ""}, []string{"meeting_id"}},
		{"delete_meeting_recordings", map[string]any{"meeting_id": zoomfake.SeedPastUUID, "action": "shred"}, []string{"action"}},
		{"list_past_meetings", map[string]any{"from": h.day(-7), "to": "soon"}, []string{"to"}},
		{"list_past_meetings", map[string]any{"from": h.day(-60), "to": h.day(0)}, []string{"from", "one month"}},
		{"get_meeting_report", map[string]any{}, []string{"meeting_id"}},
		{"list_meeting_participants", map[string]any{"meeting_id": zoomfake.SeedPastUUID, "page_size": "lots"}, []string{"page_size"}},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			h.t = t
			h.fails(tt.tool, tt.args, KindInvalidArgument, append(tt.want, "call again")...)
		})
	}
}

// TestDefaultDateRange: without dates, the report and recording lists cover
// the last month, so a bare call finds the seeded past meetings.
func TestDefaultDateRange(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	for tool, key := range map[string]string{"list_recordings": "recordings", "list_past_meetings": "meetings"} {
		out := h.ok(tool, nil)
		if len(items(out, key)) == 0 {
			t.Errorf("%s without dates found nothing: %v", tool, out)
		}
	}
	out := h.ok("list_recordings", map[string]any{"to": "2026-03-15"})
	if out["from"] != "2026-02-15" {
		t.Errorf("from = %v, want a month before to", out["from"])
	}
}

// TestCoercion: models send "42" for 42 and "true" for true; both work.
func TestCoercion(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	out := h.ok("get_meeting", map[string]any{"meeting_id": strconv.FormatInt(zoomfake.SeedRegistrationMeetingID, 10)})
	if num(out, "id") != zoomfake.SeedRegistrationMeetingID {
		t.Errorf("id = %v", out["id"])
	}
	h.ok("list_meetings", map[string]any{"page_size": "3"})
	h.ok("list_recordings", map[string]any{"trash": "false"})
}

// TestRateLimited: with pacing off on a Free plan, a burst on a Heavy
// endpoint (1 a second) hits Zoom's limit; the tool says when to retry.
func TestRateLimited(t *testing.T) {
	h := newHarness(t, zoomfake.Options{Plan: zoomfake.PlanFree}, zoomapi.WithoutPacing(), zoomapi.WithRetryOnRateLimit(0, 0))
	args := map[string]any{"meeting_id": zoomfake.SeedPastUUID}
	var e *ErrorInfo
	for range 5 {
		if _, e = h.call("get_meeting_report", args); e != nil {
			break
		}
	}
	if e == nil || e.Kind != KindRateLimited {
		t.Fatalf("no rate limit after a burst: %+v", e)
	}
	if e.RetryAfterSeconds == nil || *e.RetryAfterSeconds < 1 || *e.RetryAfterSeconds > 2 {
		t.Errorf("retry_after_seconds = %v, want 1", e.RetryAfterSeconds)
	}
	if !strings.Contains(e.Message, "Retry in") {
		t.Errorf("message: %s", e.Message)
	}
}

// TestRateLimitPacedAway: with the client's default pacing and retries, the
// same burst succeeds: the server waits inside Zoom's limits.
func TestRateLimitPacedAway(t *testing.T) {
	h := newHarness(t, zoomfake.Options{Plan: zoomfake.PlanFree}, zoomapi.WithPlan(zoomapi.PlanFree))
	for range 3 {
		h.ok("get_meeting_report", map[string]any{"meeting_id": zoomfake.SeedPastUUID})
	}
}

// TestDailyUserLimit: the 101st meeting create of a day for one user fails
// with the time to retry (next 00:00 UTC) and a hint to act for another user.
func TestDailyUserLimit(t *testing.T) {
	h := newHarness(t, zoomfake.Options{NoRateLimit: true})
	for i := range zoomapi.DailyUserLimit {
		if _, e := h.call("create_meeting", map[string]any{"topic": fmt.Sprint("m", i)}); e != nil {
			t.Fatalf("create %d: %s", i, e.Message)
		}
	}
	e := h.fails("create_meeting", map[string]any{"topic": "one too many"}, KindRateLimited, "100 meeting and webinar creates and updates a day", "another user")
	midnight := h.clock.Now().UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
	want := int(midnight.Sub(h.clock.Now()).Seconds())
	if e.RetryAfterSeconds == nil || *e.RetryAfterSeconds < want-2 || *e.RetryAfterSeconds > want+2 {
		t.Errorf("retry_after_seconds = %v, want about %d (until 00:00 UTC)", e.RetryAfterSeconds, want)
	}
}

// TestPagination walks every paged list tool two items at a time and checks
// that pages do not overlap and the token ends the walk.
func TestPagination(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	tests := []struct {
		tool, key string
		args      map[string]any
		idKey     string
	}{
		{"list_meetings", "meetings", map[string]any{}, "id"},
		{"list_meeting_registrants", "registrants", map[string]any{"meeting_id": zoomfake.SeedRegistrationMeetingID}, "id"},
		{"list_webinars", "webinars", map[string]any{}, "id"},
		{"list_webinar_registrants", "registrants", map[string]any{"webinar_id": zoomfake.SeedWebinarID}, "id"},
		{"list_users", "users", map[string]any{}, "id"},
		{"list_recordings", "recordings", map[string]any{"from": h.day(-29), "to": h.day(0)}, "uuid"},
		{"list_past_meetings", "meetings", map[string]any{"from": h.day(-29), "to": h.day(0)}, "uuid"},
		{"list_meeting_participants", "participants", map[string]any{"meeting_id": zoomfake.SeedPastUUID}, "email"},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			h.t = t
			seen := map[string]bool{}
			token, pages, total := "", 0, 0
			for {
				args := map[string]any{"page_size": 1}
				for k, v := range tt.args {
					args[k] = v
				}
				if token != "" {
					args["next_page_token"] = token
				}
				out := h.ok(tt.tool, args)
				pages++
				total = int(num(out, "total_records"))
				for _, it := range items(out, tt.key) {
					id := fmt.Sprint(it[tt.idKey])
					if seen[id] && tt.tool != "list_meeting_participants" {
						t.Errorf("page %d repeats %s", pages, id)
					}
					seen[id] = true
				}
				token, _ = out["next_page_token"].(string)
				if token == "" || pages > 100 {
					break
				}
			}
			if pages < 2 {
				t.Errorf("only %d page(s) with page_size 1: the seed should have more", pages)
			}
			if total != pages {
				t.Errorf("total_records %d, but %d pages of one", total, pages)
			}
		})
	}
}

func TestExpiredPageToken(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	out := h.ok("list_meetings", map[string]any{"page_size": 2})
	token := out["next_page_token"].(string)
	h.clock.Advance(16 * time.Minute)
	h.fails("list_meetings", map[string]any{"page_size": 2, "next_page_token": token}, KindInvalidArgument, "next page token is invalid or expired")
}

// TestMeetingLifecycle: what is created can be read, listed, changed,
// ended and deleted, through the tools alone.
func TestMeetingLifecycle(t *testing.T) {
	h := newHarness(t, zoomfake.Options{NoSeed: true})
	created := h.ok("create_meeting", map[string]any{
		"topic": "Quarterly review", "type": 8, "start_time": "2026-12-01T15:00:00Z", "duration": 45, "timezone": "Europe/Paris",
		"recurrence": map[string]any{"type": 2, "repeat_interval": 1, "weekly_days": "3", "end_times": 4},
	})
	id := num(created, "id")
	if id == 0 || created["join_url"] == "" || len(items(created, "occurrences")) != 4 {
		t.Fatalf("create_meeting returned %v", created)
	}
	if _, leaked := created["start_url"]; leaked {
		t.Error("start_url (a host credential) must not reach the agent")
	}
	got := h.ok("get_meeting", map[string]any{"meeting_id": id})
	if got["topic"] != "Quarterly review" || num(got, "duration") != 45 {
		t.Errorf("get_meeting = %v", got)
	}
	updated := h.ok("update_meeting", map[string]any{"meeting_id": id, "topic": "Quarterly review (moved)", "settings": map[string]any{"mute_upon_entry": true}})
	if updated["topic"] != "Quarterly review (moved)" || num(updated, "duration") != 45 {
		t.Errorf("update_meeting changed the wrong fields: %v", updated)
	}
	if s, _ := updated["settings"].(map[string]any); s["mute_upon_entry"] != true {
		t.Errorf("settings not updated: %v", updated["settings"])
	}
	list := h.ok("list_meetings", map[string]any{})
	if n := len(items(list, "meetings")); n != 1 {
		t.Errorf("list_meetings has %d meetings, want 1", n)
	}
	h.fails("end_meeting", map[string]any{"meeting_id": id}, KindZoomRefused)
	if err := h.sim.StartMeeting(id); err != nil {
		t.Fatal(err)
	}
	h.fails("delete_meeting", map[string]any{"meeting_id": id}, KindZoomRefused)
	h.ok("end_meeting", map[string]any{"meeting_id": id})
	del := h.ok("delete_meeting", map[string]any{"meeting_id": id})
	if del["outcome"] != "deleted" {
		t.Errorf("delete_meeting = %v", del)
	}
	h.fails("get_meeting", map[string]any{"meeting_id": id}, KindNotFound)
}

func TestRegistrationFlow(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	id := zoomfake.SeedRegistrationMeetingID
	added := h.ok("add_meeting_registrant", map[string]any{"meeting_id": id, "email": "zoe@example.org", "first_name": "Zoe"})
	if added["registrant_id"] == "" || added["join_url"] == "" {
		t.Fatalf("add_meeting_registrant = %v", added)
	}
	// Manual approval: Zoe waits among the pending registrants.
	pending := h.ok("list_meeting_registrants", map[string]any{"meeting_id": id, "status": "pending"})
	found := false
	for _, r := range items(pending, "registrants") {
		found = found || r["email"] == "zoe@example.org"
	}
	if !found {
		t.Fatalf("new registrant not pending: %v", pending)
	}
	h.ok("update_meeting_registrant_status", map[string]any{"meeting_id": id, "action": "approve", "registrants": []any{map[string]any{"email": "zoe@example.org"}}})
	approved := h.ok("list_meeting_registrants", map[string]any{"meeting_id": id, "status": "approved", "page_size": 300})
	found = false
	for _, r := range items(approved, "registrants") {
		found = found || r["email"] == "zoe@example.org"
	}
	if !found {
		t.Errorf("registrant not approved: %v", approved)
	}
}

func TestRecordingsTrashAndTranscript(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	rec := h.ok("get_meeting_recordings", map[string]any{"meeting_id": zoomfake.SeedPastDoubleSlashUUID})
	hasTranscript := false
	for _, f := range items(rec, "files") {
		hasTranscript = hasTranscript || f["file_type"] == "TRANSCRIPT"
	}
	if !hasTranscript {
		t.Errorf("seeded recording has no transcript: %v", rec)
	}
	del := h.ok("delete_meeting_recordings", map[string]any{"meeting_id": zoomfake.SeedPastDoubleSlashUUID})
	if del["outcome"] != "moved to trash" {
		t.Errorf("delete = %v", del)
	}
	h.fails("get_meeting_recordings", map[string]any{"meeting_id": zoomfake.SeedPastDoubleSlashUUID}, KindNotFound)
	trash := h.ok("list_recordings", map[string]any{"from": h.day(-29), "to": h.day(0), "trash": true})
	if len(items(trash, "recordings")) == 0 {
		t.Errorf("trashed recording not in the trash listing")
	}
}

// TestExpiredTokenNeverReachesAgent: Zoom expires the token mid-run; the
// call still succeeds.
func TestExpiredTokenNeverReachesAgent(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	h.ok("get_user", nil)
	h.sim.ExpireTokens()
	h.ok("get_user", nil)
	if n := h.sim.TokenRequests(); n != 2 {
		t.Errorf("%d token requests, want 2 (one renewal)", n)
	}
}

// TestArgumentsMustBeAnObject: a non-object arguments value is refused with
// a message, never a crash.
func TestArgumentsMustBeAnObject(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	for _, raw := range []any{[]any{1}, "meeting", 42.0} {
		_, e := h.call("get_meeting", map[string]any{"x": raw})
		if e == nil || e.Kind != KindInvalidArgument {
			t.Errorf("%v: %+v", raw, e)
		}
	}
}

// TestBadCredentialsNeverLeak: when the server's own Zoom credentials are
// wrong, the agent learns that the operator must fix them, and neither the
// secret nor any token appears in the result.
func TestBadCredentialsNeverLeak(t *testing.T) {
	const secret = "s3cr3t-value-that-must-not-leak"
	sim := zoomfake.New(zoomfake.Options{})
	bad, _, err := zoomapi.NewS2SClient(zoomapi.Config{
		APIBaseURL: sandbox.Host + "/v2", OAuthBaseURL: sandbox.Host,
		AccountID: zoomfake.DefaultAccountID, ClientID: zoomfake.DefaultClientID, ClientSecret: secret,
	}, inproc.Client(sim))
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, sim: sim, tools: map[string]Tool{}, handlers: map[string]server.ToolHandlerFunc{}, clock: &fakeClock{start: time.Now()}}
	for _, tl := range All() {
		h.tools[tl.Name()] = tl
		h.handlers[tl.Name()] = tl.Bind(&pipeline.Pipeline{Client: pipeline.Static(bad)})
	}
	e := h.fails("get_user", nil, KindUnavailable, "operator", "credentials")
	if strings.Contains(e.Message, secret) {
		t.Errorf("the client secret leaked: %s", e.Message)
	}
}

// TestHugeNumbers: a number the schema allows but int64 cannot hold is a
// field error, not a Go decoding message.
func TestHugeNumbers(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	e := h.fails("get_meeting", map[string]any{"meeting_id": 1e300}, KindInvalidArgument, "meeting_id", "out of range")
	if len(e.Fields) != 1 || e.Fields[0].Field != "meeting_id" {
		t.Errorf("fields = %+v", e.Fields)
	}
	if strings.Contains(e.Message, "Go struct") {
		t.Errorf("message leaks Go internals: %s", e.Message)
	}
}

// TestUpdateCanClearAField: update_meeting sends exactly the fields given,
// so an empty agenda clears it while the rest stays.
func TestUpdateCanClearAField(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	id := zoomfake.SeedRegistrationMeetingID
	before := h.ok("get_meeting", map[string]any{"meeting_id": id})
	after := h.ok("update_meeting", map[string]any{"meeting_id": id, "agenda": ""})
	if _, has := after["agenda"]; has || after["topic"] != before["topic"] || after["duration"] != before["duration"] {
		t.Errorf("before %v\nafter %v", before, after)
	}
}

// TestArgumentsNotMutated: checking arguments leaves the request as sent.
func TestArgumentsNotMutated(t *testing.T) {
	h := newHarness(t, zoomfake.Options{NoSeed: true})
	args := map[string]any{"topic": "x", "duration": "30", "settings": map[string]any{"approval_type": 1.0}}
	res, err := h.handlers["create_meeting"](t.Context(), mcp.CallToolRequest{Params: mcp.CallToolParams{Arguments: args}})
	if err != nil || res.IsError {
		t.Fatalf("%v %+v", err, res)
	}
	if args["duration"] != "30" || args["settings"].(map[string]any)["approval_type"] != 1.0 {
		t.Errorf("arguments changed: %v", args)
	}
}

// TestWebinarRecurrence: a recurring webinar with a fixed time (type 9)
// takes a recurrence, as meetings do, and returns its occurrences.
func TestWebinarRecurrence(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	w := h.ok("create_webinar", map[string]any{"topic": "Weekly office hours", "type": 9, "start_time": h.day(3)[:10] + "T16:00:00Z",
		"duration": 45, "recurrence": map[string]any{"type": 2, "weekly_days": "3", "end_times": 4}})
	if num(w, "type") != 9 || !spaced(t, w, 4, 7*24*time.Hour) {
		t.Errorf("created: %v", w)
	}
	got := h.ok("update_webinar", map[string]any{"webinar_id": num(w, "id"), "recurrence": map[string]any{"type": 1, "end_times": 3}})
	if !spaced(t, got, 3, 24*time.Hour) {
		t.Errorf("updated: %v", got)
	}
}

// spaced reports whether a result has n occurrences, gap apart.
func spaced(t *testing.T, res map[string]any, n int, gap time.Duration) bool {
	t.Helper()
	occ, _ := res["occurrences"].([]any)
	if len(occ) != n {
		return false
	}
	var prev time.Time
	for i, o := range occ {
		at, err := time.Parse(time.RFC3339, o.(map[string]any)["start_time"].(string))
		if err != nil || i > 0 && at.Sub(prev) != gap {
			return false
		}
		prev = at
	}
	return true
}

// TestWebinarSettings: approval_type sits under settings for webinars, as
// for meetings, and reaches Zoom.
func TestWebinarSettings(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	w := h.ok("create_webinar", map[string]any{"topic": "Launch", "start_time": h.day(3)[:10] + "T16:00:00Z",
		"settings": map[string]any{"approval_type": 1, "auto_recording": "cloud"}})
	s, _ := w["settings"].(map[string]any)
	if s == nil || num(s, "approval_type") != 1 || s["auto_recording"] != "cloud" {
		t.Fatalf("created: %v", w)
	}
	got := h.ok("update_webinar", map[string]any{"webinar_id": num(w, "id"), "settings": map[string]any{"approval_type": 0}})
	if s, _ := got["settings"].(map[string]any); s == nil || s["approval_type"] != float64(0) || s["auto_recording"] != "cloud" {
		t.Errorf("updated: %v", got)
	}
	if _, e := h.call("create_webinar", map[string]any{"topic": "Old shape", "approval_type": 0}); e == nil || e.Kind != KindInvalidArgument ||
		!strings.Contains(e.Message, "settings") {
		t.Errorf("approval_type at the top: %+v", e)
	}
}

// TestMeetingIDAsNumberOrString: every tool that takes a meeting ID takes
// it as a number or as a string of digits, as the list tools return it and
// as clients such as the MCP Inspector send it.
func TestMeetingIDAsNumberOrString(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	id := zoomfake.SeedTranscriptMeetingID
	for _, name := range []string{"get_meeting_recordings", "get_meeting_report", "list_meeting_participants", "get_meeting_transcript", "get_meeting_summary"} {
		for _, v := range []any{id, fmt.Sprint(id)} {
			if _, e := h.call(name, map[string]any{"meeting_id": v}); e != nil && e.Kind == KindInvalidArgument {
				t.Errorf("%s(meeting_id=%#v): %s", name, v, e.Message)
			}
		}
	}
	for _, v := range []any{zoomfake.SeedRegistrationMeetingID, fmt.Sprint(zoomfake.SeedRegistrationMeetingID)} {
		h.ok("get_meeting", map[string]any{"meeting_id": v})
	}
	h.fails("get_meeting_report", map[string]any{"meeting_id": 1.5}, KindInvalidArgument, "meeting_id")
}
