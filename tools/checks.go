package tools

import "github.com/zoommcp/zoom-mcp/zoomapi"

// checkWith names, for each tool that writes, the read tool (and how to
// use it) that tells whether a write whose outcome is unknown happened.
// TestWritesNameTheirCheck keeps it complete.
var checkWith = map[string]string{
	"create_meeting":                   "list_meetings for the host (type upcoming)",
	"update_meeting":                   "get_meeting",
	"delete_meeting":                   "get_meeting (not_found means it was deleted)",
	"end_meeting":                      "get_meeting (its status)",
	"add_meeting_registrant":           "list_meeting_registrants (status approved and pending)",
	"update_meeting_registrant_status": "list_meeting_registrants with the status you set",
	"create_webinar":                   "list_webinars for the host",
	"update_webinar":                   "get_webinar",
	"delete_webinar":                   "get_webinar (not_found means it was deleted)",
	"add_webinar_registrant":           "list_webinar_registrants (status approved and pending)",
	"create_user":                      "get_user with the email (status pending means it was created and invited)",
	"delete_meeting_recordings":        "get_meeting_recordings (list_recordings with trash: true for trashed ones)",
}

// updatedUnread is the note of an update Zoom applied whose read-back
// failed: the result carries the fields sent, not the whole object.
func updatedUnread(kind, get string, err error) string {
	return "Updated: Zoom accepted the change. Reading the " + kind + " back failed (" + zoomapi.Scrub(err.Error()) +
		"), so this result shows only the fields sent; call " + get + " for the whole " + kind + "."
}
