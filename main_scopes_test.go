package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// TestSandboxScopesChecked: an unknown --sandbox-scopes name stops the
// start with one line that lists the valid names; known ones start.
func TestSandboxScopesChecked(t *testing.T) {
	tests := []struct {
		name    string
		scopes  string
		wantErr []string // nil: no scope error
	}{
		{"typo", "meeting:read,meeting:raed", []string{`unknown --sandbox-scopes "meeting:raed"`, "valid scopes: ", "meeting:read:admin", "user:read"}},
		{"two unknown", "calendar,foo", []string{`"calendar", "foo"`}},
		{"known", "meeting:read,user:read", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // a valid start serves stdio until the context ends
			err := run(ctx, []string{"--sandbox", "--sandbox-scopes", tt.scopes}, env(nil), strings.NewReader(""), io.Discard, &stderr)
			if tt.wantErr == nil {
				if err != nil && strings.Contains(err.Error(), "sandbox-scopes") {
					t.Fatalf("known scopes refused: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("started, want an error")
			}
			msg := err.Error()
			if strings.Contains(msg, "\n") {
				t.Errorf("error is not one line: %q", msg)
			}
			for _, w := range tt.wantErr {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
		})
	}
}

// TestUnlistedToolSaysMissingScope: a tool hidden because the Zoom app
// lacks its scope, called anyway, answers missing_scope with the scopes to
// add rather than "tool not found".
func TestUnlistedToolSaysMissingScope(t *testing.T) {
	args := []string{"--sandbox", "--sandbox-scopes", "meeting:read:meeting,user:read:user:admin"}
	names, _ := listTools(t, args, env(nil))
	if slices.Contains(names, "create_meeting") {
		t.Fatalf("create_meeting is listed: %v", names)
	}
	res := callTools(t, args, env(nil), `{"name":"create_meeting","arguments":{"topic":"x"}}`)
	e, _ := res[0]["error"].(map[string]any)
	if e["kind"] != "missing_scope" || !strings.Contains(fmt.Sprint(e["message"]), "meeting:write:meeting") {
		t.Errorf("create_meeting without its scope: %v", res[0])
	}
}
