package zoomapi_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// pager reads one page of a list with a next_page_token and a page size,
// returning the keys of its items, total_records and the next token.
type pager func(ctx context.Context, e *env, token string, size int) (keys []string, total int, next string, err error)

// TestIntegrationPagination walks every token-paged list page by page with
// next_page_token and with its ListAll iterator: no item is lost or
// repeated, and the count matches total_records.
func TestIntegrationPagination(t *testing.T) {
	cases := []struct {
		name string
		size int // small enough for at least two pages of the seed
		page pager
		all  func(ctx context.Context, e *env, t *testing.T) []string
	}{
		{
			name: "meetings", size: 30,
			page: func(ctx context.Context, e *env, tok string, size int) ([]string, int, string, error) {
				l, _, err := e.c.Meetings.List(ctx, "me", &zoomapi.ListMeetingsOptions{Type: zoomapi.MeetingListUpcoming, ListOptions: zoomapi.ListOptions{PageSize: size, NextPageToken: tok}})
				if err != nil {
					return nil, 0, "", err
				}
				var keys []string
				for _, m := range l.Meetings {
					keys = append(keys, itoa(m.ID))
				}
				return keys, l.TotalRecords, l.NextPageToken, nil
			},
			all: func(ctx context.Context, e *env, t *testing.T) []string {
				var keys []string
				for _, m := range collect(t, e.c.Meetings.ListAll(ctx, "me", &zoomapi.ListMeetingsOptions{Type: zoomapi.MeetingListUpcoming})) {
					keys = append(keys, itoa(m.ID))
				}
				return keys
			},
		},
		{
			name: "meeting_registrants", size: 1,
			page: func(ctx context.Context, e *env, tok string, size int) ([]string, int, string, error) {
				l, _, err := e.c.Meetings.ListRegistrants(ctx, zoomfake.SeedRegistrationMeetingID, &zoomapi.ListRegistrantsOptions{ListOptions: zoomapi.ListOptions{PageSize: size, NextPageToken: tok}})
				if err != nil {
					return nil, 0, "", err
				}
				return registrantEmails(l.Registrants), l.TotalRecords, l.NextPageToken, nil
			},
			all: func(ctx context.Context, e *env, t *testing.T) []string {
				return registrantEmails(collect(t, e.c.Meetings.ListAllRegistrants(ctx, zoomfake.SeedRegistrationMeetingID, &zoomapi.ListRegistrantsOptions{ListOptions: zoomapi.ListOptions{PageSize: 1}})))
			},
		},
		{
			name: "webinar_registrants", size: 2,
			page: func(ctx context.Context, e *env, tok string, size int) ([]string, int, string, error) {
				l, _, err := e.c.Webinars.ListRegistrants(ctx, zoomfake.SeedWebinarID, &zoomapi.ListWebinarRegistrantsOptions{ListRegistrantsOptions: zoomapi.ListRegistrantsOptions{ListOptions: zoomapi.ListOptions{PageSize: size, NextPageToken: tok}}})
				if err != nil {
					return nil, 0, "", err
				}
				return registrantEmails(l.Registrants), l.TotalRecords, l.NextPageToken, nil
			},
			all: func(ctx context.Context, e *env, t *testing.T) []string {
				o := &zoomapi.ListWebinarRegistrantsOptions{}
				o.PageSize = 2
				return registrantEmails(collect(t, e.c.Webinars.ListAllRegistrants(ctx, zoomfake.SeedWebinarID, o)))
			},
		},
		{
			name: "users", size: 3,
			page: func(ctx context.Context, e *env, tok string, size int) ([]string, int, string, error) {
				l, _, err := e.c.Users.List(ctx, &zoomapi.ListUsersOptions{ListOptions: zoomapi.ListOptions{PageSize: size, NextPageToken: tok}})
				if err != nil {
					return nil, 0, "", err
				}
				var keys []string
				for _, u := range l.Users {
					keys = append(keys, u.ID)
				}
				return keys, l.TotalRecords, l.NextPageToken, nil
			},
			all: func(ctx context.Context, e *env, t *testing.T) []string {
				var keys []string
				for _, u := range collect(t, e.c.Users.ListAll(ctx, &zoomapi.ListUsersOptions{ListOptions: zoomapi.ListOptions{PageSize: 3}})) {
					keys = append(keys, u.ID)
				}
				return keys
			},
		},
		{
			name: "recordings", size: 2,
			page: func(ctx context.Context, e *env, tok string, size int) ([]string, int, string, error) {
				l, _, err := e.c.Recordings.List(ctx, "me", &zoomapi.ListRecordingsOptions{From: e.day(-30), To: e.day(0), ListOptions: zoomapi.ListOptions{PageSize: size, NextPageToken: tok}})
				if err != nil {
					return nil, 0, "", err
				}
				var keys []string
				for _, r := range l.Meetings {
					keys = append(keys, r.UUID)
				}
				return keys, l.TotalRecords, l.NextPageToken, nil
			},
			all: func(ctx context.Context, e *env, t *testing.T) []string {
				var keys []string
				for _, r := range collect(t, e.c.Recordings.ListAll(ctx, "me", &zoomapi.ListRecordingsOptions{From: e.day(-30), To: e.day(0), ListOptions: zoomapi.ListOptions{PageSize: 2}})) {
					keys = append(keys, r.UUID)
				}
				return keys
			},
		},
		{
			name: "report_meetings", size: 2,
			page: func(ctx context.Context, e *env, tok string, size int) ([]string, int, string, error) {
				l, _, err := e.c.Reports.Meetings(ctx, "me", &zoomapi.ReportMeetingsOptions{From: e.day(-30), To: e.day(0), ListOptions: zoomapi.ListOptions{PageSize: size, NextPageToken: tok}})
				if err != nil {
					return nil, 0, "", err
				}
				var keys []string
				for _, m := range l.Meetings {
					keys = append(keys, m.UUID)
				}
				return keys, l.TotalRecords, l.NextPageToken, nil
			},
			all: func(ctx context.Context, e *env, t *testing.T) []string {
				var keys []string
				for _, m := range collect(t, e.c.Reports.AllMeetings(ctx, "me", &zoomapi.ReportMeetingsOptions{From: e.day(-30), To: e.day(0), ListOptions: zoomapi.ListOptions{PageSize: 2}})) {
					keys = append(keys, m.UUID)
				}
				return keys
			},
		},
		{
			name: "report_participants", size: 2,
			page: func(ctx context.Context, e *env, tok string, size int) ([]string, int, string, error) {
				l, _, err := e.c.Reports.MeetingParticipants(ctx, zoomfake.SeedPastUUID, &zoomapi.ReportParticipantsOptions{ListOptions: zoomapi.ListOptions{PageSize: size, NextPageToken: tok}})
				if err != nil {
					return nil, 0, "", err
				}
				var keys []string
				for _, p := range l.Participants {
					keys = append(keys, p.UserID) // a rejoin has the same id, another user_id
				}
				return keys, l.TotalRecords, l.NextPageToken, nil
			},
			all: func(ctx context.Context, e *env, t *testing.T) []string {
				var keys []string
				for _, p := range collect(t, e.c.Reports.AllMeetingParticipants(ctx, zoomfake.SeedPastUUID, &zoomapi.ReportParticipantsOptions{ListOptions: zoomapi.ListOptions{PageSize: 2}})) {
					keys = append(keys, p.UserID)
				}
				return keys
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Business plan: reports are HEAVY, 1/s on the free plan.
			e := newEnv(t, zoomfake.Options{Plan: zoomfake.PlanBusiness}, frozenClock(itEpoch))
			ctx := t.Context()

			var manual []string
			tok, pages, total := "", 0, -1
			for {
				keys, n, next, err := tc.page(ctx, e, tok, tc.size)
				mustOK(t, err)
				pages++
				if total >= 0 && n != total {
					t.Errorf("total_records changed from %d to %d", total, n)
				}
				total = n
				if len(keys) > tc.size {
					t.Errorf("page %d has %d items, page size %d", pages, len(keys), tc.size)
				}
				manual = append(manual, keys...)
				if next == "" {
					break
				}
				tok = next
			}
			if pages < 2 {
				t.Fatalf("%d page(s) of %d for %d records: the case does not page", pages, tc.size, total)
			}
			if len(manual) != total || hasDup(manual) {
				t.Errorf("manual walk: %d items (dups %v), total_records %d", len(manual), hasDup(manual), total)
			}
			all := tc.all(ctx, e, t)
			if len(all) != total || hasDup(all) {
				t.Errorf("iterator: %d items (dups %v), total_records %d", len(all), hasDup(all), total)
			}

			// A token expires after 15 minutes.
			_, _, next, err := tc.page(ctx, e, "", tc.size)
			mustOK(t, err)
			e.clock.Advance(16 * time.Minute)
			_, _, _, err = tc.page(ctx, e, next, tc.size)
			wantValidation(t, err, "The next page token is invalid or expired.")
		})
	}
}

