package tools

import (
	"strings"
	"testing"

	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// TestStartTimeCheckedBeforeZoom: in the four tools that schedule, a
// start_time in the past, a timezone that is not an IANA name, a local
// start_time without timezone and the common wrong shapes are refused
// before Zoom is called, with the fix in the message. The simulated now is
// testEpoch, 2026-11-16T09:00:00Z.
func TestStartTimeCheckedBeforeZoom(t *testing.T) {
	h := newHarness(t, zoomfake.Options{})
	const shape = `start_time: must look like 2026-12-08T15:00:00Z (UTC) or 2026-12-08T15:00:00 with timezone; got `
	target := map[string]map[string]any{
		"create_meeting": {"topic": "x"},
		"update_meeting": {"meeting_id": zoomfake.SeedRecurringMeetingID},
		"create_webinar": {"topic": "x"},
		"update_webinar": {"webinar_id": zoomfake.SeedWebinarID},
	}
	tests := []struct {
		name string
		args map[string]any
		want []string
	}{
		{"past UTC", map[string]any{"start_time": "2026-11-01T10:00:00Z"},
			[]string{"start_time", `"2026-11-01T10:00:00Z" is in the past; now is 2026-11-16T09:0`, "(UTC)"}},
		{"past in timezone", map[string]any{"start_time": "2026-11-16T09:30:00", "timezone": "Europe/Berlin"},
			[]string{"start_time", "is in the past; now is 2026-11-16T09:0"}},
		{"past with offset", map[string]any{"start_time": "2026-11-16T10:30:00+02:00"}, []string{"is in the past"}},
		{"city for timezone", map[string]any{"start_time": "2026-12-08T15:00:00", "timezone": "Berlin"},
			[]string{"timezone: must be an IANA timezone name", `got "Berlin"`, "; the IANA name for it is Europe/Berlin. Fix"}},
		{"city in words", map[string]any{"timezone": "new york"}, []string{"the IANA name for it is America/New_York"}},
		{"abbreviation", map[string]any{"timezone": "PST8"}, []string{"IANA timezone name such as Europe/Berlin"}},
		{"Local", map[string]any{"timezone": "Local"}, []string{"IANA timezone name"}},
		{"local without timezone", map[string]any{"start_time": "2026-12-08T15:00:00"},
			[]string{`start_time: "2026-12-08T15:00:00" has no offset and no timezone is given: add Z for UTC (2026-12-08T15:00:00Z), or pass timezone`}},
		{"space", map[string]any{"start_time": "2026-12-08 15:00:00"}, []string{shape + `"2026-12-08 15:00:00"`}},
		{"no seconds", map[string]any{"start_time": "2026-12-08T15:00"}, []string{shape + `"2026-12-08T15:00"`}},
		{"US", map[string]any{"start_time": "12/08/2026 3:00 PM"}, []string{shape}},
		{"European", map[string]any{"start_time": "08.12.2026 15:00"}, []string{shape}},
		{"words", map[string]any{"start_time": "tomorrow at 3pm"}, []string{shape}},
		{"date only", map[string]any{"start_time": "2026-12-08", "timezone": "Europe/Berlin"}, []string{shape}},
	}
	for tool, base := range target {
		for _, tt := range tests {
			t.Run(tool+"/"+tt.name, func(t *testing.T) {
				h.t = t
				args := map[string]any{}
				for k, v := range base {
					args[k] = v
				}
				for k, v := range tt.args {
					args[k] = v
				}
				before := h.sim.Requests()
				e := h.fails(tool, args, KindInvalidArgument, tt.want...)
				if strings.Contains(e.Message, "..") {
					t.Errorf("double period: %s", e.Message)
				}
				if n := h.sim.Requests() - before; n != 0 {
					t.Errorf("%d request(s) reached Zoom", n)
				}
			})
		}
	}
	// What is right passes.
	h.t = t
	h.ok("create_meeting", map[string]any{"topic": "x", "start_time": "2026-12-08T15:00:00", "timezone": "Europe/Berlin"})
	h.ok("create_meeting", map[string]any{"topic": "x", "start_time": "2026-12-08T15:00:00Z"})
	h.ok("update_webinar", map[string]any{"webinar_id": zoomfake.SeedWebinarID, "start_time": "2026-12-08T15:00:00+01:00", "timezone": "America/Argentina/Buenos_Aires"})
}

// TestZoomFieldsOnePeriod: Zoom's field messages end with a period; the
// list of them must not end with two.
func TestZoomFieldsOnePeriod(t *testing.T) {
	create := failure{ep: zoomapi.MustEndpoint(zoomapi.OpCreateMeeting), effect: creates, sent: true}
	tests := []struct {
		fields []zoomapi.FieldError
		want   string
	}{
		{[]zoomapi.FieldError{{Field: "start_time", Message: "Invalid field."}}, " Fields: start_time: Invalid field. Fix"},
		{[]zoomapi.FieldError{{Field: "start_time", Message: "Invalid field."}, {Field: "duration", Message: "Must be positive"}},
			" Fields: start_time: Invalid field; duration: Must be positive. Fix"},
	}
	for _, tt := range tests {
		e := describe(create, &zoomapi.ValidationError{ErrorResponse: &zoomapi.ErrorResponse{StatusCode: 400, Code: 300, Message: "Validation Failed.", Fields: tt.fields}})
		if !strings.Contains(e.Message, tt.want) || strings.Contains(e.Message, "..") {
			t.Errorf("message %q, want it to contain %q and no double period", e.Message, tt.want)
		}
	}
}
