package tools

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

var update = flag.Bool("update", false, "rewrite the tool snapshots and the README tables")

// publicNames are the tool names of the public interface, in registry order.
var publicNames = []string{
	"list_meetings", "create_meeting", "get_meeting", "update_meeting", "delete_meeting", "end_meeting",
	"list_meeting_registrants", "add_meeting_registrant", "update_meeting_registrant_status",
	"list_webinars", "create_webinar", "get_webinar", "update_webinar", "delete_webinar",
	"list_webinar_registrants", "add_webinar_registrant",
	"list_users", "get_user", "create_user",
	"list_recordings", "get_meeting_recordings", "delete_meeting_recordings",
	"get_meeting_transcript", "get_meeting_summary", "list_meeting_summaries",
	"list_past_meetings", "get_meeting_report", "list_meeting_participants",
}

func TestToolNames(t *testing.T) {
	var got []string
	for _, tl := range All() {
		got = append(got, tl.Name())
	}
	if diff := cmp.Diff(publicNames, got); diff != "" {
		t.Errorf("tool names changed (-want +got):\n%s", diff)
	}
}

// TestToolGuards enforces what every tool must declare.
func TestToolGuards(t *testing.T) {
	seenOps := map[string]string{}
	for _, tl := range All() {
		t.Run(tl.Name(), func(t *testing.T) {
			d := tl.Definition
			a := d.Annotations
			if d.Title == "" || a.Title != d.Title {
				t.Errorf("title %q, annotation title %q: both must be set and equal", d.Title, a.Title)
			}
			if a.ReadOnlyHint == nil || a.DestructiveHint == nil || a.IdempotentHint == nil || a.OpenWorldHint == nil {
				t.Fatalf("all four annotation hints must be set explicitly: %+v", a)
			}
			name := tl.Name()
			switch {
			case strings.HasPrefix(name, "list_") || strings.HasPrefix(name, "get_"):
				if !*a.ReadOnlyHint || *a.DestructiveHint || !*a.IdempotentHint {
					t.Errorf("a read must be read-only, not destructive, idempotent")
				}
				if tl.Endpoint.Method != "GET" {
					t.Errorf("a read-only tool calls %s", tl.Endpoint.Method)
				}
			case strings.HasPrefix(name, "create_") || strings.HasPrefix(name, "add_"):
				if *a.ReadOnlyHint || *a.DestructiveHint || *a.IdempotentHint {
					t.Errorf("a create must be neither read-only, destructive nor idempotent")
				}
			default: // updates, status changes, deletes, end
				if *a.ReadOnlyHint || !*a.DestructiveHint || !*a.IdempotentHint {
					t.Errorf("a change must be destructive and idempotent, not read-only")
				}
			}
			if !*a.OpenWorldHint {
				t.Errorf("every tool reaches Zoom: openWorldHint must be true")
			}
			if tl.Toolset == "" || tl.Toolset != tl.Endpoint.Group {
				t.Errorf("toolset %q, endpoint group %q", tl.Toolset, tl.Endpoint.Group)
			}
			if len(tl.Scopes()) == 0 || len(tl.Endpoint.GranularScopes) == 0 {
				t.Errorf("no scopes declared")
			}
			if prev, dup := seenOps[tl.Endpoint.ID]; dup {
				t.Errorf("endpoint %s already used by %s", tl.Endpoint.ID, prev)
			}
			seenOps[tl.Endpoint.ID] = name
			if d.Meta == nil || d.Meta.AdditionalFields[MetaToolset] != string(tl.Toolset) {
				t.Errorf("_meta does not name the toolset: %+v", d.Meta)
			} else if scopes, _ := d.Meta.AdditionalFields[MetaScopes].([]string); !slices.Equal(scopes, tl.Scopes()) {
				t.Errorf("_meta scopes %v, want %v", scopes, tl.Scopes())
			}
			if d.Description == "" || len(d.Description) > 160 {
				t.Errorf("description must be short and present (%d bytes)", len(d.Description))
			}
			// The validator is compiled at the first call; a schema it
			// cannot compile must fail here, not in front of a model.
			func() {
				defer func() {
					if p := recover(); p != nil {
						t.Errorf("input schema does not compile: %v", p)
					}
				}()
				_, _, _ = tl.decode(map[string]any{})
			}()
			checkSchema(t, "input", d.RawInputSchema, true)
			checkSchema(t, "output", d.RawOutputSchema, false)
		})
	}
	if len(seenOps) != len(zoomapi.Endpoints) {
		t.Errorf("%d tools for %d endpoints: every endpoint needs exactly one tool", len(seenOps), len(zoomapi.Endpoints))
	}
}

