package zoomfake

import "github.com/zoommcp/zoom-mcp/zoomapi"

// specOperations are the endpoints whose facts the simulator declares
// itself, copied from Zoom's documents (zoom-meetings-api.endpoints.json):
// operationId, method, path, the x-granular-scopes and x-macro-scopes, and
// the rate-limit label of the description. They do not come from the
// client's table (zoomapi.Endpoints), so that the two can disagree where
// Zoom would; TestSpecOperations compares them with the documents.
var specOperations = []operation{
	{Endpoint: zoomapi.Endpoint{
		ID: "GetMeetingTranscript", Method: "GET", Path: "/meetings/{meetingId}/transcript",
		GranularScopes: []string{"cloud_recording:read:meeting_transcript", "cloud_recording:read:meeting_transcript:admin"},
		ClassicScopes:  []string{"recording:read", "recording:write", "recording:read:admin", "recording:write:admin"},
		RateLimit:      zoomapi.RateMedium,
	}, h: (*Server).getMeetingTranscript},
	{Endpoint: zoomapi.Endpoint{
		ID: "Getameetingsummary", Method: "GET", Path: "/meetings/{meetingId}/meeting_summary",
		GranularScopes: []string{"meeting:read:summary", "meeting:read:summary:admin"},
		ClassicScopes:  []string{"meeting_summary:read", "meeting_summary:read:admin"},
		RateLimit:      zoomapi.RateLight,
	}, h: (*Server).getMeetingSummary},
	{Endpoint: zoomapi.Endpoint{
		ID: "Listmeetingsummaries", Method: "GET", Path: "/meetings/meeting_summaries",
		GranularScopes: []string{"meeting:read:list_summaries:admin"},
		ClassicScopes:  []string{"meeting_summary:read:admin"},
		RateLimit:      zoomapi.RateMedium,
	}, h: (*Server).listMeetingSummaries},
}
