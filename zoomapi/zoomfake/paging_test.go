package zoomfake

import (
	"testing"
	"time"
)

func TestPagination(t *testing.T) {
	e := newEnv(t, Options{NoRateLimit: true})
	p1 := e.call("GET", "/users/me/meetings", nil, 200)
	total := num(p1["total_records"])
	if total < SeedUpcomingMeetings || num(p1["page_size"]) != 30 || len(list(p1, "meetings")) != 30 || num(p1["page_count"]) != (total+29)/30 {
		t.Fatalf("first page: total %d size %v items %d", total, p1["page_size"], len(list(p1, "meetings")))
	}
	tok := p1["next_page_token"].(string)
	if tok == "" {
		t.Fatal("no next_page_token")
	}
	p2 := e.call("GET", "/users/me/meetings?next_page_token="+tok, nil, 200)
	if got := int64(len(list(p2, "meetings"))); got != total-30 || p2["next_page_token"] != "" || num(p2["page_number"]) != 2 {
		t.Fatalf("second page: %d items, token %q", got, p2["next_page_token"])
	}
	seen := map[int64]bool{}
	for _, m := range append(list(p1, "meetings"), list(p2, "meetings")...) {
		if seen[num(m["id"])] {
			t.Fatalf("meeting %v on two pages", m["id"])
		}
		seen[num(m["id"])] = true
	}
	// The token is bound to its query and expires after 15 minutes.
	e.wantError(e.do("GET", "/users/me/meetings?type=upcoming&next_page_token="+tok, nil), 400, 300, "The next page token is invalid or expired.")
	e.wantError(e.do("GET", "/users/me/meetings?next_page_token=garbage", nil), 400, 300, "The next page token is invalid or expired.")
	e.clock.Advance(15 * time.Minute)
	e.wantError(e.do("GET", "/users/me/meetings?next_page_token="+tok, nil), 400, 300, "The next page token is invalid or expired.")

	// page_size: clamped to 300, default for 0 or negative, else invalid.
	for q, want := range map[string]int64{"1000": 300, "0": 30, "-5": 30, "7": 7} {
		if got := num(e.call("GET", "/users/me/meetings?page_size="+q, nil, 200)["page_size"]); got != want {
			t.Errorf("page_size=%s: %d, want %d", q, got, want)
		}
	}
	e.wantError(e.do("GET", "/users/me/meetings?page_size=abc", nil), 400, 300, "Validation Failed.")
	// page_number, the older paging.
	if got := len(list(e.call("GET", "/users/me/meetings?page_size=30&page_number=2", nil, 200), "meetings")); int64(got) != total-30 {
		t.Errorf("page_number=2: %d items", got)
	}
	// Walk the users one at a time.
	n, next := 0, ""
	for {
		page := e.call("GET", "/users?page_size=1&next_page_token="+next, nil, 200)
		n += len(list(page, "users"))
		if next = page["next_page_token"].(string); next == "" {
			break
		}
	}
	if n != 4 {
		t.Errorf("walked %d active users, want 4", n)
	}
}
