package zoomfake

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestMeetingLifecycle(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	m := e.call("POST", "/users/me/meetings", map[string]any{
		"topic": "Planning", "type": 2, "start_time": "2026-12-01T10:00:00Z", "duration": 45, "timezone": "Europe/Paris",
		"agenda": "Plan", "password": "abc123", "settings": map[string]any{"waiting_room": true, "approval_type": 0, "ignored": 1},
	}, 201)
	id := itoa(num(m["id"]))
	if len(id) != 11 || m["start_time"] != "2026-12-01T10:00:00Z" || m["password"] != "abc123" || m["status"] != "waiting" ||
		m["host_id"] != SeedOwnerID || len(m["uuid"].(string)) != 24 || !strings.HasSuffix(m["uuid"].(string), "==") {
		t.Fatalf("created %v", m)
	}
	if s := m["settings"].(map[string]any); s["waiting_room"] != true || s["ignored"] != nil || s["approval_type"] != float64(0) {
		t.Fatalf("settings %v", s)
	}
	// Local time in the meeting's zone.
	e.call("PATCH", "/meetings/"+id, map[string]any{"start_time": "2026-12-01T10:00:00", "settings": map[string]any{"mute_upon_entry": true}}, 204)
	got := e.call("GET", "/meetings/"+id, nil, 200)
	if got["start_time"] != "2026-12-01T09:00:00Z" || got["topic"] != "Planning" {
		t.Fatalf("after PATCH: %v %v", got["start_time"], got["topic"])
	}
	if s := got["settings"].(map[string]any); s["mute_upon_entry"] != true || s["waiting_room"] != true {
		t.Fatalf("PATCH did not merge settings: %v", s)
	}
	// An invalid PATCH changes nothing.
	e.wantError(e.do("PATCH", "/meetings/"+id, map[string]any{"topic": "New", "duration": "long"}), 400, 300, "Validation Failed.")
	if e.call("GET", "/meetings/"+id, nil, 200)["topic"] != "Planning" {
		t.Fatal("invalid PATCH applied")
	}

	// Status: end needs a meeting in progress; in progress it cannot be deleted.
	e.wantError(e.do("PUT", "/meetings/"+id+"/status", map[string]any{"action": "end"}), 400, 3000, "The meeting is not in progress.")
	if err := e.s.StartMeeting(num(m["id"])); err != nil {
		t.Fatal(err)
	}
	if e.call("GET", "/meetings/"+id, nil, 200)["status"] != "started" {
		t.Fatal("not started")
	}
	e.wantError(e.do("DELETE", "/meetings/"+id, nil), 400, 3000, "Meeting is in progress, cannot be deleted.")
	e.clock.Advance(30 * time.Minute)
	e.call("PUT", "/meetings/"+id+"/status", map[string]any{"action": "end"}, 204)
	rec := e.call("GET", "/meetings/"+id+"/recordings", nil, 200)
	if num(rec["recording_count"]) != 4 {
		t.Fatalf("recording %v", rec)
	}
	rep := e.call("GET", "/report/meetings/"+id, nil, 200)
	if num(rep["duration"]) != 30 || num(rep["participants_count"]) != 2 {
		t.Fatalf("report %v", rep)
	}
	if e.call("GET", "/meetings/"+id, nil, 200)["uuid"] == rep["uuid"] {
		t.Fatal("the meeting kept the ended instance's UUID")
	}
	// Delete, then recover.
	e.call("DELETE", "/meetings/"+id, nil, 204)
	e.wantError(e.do("GET", "/meetings/"+id, nil), 404, 3001, "Meeting does not exist: "+id+".")
	e.call("PUT", "/meetings/"+id+"/status", map[string]any{"action": "recover"}, 204)
	e.call("GET", "/meetings/"+id, nil, 200)
	e.wantError(e.do("PUT", "/meetings/"+id+"/status", map[string]any{"action": "pause"}), 400, 300, "Validation Failed.")
}

