package zoomapi

import (
	"context"
	"iter"
)

// ReportsService handles the report endpoints. Every one needs an admin
// scope and counts as a HEAVY call.
type ReportsService service

// ReportMeeting is a past meeting in a report: an element of Meetings, or
// the answer of MeetingDetails (which adds Dept and TrackingFields).
type ReportMeeting struct {
	UUID                       string `json:"uuid,omitempty"`
	ID                         int64  `json:"id,omitempty"`
	Type                       int    `json:"type,omitempty"`
	Topic                      string `json:"topic,omitempty"`
	UserName                   string `json:"user_name,omitempty"`  // the host's name
	UserEmail                  string `json:"user_email,omitempty"` // the host's email
	Dept                       string `json:"dept,omitempty"`
	HostName                   string `json:"host_name,omitempty"`
	HostOrganization           string `json:"host_organization,omitempty"`
	StartTime                  Time   `json:"start_time,omitzero"`
	EndTime                    Time   `json:"end_time,omitzero"`
	Duration                   int    `json:"duration,omitempty"`      // minutes
	TotalMinutes               int    `json:"total_minutes,omitempty"` // summed over participants
	ParticipantsCount          int    `json:"participants_count,omitempty"`
	ParticipantsCountMyAccount int    `json:"participants_count_my_account,omitempty"`
	Source                     string `json:"source,omitempty"`
	SessionKey                 string `json:"session_key,omitempty"`
	HasScreenShare             bool   `json:"has_screen_share,omitempty"`
	HasRecording               bool   `json:"has_recording,omitempty"`
	HasChat                    bool   `json:"has_chat,omitempty"`
	MeetingEncryptionStatus    int    `json:"meeting_encryption_status,omitempty"` // 1 E2E, 2 enhanced
	// The following times are "MM/dd/yyyy HH:mm" strings, not RFC 3339
	// (pastJoined reports only).
	ScheduleTime        string          `json:"schedule_time,omitempty"`
	JoinWaitingRoomTime string          `json:"join_waiting_room_time,omitempty"`
	JoinTime            string          `json:"join_time,omitempty"`
	LeaveTime           string          `json:"leave_time,omitempty"`
	CustomKeys          []CustomKey     `json:"custom_keys,omitempty"`
	TrackingFields      []TrackingField `json:"tracking_fields,omitempty"`
}

// ReportMeetingList is a page of Meetings.
type ReportMeetingList struct {
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	Page
	PageCount  int             `json:"page_count,omitempty"`
	PageNumber int             `json:"page_number,omitempty"`
	Meetings   []ReportMeeting `json:"meetings"`
}

// Report meeting types for ReportMeetingsOptions.Type.
const (
	ReportPast       = "past"       // past meetings the user hosted
	ReportPastOne    = "pastOne"    // past meetings with a single participant
	ReportPastJoined = "pastJoined" // past meetings the user joined
)

// ReportMeetingsOptions selects the meetings of Meetings. From and To are
// required and at most a month apart; reports cover the last 6 months.
type ReportMeetingsOptions struct {
	From string `url:"from"` // yyyy-mm-dd
	To   string `url:"to"`   // yyyy-mm-dd
	Type string `url:"type,omitempty"`
	ListOptions
}

// Meetings returns a page of the past meetings of a user.
//
// Zoom API: GET /report/users/{userId}/meetings
func (s *ReportsService) Meetings(ctx context.Context, userID string, opts *ReportMeetingsOptions) (*ReportMeetingList, *Response, error) {
	switch {
	case opts == nil || opts.From == "":
		return nil, nil, &ArgumentError{Arg: "from", Reason: "is required (yyyy-mm-dd)"}
	case opts.To == "":
		return nil, nil, &ArgumentError{Arg: "to", Reason: "is required (yyyy-mm-dd)"}
	}
	if err := opts.normalize(); err != nil {
		return nil, nil, err
	}
	return doJSON[ReportMeetingList](ctx, s.client, call{op: OpReportMeetings, path: []string{PathEscape(userID)}, query: opts})
}