// TestIntegrationWebinarPageNumbers pages webinars by page_number, the
// older paging this list uses.
func TestIntegrationWebinarPageNumbers(t *testing.T) {
	e := newEnv(t, zoomfake.Options{}, nil)
	ctx := t.Context()
	var ids []int64
	for n := 1; ; n++ {
		l, _, err := e.c.Webinars.List(ctx, "me", &zoomapi.ListWebinarsOptions{PageSize: 1, PageNumber: n})
		mustOK(t, err)
		if l.PageNumber != n || l.PageCount != 2 || l.TotalRecords != 2 || len(l.Webinars) != 1 {
			t.Fatalf("page %d: number %d count %d total %d items %d", n, l.PageNumber, l.PageCount, l.TotalRecords, len(l.Webinars))
		}
		ids = append(ids, l.Webinars[0].ID)
		if n == l.PageCount {
			break
		}
	}
	if len(ids) != 2 || ids[0] != zoomfake.SeedWebinarID || ids[1] != zoomfake.SeedOpenWebinarID {
		t.Errorf("webinars by page number = %v", ids)
	}
	before := e.sim.RequestsFor(zoomapi.OpListWebinars)
	all := collect(t, e.c.Webinars.ListAll(ctx, "me", &zoomapi.ListWebinarsOptions{PageSize: 1}))
	if len(all) != 2 || all[0].ID != zoomfake.SeedWebinarID || all[1].ID != zoomfake.SeedOpenWebinarID {
		t.Errorf("ListAll = %+v", all)
	}
	if n := e.sim.RequestsFor(zoomapi.OpListWebinars) - before; n != 2 {
		t.Errorf("ListAll made %d requests for 2 pages", n)
	}
}

