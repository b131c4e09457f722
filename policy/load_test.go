package policy

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// testCatalogue is a few tools of the registry, enough for confirm.
var testCatalogue = Catalogue{Tools: map[string]string{
	"list_meetings":                    "meetings",
	"create_meeting":                   "meetings",
	"delete_meeting":                   "meetings",
	"end_meeting":                      "meetings",
	"update_meeting_registrant_status": "meeting_registrants",
	"get_meeting_report":               "reports",
}}

func TestLoadExample(t *testing.T) {
	cfg, err := LoadFile("testdata/example.yaml", testCatalogue)
	if err != nil {
		t.Fatal(err)
	}
	want := &Config{
		Agents: []AgentConfig{
			{
				Name:      "scheduler",
				KeySHA256: "dd86438d13ddc0fa0bff50746e259211ec76b7d9d01156675d745bc03e896a5f",
				Access:    map[string]Level{"meetings": Full, "meeting_registrants": Read},
				Limits:    Limits{Users: []string{"me"}, Meetings: []string{"own"}, MaxPageSize: 100, DailyWrites: 20},
			},
			{
				Name:      "reporter",
				KeySHA256: "181f2628002fd7b3f81227692c3e2fff23d459a83a530bb1d5a0d5abd464092c",
				Access:    map[string]Level{"meetings": Read, "recordings": Read, "reports": Read},
				Limits:    Limits{MaxReportDays: 31},
				Results:   Results{MaskEmails: true, WithholdPasscodes: true},
			},
			{
				Name:      "ops",
				KeySHA256: "82f707c80325220597d0224dc9febb18deef59e8455b593c3377e4e2f0a540c0",
				Access: map[string]Level{
					"meetings": Full, "meeting_registrants": Full, "webinars": Full,
					"users": Read, "recordings": Read, "reports": Read,
				},
				Limits:  Limits{RegistrantActions: []string{"approve", "deny"}},
				Confirm: []string{"destructive"},
			},
		},
		Audit: AuditConfig{Path: "/var/log/zoom-mcp/audit.jsonl"},
	}
	if diff := cmp.Diff(want, cfg); diff != "" {
		t.Errorf("example.yaml (-want +got):\n%s", diff)
	}
}

// doc joins lines into a YAML file, so that line numbers can be counted.
func doc(lines ...string) string { return strings.Join(lines, "\n") + "\n" }

// problems parses src and returns its problems as printed.
func problems(t *testing.T, src string, cat Catalogue) []string {
	t.Helper()
	cfg, err := Parse([]byte(src), cat)
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("want a *ConfigError, got config %+v, error %v", cfg, err)
	}
	if cfg != nil {
		t.Errorf("a config came with the error: %+v", cfg)
	}
	return strings.Split(ce.Error(), "\n")
}

const (
	hashA = "dd86438d13ddc0fa0bff50746e259211ec76b7d9d01156675d745bc03e896a5f"
	hashB = "181f2628002fd7b3f81227692c3e2fff23d459a83a530bb1d5a0d5abd464092c"
)

