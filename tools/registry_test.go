package tools

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
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
	"wait_for_event",
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
			if d.Title == "" || a.Title != "" {
				t.Errorf("title %q, annotation title %q: the tool's title, not repeated in the annotations", d.Title, a.Title)
			}
			// A hint left out takes the specification's default; one set
			// to its default is bytes repeated in every tools/list.
			hint := func(name string, h *bool, def bool) bool {
				if h != nil && *h == def {
					t.Errorf("%s set to its default %v", name, def)
				}
				return h == nil && def || h != nil && *h
			}
			readOnly := hint("readOnlyHint", a.ReadOnlyHint, false)
			destructive := hint("destructiveHint", a.DestructiveHint, true)
			idempotent := hint("idempotentHint", a.IdempotentHint, false)
			if !hint("openWorldHint", a.OpenWorldHint, true) {
				t.Errorf("every tool reaches Zoom: openWorldHint must be true")
			}
			name := tl.Name()
			switch {
			case strings.HasPrefix(name, "list_") || strings.HasPrefix(name, "get_") || strings.HasPrefix(name, "wait_"):
				if !readOnly || a.DestructiveHint != nil || a.IdempotentHint != nil {
					t.Errorf("a read must be read-only, with no write hints")
				}
				if tl.Endpoint.Method != "GET" && !tl.Local() {
					t.Errorf("a read-only tool calls %s", tl.Endpoint.Method)
				}
			case strings.HasPrefix(name, "create_") || strings.HasPrefix(name, "add_"):
				if readOnly || destructive || idempotent {
					t.Errorf("a create must be neither read-only, destructive nor idempotent")
				}
			default: // updates, status changes, deletes, end
				if readOnly || !destructive || !idempotent {
					t.Errorf("a change must be destructive and idempotent, not read-only")
				}
			}
			if tl.Toolset == "" || tl.Toolset != tl.Endpoint.Group {
				t.Errorf("toolset %q, endpoint group %q", tl.Toolset, tl.Endpoint.Group)
			}
			if tl.Local() {
				// The server's own tool: no endpoint, no scope.
				if tl.Effect.Writes() {
					t.Errorf("a tool of the server's own must only read")
				}
			} else {
				if len(tl.Scopes()) == 0 || len(tl.Endpoint.GranularScopes) == 0 {
					t.Errorf("no scopes declared")
				}
				if prev, dup := seenOps[tl.Endpoint.ID]; dup {
					t.Errorf("endpoint %s already used by %s", tl.Endpoint.ID, prev)
				}
				seenOps[tl.Endpoint.ID] = name
			}
			if d.Meta == nil || d.Meta.AdditionalFields[MetaToolset] != string(tl.Toolset) || len(d.Meta.AdditionalFields) != 1 {
				t.Errorf("_meta must name the toolset and nothing else: %+v", d.Meta)
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
			checkSchema(t, tl)
		})
	}
	if len(seenOps) != len(zoomapi.Endpoints) {
		t.Errorf("%d tools for %d endpoints: every endpoint needs exactly one tool", len(seenOps), len(zoomapi.Endpoints))
	}
}

// selfDescribing are argument names that say all a model needs; any other
// argument has a description, an enum or a format.
var selfDescribing = map[string]bool{
	"meeting_id": true, "webinar_id": true, "occurrence_id": true, "id": true,
	"first_name": true, "last_name": true, "email": true, "topic": true, "agenda": true,
	"page_size": true, "next_page_token": true, "dry_run": true, "settings": true,
	"join_before_host": true, "mute_upon_entry": true, "waiting_room": true, "timeout_seconds": true,
}

// checkSchema requires object schemas: the input schema arguments are
// checked against closed at every depth, the published one described
// where a name does not say it all, and the output schema an outline.
func checkSchema(t *testing.T, tl Tool) {
	t.Helper()
	for which, raw := range map[string]json.RawMessage{"input": tl.schemas.Input, "published input": tl.Definition.RawInputSchema, "output": tl.Definition.RawOutputSchema} {
		var s map[string]any
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatalf("%s schema: %v", which, err)
		}
		if s["type"] != "object" {
			t.Errorf("%s schema type = %v, want object", which, s["type"])
		}
		switch which {
		case "input":
			for _, p := range open("", s) {
				t.Errorf("input schema accepts unknown keys at %q", p)
			}
		case "published input":
			for _, p := range undescribed("", s) {
				t.Errorf("published argument %s has no description, enum or format, and its name does not say it all", p)
			}
		case "output":
			for _, p := range notOutline("", s) {
				t.Errorf("output schema: %s is more than an outline (type, properties, items)", p)
			}
		}
	}
}

