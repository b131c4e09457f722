package zoomfake

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMeetingSummary(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	get := func(ref string) map[string]any {
		t.Helper()
		return e.call("GET", "/meetings/"+ref+"/meeting_summary", nil, http.StatusOK)
	}

	sm := get(escapeUUID(SeedSummaryUUID))
	if sm["meeting_uuid"] != SeedSummaryUUID || num(sm["meeting_id"]) != SeedTranscriptMeetingID || sm["meeting_host_email"] != SeedOwnerEmail ||
		sm["summary_last_modified_user_id"] != SeedOwnerID || sm["summary_title"] != "Meeting summary for Customer research debrief" {
		t.Errorf("summary %v", sm)
	}
	content, _ := sm["summary_content"].(string)
	details, _ := sm["summary_details"].([]any)
	steps, _ := sm["next_steps"].([]any)
	if len(details) != 3 || len(steps) < 2 || !strings.HasPrefix(content, "## Quick recap\n"+sm["summary_overview"].(string)) {
		t.Errorf("summary content: %d details, %d steps, %q", len(details), len(steps), content)
	}
	if _, edited := sm["edited_summary"]; edited {
		t.Error("an unedited summary has edited_summary")
	}
	if got := get(escapeUUID(SeedSummaryUUID)); fmt.Sprint(got) != fmt.Sprint(sm) {
		t.Error("the same summary twice differs")
	}

	ed := get(escapeUUID(SeedEditedSummaryUUID))
	edited, _ := ed["edited_summary"].(map[string]any)
	if edited == nil || ed["summary_last_modified_user_id"] != SeedAdminID || ed["summary_last_modified_user_email"] != SeedAdminEmail ||
		ed["summary_last_modified_time"] == ed["summary_created_time"] ||
		!strings.Contains(ed["summary_content"].(string), edited["summary_overview"].(string)) {
		t.Errorf("edited summary %v", ed)
	}
	// A meeting ID answers its latest instance.
	if got := get(itoa(SeedTeamSyncMeetingID)); got["meeting_uuid"] != SeedPastDoubleSlashUUID {
		t.Errorf("by meeting ID: %v", got["meeting_uuid"])
	}

	e.wantError(e.do("GET", "/meetings/"+escapeUUID(SeedTrashedSummaryUUID)+"/meeting_summary", nil), 403, 2305,
		"The meeting summary has been moved to Trash and cannot be accessed.")
	for _, ref := range []string{escapeUUID(SeedNoSummaryUUID), itoa(SeedNoRecordingMeetingID), itoa(SeedRecurringMeetingID), escapeUUID("AAAAAAAAAAAAAAAAAAAAAA==")} {
		e.wantError(e.do("GET", "/meetings/"+ref+"/meeting_summary", nil), 404, 3001, "Meeting does not exist: ")
	}
	e.wantError(e.do("GET", "/meetings/not-a-meeting/meeting_summary", nil), 400, 300, "Invalid meeting ID.")

	// A meeting ended through the API gets its summary.
	if err := e.s.StartMeeting(SeedRegistrationMeetingID); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(30 * time.Minute)
	e.call("PUT", fmt.Sprintf("/meetings/%d/status", SeedRegistrationMeetingID), map[string]any{"action": "end"}, 204)
	if got := get(itoa(SeedRegistrationMeetingID)); got["meeting_topic"] != "Quarterly all-hands" {
		t.Errorf("ended meeting: %v", got)
	}
}

func TestSummariesFreePlan(t *testing.T) {
	e := newEnv(t, Options{Plan: PlanFree, NoRateLimit: true})
	e.wantError(e.do("GET", "/meetings/"+escapeUUID(SeedSummaryUUID)+"/meeting_summary", nil), 400, 200, "Only available for Paid account.")
	e.wantError(e.do("GET", "/meetings/meeting_summaries", nil), 400, 200, "Only available for Paid account.")
}

func TestSummaryScopes(t *testing.T) {
	one := "/meetings/" + escapeUUID(SeedSummaryUUID) + "/meeting_summary"
	all := "/meetings/meeting_summaries"
	for _, sc := range []string{"meeting:read:summary", "meeting:read:summary:admin", "meeting_summary:read", "meeting_summary:read:admin"} {
		newEnv(t, Options{Scopes: []string{sc}}).call("GET", one, nil, 200)
	}
	for _, sc := range []string{"meeting:read:list_summaries:admin", "meeting_summary:read:admin"} {
		newEnv(t, Options{Scopes: []string{sc}}).call("GET", all, nil, 200)
	}
	e := newEnv(t, Options{Scopes: []string{"meeting:read:summary", "meeting_summary:read"}})
	e.wantError(e.do("GET", all, nil), 400, 4711, "Invalid access token, does not contain scopes:[meeting:read:list_summaries:admin].")
	e = newEnv(t, Options{Scopes: []string{"meeting:read:meeting"}})
	e.wantError(e.do("GET", one, nil), 400, 4711, "Invalid access token, does not contain scopes:[meeting:read:summary, meeting:read:summary:admin].")
}

