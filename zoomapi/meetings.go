package zoomapi

import (
	"context"
	"iter"
)

// MeetingsService handles the meeting and meeting registrant endpoints.
type MeetingsService service

// Meeting types.
const (
	MeetingTypeInstant            = 1
	MeetingTypeScheduled          = 2
	MeetingTypeRecurringNoFixed   = 3
	MeetingTypePMI                = 4
	MeetingTypeRecurringFixedTime = 8
	MeetingTypeScreenShare        = 10
)

// Meeting is a Zoom meeting, as returned by Get and Create (List returns a
// subset of the fields; its agenda is truncated to 250 characters).
type Meeting struct {
	UUID           string `json:"uuid,omitempty"`
	ID             int64  `json:"id,omitempty"`
	HostID         string `json:"host_id,omitempty"`
	HostEmail      string `json:"host_email,omitempty"`
	AssistantID    string `json:"assistant_id,omitempty"`
	Topic          string `json:"topic,omitempty"`
	Type           int    `json:"type,omitempty"`   // see the MeetingType constants
	Status         string `json:"status,omitempty"` // waiting or started
	StartTime      Time   `json:"start_time,omitzero"`
	Duration       int    `json:"duration,omitempty"` // minutes
	Timezone       string `json:"timezone,omitempty"`
	Agenda         string `json:"agenda,omitempty"`
	CreatedAt      Time   `json:"created_at,omitzero"`
	CreationSource string `json:"creation_source,omitempty"` // other, open_api or web_portal

	JoinURL         string `json:"join_url,omitempty"`
	StartURL        string `json:"start_url,omitempty"` // lets anyone start the meeting as its host
	RegistrationURL string `json:"registration_url,omitempty"`
	ChatJoinURL     string `json:"chat_join_url,omitempty"`

	Password          string    `json:"password,omitempty"`
	EncryptedPassword string    `json:"encrypted_password,omitempty"`
	H323Password      string    `json:"h323_password,omitempty"`
	PSTNPassword      string    `json:"pstn_password,omitempty"`
	PMI               NumString `json:"pmi,omitempty"`
	PreSchedule       bool      `json:"pre_schedule,omitempty"`
	TemplateID        string    `json:"template_id,omitempty"`
	DynamicHostKey    string    `json:"dynamic_host_key,omitempty"`

	Occurrences    []Occurrence     `json:"occurrences,omitempty"`
	Recurrence     *Recurrence      `json:"recurrence,omitempty"`
	Settings       *MeetingSettings `json:"settings,omitempty"`
	TrackingFields []TrackingField  `json:"tracking_fields,omitempty"`
}