// checkSchema requires a closed object schema; for inputs, every property
// at every depth must be described.
func checkSchema(t *testing.T, which string, raw json.RawMessage, described bool) {
	t.Helper()
	var s map[string]any
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatalf("%s schema: %v", which, err)
	}
	if s["type"] != "object" {
		t.Errorf("%s schema type = %v, want object", which, s["type"])
	}
	if s["additionalProperties"] != false {
		t.Errorf("%s schema must not accept unknown keys", which)
	}
	if described {
		for _, p := range undescribed("", s) {
			t.Errorf("%s argument %s has no description", which, p)
		}
	}
}

func undescribed(prefix string, s map[string]any) []string {
	var out []string
	props, _ := s["properties"].(map[string]any)
	for k, v := range props {
		m, _ := v.(map[string]any)
		if _, ok := m["description"]; !ok {
			out = append(out, prefix+k)
		}
		out = append(out, undescribed(prefix+k+".", m)...)
		if items, ok := m["items"].(map[string]any); ok {
			out = append(out, undescribed(prefix+k+"[].", items)...)
		}
	}
	return out
}

// contextBudget caps the tools/list bytes a model reads for the whole
// catalogue (name, title, description and input schema): 820 bytes a tool
// on average. The first 25 tools were held to 800 (20,000 bytes) by
// leaving out the webinar recurrence argument; it is back (about 1,460
// bytes), and the budget grows with the tools. An argument is never
// dropped to fit it.
var contextBudget = 820 * len(All())

// TestContextBudget fails when the tool definitions grow past the budget.
// BENCHMARKS.md reports the bytes per tool (go test ./tools -run TestContextBudget -v).
func TestContextBudget(t *testing.T) {
	total := 0
	for _, tl := range All() {
		n := contextBytes(tl)
		total += n
		t.Logf("%-34s %5d bytes", tl.Name(), n)
	}
	t.Logf("%-34s %5d bytes (budget %d)", "total", total, contextBudget)
	if total > contextBudget {
		t.Errorf("tools/list context cost %d bytes, over the budget of %d", total, contextBudget)
	}
}

func contextBytes(tl Tool) int {
	b, err := json.Marshal(struct {
		Name        string          `json:"name"`
		Title       string          `json:"title"`
		Description string          `json:"description"`
		InputSchema json.RawMessage `json:"inputSchema"`
	}{tl.Name(), tl.Definition.Title, tl.Definition.Description, tl.Definition.RawInputSchema})
	if err != nil {
		panic(err)
	}
	return len(b)
}