// summaryPages lists the summaries of query page by page and returns the
// meeting UUIDs in order and the number of pages.
func summaryPages(e *env, query string, size int) ([]string, int) {
	e.t.Helper()
	var uuids []string
	pages, tok := 0, ""
	for {
		q := fmt.Sprintf("/meetings/meeting_summaries?page_size=%d%s", size, query)
		if tok != "" {
			q += "&next_page_token=" + tok
		}
		got := e.call("GET", q, nil, 200)
		pages++
		if num(got["page_size"]) != int64(size) {
			e.t.Fatalf("page_size %v", got["page_size"])
		}
		items := list(got, "summaries")
		if len(items) > size {
			e.t.Fatalf("%d summaries on a page of %d", len(items), size)
		}
		for _, it := range items {
			uuids = append(uuids, it["meeting_uuid"].(string))
		}
		if tok, _ = got["next_page_token"].(string); tok == "" {
			return uuids, pages
		}
		if pages > 100 {
			e.t.Fatal("paging does not end")
		}
	}
}

func TestListMeetingSummaries(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	all, pages := summaryPages(e, "", 2)
	if len(all) != SeedSummaries || pages != (SeedSummaries+1)/2 {
		t.Fatalf("%d summaries in %d pages: %v", len(all), pages, all)
	}
	if slices.Contains(all, SeedTrashedSummaryUUID) || slices.Contains(all, SeedNoSummaryUUID) || !slices.Contains(all, SeedSummaryUUID) {
		t.Errorf("listed %v", all)
	}
	one, _ := summaryPages(e, "", 300)
	if !slices.Equal(one, all) {
		t.Errorf("one page %v, pages of two %v", one, all)
	}
	// Newest first.
	var starts []string
	for _, it := range list(e.call("GET", "/meetings/meeting_summaries", nil, 200), "summaries") {
		starts = append(starts, it["summary_start_time"].(string))
	}
	if !slices.IsSortedFunc(starts, func(a, b string) int { return strings.Compare(b, a) }) {
		t.Errorf("not newest first: %v", starts)
	}

	// from and to, inclusive, on summary_start_time or summary_created_time.
	got := e.call("GET", "/meetings/meeting_summaries?from=2026-06-01T15:00:00Z&to=2026-06-13T16:00:00Z", nil, 200)
	if got["from"] != "2026-06-01T15:00:00Z" || got["to"] != "2026-06-13T16:00:00Z" {
		t.Errorf("from/to echoed as %v, %v", got["from"], got["to"])
	}
	var in []string
	for _, it := range list(got, "summaries") {
		in = append(in, it["meeting_uuid"].(string))
	}
	want := []string{SeedSummaryUUID, SeedRestrictedTranscriptUUID, SeedPastDoubleSlashUUID, SeedLongTranscriptUUID, SeedPastSlashUUID}
	if !slices.Equal(in, want) {
		t.Errorf("from/to: %v, want %v", in, want)
	}
	created, _ := summaryPages(e, "&time_filter_field=summary_created_time&from=2026-06-13T16:00:00Z", 30)
	if !slices.Equal(created, []string{SeedSummaryUUID}) {
		t.Errorf("created since the debrief began: %v", created)
	}
	if old, _ := summaryPages(e, "&to=2025-06-01T00:00:00Z", 30); !slices.Equal(old, []string{SeedOldUUID}) {
		t.Errorf("a year ago: %v", old)
	}

	for _, q := range []string{"from=2026-06-01", "to=yesterday", "time_filter_field=meeting_start_time"} {
		e.wantError(e.do("GET", "/meetings/meeting_summaries?"+q, nil), 400, 300, "Validation Failed.")
	}
	e.wantError(e.do("GET", "/meetings/meeting_summaries?from=2026-06-10T00:00:00Z&to=2026-06-01T00:00:00Z", nil), 400, 300,
		"The start date cannot be later than the end date.")
	e.wantError(e.do("GET", "/meetings/meeting_summaries?next_page_token=bogus", nil), 400, 300, "The next page token is invalid or expired.")
}