// AllMeetings iterates over all the past meetings of a user in the range.
//
// Zoom API: GET /report/users/{userId}/meetings
func (s *ReportsService) AllMeetings(ctx context.Context, userID string, opts *ReportMeetingsOptions) iter.Seq2[ReportMeeting, error] {
	o := copyOpts(opts)
	return All(ctx, func(ctx context.Context, token string) ([]ReportMeeting, string, error) {
		o.NextPageToken = token
		l, _, err := s.Meetings(ctx, userID, o)
		if err != nil {
			return nil, "", err
		}
		return l.Meetings, l.NextPageToken, nil
	})
}

// MeetingDetails returns the report of a past meeting. meetingIDOrUUID is
// a meeting ID (the latest instance) or an instance UUID.
//
// Zoom API: GET /report/meetings/{meetingId}
func (s *ReportsService) MeetingDetails(ctx context.Context, meetingIDOrUUID string) (*ReportMeeting, *Response, error) {
	return doJSON[ReportMeeting](ctx, s.client, call{op: OpReportMeetingDetails, path: []string{MeetingPathID(meetingIDOrUUID)}})
}

// ReportParticipant is one participant session of a past meeting: a person
// who left and rejoined appears once per session.
type ReportParticipant struct {
	ID                string `json:"id,omitempty"` // the participant's user ID, if they were signed in
	UserID            string `json:"user_id,omitempty"`
	ParticipantUserID string `json:"participant_user_id,omitempty"`
	Name              string `json:"name,omitempty"`
	UserEmail         string `json:"user_email,omitempty"`
	JoinTime          Time   `json:"join_time,omitzero"`
	LeaveTime         Time   `json:"leave_time,omitzero"`
	Duration          int    `json:"duration,omitempty"` // seconds
	Status            string `json:"status,omitempty"`   // in_meeting or in_waiting_room
	Failover          bool   `json:"failover,omitempty"`
	CustomerKey       string `json:"customer_key,omitempty"`
	RegistrantID      string `json:"registrant_id,omitempty"` // with include_fields=registrant_id
	BOMeetingID       string `json:"bo_mtg_id,omitempty"`     // breakout room
}

// ReportParticipantList is a page of MeetingParticipants.
type ReportParticipantList struct {
	Page
	PageCount    int                 `json:"page_count,omitempty"`
	Participants []ReportParticipant `json:"participants"`
}

// ReportParticipantsOptions selects the page of MeetingParticipants.
type ReportParticipantsOptions struct {
	IncludeFields string `url:"include_fields,omitempty"` // registrant_id
	ListOptions
}

// MeetingParticipants returns a page of the participants of a past
// meeting. meetingIDOrUUID is a meeting ID (the latest instance) or an
// instance UUID.
//
// Zoom API: GET /report/meetings/{meetingId}/participants
func (s *ReportsService) MeetingParticipants(ctx context.Context, meetingIDOrUUID string, opts *ReportParticipantsOptions) (*ReportParticipantList, *Response, error) {
	if opts != nil {
		if err := opts.normalize(); err != nil {
			return nil, nil, err
		}
	}
	return doJSON[ReportParticipantList](ctx, s.client, call{op: OpReportMeetingParticipants, path: []string{MeetingPathID(meetingIDOrUUID)}, query: opts})
}

// AllMeetingParticipants iterates over all participants of a past meeting.
//
// Zoom API: GET /report/meetings/{meetingId}/participants
func (s *ReportsService) AllMeetingParticipants(ctx context.Context, meetingIDOrUUID string, opts *ReportParticipantsOptions) iter.Seq2[ReportParticipant, error] {
	o := copyOpts(opts)
	return All(ctx, func(ctx context.Context, token string) ([]ReportParticipant, string, error) {
		o.NextPageToken = token
		l, _, err := s.MeetingParticipants(ctx, meetingIDOrUUID, o)
		if err != nil {
			return nil, "", err
		}
		return l.Participants, l.NextPageToken, nil
	})
}