func TestRecurringOccurrences(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	id := itoa(SeedRecurringMeetingID)
	m := e.call("GET", "/meetings/"+id, nil, 200)
	occs := list(m, "occurrences")
	if len(occs) != 8 {
		t.Fatalf("%d occurrences", len(occs))
	}
	occ := occs[1]["occurrence_id"].(string)
	e.call("DELETE", "/meetings/"+id+"?occurrence_id="+occ, nil, 204)
	got := e.call("GET", "/meetings/"+id+"?occurrence_id="+occ, nil, 200)
	if list(got, "occurrences")[0]["status"] != "deleted" {
		t.Fatalf("occurrence %v", got["occurrences"])
	}
	e.wantError(e.do("DELETE", "/meetings/"+id+"?occurrence_id=123", nil), 400, 300, "Invalid parameter: `occurrence_id`.")
	e.call("PATCH", "/meetings/"+id+"?occurrence_id="+occs[2]["occurrence_id"].(string), map[string]any{"duration": 90}, 204)
	if d := num(list(e.call("GET", "/meetings/"+id, nil, 200), "occurrences")[2]["duration"]); d != 90 {
		t.Fatalf("occurrence duration %d", d)
	}
}

func TestRegistrants(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	path := fmt.Sprintf("/meetings/%d/registrants", SeedRegistrationMeetingID)
	count := func(status string) int {
		return len(list(e.call("GET", path+"?status="+status, nil, 200), "registrants"))
	}
	if count("approved") != 2 || count("pending") != 1 || count("denied") != 1 {
		t.Fatal("seeded registrant states")
	}
	r := e.call("POST", path, map[string]any{"email": "new@example.org", "first_name": "New"}, 201)
	if num(r["id"]) != SeedRegistrationMeetingID || r["registrant_id"] == "" || r["join_url"] == "" || r["topic"] != "Quarterly all-hands" || r["start_time"] == nil {
		t.Fatalf("add: %v", r)
	}
	again := e.call("POST", path, map[string]any{"email": "NEW@example.org", "first_name": "Other"}, 201)
	if again["registrant_id"] != r["registrant_id"] {
		t.Fatal("duplicate email made a second registrant")
	}
	if count("pending") != 2 { // manual approval
		t.Fatal("new registrant not pending")
	}
	e.call("PUT", path+"/status", map[string]any{"action": "approve", "registrants": []any{map[string]any{"id": r["registrant_id"]}}}, 204)
	if count("pending") != 1 || count("approved") != 3 {
		t.Fatal("approve")
	}
	e.call("PUT", path+"/status", map[string]any{"action": "cancel", "registrants": []any{map[string]any{"email": "new@example.org"}}}, 204)
	if count("approved") != 2 || count("denied") != 2 {
		t.Fatal("cancel")
	}
	e.wantError(e.do("PUT", path+"/status", map[string]any{"action": "maybe"}), 400, 300, "Validation Failed.")
	e.wantError(e.do("PUT", path+"/status", map[string]any{}), 400, 300, "Validation Failed.")
	e.wantError(e.do("POST", path, map[string]any{"email": "not-an-email", "first_name": "X"}), 400, 300, "Validation Failed.")
	e.wantError(e.do("POST", path, map[string]any{"email": "a@b.co"}), 400, 300, "Validation Failed.")
	// No registration on this meeting.
	e.wantError(e.do("POST", fmt.Sprintf("/meetings/%d/registrants", SeedRecurringMeetingID), map[string]any{"email": "a@b.co", "first_name": "A"}),
		400, 3000, "This meeting does not have registration as required")
	e.wantError(e.do("POST", "/meetings/1/registrants", map[string]any{"email": "a@b.co", "first_name": "A"}), 404, 1001, "Meeting does not exist: 1.")

	// Webinars.
	wpath := fmt.Sprintf("/webinars/%d/registrants", SeedWebinarID)
	w := e.call("POST", wpath, map[string]any{"email": "w@example.org", "first_name": "W"}, 201)
	if w["registrant_id"] == "" || len(list(e.call("GET", wpath, nil, 200), "registrants")) != 4 {
		t.Fatal("webinar registrant not approved automatically")
	}
	e.wantError(e.do("POST", wpath, map[string]any{"email": SeedOwnerEmail, "first_name": "Ava"}), 400, 3027, "Host cannot register.")
	e.wantError(e.do("POST", fmt.Sprintf("/webinars/%d/registrants", SeedOpenWebinarID), map[string]any{"email": "a@b.co", "first_name": "A"}),
		400, 3000, "This webinar does not have registration as required")
}

