package zoomfake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// TestStats: GET StatsPath answers the request counters without a token,
// and does not count itself.
func TestStats(t *testing.T) {
	e := newEnv(t, Options{})
	e.call(http.MethodPost, "/users/me/meetings", map[string]any{"topic": "Counted"}, http.StatusCreated)
	e.call(http.MethodGet, "/users/me/meetings", nil, http.StatusOK)
	e.doToken("", http.MethodGet, "/users/me/meetings", nil) // refused: still counted
	e.do(http.MethodGet, "/no/such/endpoint", nil)           // a request, of no operation

	want := Stats{Requests: 4, ByOperation: map[string]int64{
		tokenOp:                 1,
		zoomapi.OpCreateMeeting: 1,
		zoomapi.OpListMeetings:  2,
	}}
	for range 2 {
		rec := httptest.NewRecorder()
		e.s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, StatsPath, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET %s: %d %s", StatsPath, rec.Code, rec.Body)
		}
		var got Stats
		if err := json.Unmarshal(rec.Body.Bytes(), &got); err != nil {
			t.Fatalf("GET %s: %q: %v", StatsPath, rec.Body, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("GET %s (-want +got):\n%s", StatsPath, diff)
		}
	}
	if n := e.s.Requests(); n != want.Requests {
		t.Errorf("Requests() = %d after reading the stats, want %d", n, want.Requests)
	}
}
