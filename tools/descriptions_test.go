package tools

import (
	"strings"
	"testing"
)

// TestDescriptionsTellWhatIsDone: descriptions say what a call covers and
// what it leaves out, where an agent would otherwise assume more.
func TestDescriptionsTellWhatIsDone(t *testing.T) {
	tests := []struct {
		tool string
		want []string
	}{
		// Zoom takes one status per call (GET /meetings/{id}/registrants).
		{"list_meeting_registrants", []string{"one status", "pending or denied need another call"}},
		// Given a meeting ID, Zoom deletes the latest instance's recordings only.
		{"delete_meeting_recordings", []string{"one meeting instance", "for a meeting ID, its latest"}},
	}
	tools := map[string]Tool{}
	for _, tl := range All() {
		tools[tl.Name()] = tl
	}
	for _, tt := range tests {
		tl, ok := tools[tt.tool]
		if !ok {
			t.Fatalf("no tool %s", tt.tool)
		}
		for _, w := range tt.want {
			if !strings.Contains(tl.Definition.Description, w) {
				t.Errorf("%s: description %q lacks %q", tt.tool, tl.Definition.Description, w)
			}
		}
	}
}