// MeetingSettings are the settings of a meeting. Pointer fields are unset
// when nil: in an update request only the fields that are set change, and
// in a response a false or 0 that Zoom sent stays visible.
type MeetingSettings struct {
	HostVideo        *bool `json:"host_video,omitempty"`
	ParticipantVideo *bool `json:"participant_video,omitempty"`
	JoinBeforeHost   *bool `json:"join_before_host,omitempty"`
	// JBHTime is how many minutes before the start participants may join
	// (0 = any time, 5, 10 or 15) when JoinBeforeHost is on.
	JBHTime       *int  `json:"jbh_time,omitempty"`
	MuteUponEntry *bool `json:"mute_upon_entry,omitempty"`
	WaitingRoom   *bool `json:"waiting_room,omitempty"`
	Watermark     *bool `json:"watermark,omitempty"`
	UsePMI        *bool `json:"use_pmi,omitempty"`
	FocusMode     *bool `json:"focus_mode,omitempty"`
	// ApprovalType: 0 approve registrants automatically, 1 manually,
	// 2 no registration required.
	ApprovalType *int `json:"approval_type,omitempty"`
	// RegistrationType for recurring meetings with fixed times: 1 register
	// once for all occurrences, 2 for each, 3 once and choose occurrences.
	RegistrationType             *int  `json:"registration_type,omitempty"`
	CloseRegistration            *bool `json:"close_registration,omitempty"`
	RegistrantsEmailNotification *bool `json:"registrants_email_notification,omitempty"`
	RegistrantsConfirmationEmail *bool `json:"registrants_confirmation_email,omitempty"`
	// Audio: both, telephony, voip or thirdParty.
	Audio               string `json:"audio,omitempty"`
	AudioConferenceInfo string `json:"audio_conference_info,omitempty"`
	// AutoRecording: local, cloud or none.
	AutoRecording string `json:"auto_recording,omitempty"`
	// AlternativeHosts is a semicolon-separated list of emails or user IDs.
	AlternativeHosts                  string `json:"alternative_hosts,omitempty"`
	AlternativeHostsEmailNotification *bool  `json:"alternative_hosts_email_notification,omitempty"`
	AlternativeHostUpdatePolls        *bool  `json:"alternative_host_update_polls,omitempty"`
	// MeetingAuthentication restricts joining to authenticated users.
	MeetingAuthentication *bool    `json:"meeting_authentication,omitempty"`
	AuthenticationOption  string   `json:"authentication_option,omitempty"`
	AuthenticationDomains string   `json:"authentication_domains,omitempty"`
	AuthenticationName    string   `json:"authentication_name,omitempty"` // responses only
	EnforceLogin          *bool    `json:"enforce_login,omitempty"`
	EnforceLoginDomains   string   `json:"enforce_login_domains,omitempty"`
	EncryptionType        string   `json:"encryption_type,omitempty"` // enhanced_encryption or e2ee
	PrivateMeeting        *bool    `json:"private_meeting,omitempty"`
	InternalMeeting       *bool    `json:"internal_meeting,omitempty"`
	EmailNotification     *bool    `json:"email_notification,omitempty"`
	ContactName           string   `json:"contact_name,omitempty"`
	ContactEmail          string   `json:"contact_email,omitempty"`
	AllowMultipleDevices  *bool    `json:"allow_multiple_devices,omitempty"`
	ShowShareButton       *bool    `json:"show_share_button,omitempty"`
	ShowJoinInfo          *bool    `json:"show_join_info,omitempty"`
	HostSaveVideoOrder    *bool    `json:"host_save_video_order,omitempty"`
	CalendarType          *int     `json:"calendar_type,omitempty"` // 1 Outlook, 2 Google Calendar
	PushChangeToCalendar  *bool    `json:"push_change_to_calendar,omitempty"`
	CNMeeting             *bool    `json:"cn_meeting,omitempty"`
	InMeeting             *bool    `json:"in_meeting,omitempty"`
	GlobalDialInCountries []string `json:"global_dial_in_countries,omitempty"`
	// GlobalDialInNumbers is set by Zoom; it is ignored in requests.
	GlobalDialInNumbers   []DialInNumber   `json:"global_dial_in_numbers,omitempty"`
	MeetingInvitees       []MeetingInvitee `json:"meeting_invitees,omitempty"`
	WaitingRoomOptions    *WaitingRoomOpts `json:"waiting_room_options,omitempty"`
	ContinuousMeetingChat *ContinuousChat  `json:"continuous_meeting_chat,omitempty"`
	BreakoutRoom          *BreakoutRooms   `json:"breakout_room,omitempty"`
	// AI Companion meeting summary.
	AutoStartMeetingSummary *bool  `json:"auto_start_meeting_summary,omitempty"`
	WhoWillReceiveSummary   *int   `json:"who_will_receive_summary,omitempty"`
	SummaryTemplateID       string `json:"summary_template_id,omitempty"`

	RequestPermissionToUnmuteParticipants *bool `json:"request_permission_to_unmute_participants,omitempty"`
	EmailInAttendeeReport                 *bool `json:"email_in_attendee_report,omitempty"`
}

// MeetingInvitee is a meeting invitee.
type MeetingInvitee struct {
	Email        string `json:"email"`
	InternalUser *bool  `json:"internal_user,omitempty"` // responses only
}

// WaitingRoomOpts are the waiting room options of a meeting.
type WaitingRoomOpts struct {
	Mode                 string `json:"mode,omitempty"`                     // follow_setting or custom
	WhoGoesToWaitingRoom string `json:"who_goes_to_waiting_room,omitempty"` // everyone, users_not_in_account, ...
}

// ContinuousChat is the continuous meeting chat setting.
type ContinuousChat struct {
	Enable                      *bool  `json:"enable,omitempty"`
	AutoAddInvitedExternalUsers *bool  `json:"auto_add_invited_external_users,omitempty"`
	AutoAddMeetingParticipants  *bool  `json:"auto_add_meeting_participants,omitempty"`
	ChannelID                   string `json:"channel_id,omitempty"` // responses only
}

// BreakoutRooms pre-assigns participants to breakout rooms.
type BreakoutRooms struct {
	Enable *bool          `json:"enable,omitempty"`
	Rooms  []BreakoutRoom `json:"rooms,omitempty"`
}

