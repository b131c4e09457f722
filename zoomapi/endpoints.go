package zoomapi

import "strings"

// Group is an access group: the unit of access control and the toolset a
// tool belongs to.
type Group string

// The resource groups of the Zoom API this server covers.
const (
	GroupMeetings           Group = "meetings"
	GroupMeetingRegistrants Group = "meeting_registrants"
	GroupWebinars           Group = "webinars"
	GroupUsers              Group = "users"
	GroupRecordings         Group = "recordings"
	GroupReports            Group = "reports"
	// GroupEvents is the server's own toolset of Zoom's events (webhooks
	// and the event WebSocket); no endpoint belongs to it.
	GroupEvents Group = "events"
)

// Groups lists every group in display order.
var Groups = []Group{GroupMeetings, GroupMeetingRegistrants, GroupWebinars, GroupUsers, GroupRecordings, GroupReports, GroupEvents}

// RateLimit is Zoom's rate-limit label for an endpoint.
type RateLimit string

// Zoom's rate-limit labels, spelled as in the official OpenAPI documents.
const (
	RateLight  RateLimit = "LIGHT"
	RateMedium RateLimit = "MEDIUM"
	RateHeavy  RateLimit = "HEAVY"
)

// Endpoint declares one Zoom REST API v2 operation. It is the single source
// of truth for scopes and rate limits: tools, docs, the simulator and the
// checks derive from it, and a test compares it with Zoom's OpenAPI spec.
type Endpoint struct {
	ID      string // Zoom's operationId
	Group   Group
	Method  string
	Path    string // with {placeholders}, relative to the API base URL
	Summary string
	// GranularScopes are the granular scopes, user-level, ":admin" and
	// ":master" alike. ClassicScopes are the older scopes. Any one scope of
	// either list authorizes a call.
	GranularScopes []string
	ClassicScopes  []string
	RateLimit      RateLimit
	// DailyLimited marks the meeting and webinar create and update calls that
	// count toward Zoom's limit of 100 a day per user (reset 00:00 UTC).
	DailyLimited bool
}

// Scopes returns every scope that authorizes the endpoint, granular first.
func (e Endpoint) Scopes() []string {
	out := make([]string, 0, len(e.GranularScopes)+len(e.ClassicScopes))
	out = append(out, e.GranularScopes...)
	return append(out, e.ClassicScopes...)
}

// UserScopes returns the granular scopes without the ":admin" or ":master"
// suffix: the ones a user-level (non-admin) app would add.
func (e Endpoint) UserScopes() []string {
	var out []string
	for _, s := range e.GranularScopes {
		if !strings.HasSuffix(s, ":admin") && !strings.HasSuffix(s, ":master") {
			out = append(out, s)
		}
	}
	return out
}

// AdminScopes returns the granular scopes that end in ":admin".
func (e Endpoint) AdminScopes() []string {
	var out []string
	for _, s := range e.GranularScopes {
		if strings.HasSuffix(s, ":admin") {
			out = append(out, s)
		}
	}
	return out
}

// Authorized reports whether any of granted authorizes the endpoint.
func (e Endpoint) Authorized(granted []string) bool {
	for _, g := range granted {
		for _, s := range e.GranularScopes {
			if g == s {
				return true
			}
		}
		for _, s := range e.ClassicScopes {
			if g == s {
				return true
			}
		}
	}
	return false
}

