package zoomfake

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzRequest sends arbitrary bodies, paths and queries to every route:
// the simulator must answer JSON and never panic.
func FuzzRequest(f *testing.F) {
	f.Add("POST", "/users/me/meetings", "", `{"topic":"x","type":8,"recurrence":{"type":2,"weekly_days":"1,3","end_times":99}}`)
	f.Add("PATCH", "/meetings/85746065432", "occurrence_id=1", `{"settings":{"approval_type":"0"}}`)
	f.Add("PUT", "/meetings/85746065432/registrants/status", "", `{"action":"approve","registrants":[1,{"id":5}]}`)
	f.Add("GET", "/meetings/%252FZx8W2qkR1u0l3ZfK8w9bA%253D%253D/recordings", "ttl=-1", "")
	f.Add("GET", "/users", "page_size=99999999999999999999&next_page_token=%00", "")
	f.Add("POST", "/users", "", `{"action":"create","user_info":{"email":"a@b.c","type":1e400}}`)
	f.Add("GET", "/report/users/me/meetings", "from=2026-02-30&to=0000-01-01", "")
	f.Add("POST", "/webinars/91234567890/registrants", "occurrence_ids=,,", `{"email":"a@b.co","first_name":"A","custom_questions":"x"}`)
	e := newEnv(f, Options{NoRateLimit: true, NoUserDailyLimit: true})
	f.Fuzz(func(t *testing.T, method, path, query, body string) {
		switch method {
		case "GET", "POST", "PATCH", "PUT", "DELETE":
		default:
			method = "POST"
		}
		target := "/v2/" + strings.TrimLeft(path, "/")
		if query != "" {
			target += "?" + query
		}
		if strings.ContainsAny(target, " \t\r\n#") || !strings.HasPrefix(target, "/") {
			return
		}
		r, err := http.NewRequest(method, "http://sim"+target, strings.NewReader(body))
		if err != nil {
			return
		}
		r.Header.Set("Authorization", "Bearer "+e.token)
		rec := httptest.NewRecorder()
		e.s.ServeHTTP(rec, r)
		if rec.Code >= 500 {
			t.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body)
		}
		if rec.Code != http.StatusNoContent && !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s: %d, not JSON: %q", method, target, rec.Code, rec.Body)
		}
	})
}