// TestToolSnapshots compares every tool definition with its committed
// snapshot in __toolsnaps__. Run with -update to accept a change; a missing
// snapshot is written, except under CI, where it fails.
func TestToolSnapshots(t *testing.T) {
	for _, tl := range All() {
		t.Run(tl.Name(), func(t *testing.T) {
			got, err := json.MarshalIndent(tl.Definition, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			got = append(normalizeJSON(t, got), '\n')
			path := filepath.Join("__toolsnaps__", tl.Name()+".snap")
			want, err := os.ReadFile(path)
			switch {
			case *update || (os.IsNotExist(err) && os.Getenv("CI") == ""):
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			case err != nil:
				t.Fatalf("no snapshot %s (run go test ./tools -run TestToolSnapshots -update): %v", path, err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("tool definition changed; if intended, run go test ./tools -run TestToolSnapshots -update (-snapshot +now):\n%s", diff)
			}
		})
	}
}

// normalizeJSON re-indents JSON with sorted keys, so snapshots are stable.
func normalizeJSON(t *testing.T, b []byte) []byte {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestReadme keeps the README's generated tables in step with the registry.
func TestReadme(t *testing.T) {
	const path = "../README.md"
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	all := All()
	got := replaceBetween(t, readme, "tools", MarkdownTable(all))
	got = replaceBetween(t, got, "scopes", ScopesTable(all))
	if bytes.Equal(got, readme) {
		return
	}
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md tables are stale: run go test ./tools -run TestReadme -update")
}

func replaceBetween(t *testing.T, doc []byte, marker, body string) []byte {
	t.Helper()
	re := regexp.MustCompile(`(?s)(<!-- ` + marker + `:start -->\n).*?(<!-- ` + marker + `:end -->)`)
	if !re.Match(doc) {
		t.Fatalf("README.md has no %s markers", marker)
	}
	return re.ReplaceAll(doc, []byte("${1}"+strings.ReplaceAll(body, "$", "$$")+"${2}"))
}

func TestSelect(t *testing.T) {
	all := All()
	tests := []struct {
		name    string
		f       Filter
		want    []string
		wantErr string
	}{
		{name: "all", f: Filter{}, want: publicNames},
		{name: "read-only", f: Filter{ReadOnly: true}, want: []string{"list_meetings", "get_meeting",
			"list_meeting_registrants", "list_webinars", "get_webinar", "list_webinar_registrants",
			"list_users", "get_user", "list_recordings", "get_meeting_recordings",
			"get_meeting_transcript", "get_meeting_summary", "list_meeting_summaries", "list_past_meetings", "get_meeting_report", "list_meeting_participants"}},
		{name: "toolsets", f: Filter{Toolsets: []string{"users", "reports"}}, want: []string{"list_users", "get_user",
			"create_user", "list_past_meetings", "get_meeting_report", "list_meeting_participants"}},
		{name: "tools", f: Filter{Tools: []string{"get_meeting", "delete_meeting"}}, want: []string{"get_meeting", "delete_meeting"}},
		{name: "read-only wins over tools", f: Filter{ReadOnly: true, Tools: []string{"get_meeting", "delete_meeting"}}, want: []string{"get_meeting"}},
		{name: "toolsets and tools add up", f: Filter{Toolsets: []string{"users"}, Tools: []string{"get_user", "get_meeting"}}, want: []string{"get_meeting", "list_users", "get_user", "create_user"}},
		{name: "read-only applies to both", f: Filter{ReadOnly: true, Toolsets: []string{"users"}, Tools: []string{"delete_meeting"}}, want: []string{"list_users", "get_user"}},
		{name: "nothing left", f: Filter{ReadOnly: true, Tools: []string{"delete_meeting"}}, wantErr: "no tools left"},
		{name: "unknown toolset", f: Filter{Toolsets: []string{"meeting"}}, wantErr: "unknown toolset meeting; valid: meeting_registrants, meetings,"},
		{name: "unknown tool", f: Filter{Tools: []string{"get_meetings"}}, wantErr: "unknown tool get_meetings; valid:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Select(all, tt.f)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, tl := range got {
				names = append(names, tl.Name())
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestAuthorized(t *testing.T) {
	all := All()
	ok, missing := Authorized(all, []string{"meeting:read:admin"}) // classic: every meeting read
	var names []string
	for _, tl := range ok {
		names = append(names, tl.Name())
	}
	want := []string{"list_meetings", "get_meeting", "list_meeting_registrants"}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if len(ok)+len(missing) != len(all) {
		t.Errorf("%d + %d tools, want %d", len(ok), len(missing), len(all))
	}
}

// TestToolsetsAreTheGroups: the toolsets declared here are the access
// groups the policy file names (zoomapi.Groups), in the same order, and
// each has tools.
func TestToolsetsAreTheGroups(t *testing.T) {
	var groups []string
	for _, g := range zoomapi.Groups {
		groups = append(groups, string(g))
	}
	if diff := cmp.Diff(groups, ToolsetNames()); diff != "" {
		t.Errorf("toolsets (-groups +declared):\n%s", diff)
	}
	for _, ts := range Toolsets() {
		if len(ts.tools()) == 0 || ts.Description == "" {
			t.Errorf("toolset %s has no tools or no description", ts.Name)
		}
	}
}