func TestRecordingsTrash(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	listing := func(q string) int {
		return len(list(e.call("GET", "/users/me/recordings?"+q, nil, 200), "meetings"))
	}
	// The team sync's three instances, SeedTranscriptUUID and
	// SeedLongTranscriptUUID.
	if n := listing("from=2026-05-20&to=2026-06-15"); n != 5 {
		t.Fatalf("%d recorded meetings", n)
	}
	if n := listing(""); n != 0 {
		t.Fatalf("default range (today) lists %d", n)
	}
	for _, u := range []string{SeedPastUUID, SeedPastSlashUUID, SeedPastDoubleSlashUUID} {
		got := e.call("GET", "/meetings/"+escapeUUID(u)+"/recordings", nil, 200)
		if got["uuid"] != u {
			t.Fatalf("GET by UUID %s answered %v", u, got["uuid"])
		}
		files := map[string]string{}
		for _, f := range list(got, "recording_files") {
			files[f["file_type"].(string)] = f["recording_type"].(string) + "/" + f["file_extension"].(string)
		}
		if files["TRANSCRIPT"] != "audio_transcript/VTT" || files["MP4"] == "" || files["M4A"] == "" || files["CHAT"] == "" {
			t.Fatalf("files %v", files)
		}
	}
	e.call("DELETE", "/meetings/"+escapeUUID(SeedPastSlashUUID)+"/recordings", nil, 204)
	if listing("from=2026-05-20&to=2026-06-15") != 4 || listing("trash=true") != 1 {
		t.Fatal("trash")
	}
	e.wantError(e.do("GET", "/meetings/"+escapeUUID(SeedPastSlashUUID)+"/recordings", nil), 404, 3301, "There is no recording for this meeting.")
	e.call("DELETE", "/meetings/"+escapeUUID(SeedPastSlashUUID)+"/recordings?action=delete", nil, 204)
	if listing("trash=true") != 0 {
		t.Fatal("delete left it in the trash")
	}
	// By meeting ID: the latest recorded instance.
	if got := e.call("GET", "/meetings/"+itoa(SeedTeamSyncMeetingID)+"/recordings", nil, 200); got["uuid"] != SeedPastDoubleSlashUUID {
		t.Fatalf("latest instance: %v", got["uuid"])
	}
	e.wantError(e.do("GET", "/meetings/"+itoa(SeedRecurringMeetingID)+"/recordings", nil), 404, 3301, "There is no recording for this meeting.")
	e.wantError(e.do("GET", "/users/me/recordings?from=2026-01-01&to=2026-06-01", nil), 400, 300, "The date range should not exceed one month.")
}

func TestReports(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	r := e.call("GET", "/report/users/me/meetings?from=2026-05-20&to=2026-06-15", nil, 200)
	if n := len(list(r, "meetings")); n != 5 { // as in TestRecordingsTrash
		t.Fatalf("%d meetings", n)
	}
	p := e.call("GET", "/report/meetings/"+escapeUUID(SeedPastSlashUUID)+"/participants", nil, 200)
	parts := list(p, "participants")
	if len(parts) != 5 || parts[0]["join_time"] == nil || num(parts[0]["duration"]) != 45*60 || parts[0]["user_email"] != SeedOwnerEmail {
		t.Fatalf("participants %v", parts)
	}
	for _, q := range []struct{ query, msg string }{
		{"from=2026-01-01&to=2026-06-01", "The date range should not exceed one month."},
		{"from=2026-06-10&to=2026-06-01", "The start date cannot be later than the end date."},
		{"to=2026-06-01", "Validation Failed."},
		{"from=2026-13-01&to=2026-06-01", "Validation Failed."},
		{"from=2026-06-01&to=2026-06-02&type=bogus", "Validation Failed."},
	} {
		e.wantError(e.do("GET", "/report/users/me/meetings?"+q.query, nil), 400, 300, q.msg)
	}
	e.wantError(e.do("GET", "/report/meetings/123", nil), 404, 3001, "Meeting 123 not found or has expired.")
	e.wantError(e.do("GET", "/report/meetings/"+itoa(SeedOldMeetingID), nil), 400, 12702, "Can not access meeting a year ago.")
	e.wantError(e.do("GET", "/report/users/nobody@example.com/meetings?from=2026-06-01&to=2026-06-02", nil), 404, 1001, "User nobody@example.com not exist")
}