// Operation IDs of the endpoints, as Zoom names them.
const (
	OpListMeetings              = "meetings"
	OpCreateMeeting             = "meetingCreate"
	OpGetMeeting                = "meeting"
	OpUpdateMeeting             = "meetingUpdate"
	OpDeleteMeeting             = "meetingDelete"
	OpUpdateMeetingStatus       = "meetingStatus"
	OpListMeetingRegistrants    = "meetingRegistrants"
	OpAddMeetingRegistrant      = "meetingRegistrantCreate"
	OpUpdateRegistrantStatus    = "meetingRegistrantStatus"
	OpListWebinars              = "webinars"
	OpCreateWebinar             = "webinarCreate"
	OpGetWebinar                = "webinar"
	OpUpdateWebinar             = "webinarUpdate"
	OpDeleteWebinar             = "webinarDelete"
	OpListWebinarRegistrants    = "webinarRegistrants"
	OpAddWebinarRegistrant      = "webinarRegistrantCreate"
	OpListUsers                 = "users"
	OpGetUser                   = "user"
	OpCreateUser                = "userCreate"
	OpListRecordings            = "recordingsList"
	OpGetMeetingRecordings      = "recordingGet"
	OpDeleteMeetingRecordings   = "recordingDelete"
	OpGetMeetingTranscript      = "GetMeetingTranscript"
	OpGetMeetingSummary         = "Getameetingsummary"
	OpListMeetingSummaries      = "Listmeetingsummaries"
	OpReportMeetings            = "reportMeetings"
	OpReportMeetingDetails      = "reportMeetingDetails"
	OpReportMeetingParticipants = "reportMeetingParticipants"
)