// BreakoutRoom is one breakout room and the emails assigned to it.
type BreakoutRoom struct {
	Name         string   `json:"name"`
	Participants []string `json:"participants,omitempty"`
}

// MeetingList is a page of List.
type MeetingList struct {
	Page
	PageCount  int       `json:"page_count,omitempty"`
	PageNumber int       `json:"page_number,omitempty"`
	Meetings   []Meeting `json:"meetings"`
}

// Meeting list types for ListMeetingsOptions.Type.
const (
	MeetingListScheduled    = "scheduled"         // all valid previous, live and upcoming scheduled meetings
	MeetingListLive         = "live"              // live meetings
	MeetingListUpcoming     = "upcoming"          // upcoming meetings, live ones included
	MeetingListUpcomingOnly = "upcoming_meetings" // upcoming meetings only
	MeetingListPrevious     = "previous_meetings" // previous meetings
)

// ListMeetingsOptions filters List.
type ListMeetingsOptions struct {
	// Type is scheduled (the default), live, upcoming, upcoming_meetings or
	// previous_meetings.
	Type     string `url:"type,omitempty"`
	From     string `url:"from,omitempty"` // yyyy-mm-dd
	To       string `url:"to,omitempty"`   // yyyy-mm-dd
	Timezone string `url:"timezone,omitempty"`
	// PageNumber is deprecated by Zoom in favor of NextPageToken.
	PageNumber int `url:"page_number,omitempty"`
	ListOptions
}

// List returns a page of a user's meetings. userID is a user ID, an email,
// or "me".
//
// Zoom API: GET /users/{userId}/meetings
func (s *MeetingsService) List(ctx context.Context, userID string, opts *ListMeetingsOptions) (*MeetingList, *Response, error) {
	if opts != nil {
		if err := opts.normalize(); err != nil {
			return nil, nil, err
		}
	}
	return doJSON[MeetingList](ctx, s.client, call{op: OpListMeetings, path: []string{PathEscape(userID)}, query: opts})
}

// ListAll iterates over all of a user's meetings, fetching pages as needed.
//
// Zoom API: GET /users/{userId}/meetings
func (s *MeetingsService) ListAll(ctx context.Context, userID string, opts *ListMeetingsOptions) iter.Seq2[Meeting, error] {
	o := copyOpts(opts)
	return All(ctx, func(ctx context.Context, token string) ([]Meeting, string, error) {
		o.NextPageToken = token
		l, _, err := s.List(ctx, userID, o)
		if err != nil {
			return nil, "", err
		}
		return l.Meetings, l.NextPageToken, nil
	})
}

// MeetingCreateRequest is the body of Create.
type MeetingCreateRequest struct {
	Topic string `json:"topic,omitempty"`
	// Type is 1 instant, 2 scheduled (the default), 3 recurring with no fixed
	// time, 8 recurring with a fixed time, 10 screen share only.
	Type int `json:"type,omitempty"`
	// StartTime is "yyyy-MM-ddTHH:mm:ssZ" (UTC, see FormatTime) or
	// "yyyy-MM-ddTHH:mm:ss" in Timezone. Scheduled meetings only.
	StartTime       string           `json:"start_time,omitempty"`
	Duration        int              `json:"duration,omitempty"` // minutes
	Timezone        string           `json:"timezone,omitempty"`
	Agenda          string           `json:"agenda,omitempty"` // up to 2,000 characters
	Password        string           `json:"password,omitempty"`
	DefaultPassword bool             `json:"default_password,omitempty"`
	PreSchedule     bool             `json:"pre_schedule,omitempty"`
	ScheduleFor     string           `json:"schedule_for,omitempty"` // email or user ID of the user to schedule for
	TemplateID      string           `json:"template_id,omitempty"`
	Recurrence      *Recurrence      `json:"recurrence,omitempty"`
	Settings        *MeetingSettings `json:"settings,omitempty"`
	TrackingFields  []TrackingField  `json:"tracking_fields,omitempty"`
}

// Create schedules a meeting for a user ("me" for the token's user).
// It counts toward Zoom's limit of 100 creates and updates a day per user.
//
// Zoom API: POST /users/{userId}/meetings
func (s *MeetingsService) Create(ctx context.Context, userID string, req *MeetingCreateRequest) (*Meeting, *Response, error) {
	if req == nil {
		req = &MeetingCreateRequest{}
	}
	return doJSON[Meeting](ctx, s.client, call{op: OpCreateMeeting, path: []string{PathEscape(userID)}, body: req})
}