func TestUsers(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	u := e.call("POST", "/users", map[string]any{"action": "create", "user_info": map[string]any{"email": "new@example.com", "type": 1, "first_name": "New"}}, 201)
	if u["email"] != "new@example.com" || num(u["type"]) != 1 || u["id"] == "" {
		t.Fatalf("created %v", u)
	}
	if got := e.call("GET", "/users/new@example.com", nil, 200); got["status"] != "pending" || got["id"] != u["id"] {
		t.Fatalf("get %v", got)
	}
	e.wantError(e.do("POST", "/users", map[string]any{"action": "create", "user_info": map[string]any{"email": SeedMemberEmail, "type": 1}}), 400, 1009,
		"The user "+SeedMemberEmail+" already holds an active account.")
	e.wantError(e.do("POST", "/users", map[string]any{"action": "create", "user_info": map[string]any{"email": "new@example.com", "type": 1}}), 409, 1005, "Email")
	e.wantError(e.do("POST", "/users", map[string]any{"action": "invite", "user_info": map[string]any{"email": "x@example.com", "type": 3}}), 400, 300, "Validation Failed.")
	e.wantError(e.do("GET", "/users/nobody", nil), 404, 1001, "User does not exist: nobody.")
	if n := len(list(e.call("GET", "/users?status=pending", nil, 200), "users")); n != 2 {
		t.Fatalf("%d pending", n)
	}
}

func TestWebinarLifecycle(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	w := e.call("POST", "/users/me/webinars", map[string]any{"topic": "Launch", "type": 5, "start_time": "2026-12-01T10:00:00Z"}, 201)
	id := itoa(num(w["id"]))
	e.call("PATCH", "/webinars/"+id, map[string]any{"agenda": "New agenda"}, 204)
	if got := e.call("GET", "/webinars/"+id, nil, 200); got["agenda"] != "New agenda" || got["topic"] != "Launch" {
		t.Fatalf("%v", got)
	}
	e.wantError(e.do("POST", "/users/me/webinars", map[string]any{"type": 2}), 400, 300, "Validation Failed.")
	e.wantError(e.do("POST", "/users/"+SeedBasicID+"/webinars", map[string]any{}), 400, 200, "Webinar plan is missing.")
	e.call("DELETE", "/webinars/"+id, nil, 204)
	e.wantError(e.do("GET", "/webinars/"+id, nil), 404, 3001, "Webinar does not exist: "+id+".")
}