func TestParseProblems(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "unknown toolset",
			src: doc(
				"agents:",
				"  - name: a",
				"    access: { meetngs: full, zoom: read }",
			),
			want: []string{
				`3:15: agents[0].access.meetngs: unknown toolset "meetngs"; did you mean "meetings"?`,
				`3:30: agents[0].access.zoom: unknown toolset "zoom"; want one of meetings, meeting_registrants, webinars, users, recordings, reports, events`,
			},
		},
		{
			name: "unknown keys",
			src: doc(
				"agent:",
				"  - name: a",
				"agents:",
				"  - name: a",
				"    acess: { meetings: read }",
				"    mask_emails: true",
				"    webinars: read",
				"    limits: { reports: read, max_pagesize: 10 }",
				"    results: { mask_email: true, colour: red }",
			),
			want: []string{
				`1:1: agent: unknown key "agent"; did you mean "agents"?`,
				`5:5: agents[0].acess: unknown key "acess"; did you mean "access"?`,
				`6:5: agents[0].mask_emails: unknown key "mask_emails"; it belongs under results:`,
				`7:5: agents[0].webinars: unknown key "webinars"; it belongs under access: or limits:`,
				`8:15: agents[0].limits.reports: unknown key "reports"; it belongs under access:`,
				`8:30: agents[0].limits.max_pagesize: unknown key "max_pagesize"; did you mean "max_page_size"?`,
				`9:16: agents[0].results.mask_email: unknown key "mask_email"; did you mean "mask_emails"?`,
				`9:34: agents[0].results.colour: unknown key "colour"; want one of mask_emails, withhold_passcodes`,
			},
		},
		{
			name: "wrong types",
			src: doc(
				"agents:",
				"  - name: [a]",
				"    access: [meetings]",
				"    limits: { max_page_size: '100', users: me }",
				"    confirm: destructive",
				"    results: { mask_emails: yes }",
				"  - name: true",
				"    results: on",
				"audit:",
				"  show_emails: 1",
			),
			want: []string{
				`2:11: agents[0].name: want text, got a list`,
				`3:13: agents[0].access: want a level per toolset, e.g. { meetings: read }, got a list`,
				`4:30: agents[0].limits.max_page_size: want a whole number from 1 to 300, got "100"`,
				`4:44: agents[0].limits.users: want a list, e.g. [me], got "me"`,
				`5:14: agents[0].confirm: want a list, e.g. [destructive], got "destructive"`,
				`6:29: agents[0].results.mask_emails: want true or false, got "yes"`,
				`7:11: agents[1].name: want text, got true; quote it if you mean the word`,
				`8:14: agents[1].results: want a mapping (key: value), got "on"`,
				`10:16: audit.show_emails: want true or false, got the number 1`,
			},
		},
		{
			name: "levels",
			src: doc(
				"agents:",
				"  - name: a",
				"    access:",
				"      meetings: ful",
				"      webinars: write",
				"      users:",
				"      reports: true",
			),
			want: []string{
				`4:17: agents[0].access.meetings: want off, read or full, got "ful"; did you mean "full"?`,
				`5:17: agents[0].access.webinars: want off, read or full, got "write"`,
				`6:13: agents[0].access.users: want off, read or full, got nothing`,
				`7:16: agents[0].access.reports: want text, got true; quote it if you mean the word`,
			},
		},
		{
			name: "agent names",
			src: doc(
				"agents:",
				"  - name: scheduler",
				"  - name: Scheduler",
				"  - name: 'my agent'",
				"  - name: ''",
				"  - access: { meetings: read }",
				"  -",
			),
			want: []string{
				`3:11: agents[1].name: agent "Scheduler" is already defined on line 2 (agents[0]); every name must be unique, whatever its case`,
				`4:11: agents[2].name: invalid name "my agent": it must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ (a letter or digit, then letters, digits, '.', '_' or '-')`,
				`5:11: agents[3].name: name is empty`,
				`6:5: agents[4]: name is missing: every agent needs one, shown in logs and the audit log`,
				`7:4: agents[5]: name is missing: every agent needs one, shown in logs and the audit log`,
			},
		},
		{
			name: "keys",
			src: doc(
				"agents:",
				"  - name: a",
				"    key_sha256: "+hashA,
				"  - name: b",
				"    key_sha256: "+strings.ToUpper(hashA),
				"  - name: c",
				"    key_sha256: zmcp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
				"  - name: d",
				"    key_sha256: 9f86d0",
				"  - name: e",
				"    key_sha256: "+hashB[:63]+"g",
				"  - name: f",
				"    key_sha256: "+HashKey(""),
			),
			want: []string{
				`5:17: agents[1].key_sha256: same key as agents[0] on line 3; every agent needs its own key (zoom-mcp agent add makes one)`,
				`7:17: agents[2].key_sha256: this is the API key itself, not its hash; paste its SHA-256 instead (key_sha256: ` +
					HashKey("zmcp_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA") + `) and keep the key out of this file`,
				`9:17: agents[3].key_sha256: want the 64 hex digits of a SHA-256, got 6 characters`,
				`11:17: agents[4].key_sha256: want the 64 hex digits of a SHA-256; 'g' is not a hex digit`,
				`13:17: agents[5].key_sha256: this is the SHA-256 of an empty key; paste the hash zoom-mcp agent add printed`,
			},
		},
		{
			name: "limits",
			src: doc(
				"agents:",
				"  - name: a",
				"    limits:",
				"      users: [me, '', ~]",
				"      meetings: [own, 85746065432, '123', 0, abc, oen, 1.5, 99999999999999999999]",
				"      webinars: [-5]",
				"      registrant_actions: [approve, refund, approve]",
				"      max_page_size: 0",
				"      max_report_days: 400",
				"      daily_writes: 101",
			),
			want: []string{
				`4:19: agents[0].limits.users[1]: empty entry; want a user ID, an email or me`,
				`4:23: agents[0].limits.users[2]: empty entry; want a user ID, an email or me`,
				`5:43: agents[0].limits.meetings[3]: want a meeting ID (a positive number) or own, got the number 0`,
				`5:46: agents[0].limits.meetings[4]: want a meeting ID (a positive number) or own, got "abc"`,
				`5:51: agents[0].limits.meetings[5]: want a meeting ID (a positive number) or own, got "oen"; did you mean "own"?`,
				`5:56: agents[0].limits.meetings[6]: want a meeting ID (a positive number) or own, got the number 1.5`,
				`5:61: agents[0].limits.meetings[7]: meeting ID "99999999999999999999" is too large`,
				`6:18: agents[0].limits.webinars[0]: want a webinar ID (a positive number) or own, got the number -5`,
				`7:37: agents[0].limits.registrant_actions[1]: want approve, deny or cancel, got "refund"`,
				`7:45: agents[0].limits.registrant_actions[2]: approve is listed twice`,
				`8:22: agents[0].limits.max_page_size: want a whole number from 1 to 300, got 0; leave it out for no cap`,
				`9:24: agents[0].limits.max_report_days: want a whole number from 1 to 366, got 400`,
				`10:21: agents[0].limits.daily_writes: want a whole number from 1 to 100, got 101`,
			},
		},
		{
			name: "confirm",
			src: doc(
				"agents:",
				"  - name: a",
				"    confirm: [destructive, delete_meetin, send_email, '']",
			),
			want: []string{
				`3:28: agents[0].confirm[1]: unknown tool "delete_meetin"; did you mean "delete_meeting"?`,
				`3:43: agents[0].confirm[2]: unknown tool "send_email"; want a tool name or destructive`,
				`3:55: agents[0].confirm[3]: empty entry; want a tool name or destructive`,
			},
		},
		{
			name: "zoom connection",
			src: doc(
				"agents:",
				"  - name: a",
				"    zoom: jane",
				"  - name: b",
				"    zoom: 'jane doe'",
			),
			want: []string{
				`5:11: agents[1].zoom: invalid Zoom connection name "jane doe": it must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$; s2s is the Server-to-Server app, any other name a user connection (zoom-mcp login --connection NAME)`,
			},
		},
		{
			name: "no agents",
			src:  doc("agents: []"),
			want: []string{`1:9: agents: list at least one agent; an agent not listed has no access`},
		},
		{
			name: "null agents",
			src:  doc("agents:", "audit: { path: a.jsonl }"),
			want: []string{`1:8: agents: list at least one agent; an agent not listed has no access`},
		},
		{
			name: "agents missing",
			src:  doc("audit:", "  path: a.jsonl"),
			want: []string{`1:1: agents is missing: list at least one agent`},
		},
		{
			name: "empty file",
			src:  "# nothing yet\n",
			want: []string{`the file is empty; it must list agents`},
		},
		{
			name: "not a mapping",
			src:  doc("- name: a"),
			want: []string{`1:1: want a mapping (key: value), got a list`},
		},
		{
			name: "key given twice",
			src: doc(
				"agents:",
				"  - name: a",
				"    name: b",
			),
			want: []string{`3:5: agents[0].name: name is already set on line 2`},
		},
		{
			name: "two documents",
			src: doc(
				"agents:",
				"  - name: a",
				"    access: { meetngs: read }",
				"---",
				"agents:",
				"  - name: b",
			),
			want: []string{
				`3:15: agents[0].access.meetngs: unknown toolset "meetngs"; did you mean "meetings"?`,
				`5:1: a second YAML document starts here; a policy file holds one (remove the ---)`,
			},
		},
		{
			name: "merge of a list",
			src: doc(
				"agents:",
				"  - <<: [a, b]",
				"    name: a",
			),
			want: []string{
				`2:10: agents[0]: << merges a mapping or a list of mappings, not "a"`,
				`2:13: agents[0]: << merges a mapping or a list of mappings, not "b"`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := problems(t, tt.src, testCatalogue)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("problems (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseSyntaxError checks that a YAML syntax error comes with a line:
// the parser's, which is at or before the error (often where the
// enclosing block starts).
func TestParseSyntaxError(t *testing.T) {
	for _, tt := range []struct {
		src  string
		line int // of the error
	}{
		{doc("agents:", "  - name: a", "\taccess: { meetings: read }"), 3},
		{doc("agents:", "  - name: a", "    access: { meetings: read"), 4},
		{doc("agents:", "  - name: 'a"), 3},
	} {
		ce := mustConfigError(t, tt.src)
		if len(ce.Problems) != 1 {
			t.Fatalf("%q: problems %v, want one", tt.src, ce.Problems)
		}
		p := ce.Problems[0]
		if p.Line < 1 || p.Line > tt.line || !strings.HasPrefix(p.Message, "invalid YAML: ") {
			t.Errorf("%q: problem %+v, want invalid YAML at a line from 1 to %d", tt.src, p, tt.line)
		}
	}
}

// TestParseEveryProblem checks that problems of every kind come together,
// in the order of the file.
func TestParseEveryProblem(t *testing.T) {
	src := doc(
		"agents:",
		"  - name: scheduler",
		"    key_sha256: "+hashA,
		"    limits: { max_page_size: 500 }", // 4
		"  - name: scheduler",                // 5
		"    key_sha256: "+hashA,             // 6
		"    access: { meetings: all }",      // 7
		"    confirm: [end_meting]",          // 8
		"audit:",
		"  paht: x.jsonl", // 10
	)
	var lines []int
	for _, p := range mustConfigError(t, src).Problems {
		lines = append(lines, p.Line)
	}
	if diff := cmp.Diff([]int{4, 5, 6, 7, 8, 10}, lines); diff != "" {
		t.Errorf("lines of the problems (-want +got):\n%s", diff)
	}
}

func mustConfigError(t *testing.T, src string) *ConfigError {
	t.Helper()
	_, err := Parse([]byte(src), testCatalogue)
	var ce *ConfigError
	if !errors.As(err, &ce) {
		t.Fatalf("want a *ConfigError, got %v", err)
	}
	return ce
}

func TestParseNormalises(t *testing.T) {
	src := doc(
		"agents:",
		"  - name: a",
		"    key_sha256: "+strings.ToUpper(hashA),
		"    access: { meetings: FULL, reports: Read, users: off }",
		"    limits:",
		"      users: [ME, Jane.Doe@Example.COM, KDcuGIm1QgePTO8WbOqwIQ, ' x ']",
		"      meetings: [OWN, 85746065432, '123']",
		"      registrant_actions: [Approve]",
		"    confirm: [Destructive, delete_meeting]",
	)
	cfg, err := Parse([]byte(src), testCatalogue)
	if err != nil {
		t.Fatal(err)
	}
	want := AgentConfig{
		Name:      "a",
		KeySHA256: hashA,
		Access:    map[string]Level{"meetings": Full, "reports": Read, "users": Off},
		Limits: Limits{
			Users:             []string{"me", "jane.doe@example.com", "KDcuGIm1QgePTO8WbOqwIQ", "x"},
			Meetings:          []string{"own", "85746065432", "123"},
			RegistrantActions: []string{"approve"},
		},
		Confirm: []string{"destructive", "delete_meeting"},
	}
	if diff := cmp.Diff([]AgentConfig{want}, cfg.Agents); diff != "" {
		t.Errorf("agents (-want +got):\n%s", diff)
	}
}

func TestParseAnchorsAndMerges(t *testing.T) {
	src := doc(
		"common: &common",
		"  access: { meetings: read }",
		"  results: { mask_emails: true }",
	)
	// An unknown top-level key is still an error: anchors live in the agents.
	if got := problems(t, src+doc("agents: [{ name: a }]"), testCatalogue); len(got) != 1 || !strings.Contains(got[0], `unknown key "common"`) {
		t.Errorf("problems = %q", got)
	}
	src = doc(
		"agents:",
		"  - &reader",
		"    name: reader",
		"    access: { meetings: read, reports: read }",
		"    results: &masked { mask_emails: true, withhold_passcodes: true }",
		"  - <<: *reader",
		"    name: writer",
		"    access: { meetings: full }",
		"  - name: other",
		"    results: *masked",
	)
	cfg, err := Parse([]byte(src), testCatalogue)
	if err != nil {
		t.Fatal(err)
	}
	masked := Results{MaskEmails: true, WithholdPasscodes: true}
	want := []AgentConfig{
		{Name: "reader", Access: map[string]Level{"meetings": Read, "reports": Read}, Results: masked},
		{Name: "writer", Access: map[string]Level{"meetings": Full}, Results: masked},
		{Name: "other", Results: masked},
	}
	if diff := cmp.Diff(want, cfg.Agents); diff != "" {
		t.Errorf("agents (-want +got):\n%s", diff)
	}
}

func TestParseNilCatalogue(t *testing.T) {
	src := doc("agents:", "  - name: a", "    confirm: [any_tool, destructive]")
	cfg, err := Parse([]byte(src), Catalogue{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"any_tool", "destructive"}, cfg.Agents[0].Confirm); diff != "" {
		t.Errorf("confirm (-want +got):\n%s", diff)
	}
}

// TestParseHostile feeds inputs meant to crash or exhaust a parser.
func TestParseHostile(t *testing.T) {
	// Billion laughs: each level multiplies the one below by ten.
	var b strings.Builder
	b.WriteString("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n")
	for i := 1; i < 9; i++ {
		b.WriteString("a" + string(rune('0'+i)) + ": &a" + string(rune('0'+i)) + " [")
		for j := range 10 {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString("*a" + string(rune('0'+i-1)))
		}
		b.WriteString("]\n")
	}
	laughs := b.String()

	// Agents × users through aliases: 300 agents of 1,000 users each.
	fanOut := "x:\n" +
		"  users: &u [" + strings.Repeat("me, ", 999) + "me]\n" +
		"  agent: &ag { name: a, limits: { users: *u } }\n" +
		"agents: [" + strings.Repeat("*ag, ", 299) + "*ag]\n"

	tests := []struct {
		name, src, want string
	}{
		{"billion laughs", laughs, `unknown key "a0"`},
		{"alias fan-out", fanOut, "aliases are expanded"},
		{"self-merge", doc("agents:", "  - &a", "    name: a", "    <<: *a"), "nest more than 8 deep"},
		{"deep nesting", "agents: " + strings.Repeat("[", 20000) + strings.Repeat("]", 20000), "invalid YAML"},
		{"too large", "agents: []\n" + strings.Repeat("#", maxFileSize), "larger than 1 MiB"},
		{"many problems", "agents:\n" + strings.Repeat("  - nme: a\n", 500), "more problems not shown"},
		{"invalid UTF-8", doc("agents: [{ name: a, limits: { users: [\xff] } }]"), "invalid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ce := mustConfigError(t, tt.src)
			if len(ce.Problems) > maxProblems+2 {
				t.Errorf("%d problems; want at most %d", len(ce.Problems), maxProblems+2)
			}
			if msg := ce.Error(); !strings.Contains(msg, tt.want) {
				t.Errorf("problems do not mention %q:\n%s", tt.want, cut(msg))
			}
		})
	}
}

func TestConfigErrorFormat(t *testing.T) {
	e := &ConfigError{File: "policy.yaml", Problems: []Problem{
		{Line: 3, Column: 5, Path: "agents[0].acess", Message: "unknown key"},
		{Line: 4, Message: "invalid YAML: oops"},
		{Message: "the file is empty"},
	}}
	want := "policy.yaml:3:5: agents[0].acess: unknown key\n" +
		"policy.yaml:4: invalid YAML: oops\n" +
		"policy.yaml: the file is empty"
	if got := e.Error(); got != want {
		t.Errorf("Error() =\n%s\nwant\n%s", got, want)
	}
}

func TestLoadFile(t *testing.T) {
	dir := t.TempDir()
	_, err := LoadFile(filepath.Join(dir, "missing.yaml"), testCatalogue)
	if !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}

	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, []byte(doc("agents:", "  - name: a", "    access: { meetngs: read }")), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = LoadFile(bad, testCatalogue)
	want := bad + `:3:15: agents[0].access.meetngs: unknown toolset "meetngs"; did you mean "meetings"?`
	if err == nil || err.Error() != want {
		t.Errorf("LoadFile = %v, want %s", err, want)
	}

	big := filepath.Join(dir, "big.yaml")
	if err := os.WriteFile(big, []byte(strings.Repeat("#", 2*maxFileSize)), 0o600); err != nil {
		t.Fatal(err)
	}
	var ce *ConfigError
	if _, err = LoadFile(big, testCatalogue); !errors.As(err, &ce) || ce.File != big {
		t.Errorf("big file: %v, want a *ConfigError naming the file", err)
	}
}

func TestEditDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"meetngs", "meetings", 1},
		{"raed", "read", 1},
		{"full", "ful", 1},
		{"kitten", "sitting", 3},
		{"", "abc", 3},
	}
	for _, tt := range tests {
		if got := editDistance(tt.a, tt.b); got != tt.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}