// GetMeetingOptions selects what Get returns.
type GetMeetingOptions struct {
	OccurrenceID            string `url:"occurrence_id,omitempty"`
	ShowPreviousOccurrences bool   `url:"show_previous_occurrences,omitempty"`
}

// Get returns a meeting.
//
// Zoom API: GET /meetings/{meetingId}
func (s *MeetingsService) Get(ctx context.Context, meetingID int64, opts *GetMeetingOptions) (*Meeting, *Response, error) {
	id, err := checkID("meetingId", meetingID)
	if err != nil {
		return nil, nil, err
	}
	return doJSON[Meeting](ctx, s.client, call{op: OpGetMeeting, path: []string{id}, query: opts})
}

// MeetingUpdateRequest is the body of Update. Only the fields that are set
// change (PATCH semantics); nil pointers and nil slices are not sent.
type MeetingUpdateRequest struct {
	Topic          *string          `json:"topic,omitempty"`
	Type           *int             `json:"type,omitempty"`
	StartTime      *string          `json:"start_time,omitempty"` // as in MeetingCreateRequest
	Duration       *int             `json:"duration,omitempty"`
	Timezone       *string          `json:"timezone,omitempty"`
	Agenda         *string          `json:"agenda,omitempty"`
	Password       *string          `json:"password,omitempty"`
	PreSchedule    *bool            `json:"pre_schedule,omitempty"`
	ScheduleFor    *string          `json:"schedule_for,omitempty"`
	TemplateID     *string          `json:"template_id,omitempty"`
	Recurrence     *Recurrence      `json:"recurrence,omitempty"`
	Settings       *MeetingSettings `json:"settings,omitempty"`
	TrackingFields []TrackingField  `json:"tracking_fields,omitempty"`
}

// UpdateMeetingOptions selects the occurrence Update changes.
type UpdateMeetingOptions struct {
	OccurrenceID string `url:"occurrence_id,omitempty"`
}

// Update changes a meeting. It counts toward Zoom's limit of 100 creates
// and updates a day per user.
//
// Zoom API: PATCH /meetings/{meetingId}
func (s *MeetingsService) Update(ctx context.Context, meetingID int64, req *MeetingUpdateRequest, opts *UpdateMeetingOptions) (*Response, error) {
	id, err := checkID("meetingId", meetingID)
	if err != nil {
		return nil, err
	}
	if req == nil {
		req = &MeetingUpdateRequest{}
	}
	return s.client.do(ctx, call{op: OpUpdateMeeting, path: []string{id}, query: opts, body: req}, nil)
}

// DeleteMeetingOptions selects what Delete does besides deleting.
type DeleteMeetingOptions struct {
	OccurrenceID          string `url:"occurrence_id,omitempty"`
	ScheduleForReminder   bool   `url:"schedule_for_reminder,omitempty"`   // email the host and alternative hosts
	CancelMeetingReminder bool   `url:"cancel_meeting_reminder,omitempty"` // email the registrants
}

// Delete deletes a meeting, or one occurrence of it.
//
// Zoom API: DELETE /meetings/{meetingId}
func (s *MeetingsService) Delete(ctx context.Context, meetingID int64, opts *DeleteMeetingOptions) (*Response, error) {
	id, err := checkID("meetingId", meetingID)
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, call{op: OpDeleteMeeting, path: []string{id}, query: opts}, nil)
}

// Meeting status actions for UpdateStatus.
const (
	MeetingActionEnd     = "end"
	MeetingActionRecover = "recover" // recover a deleted meeting
)

// MeetingStatusRequest is the body of UpdateStatus.
type MeetingStatusRequest struct {
	Action string `json:"action"` // end or recover
}

// UpdateStatus ends a live meeting ("end") or recovers a deleted one
// ("recover").
//
// Zoom API: PUT /meetings/{meetingId}/status
func (s *MeetingsService) UpdateStatus(ctx context.Context, meetingID int64, action string) (*Response, error) {
	id, err := checkID("meetingId", meetingID)
	if err != nil {
		return nil, err
	}
	if action != MeetingActionEnd && action != MeetingActionRecover {
		return nil, &ArgumentError{Arg: "action", Reason: `must be "end" or "recover"`}
	}
	return s.client.do(ctx, call{op: OpUpdateMeetingStatus, path: []string{id}, body: &MeetingStatusRequest{Action: action}}, nil)
}