func TestValidationAndNotFound(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	mid := itoa(SeedRegistrationMeetingID)
	long := strings.Repeat("x", 201)
	tests := []struct {
		method, path string
		body         any
		status, code int
		msg          string
	}{
		{"POST", "/users/me/meetings", "{", 400, 300, "Request Body should be a valid JSON object."},
		{"POST", "/users/me/meetings", "[1]", 400, 300, "Request Body should be a valid JSON object."},
		{"POST", "/users/me/meetings", map[string]any{"type": 4}, 400, 300, "Validation Failed."},
		{"POST", "/users/me/meetings", map[string]any{"topic": long}, 400, 300, "Validation Failed."},
		{"POST", "/users/me/meetings", map[string]any{"agenda": strings.Repeat("a", 2001)}, 400, 300, "Validation Failed."},
		{"POST", "/users/me/meetings", map[string]any{"password": "12345678901"}, 400, 300, "Validation Failed."},
		{"POST", "/users/me/meetings", map[string]any{"password": "a b"}, 400, 300, "Validation Failed."},
		{"POST", "/users/me/meetings", map[string]any{"duration": 1.5}, 400, 300, "Validation Failed."},
		{"POST", "/users/me/meetings", map[string]any{"start_time": "tomorrow"}, 400, 300, "Validation Failed."},
		{"POST", "/users/me/meetings", map[string]any{"settings": map[string]any{"audio": "loud"}}, 400, 300, "Validation Failed."},
		{"POST", "/users/me/meetings", map[string]any{"type": 8}, 400, 300, "Validation Failed."},
		{"POST", "/users/me/meetings", map[string]any{"schedule_for": "nobody@example.com"}, 400, 300, "The value that you entered in the `schedule_for` field is invalid."},
		{"POST", "/users/nobody/meetings", map[string]any{}, 404, 1001, "User does not exist: nobody."},
		{"POST", "/users/" + SeedPendingID + "/meetings", map[string]any{}, 400, 3161, "Your user account is not allowed"},
		{"GET", "/users/me/meetings?type=bogus", nil, 400, 300, "Validation Failed."},
		{"GET", "/users/nobody/meetings", nil, 404, 1001, "User does not exist: nobody."},
		{"GET", "/meetings/123", nil, 404, 3001, "Meeting does not exist: 123."},
		{"GET", "/meetings/" + mid + "?show_previous_occurrences=maybe", nil, 400, 300, "Validation Failed."},
		{"PATCH", "/meetings/123", map[string]any{}, 404, 3001, "Meeting does not exist: 123."},
		{"DELETE", "/meetings/123", nil, 404, 3001, "Meeting does not exist: 123."},
		{"PUT", "/meetings/123/status", map[string]any{"action": "end"}, 404, 3001, "Meeting does not exist: 123."},
		{"GET", "/meetings/123/registrants", nil, 404, 3001, "Meeting does not exist: 123."},
		{"GET", "/meetings/" + mid + "/registrants?status=gone", nil, 400, 300, "Validation Failed."},
		{"GET", "/webinars/123", nil, 404, 3001, "Webinar does not exist: 123."},
		{"GET", "/webinars/123/registrants", nil, 404, 3001, "Webinar does not exist: 123."},
		{"GET", "/users/nobody/webinars", nil, 404, 1001, "User does not exist: nobody."},
		{"GET", "/users/nobody/recordings", nil, 404, 1001, "User nobody does not exist"},
		{"DELETE", "/meetings/123/recordings", nil, 404, 3301, "There is no recording for this meeting."},
		{"DELETE", "/meetings/" + mid + "/recordings?action=shred", nil, 400, 300, "Validation Failed."},
		{"GET", "/report/meetings/123/participants", nil, 404, 3001, "Meeting 123 not found or has expired."},
		{"POST", "/users", map[string]any{}, 400, 300, "Validation Failed."},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			e.t = t
			e.wantError(e.do(tt.method, tt.path, tt.body), tt.status, tt.code, tt.msg)
		})
	}
}

// TestRecurrenceBounds: Zoom's documented maxima (99 days, 50 weeks, 10
// months, 60 occurrences) are enforced, and the largest weekly interval
// expands quickly into sane dates.
func TestRecurrenceBounds(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true, NoUserDailyLimit: true})
	body := func(typ, interval, times int) map[string]any {
		return map[string]any{"topic": "r", "type": 8, "start_time": "2026-12-01T10:00:00Z",
			"recurrence": map[string]any{"type": typ, "repeat_interval": interval, "weekly_days": "2,4", "end_times": times}}
	}
	for _, bad := range []map[string]any{body(1, 100, 5), body(2, 51, 5), body(3, 11, 5), body(2, 1, 61), body(2, 100000000, 5)} {
		e.wantError(e.do("POST", "/users/me/meetings", bad), 400, 300, "Validation Failed.")
	}
	m := e.call("POST", "/users/me/meetings", body(2, 50, 60), 201)
	occs := list(m, "occurrences")
	if len(occs) != 60 {
		t.Fatalf("%d occurrences, want 60", len(occs))
	}
	if last := occs[59]["start_time"].(string); last > "2060" {
		t.Errorf("last occurrence %s", last)
	}
}

