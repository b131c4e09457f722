package tools

import (
	"slices"
	"strings"
	"testing"

	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// refusedBeforeZoom calls a tool that must fail with invalid_argument on
// field, with a message holding want, and without any request to Zoom.
func (h *harness) refusedBeforeZoom(tool string, args map[string]any, field string, want ...string) {
	h.t.Helper()
	before := h.sim.Requests()
	e := h.fails(tool, args, KindInvalidArgument, append([]string{field + ": must "}, want...)...)
	if !slices.ContainsFunc(e.Fields, func(f zoomapi.FieldError) bool { return f.Field == field }) {
		h.t.Errorf("fields %+v do not name %s", e.Fields, field)
	}
	if n := h.sim.Requests() - before; n != 0 {
		h.t.Errorf("%d request(s) reached Zoom", n)
	}
}

// TestFormatsCheckedBeforeZoom: the formats the input schemas declare are
// enforced before Zoom is called, and the message names the argument, the
// format and an example. A bad "to" used to be reported as "from is
// required": the default range was computed from it.
func TestFormatsCheckedBeforeZoom(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	const (
		date     = "yyyy-mm-dd, such as 2026-03-15"
		dateTime = "must look like 2026-12-08T15:00:00Z (UTC) or 2026-12-08T15:00:00 with timezone" // start_time
		email    = "one email address, without a name or brackets, such as ava@example.com"
	)
	reg := zoomfake.SeedRegistrationMeetingID
	tests := []struct {
		tool  string
		args  map[string]any
		field string
		want  []string
	}{
		{"list_past_meetings", map[string]any{"from": h.day(-7), "to": "soon"}, "to", []string{date, `got "soon"`}},
		{"list_past_meetings", map[string]any{"to": "2026-1-5"}, "to", []string{date, "not yyyy-mm-dd"}},
		{"list_recordings", map[string]any{"to": "2024-02-30"}, "to", []string{date, "no such day"}},
		{"list_recordings", map[string]any{"from": "01/02/2026"}, "from", []string{date}},
		{"list_meetings", map[string]any{"from": "2026-02-29"}, "from", []string{date, "no such day"}},
		{"create_meeting", map[string]any{"topic": "x", "start_time": "tomorrow"}, "start_time", []string{dateTime, "not RFC 3339"}},
		{"update_meeting", map[string]any{"meeting_id": zoomfake.SeedRecurringMeetingID, "start_time": "2024-02-30T25:61:00Z"}, "start_time", []string{dateTime, "no such date or time"}},
		{"update_meeting", map[string]any{"meeting_id": zoomfake.SeedRecurringMeetingID, "start_time": "2026-12-01T24:00:00Z"}, "start_time", []string{dateTime}},
		{"create_webinar", map[string]any{"topic": "x", "start_time": "2026-12-01T15:00:60"}, "start_time", []string{dateTime, "no such date or time"}},
		{"update_webinar", map[string]any{"webinar_id": zoomfake.SeedWebinarID, "start_time": "2026-12-01 15:00:00Z"}, "start_time", []string{dateTime}},
		{"add_meeting_registrant", map[string]any{"meeting_id": reg, "email": "Ava <ava@example.com>", "first_name": "A"}, "email", []string{email, "a name or brackets"}},
		{"add_meeting_registrant", map[string]any{"meeting_id": reg, "email": "ava@example.com, eve@example.com", "first_name": "A"}, "email", []string{email, "more than one address"}},
		{"add_meeting_registrant", map[string]any{"meeting_id": reg, "email": "not-an-email", "first_name": "A"}, "email", []string{email}},
		{"add_webinar_registrant", map[string]any{"webinar_id": zoomfake.SeedWebinarID, "email": "ava@example.com\r\nBcc: eve@example.com", "first_name": "A"}, "email", []string{email, "line break", `\r\n`}},
		{"create_user", map[string]any{"email": "ava@example", "type": 1}, "email", []string{email, "domain"}},
		{"create_user", map[string]any{"email": "ava@@example.com", "type": 1}, "email", []string{email, "exactly one @"}},
		{"create_user", map[string]any{"email": "", "type": 1}, "email", []string{email, "empty"}},
	}
	for _, tt := range tests {
		t.Run(tt.tool+"/"+tt.field, func(t *testing.T) {
			h.t = t
			h.refusedBeforeZoom(tt.tool, tt.args, tt.field, tt.want...)
		})
	}
}

// TestPathIDsCheckedBeforeZoom: an ID outside Zoom's character set (it
// would go into a URL path or a query) is refused before any request,
// naming the argument and the shapes accepted.
func TestPathIDsCheckedBeforeZoom(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	const (
		user       = "me, an email address or a Zoom user ID (letters, digits, - and _), such as KDcuGIm1QgePTO8WbOqwIQ"
		meeting    = "a meeting ID of 9 to 12 digits or the UUID of one instance"
		occurrence = "an occurrence ID, digits"
		registrant = "a registrant ID (letters, digits, - and _"
	)
	reg := zoomfake.SeedRegistrationMeetingID
	tests := []struct {
		tool  string
		args  map[string]any
		field string
		want  []string
	}{
		{"get_user", map[string]any{"user_id": "1/../../users/me"}, "user_id", []string{user, `contains '/'`}},
		{"get_user", map[string]any{"user_id": ".."}, "user_id", []string{user, `contains '.'`}},
		{"list_meetings", map[string]any{"user_id": "%2e%2e"}, "user_id", []string{user, `contains '%'`}},
		{"list_webinars", map[string]any{"user_id": "me?page_size=300"}, "user_id", []string{user, `contains '?'`}},
		{"create_meeting", map[string]any{"user_id": "me#x", "topic": "x"}, "user_id", []string{user, `contains '#'`}},
		{"create_webinar", map[string]any{"user_id": "ava smith", "topic": "x"}, "user_id", []string{user, `contains ' '`}},
		{"list_recordings", map[string]any{"user_id": "me\x00"}, "user_id", []string{user, `contains '\x00'`}},
		{"list_past_meetings", map[string]any{"user_id": "me\n"}, "user_id", []string{user, `contains '\n'`}},
		{"get_user", map[string]any{"user_id": "ava@example.com/../../x"}, "user_id", []string{user, `contains '/'`}},
		{"get_user", map[string]any{"user_id": strings.Repeat("a", 65)}, "user_id", []string{user, "longer than 64"}},
		{"get_meeting_recordings", map[string]any{"meeting_id": "1/../../users/me"}, "meeting_id", []string{meeting, `contains '.'`}},
		{"get_meeting_recordings", map[string]any{"meeting_id": ".."}, "meeting_id", []string{meeting, `contains '.'`}},
		{"get_meeting_report", map[string]any{"meeting_id": "%2e%2e"}, "meeting_id", []string{meeting, `contains '%'`}},
		{"get_meeting_report", map[string]any{"meeting_id": "12345"}, "meeting_id", []string{meeting, "5 digits"}},
		{"list_meeting_participants", map[string]any{"meeting_id": "85746065432?x=1"}, "meeting_id", []string{meeting, `contains '?'`}},
		{"list_meeting_participants", map[string]any{"meeting_id": "////"}, "meeting_id", []string{meeting, "not a UUID"}},
		{"delete_meeting_recordings", map[string]any{"meeting_id": "Hbj4kJZ9TcWbyvL0U2rBOQ== "}, "meeting_id", []string{meeting, `contains ' '`}},
		{"delete_meeting_recordings", map[string]any{"meeting_id": "Hbj4kJZ9Tc#byvL0U2rBOQ==", "dry_run": true}, "meeting_id", []string{meeting, `contains '#'`}},
		{"get_meeting", map[string]any{"meeting_id": reg, "occurrence_id": "1/../x"}, "occurrence_id", []string{occurrence, `contains '/'`}},
		{"delete_webinar", map[string]any{"webinar_id": zoomfake.SeedWebinarID, "occurrence_id": "1648194360000&x=1"}, "occurrence_id", []string{occurrence, `contains '&'`}},
		{"add_meeting_registrant", map[string]any{"meeting_id": reg, "email": "a@example.com", "first_name": "A", "occurrence_ids": []any{"1648194360000", "../x"}}, "occurrence_ids.1", []string{occurrence}},
		{"update_meeting_registrant_status", map[string]any{"meeting_id": reg, "action": "deny", "registrants": []any{map[string]any{"id": "../x"}}}, "registrants.0.id", []string{registrant, `contains '.'`}},
	}
	for _, tt := range tests {
		t.Run(tt.tool+"/"+tt.field, func(t *testing.T) {
			h.t = t
			h.refusedBeforeZoom(tt.tool, tt.args, tt.field, tt.want...)
		})
	}
}

// TestIDShapesAccepted: the IDs Zoom hands out pass, including UUIDs that
// start with "/" or hold "//" (the client encodes those twice).
func TestIDShapesAccepted(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	meeting := h.ok("get_meeting", map[string]any{"meeting_id": zoomfake.SeedRecurringMeetingID})
	occurrences := items(meeting, "occurrences")
	if len(occurrences) == 0 {
		t.Fatal("the seeded recurring meeting has no occurrences")
	}
	occ := occurrences[0]["occurrence_id"].(string)
	calls := []struct {
		tool string
		args map[string]any
	}{
		{"get_user", map[string]any{"user_id": "me"}},
		{"get_user", map[string]any{"user_id": zoomfake.SeedMemberID}},
		{"get_user", map[string]any{"user_id": zoomfake.SeedMemberEmail}},
		{"list_meetings", map[string]any{"user_id": ""}},
		{"get_meeting", map[string]any{"meeting_id": zoomfake.SeedRecurringMeetingID, "occurrence_id": occ}},
		{"get_meeting_recordings", map[string]any{"meeting_id": zoomfake.SeedPastSlashUUID}},
		{"get_meeting_report", map[string]any{"meeting_id": zoomfake.SeedPastDoubleSlashUUID}},
		{"list_meeting_participants", map[string]any{"meeting_id": zoomfake.SeedPastUUID}},
		{"list_recordings", map[string]any{"from": "2026-10-20", "to": "2026-11-16"}},
	}
	for _, c := range calls {
		h.ok(c.tool, c.args)
	}
}

// TestArgFormats checks each shape on values at its edges.
func TestArgFormats(t *testing.T) {
	tests := []struct {
		format string
		ok     []string
		bad    []string
	}{
		{"date", []string{"2024-02-29", "2026-12-31", "1999-01-01"},
			[]string{"", "2023-02-29", "2024-02-30", "2026-13-01", "2026-00-10", "2026-1-5", "2026-01-05T00:00:00Z", " 2026-01-05", "20260105"}},
		{"date-time", []string{"2026-12-01T15:00:00Z", "2026-12-01T15:00:00.5+01:00", "2024-02-29T23:59:59-07:00", "2026-12-01T15:00:00"},
			[]string{"", "tomorrow", "2024-02-30T10:00:00Z", "2026-12-01T25:00:00Z", "2026-12-01T15:61:00Z", "2026-12-31T23:59:60Z",
				"2026-12-01t15:00:00z", "2026-12-01 15:00:00Z", "2026-12-01T15:00Z"}},
		{"email", []string{"ava@example.com", "o'neil+zoom@mail.example.co.uk", "a.b-c_d@x-y.io"},
			[]string{"", "ava", "ava@", "@example.com", "ava@example", "ava@@example.com", "a@b@example.com", "Ava <ava@example.com>",
				"ava@example.com, eve@example.com", "ava@example.com;eve@example.com", "ava@example.com\n", "ava @example.com",
				".ava@example.com", "a..va@example.com", "ava@-example.com", "ava@example..com", `"ava"@example.com`, "ava/x@example.com",
				"ava%2e@example.com", "ava?@example.com", strings.Repeat("a", 65) + "@example.com"}},
		{formatUserID, []string{"", "me", "KDcuGIm1QgePTO8WbOqwIQ", "--7IvCwkQWqn67wBsjsWiQ", "ava@example.com", strings.Repeat("a", 64)},
			[]string{".", "..", "a/b", "%2e%2e", "me?x", "me#x", "a b", "a\tb", "a\x7fb", "é", strings.Repeat("a", 65), "ava@ex/ample.com"}},
		{formatMeetingRef, []string{"", "857460654", "85746065432", "857460654321", "Hbj4kJZ9TcWbyvL0U2rBOQ==", "/Zx8W2qkR1u0l3ZfK8w9bA==",
			"cG4x//Hk0QkuvAr3rPQbNw==", "9f3kQ1b+Rr2tWc7aZyXe0g==", "/ajXp112QmuoKj4854875==", "atsXxhSEQWit9t+U02HXNQ"},
			[]string{"1", "12345678", "1234567890123", "..", "1/../../users/me", "%2e%2e", "Hbj4kJZ9TcWbyvL0U2rBOQ===", "Hbj4kJZ9TcWbyvL0U2rBOQ==?",
				"Hbj4kJZ9-cWbyvL0U2rBOQ==", "Hbj4kJZ9TcWbyvL0U2rBOQ==\n", "short==", strings.Repeat("A", 25) + "=="}},
		{formatOccurrenceID, []string{"", "1648194360000", "1"}, []string{"1648194360000 ", "-1", "1.5", "1/..", strings.Repeat("1", 21)}},
		{formatRegistrantID, []string{"", "9tboDiHUQAeOnbmudzWa5g", "fdgsfh2ey82fuh"}, []string{"../x", "a b", "x?y", strings.Repeat("a", 65)}},
	}
	check := map[string]func(string) string{}
	for _, f := range argFormats {
		check[f.name] = f.check
	}
	for _, tt := range tests {
		t.Run(tt.format, func(t *testing.T) {
			for _, s := range tt.ok {
				if why := check[tt.format](s); why != "" {
					t.Errorf("%q refused: %s", s, why)
				}
			}
			for _, s := range tt.bad {
				if check[tt.format](s) == "" {
					t.Errorf("%q accepted", s)
				}
			}
		})
	}
}

// TestIDFormatsNotAdvertised: the ID shapes are checked, not added to the
// schemas the model reads (the tools/list budget).
func TestIDFormatsNotAdvertised(t *testing.T) {
	for _, tl := range All() {
		raw := string(tl.Definition.RawInputSchema)
		if strings.Contains(raw, "zoom-") {
			t.Errorf("%s advertises an internal format: %s", tl.Name(), raw)
		}
	}
}