// TestIntegrationPageSizeClamped checks a page size over 300 is sent as
// 300 and answered as such, and a token is bound to its query.
func TestIntegrationPageSizeClamped(t *testing.T) {
	e := newEnv(t, zoomfake.Options{}, nil)
	ctx := t.Context()
	opts := &zoomapi.ListMeetingsOptions{ListOptions: zoomapi.ListOptions{PageSize: 1000}}
	l, resp, err := e.c.Meetings.List(ctx, "me", opts)
	mustOK(t, err)
	if got := resp.Request.URL.Query().Get("page_size"); got != "300" {
		t.Errorf("page_size sent = %q, want 300", got)
	}
	if l.PageSize != zoomapi.MaxPageSize || len(l.Meetings) != l.TotalRecords || l.NextPageToken != "" {
		t.Errorf("page_size %d, %d of %d, next %q", l.PageSize, len(l.Meetings), l.TotalRecords, l.NextPageToken)
	}
	r, resp, err := e.c.Recordings.List(ctx, "me", &zoomapi.ListRecordingsOptions{From: e.day(-30), To: e.day(0), ListOptions: zoomapi.ListOptions{PageSize: 301}})
	mustOK(t, err)
	if got := resp.Request.URL.Query().Get("page_size"); got != "300" || r.PageSize != 300 {
		t.Errorf("recordings: page_size sent %q, answered %d", got, r.PageSize)
	}

	// A token from one query does not page another.
	p1, _, err := e.c.Meetings.List(ctx, "me", &zoomapi.ListMeetingsOptions{Type: zoomapi.MeetingListUpcoming})
	mustOK(t, err)
	_, _, err = e.c.Meetings.List(ctx, "me", &zoomapi.ListMeetingsOptions{Type: zoomapi.MeetingListScheduled, ListOptions: zoomapi.ListOptions{NextPageToken: p1.NextPageToken}})
	wantValidation(t, err, "The next page token is invalid or expired.")
	_, _, err = e.c.Users.List(ctx, &zoomapi.ListUsersOptions{ListOptions: zoomapi.ListOptions{NextPageToken: "made-up"}})
	wantValidation(t, err, "The next page token is invalid or expired.")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func hasDup(keys []string) bool {
	seen := map[string]bool{}
	for _, k := range keys {
		if seen[k] {
			return true
		}
		seen[k] = true
	}
	return false
}
