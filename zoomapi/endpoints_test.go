package zoomapi

import (
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/zoommcp/zoom-mcp/internal/zoomspec"
)

// TestEndpointTableMatchesSpec checks every row of the endpoint table
// against Zoom's OpenAPI documents: method, path, scopes (granular and
// classic), rate-limit label, and the per-user daily limit.
func TestEndpointTableMatchesSpec(t *testing.T) {
	extract, _ := zoomspec.Load(t, zoomspec.Extract)["endpoints"].([]any)
	if len(extract) != len(Endpoints) {
		t.Errorf("spec extract has %d endpoints, the table %d", len(extract), len(Endpoints))
	}
	sorted := cmpopts.SortSlices(func(a, b string) bool { return a < b })
	dailyRE := regexp.MustCompile(`100 requests per day`)
	for _, e := range Endpoints {
		t.Run(e.ID, func(t *testing.T) {
			spec := zoomspec.Endpoint(t, e.ID)
			if spec["method"] != e.Method || spec["path"] != e.Path {
				t.Errorf("table: %s %s, spec: %v %v", e.Method, e.Path, spec["method"], spec["path"])
			}
			if diff := cmp.Diff(strs(spec["granular_scopes"]), e.GranularScopes, sorted); diff != "" {
				t.Errorf("granular scopes (-spec +table):\n%s", diff)
			}
			if diff := cmp.Diff(strs(spec["classic_scopes"]), e.ClassicScopes, sorted); diff != "" {
				t.Errorf("classic scopes (-spec +table):\n%s", diff)
			}
			if got := RateLimit(strings.ToUpper(spec["rate_limit_label"].(string))); got != e.RateLimit {
				t.Errorf("rate limit: table %s, spec %s", e.RateLimit, got)
			}
			desc, _ := zoomspec.Operation(t, e.ID)["description"].(string)
			if daily := dailyRE.MatchString(desc); daily != e.DailyLimited {
				t.Errorf("DailyLimited = %v, but the spec description says daily limit: %v", e.DailyLimited, daily)
			}
			// The security requirement lists exactly the union of both.
			if sec, ok := spec["security"].([]any); ok && len(sec) > 0 {
				oauth := strs(sec[0].(map[string]any)["openapi_oauth"])
				if diff := cmp.Diff(oauth, e.Scopes(), sorted); diff != "" {
					t.Errorf("security scopes (-spec +table):\n%s", diff)
				}
			}
		})
	}
}

func TestEndpointScopeHelpers(t *testing.T) {
	e := MustEndpoint(OpListRecordings)
	if got := e.UserScopes(); !slices.Equal(got, []string{"cloud_recording:read:list_user_recordings"}) {
		t.Errorf("UserScopes = %v", got)
	}
	if got := e.AdminScopes(); !slices.Equal(got, []string{"cloud_recording:read:list_user_recordings:admin"}) {
		t.Errorf("AdminScopes = %v", got)
	}
	if !e.Authorized([]string{"x", "recording:read"}) || e.Authorized([]string{"meeting:read"}) || e.Authorized(nil) {
		t.Error("Authorized is wrong")
	}
	if r := MustEndpoint(OpReportMeetings); len(r.UserScopes()) != 0 {
		t.Errorf("reports have only :admin scopes, got user scopes %v", r.UserScopes())
	}
	if _, ok := EndpointByID("nope"); ok {
		t.Error("EndpointByID found an unknown ID")
	}
}

func strs(v any) []string {
	raw, _ := v.([]any)
	out := make([]string, 0, len(raw))
	for _, r := range raw {
		out = append(out, r.(string))
	}
	return out
}