// End ends a live meeting for all participants.
//
// Zoom API: PUT /meetings/{meetingId}/status
func (s *MeetingsService) End(ctx context.Context, meetingID int64) (*Response, error) {
	return s.UpdateStatus(ctx, meetingID, MeetingActionEnd)
}

// Registrant statuses.
const (
	RegistrantApproved = "approved"
	RegistrantPending  = "pending"
	RegistrantDenied   = "denied"
)

// Registrant is a meeting or webinar registrant.
type Registrant struct {
	ID        string `json:"id,omitempty"`
	Email     string `json:"email,omitempty"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	// Status is approved, pending or denied.
	Status                string           `json:"status,omitempty"`
	CreateTime            Time             `json:"create_time,omitzero"`
	JoinURL               string           `json:"join_url,omitempty"`
	ParticipantPinCode    int64            `json:"participant_pin_code,omitempty"`
	Address               string           `json:"address,omitempty"`
	City                  string           `json:"city,omitempty"`
	State                 string           `json:"state,omitempty"`
	Zip                   string           `json:"zip,omitempty"`
	Country               string           `json:"country,omitempty"`
	Phone                 string           `json:"phone,omitempty"`
	Comments              string           `json:"comments,omitempty"`
	Industry              string           `json:"industry,omitempty"`
	JobTitle              string           `json:"job_title,omitempty"`
	Org                   string           `json:"org,omitempty"`
	NoOfEmployees         string           `json:"no_of_employees,omitempty"`
	PurchasingTimeFrame   string           `json:"purchasing_time_frame,omitempty"`
	RoleInPurchaseProcess string           `json:"role_in_purchase_process,omitempty"`
	CustomQuestions       []CustomQuestion `json:"custom_questions,omitempty"`
}

// RegistrantList is a page of ListRegistrants.
type RegistrantList struct {
	Page
	PageCount   int          `json:"page_count,omitempty"`
	PageNumber  int          `json:"page_number,omitempty"`
	Registrants []Registrant `json:"registrants"`
}

// ListRegistrantsOptions filters ListRegistrants.
type ListRegistrantsOptions struct {
	OccurrenceID string `url:"occurrence_id,omitempty"`
	// Status is approved (Zoom's default), pending or denied.
	Status string `url:"status,omitempty"`
	// PageNumber is deprecated by Zoom in favor of NextPageToken.
	PageNumber int `url:"page_number,omitempty"`
	ListOptions
}

// ListRegistrants returns a page of a meeting's registrants.
//
// Zoom API: GET /meetings/{meetingId}/registrants
func (s *MeetingsService) ListRegistrants(ctx context.Context, meetingID int64, opts *ListRegistrantsOptions) (*RegistrantList, *Response, error) {
	id, err := checkID("meetingId", meetingID)
	if err != nil {
		return nil, nil, err
	}
	if opts != nil {
		if err := opts.normalize(); err != nil {
			return nil, nil, err
		}
	}
	return doJSON[RegistrantList](ctx, s.client, call{op: OpListMeetingRegistrants, path: []string{id}, query: opts})
}

// ListAllRegistrants iterates over all registrants of a meeting.
//
// Zoom API: GET /meetings/{meetingId}/registrants
func (s *MeetingsService) ListAllRegistrants(ctx context.Context, meetingID int64, opts *ListRegistrantsOptions) iter.Seq2[Registrant, error] {
	o := copyOpts(opts)
	return All(ctx, func(ctx context.Context, token string) ([]Registrant, string, error) {
		o.NextPageToken = token
		l, _, err := s.ListRegistrants(ctx, meetingID, o)
		if err != nil {
			return nil, "", err
		}
		return l.Registrants, l.NextPageToken, nil
	})
}

// RegistrantRequest is the body of AddRegistrant for meetings and webinars.
// Email and FirstName are required.
type RegistrantRequest struct {
	Email                 string           `json:"email"`
	FirstName             string           `json:"first_name"`
	LastName              string           `json:"last_name,omitempty"`
	Address               string           `json:"address,omitempty"`
	City                  string           `json:"city,omitempty"`
	State                 string           `json:"state,omitempty"`
	Zip                   string           `json:"zip,omitempty"`
	Country               string           `json:"country,omitempty"`
	Phone                 string           `json:"phone,omitempty"`
	Comments              string           `json:"comments,omitempty"`
	Industry              string           `json:"industry,omitempty"`
	JobTitle              string           `json:"job_title,omitempty"`
	Org                   string           `json:"org,omitempty"`
	NoOfEmployees         string           `json:"no_of_employees,omitempty"`
	PurchasingTimeFrame   string           `json:"purchasing_time_frame,omitempty"`
	RoleInPurchaseProcess string           `json:"role_in_purchase_process,omitempty"`
	CustomQuestions       []CustomQuestion `json:"custom_questions,omitempty"`
	// Language of the confirmation email, such as "en-US".
	Language string `json:"language,omitempty"`
	// AutoApprove approves the registrant even if the meeting requires
	// manual approval (meetings only).
	AutoApprove *bool `json:"auto_approve,omitempty"`
	// SourceID is the tracking source of the registration (webinars only).
	SourceID string `json:"source_id,omitempty"`
}

// AddRegistrantOptions selects the occurrences a registrant registers for.
type AddRegistrantOptions struct {
	OccurrenceIDs []string `url:"occurrence_ids,comma,omitempty"`
}

// RegistrantCreated is the answer to AddRegistrant.
type RegistrantCreated struct {
	ID                 int64        `json:"id,omitempty"` // meeting or webinar ID
	RegistrantID       string       `json:"registrant_id,omitempty"`
	Topic              string       `json:"topic,omitempty"`
	StartTime          Time         `json:"start_time,omitzero"`
	JoinURL            string       `json:"join_url,omitempty"`
	ParticipantPinCode int64        `json:"participant_pin_code,omitempty"`
	Occurrences        []Occurrence `json:"occurrences,omitempty"`
}

// AddRegistrant registers someone for a meeting that has registration on.
//
// Zoom API: POST /meetings/{meetingId}/registrants
func (s *MeetingsService) AddRegistrant(ctx context.Context, meetingID int64, req *RegistrantRequest, opts *AddRegistrantOptions) (*RegistrantCreated, *Response, error) {
	id, err := checkID("meetingId", meetingID)
	if err != nil {
		return nil, nil, err
	}
	if err := req.check(); err != nil {
		return nil, nil, err
	}
	return doJSON[RegistrantCreated](ctx, s.client, call{op: OpAddMeetingRegistrant, path: []string{id}, query: opts, body: req})
}

func (r *RegistrantRequest) check() error {
	switch {
	case r == nil || r.Email == "":
		return &ArgumentError{Arg: "email", Reason: "is required"}
	case r.FirstName == "":
		return &ArgumentError{Arg: "first_name", Reason: "is required"}
	}
	return nil
}

// Registrant status actions.
const (
	RegistrantActionApprove = "approve"
	RegistrantActionDeny    = "deny"
	RegistrantActionCancel  = "cancel"
)

// RegistrantStatusRequest is the body of UpdateRegistrantStatus.
type RegistrantStatusRequest struct {
	Action      string          `json:"action"` // approve, deny or cancel
	Registrants []RegistrantRef `json:"registrants,omitempty"`
}

// RegistrantRef names a registrant by ID and email.
type RegistrantRef struct {
	ID    string `json:"id,omitempty"`
	Email string `json:"email,omitempty"`
}

// UpdateRegistrantStatusOptions selects the occurrence.
type UpdateRegistrantStatusOptions struct {
	OccurrenceID string `url:"occurrence_id,omitempty"`
}

// UpdateRegistrantStatus approves, denies or cancels registrants of a
// meeting (up to 30 at a time).
//
// Zoom API: PUT /meetings/{meetingId}/registrants/status
func (s *MeetingsService) UpdateRegistrantStatus(ctx context.Context, meetingID int64, req *RegistrantStatusRequest, opts *UpdateRegistrantStatusOptions) (*Response, error) {
	id, err := checkID("meetingId", meetingID)
	if err != nil {
		return nil, err
	}
	if req == nil {
		return nil, &ArgumentError{Arg: "action", Reason: "is required"}
	}
	switch req.Action {
	case RegistrantActionApprove, RegistrantActionDeny, RegistrantActionCancel:
	default:
		return nil, &ArgumentError{Arg: "action", Reason: `must be "approve", "deny" or "cancel"`}
	}
	return s.client.do(ctx, call{op: OpUpdateRegistrantStatus, path: []string{id}, query: opts, body: req}, nil)
}