// Endpoints is the table of every Zoom endpoint the client calls.
var Endpoints = []Endpoint{
	{ID: OpListMeetings, Group: GroupMeetings, Method: "GET", Path: "/users/{userId}/meetings", Summary: "List meetings",
		GranularScopes: []string{"meeting:read:list_meetings", "meeting:read:list_meetings:admin"},
		ClassicScopes:  []string{"meeting:read:admin", "meeting:read"}, RateLimit: RateMedium},
	{ID: OpCreateMeeting, Group: GroupMeetings, Method: "POST", Path: "/users/{userId}/meetings", Summary: "Create a meeting",
		GranularScopes: []string{"meeting:write:meeting", "meeting:write:meeting:admin"},
		ClassicScopes:  []string{"meeting:write:admin", "meeting:write"}, RateLimit: RateLight, DailyLimited: true},
	{ID: OpGetMeeting, Group: GroupMeetings, Method: "GET", Path: "/meetings/{meetingId}", Summary: "Get a meeting",
		GranularScopes: []string{"meeting:read:meeting", "meeting:read:meeting:admin"},
		ClassicScopes:  []string{"meeting:read", "meeting:read:admin"}, RateLimit: RateLight},
	{ID: OpUpdateMeeting, Group: GroupMeetings, Method: "PATCH", Path: "/meetings/{meetingId}", Summary: "Update a meeting",
		GranularScopes: []string{"meeting:update:meeting:admin", "meeting:update:meeting"},
		ClassicScopes:  []string{"meeting:write", "meeting:write:admin"}, RateLimit: RateLight, DailyLimited: true},
	{ID: OpDeleteMeeting, Group: GroupMeetings, Method: "DELETE", Path: "/meetings/{meetingId}", Summary: "Delete a meeting",
		GranularScopes: []string{"meeting:delete:meeting", "meeting:delete:meeting:admin"},
		ClassicScopes:  []string{"meeting:write:admin", "meeting:write"}, RateLimit: RateLight},
	{ID: OpUpdateMeetingStatus, Group: GroupMeetings, Method: "PUT", Path: "/meetings/{meetingId}/status", Summary: "Update meeting status",
		GranularScopes: []string{"meeting:update:status", "meeting:update:status:admin"},
		ClassicScopes:  []string{"meeting:write:admin", "meeting:write"}, RateLimit: RateLight},
	{ID: OpListMeetingRegistrants, Group: GroupMeetingRegistrants, Method: "GET", Path: "/meetings/{meetingId}/registrants", Summary: "List meeting registrants",
		GranularScopes: []string{"meeting:read:list_registrants", "meeting:read:list_registrants:admin"},
		ClassicScopes:  []string{"meeting:read:admin", "meeting:read"}, RateLimit: RateMedium},
	{ID: OpAddMeetingRegistrant, Group: GroupMeetingRegistrants, Method: "POST", Path: "/meetings/{meetingId}/registrants", Summary: "Add a meeting registrant",
		GranularScopes: []string{"meeting:write:registrant", "meeting:write:registrant:admin"},
		ClassicScopes:  []string{"meeting:write:admin", "meeting:write"}, RateLimit: RateLight},
	{ID: OpUpdateRegistrantStatus, Group: GroupMeetingRegistrants, Method: "PUT", Path: "/meetings/{meetingId}/registrants/status", Summary: "Update registrant's status",
		GranularScopes: []string{"meeting:update:registrant_status", "meeting:update:registrant_status:admin"},
		ClassicScopes:  []string{"meeting:write:admin", "meeting:write"}, RateLimit: RateMedium},
	{ID: OpListWebinars, Group: GroupWebinars, Method: "GET", Path: "/users/{userId}/webinars", Summary: "List webinars",
		GranularScopes: []string{"webinar:read:list_webinars", "webinar:read:list_webinars:admin"},
		ClassicScopes:  []string{"webinar:read:admin", "webinar:read"}, RateLimit: RateMedium},
	{ID: OpCreateWebinar, Group: GroupWebinars, Method: "POST", Path: "/users/{userId}/webinars", Summary: "Create a webinar",
		GranularScopes: []string{"webinar:write:webinar", "webinar:write:webinar:admin"},
		ClassicScopes:  []string{"webinar:write", "webinar:write:admin"}, RateLimit: RateLight, DailyLimited: true},
	{ID: OpGetWebinar, Group: GroupWebinars, Method: "GET", Path: "/webinars/{webinarId}", Summary: "Get a webinar",
		GranularScopes: []string{"webinar:read:webinar", "webinar:read:webinar:admin"},
		ClassicScopes:  []string{"webinar:read:admin", "webinar:read"}, RateLimit: RateLight},
	{ID: OpUpdateWebinar, Group: GroupWebinars, Method: "PATCH", Path: "/webinars/{webinarId}", Summary: "Update a webinar",
		GranularScopes: []string{"webinar:update:webinar", "webinar:update:webinar:admin"},
		ClassicScopes:  []string{"webinar:write", "webinar:write:admin"}, RateLimit: RateLight, DailyLimited: true},
	{ID: OpDeleteWebinar, Group: GroupWebinars, Method: "DELETE", Path: "/webinars/{webinarId}", Summary: "Delete a webinar",
		GranularScopes: []string{"webinar:delete:webinar", "webinar:delete:webinar:admin"},
		ClassicScopes:  []string{"webinar:write:admin", "webinar:write"}, RateLimit: RateLight},
	{ID: OpListWebinarRegistrants, Group: GroupWebinars, Method: "GET", Path: "/webinars/{webinarId}/registrants", Summary: "List webinar registrants",
		GranularScopes: []string{"webinar:read:list_registrants", "webinar:read:list_registrants:admin"},
		ClassicScopes:  []string{"webinar:read:admin", "webinar:read"}, RateLimit: RateMedium},
	{ID: OpAddWebinarRegistrant, Group: GroupWebinars, Method: "POST", Path: "/webinars/{webinarId}/registrants", Summary: "Add a webinar registrant",
		GranularScopes: []string{"webinar:write:registrant", "webinar:write:registrant:admin"},
		ClassicScopes:  []string{"webinar:write:admin", "webinar:write"}, RateLimit: RateLight},
	{ID: OpListUsers, Group: GroupUsers, Method: "GET", Path: "/users", Summary: "List users",
		GranularScopes: []string{"user:read:list_users:admin"},
		ClassicScopes:  []string{"user:read", "user:write", "user:read:admin", "user:write:admin"}, RateLimit: RateMedium},
	{ID: OpGetUser, Group: GroupUsers, Method: "GET", Path: "/users/{userId}", Summary: "Get a user",
		GranularScopes: []string{"user:read:user", "user:read:user:admin"},
		ClassicScopes:  []string{"user:read", "user:write", "user:read:admin", "user:write:admin", "user_profile", "user_info:read"}, RateLimit: RateLight},
	{ID: OpCreateUser, Group: GroupUsers, Method: "POST", Path: "/users", Summary: "Create users",
		GranularScopes: []string{"user:write:user:admin"},
		ClassicScopes:  []string{"user:write", "user:write:admin"}, RateLimit: RateLight},
	{ID: OpListRecordings, Group: GroupRecordings, Method: "GET", Path: "/users/{userId}/recordings", Summary: "List all recordings",
		GranularScopes: []string{"cloud_recording:read:list_user_recordings", "cloud_recording:read:list_user_recordings:master", "cloud_recording:read:list_user_recordings:admin"},
		ClassicScopes:  []string{"recording:read:admin", "recording:read"}, RateLimit: RateMedium},
	{ID: OpGetMeetingRecordings, Group: GroupRecordings, Method: "GET", Path: "/meetings/{meetingId}/recordings", Summary: "Get meeting recordings",
		GranularScopes: []string{"cloud_recording:read:list_recording_files:admin", "cloud_recording:read:list_recording_files", "cloud_recording:read:list_recording_files:master"},
		ClassicScopes:  []string{"recording:read", "phone_recording:read:admin"}, RateLimit: RateLight},
	{ID: OpDeleteMeetingRecordings, Group: GroupRecordings, Method: "DELETE", Path: "/meetings/{meetingId}/recordings", Summary: "Delete meeting or webinar recordings",
		GranularScopes: []string{"cloud_recording:delete:meeting_recording", "cloud_recording:delete:meeting_recording:admin", "cloud_recording:delete:meeting_recording:master"},
		ClassicScopes:  []string{"recording:write:admin", "recording:write"}, RateLimit: RateLight},
	{ID: OpGetMeetingTranscript, Group: GroupRecordings, Method: "GET", Path: "/meetings/{meetingId}/transcript", Summary: "Get a meeting transcript",
		GranularScopes: []string{"cloud_recording:read:meeting_transcript", "cloud_recording:read:meeting_transcript:admin"},
		ClassicScopes:  []string{"recording:read", "recording:write", "recording:read:admin", "recording:write:admin"}, RateLimit: RateMedium},
	{ID: OpGetMeetingSummary, Group: GroupRecordings, Method: "GET", Path: "/meetings/{meetingId}/meeting_summary", Summary: "Get a meeting or webinar summary",
		GranularScopes: []string{"meeting:read:summary", "meeting:read:summary:admin"},
		ClassicScopes:  []string{"meeting_summary:read", "meeting_summary:read:admin"}, RateLimit: RateLight},
	{ID: OpListMeetingSummaries, Group: GroupRecordings, Method: "GET", Path: "/meetings/meeting_summaries", Summary: "List an account's meeting or webinar summaries",
		GranularScopes: []string{"meeting:read:list_summaries:admin"},
		ClassicScopes:  []string{"meeting_summary:read:admin"}, RateLimit: RateMedium},
	{ID: OpReportMeetings, Group: GroupReports, Method: "GET", Path: "/report/users/{userId}/meetings", Summary: "Get meeting reports",
		GranularScopes: []string{"report:read:user:admin"},
		ClassicScopes:  []string{"report:read:admin"}, RateLimit: RateHeavy},
	{ID: OpReportMeetingDetails, Group: GroupReports, Method: "GET", Path: "/report/meetings/{meetingId}", Summary: "Get meeting detail reports",
		GranularScopes: []string{"report:read:meeting:admin"},
		ClassicScopes:  []string{"report:read:admin"}, RateLimit: RateHeavy},
	{ID: OpReportMeetingParticipants, Group: GroupReports, Method: "GET", Path: "/report/meetings/{meetingId}/participants", Summary: "Get meeting participant reports",
		GranularScopes: []string{"report:read:list_meeting_participants:admin"},
		ClassicScopes:  []string{"report:read:admin"}, RateLimit: RateHeavy},
}

var endpointsByID = func() map[string]Endpoint {
	m := make(map[string]Endpoint, len(Endpoints))
	for _, e := range Endpoints {
		if _, dup := m[e.ID]; dup {
			panic("zoomapi: duplicate endpoint " + e.ID)
		}
		m[e.ID] = e
	}
	return m
}()

// EndpointByID returns the endpoint with Zoom's operationId id.
func EndpointByID(id string) (Endpoint, bool) {
	e, ok := endpointsByID[id]
	return e, ok
}

// MustEndpoint is EndpointByID for IDs known at compile time.
func MustEndpoint(id string) Endpoint {
	e, ok := endpointsByID[id]
	if !ok {
		panic("zoomapi: unknown endpoint " + id)
	}
	return e
}
