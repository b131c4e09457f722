package zoomapi

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/zoommcp/zoom-mcp/internal/zoomspec"
)

// beyondExtract are the endpoints of the table that the spec extract, made
// for the first 25, does not hold: they are checked against Zoom's full
// documents (see fullSpecEntry).
var beyondExtract = []string{OpGetMeetingTranscript, OpGetMeetingSummary, OpListMeetingSummaries}

// TestEndpointTableMatchesSpec checks every row of the endpoint table
// against Zoom's OpenAPI documents: method, path, scopes (granular and
// classic), rate-limit label, and the per-user daily limit.
func TestEndpointTableMatchesSpec(t *testing.T) {
	extract, _ := zoomspec.Load(t, zoomspec.Extract)["endpoints"].([]any)
	var inExtract, beyond []string
	for _, e := range Endpoints {
		if _, ok := extractEntry(t, e.ID); ok {
			inExtract = append(inExtract, e.ID)
		} else {
			beyond = append(beyond, e.ID)
		}
	}
	if len(extract) != 25 || len(inExtract) != len(extract) {
		t.Errorf("spec extract has %d endpoints, the table %d of them; want all 25", len(extract), len(inExtract))
	}
	if diff := cmp.Diff(beyondExtract, beyond); diff != "" {
		t.Errorf("endpoints checked against the full documents only (-want +got):\n%s", diff)
	}
	sorted := cmpopts.SortSlices(func(a, b string) bool { return a < b })
	dailyRE := regexp.MustCompile(`100 requests per day`)
	for _, e := range Endpoints {
		t.Run(e.ID, func(t *testing.T) {
			spec := specEntry(t, e.ID)
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

// TestFullSpecEntryMatchesExtract checks that fullSpecEntry derives from
// the full documents exactly what the extract holds for its 25 endpoints,
// so that the endpoints beyond it are checked the same way.
func TestFullSpecEntryMatchesExtract(t *testing.T) {
	extract, _ := zoomspec.Load(t, zoomspec.Extract)["endpoints"].([]any)
	for _, raw := range extract {
		want := raw.(map[string]any)
		id := want["operationId"].(string)
		t.Run(id, func(t *testing.T) {
			got := fullSpecEntry(t, id)
			for k, v := range got {
				if diff := cmp.Diff(want[k], v); diff != "" {
					t.Errorf("%s (-extract +derived):\n%s", k, diff)
				}
			}
		})
	}
	for _, id := range beyondExtract {
		e := fullSpecEntry(t, id)
		if len(strs(e["granular_scopes"])) == 0 || len(strs(e["classic_scopes"])) == 0 || e["rate_limit_label"] == "" {
			t.Errorf("%s: no scopes or rate-limit label in the full documents: %v", id, e)
		}
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
	if r := MustEndpoint(OpListMeetingSummaries); len(r.UserScopes()) != 0 || len(r.AdminScopes()) != 1 {
		t.Errorf("the account's summaries need an :admin scope, got user scopes %v", r.UserScopes())
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

// specEntry returns the spec entry of the endpoint with Zoom's operationId
// id, in the shape of the extract (see zoomspec.Endpoint): the extract's
// own for the endpoints it holds, else one derived from the full documents.
func specEntry(t testing.TB, id string) map[string]any {
	t.Helper()
	if e, ok := extractEntry(t, id); ok {
		return e
	}
	return fullSpecEntry(t, id)
}

// extractEntry returns the extract's entry of id, if it has one.
func extractEntry(t testing.TB, id string) (map[string]any, bool) {
	t.Helper()
	eps, _ := zoomspec.Load(t, zoomspec.Extract)["endpoints"].([]any)
	for _, e := range eps {
		if m, ok := e.(map[string]any); ok && m["operationId"] == id {
			return m, true
		}
	}
	return nil, false
}

// rateLabelRE finds the rate-limit label in an operation's description:
// "**[Rate Limit Label](https://...):** `MEDIUM`".
var rateLabelRE = regexp.MustCompile("Rate Limit Label\\]\\([^)]*\\):\\*\\*\\s*`(\\w+)`")

// fullSpecEntry derives the extract entry of id from Zoom's full
// documents, as the extract was made (shared/zoom-spec/SOURCE.txt):
// classic scopes from x-macro-scopes, granular ones from
// x-granular-scopes, the rate-limit label from the description, the
// parameters without their descriptions, the JSON request body schema and
// the 2xx answers. Error codes are left out.
func fullSpecEntry(t testing.TB, id string) map[string]any {
	t.Helper()
	for _, doc := range []string{zoomspec.MeetingsAPI, zoomspec.UsersAPI} {
		paths, _ := zoomspec.Load(t, doc)["paths"].(map[string]any)
		for path, item := range paths {
			ops, _ := item.(map[string]any)
			for method, raw := range ops {
				op, _ := raw.(map[string]any)
				if op == nil || op["operationId"] != id {
					continue
				}
				ext, _ := op["x-extensions"].(map[string]any)
				label := ""
				if m := rateLabelRE.FindStringSubmatch(fmt.Sprint(op["description"])); m != nil {
					label = m[1]
				}
				params := []any{}
				for _, p := range asList(op["parameters"]) {
					pm := asMap(p)
					params = append(params, map[string]any{"name": pm["name"], "in": pm["in"], "required": pm["required"], "schema": pm["schema"]})
				}
				success := map[string]any{}
				responses, _ := op["responses"].(map[string]any)
				for code, r := range responses {
					if strings.HasPrefix(code, "2") {
						success[code] = map[string]any{"description": asMap(r)["description"], "schema": jsonSchema(asMap(r)["content"])}
					}
				}
				return map[string]any{
					"method":              strings.ToUpper(method),
					"path":                path,
					"summary":             op["summary"],
					"classic_scopes":      ext["x-macro-scopes"],
					"granular_scopes":     ext["x-granular-scopes"],
					"security":            op["security"],
					"rate_limit_label":    label,
					"parameters":          params,
					"request_body_schema": jsonSchema(asMap(op["requestBody"])["content"]),
					"success_responses":   success,
				}
			}
		}
	}
	t.Fatalf("no operation %q in Zoom's documents", id)
	return nil
}

// jsonSchema returns the application/json schema of a content object, or
// nil (as the extract has it) when there is none.
func jsonSchema(content any) any {
	s, ok := asMap(asMap(content)["application/json"])["schema"]
	if !ok {
		return nil
	}
	return s
}

func asList(v any) []any { l, _ := v.([]any); return l }