// open lists the object schemas, at any depth, that accept keys they do not declare.
func open(path string, s map[string]any) []string {
	var out []string
	if s["type"] == "object" && s["additionalProperties"] != false {
		if _, isMap := s["additionalProperties"].(map[string]any); !isMap {
			out = append(out, path)
		}
	}
	props, _ := s["properties"].(map[string]any)
	for k, v := range props {
		m, _ := v.(map[string]any)
		out = append(out, open(path+"."+k, m)...)
		if items, ok := m["items"].(map[string]any); ok {
			out = append(out, open(path+"."+k+"[]", items)...)
		}
	}
	return out
}

func undescribed(prefix string, s map[string]any) []string {
	var out []string
	props, _ := s["properties"].(map[string]any)
	for k, v := range props {
		m, _ := v.(map[string]any)
		_, described := m["description"]
		_, enum := m["enum"]
		if items, ok := m["items"].(map[string]any); ok && items["enum"] != nil {
			enum = true
		}
		_, format := m["format"]
		if !described && !enum && !format && !selfDescribing[k] {
			out = append(out, prefix+k)
		}
		out = append(out, undescribed(prefix+k+".", m)...)
		if items, ok := m["items"].(map[string]any); ok {
			out = append(out, undescribed(prefix+k+"[].", items)...)
		}
	}
	return out
}

func notOutline(path string, s any) []string {
	m, ok := s.(map[string]any)
	if !ok {
		return nil // true: anything
	}
	var out []string
	for k, v := range m {
		switch k {
		case "type":
		case "properties":
			for name, p := range v.(map[string]any) {
				out = append(out, notOutline(path+"."+name, p)...)
			}
		case "items":
			out = append(out, notOutline(path+"[]", v)...)
		default:
			out = append(out, path+": "+k)
		}
	}
	return out
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
			"get_meeting_transcript", "get_meeting_summary", "list_meeting_summaries", "list_past_meetings", "get_meeting_report", "list_meeting_participants",
			"wait_for_event"}},
		{name: "toolsets", f: Filter{Toolsets: []string{"users", "reports"}}, want: []string{"list_users", "get_user",
			"create_user", "list_past_meetings", "get_meeting_report", "list_meeting_participants"}},
		{name: "tools", f: Filter{Tools: []string{"get_meeting", "delete_meeting"}}, want: []string{"get_meeting", "delete_meeting"}},
		{name: "read-only wins over tools", f: Filter{ReadOnly: true, Tools: []string{"get_meeting", "delete_meeting"}}, want: []string{"get_meeting"}},
		{name: "toolsets and tools add up", f: Filter{Toolsets: []string{"users"}, Tools: []string{"get_user", "get_meeting"}}, want: []string{"get_meeting", "list_users", "get_user", "create_user"}},
		{name: "read-only applies to both", f: Filter{ReadOnly: true, Toolsets: []string{"users"}, Tools: []string{"delete_meeting"}}, want: []string{"list_users", "get_user"}},
		{name: "nothing left", f: Filter{ReadOnly: true, Tools: []string{"delete_meeting"}}, wantErr: "no tools left"},
		{name: "unknown toolset", f: Filter{Toolsets: []string{"meeting"}}, wantErr: "unknown toolset meeting; valid: events, meeting_registrants, meetings,"},
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

// TestAdminOnlyDescribed: a tool Zoom offers user-managed apps no scope
// for says so in its description, and only those.
func TestAdminOnlyDescribed(t *testing.T) {
	for _, tl := range All() {
		if tl.Local() {
			continue
		}
		adminOnly := len(tl.Endpoint.UserScopes()) == 0
		if says := strings.Contains(tl.Definition.Description, "Admin apps only."); says != adminOnly {
			t.Errorf("%s: description says admin-only %v, Zoom's scopes say %v", tl.Name(), says, adminOnly)
		}
	}
}
