package tools

import (
	"strings"
	"testing"

	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// TestDeleteRecordingsNamesInstance: delete_meeting_recordings says which
// instance it acted on. A meeting ID means the latest instance, whose UUID
// is in the result; a past instance's UUID targets that instance only.
func TestDeleteRecordingsNamesInstance(t *testing.T) {
	const teamSync = "83456789012" // instances SeedPastUUID, SeedPastSlashUUID, SeedPastDoubleSlashUUID (latest)
	tests := []struct {
		name      string
		meetingID string
		wantID    string
		outcome   []string
		gone      string   // the instance whose recordings are deleted
		kept      []string // instances whose recordings remain
	}{
		{"meeting ID: latest instance", teamSync, zoomfake.SeedPastDoubleSlashUUID,
			[]string{"moved to trash (the latest instance of meeting " + teamSync + ", started 20"},
			zoomfake.SeedPastDoubleSlashUUID, []string{zoomfake.SeedPastUUID, zoomfake.SeedPastSlashUUID}},
		{"past instance UUID", zoomfake.SeedPastUUID, zoomfake.SeedPastUUID, []string{"moved to trash"},
			zoomfake.SeedPastUUID, []string{zoomfake.SeedPastSlashUUID, zoomfake.SeedPastDoubleSlashUUID}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, zoomfake.Options{})
			for _, k := range append([]string{tt.gone}, tt.kept...) {
				h.ok("get_meeting_recordings", map[string]any{"meeting_id": k})
			}
			out := h.ok("delete_meeting_recordings", map[string]any{"meeting_id": tt.meetingID})
			if out["id"] != tt.wantID {
				t.Errorf("id = %v, want the instance UUID %s", out["id"], tt.wantID)
			}
			for _, w := range tt.outcome {
				if o, _ := out["outcome"].(string); !strings.Contains(o, w) {
					t.Errorf("outcome %q lacks %q", o, w)
				}
			}
			h.fails("get_meeting_recordings", map[string]any{"meeting_id": tt.gone}, KindNotFound)
			for _, k := range tt.kept {
				h.ok("get_meeting_recordings", map[string]any{"meeting_id": k})
			}
		})
	}
}
