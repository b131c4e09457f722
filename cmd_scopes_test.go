package main

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/zoommcp/zoom-mcp/tools"
)

func TestScopesCommand(t *testing.T) {
	run := func(args ...string) string {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := runScopes(args, &out, &errOut); err != nil {
			t.Fatalf("scopes %v: %v (%s)", args, err, errOut.String())
		}
		return out.String()
	}
	lines := func(s string) (scopes []string, comments string) {
		for _, l := range strings.Split(strings.TrimSpace(s), "\n") {
			if strings.HasPrefix(l, "#") {
				comments += l + "\n"
			} else {
				scopes = append(scopes, l)
			}
		}
		return scopes, comments
	}
	tests := []struct {
		args        []string
		want, never []string
		unavailable bool
	}{
		{nil, []string{"meeting:read:list_meetings", "meeting:write:meeting", "meeting:read", "user:read:user"}, []string{":admin"}, true},
		{[]string{"--admin"}, []string{"report:read:list_meeting_participants:admin", "meeting:write:meeting:admin", "meeting:write:admin"}, []string{"meeting:read:list_meetings\n"}, false},
		{[]string{"--read-only", "--toolsets", "meetings"}, []string{"meeting:read:meeting", "meeting:read"}, []string{"write", "update", "delete", "webinar"}, false},
	}
	for _, tc := range tests {
		out := run(tc.args...)
		scopes, comments := lines(out)
		joined := strings.Join(scopes, "\n") + "\n"
		for _, w := range tc.want {
			if !strings.Contains(joined, w+"\n") {
				t.Errorf("scopes %v: %s missing:\n%s", tc.args, w, out)
			}
		}
		for _, n := range tc.never {
			if strings.Contains(joined, n) {
				t.Errorf("scopes %v: lists %q:\n%s", tc.args, n, out)
			}
		}
		if got := strings.Contains(comments, "Not available"); got != tc.unavailable {
			t.Errorf("scopes %v: unavailable tools said %v, want %v:\n%s", tc.args, got, tc.unavailable, out)
		}
	}
	if err := runScopes([]string{"--toolsets", "meeting"}, &bytes.Buffer{}, &bytes.Buffer{}); err == nil || !strings.Contains(err.Error(), "meetings") {
		t.Errorf("an unknown toolset: %v", err)
	}
}

// TestReadmeUserScopes: the README shows what zoom-mcp scopes prints.
func TestReadmeUserScopes(t *testing.T) {
	doc, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := "<!-- user-scopes:start -->\n```text\n" + scopesText(tools.All(), false) + "```\n<!-- user-scopes:end -->"
	if !strings.Contains(string(doc), want) {
		t.Errorf("README.md's user-scopes block is not what zoom-mcp scopes prints; paste:\n%s", want)
	}
}