// TestHugePageNumber: a page number past any list is an empty page, not a
// crash.
func TestHugePageNumber(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	got := e.call("GET", "/users/me/webinars?page_number=9223372036854775807", nil, 200)
	if n := len(list(got, "webinars")); n != 0 {
		t.Errorf("%d webinars on an absurd page", n)
	}
	e.wantError(e.do("GET", "/users/me/webinars?page_number=-3", nil), 400, 300, "")
}

// TestSeededLiveMeeting: the seed's meeting in progress can be ended, and
// cannot be deleted before.
func TestSeededLiveMeeting(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	id := itoa(SeedLiveMeetingID)
	if st := e.call("GET", "/meetings/"+id, nil, 200)["status"]; st != "started" {
		t.Fatalf("status %v", st)
	}
	e.wantError(e.do("DELETE", "/meetings/"+id, nil), 400, 3000, "Meeting is in progress")
	e.call("PUT", "/meetings/"+id+"/status", map[string]any{"action": "end"}, 204)
	e.call("DELETE", "/meetings/"+id, nil, 204)
}

// TestSeedOnDemand: with SeedOnDemand, a Server-to-Server token request
// leaves the account unseeded; the first API request seeds it and sees the
// same account as a simulator seeded in New; concurrent first requests
// share one fill; and a request whose client gives up while the account is
// being filled stops waiting, without an answer.
func TestSeedOnDemand(t *testing.T) {
	if n := New(Options{}).seeds.Load(); n != 1 {
		t.Fatalf("New without SeedOnDemand: seeded %d times, want 1", n)
	}

	e := newEnv(t, Options{NoRateLimit: true, SeedOnDemand: true}) // fetches a token
	if n := e.s.seeds.Load(); n != 0 {
		t.Fatalf("seeded %d times by New and a token request, want 0", n)
	}
	if st := e.call("GET", "/meetings/"+itoa(SeedLiveMeetingID), nil, 200)["status"]; st != "started" {
		t.Fatalf("status %v", st)
	}
	count := func(e *env) int {
		return len(e.call("GET", "/users/me/meetings?type=upcoming_meetings&page_size=300", nil, 200)["meetings"].([]any))
	}
	if n, want := count(e), count(newEnv(t, Options{NoRateLimit: true})); n != want || n == 0 {
		t.Errorf("%d upcoming meetings, want %d", n, want)
	}
	if n := e.s.seeds.Load(); n != 1 {
		t.Errorf("seeded %d times, want 1", n)
	}

	// Concurrent first requests.
	e = newEnv(t, Options{NoRateLimit: true, SeedOnDemand: true})
	var wg sync.WaitGroup
	codes := make([]int, 20)
	for i := range codes {
		wg.Go(func() {
			rec := e.do("GET", "/meetings/"+itoa(SeedLiveMeetingID), nil)
			codes[i] = rec.Code
			if rec.Code == 200 && !strings.Contains(rec.Body.String(), `"status":"started"`) {
				codes[i] = -1
			}
		})
	}
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Errorf("request %d: %d, want 200 and the seeded live meeting", i, c)
		}
	}
	if n := e.s.seeds.Load(); n != 1 {
		t.Errorf("%d concurrent first requests seeded %d times, want 1", len(codes), n)
	}

	// A fill under way (another caller's) that never ends: a token
	// request still answers, and an API request waits until its context
	// ends, then returns without answering.
	e = newEnv(t, Options{NoRateLimit: true, SeedOnDemand: true})
	e.s.filling.Store(true)
	e.fetchToken()
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Millisecond)
	defer cancel()
	rec := httptest.NewRecorder()
	done := make(chan struct{})
	go func() {
		defer close(done)
		r := httptest.NewRequestWithContext(ctx, "GET", "/v2/users/me", nil)
		r.Header.Set("Authorization", "Bearer "+e.token)
		e.s.ServeHTTP(rec, r)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("a request whose context ended still waits for the seed")
	}
	if ctx.Err() == nil {
		t.Error("returned before its context ended")
	}
	if rec.Body.Len() != 0 || e.s.seeds.Load() != 0 {
		t.Errorf("answered %d %q while not seeded (seeds %d)", rec.Code, rec.Body, e.s.seeds.Load())
	}
}
