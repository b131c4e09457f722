package zoomapi

import (
	"context"
	"iter"
	"strconv"
)

// WebinarsService handles the webinar and webinar registrant endpoints.
type WebinarsService service

// Webinar types.
const (
	WebinarTypeScheduled          = 5
	WebinarTypeRecurringNoFixed   = 6
	WebinarTypeRecurringFixedTime = 9
)

// Webinar is a Zoom webinar, as returned by Get and Create (List returns a
// subset of the fields).
type Webinar struct {
	UUID           string `json:"uuid,omitempty"`
	ID             int64  `json:"id,omitempty"`
	HostID         string `json:"host_id,omitempty"`
	HostEmail      string `json:"host_email,omitempty"`
	Topic          string `json:"topic,omitempty"`
	Type           int    `json:"type,omitempty"` // see the WebinarType constants
	StartTime      Time   `json:"start_time,omitzero"`
	Duration       int    `json:"duration,omitempty"` // minutes
	Timezone       string `json:"timezone,omitempty"`
	Agenda         string `json:"agenda,omitempty"`
	CreatedAt      Time   `json:"created_at,omitzero"`
	CreationSource string `json:"creation_source,omitempty"`

	JoinURL         string `json:"join_url,omitempty"`
	StartURL        string `json:"start_url,omitempty"` // lets anyone start the webinar as its host
	RegistrationURL string `json:"registration_url,omitempty"`

	Password          string `json:"password,omitempty"`
	EncryptedPasscode string `json:"encrypted_passcode,omitempty"`
	H323Passcode      string `json:"h323_passcode,omitempty"`
	TemplateID        string `json:"template_id,omitempty"`

	IsSimulive       bool   `json:"is_simulive,omitempty"`
	RecordFileID     string `json:"record_file_id,omitempty"`
	TransitionToLive bool   `json:"transition_to_live,omitempty"`

	Occurrences    []Occurrence     `json:"occurrences,omitempty"`
	Recurrence     *Recurrence      `json:"recurrence,omitempty"`
	Settings       *WebinarSettings `json:"settings,omitempty"`
	TrackingFields []TrackingField  `json:"tracking_fields,omitempty"`
}

// WebinarSettings are the settings of a webinar. As with MeetingSettings,
// nil pointers are unset.
type WebinarSettings struct {
	HostVideo       *bool `json:"host_video,omitempty"`
	PanelistsVideo  *bool `json:"panelists_video,omitempty"`
	PracticeSession *bool `json:"practice_session,omitempty"`
	HDVideo         *bool `json:"hd_video,omitempty"`
	OnDemand        *bool `json:"on_demand,omitempty"`
	// ApprovalType: 0 approve registrants automatically, 1 manually,
	// 2 no registration required.
	ApprovalType                 *int   `json:"approval_type,omitempty"`
	RegistrationType             *int   `json:"registration_type,omitempty"`
	CloseRegistration            *bool  `json:"close_registration,omitempty"`
	RegistrantsRestrictNumber    *int   `json:"registrants_restrict_number,omitempty"` // 0: no limit
	RegistrantsEmailNotification *bool  `json:"registrants_email_notification,omitempty"`
	RegistrantsConfirmationEmail *bool  `json:"registrants_confirmation_email,omitempty"`
	NotifyRegistrants            *bool  `json:"notify_registrants,omitempty"` // update requests only
	Audio                        string `json:"audio,omitempty"`
	AudioConferenceInfo          string `json:"audio_conference_info,omitempty"`
	AutoRecording                string `json:"auto_recording,omitempty"`
	AlternativeHosts             string `json:"alternative_hosts,omitempty"`
	AlternativeHostUpdatePolls   *bool  `json:"alternative_host_update_polls,omitempty"`

	MeetingAuthentication  *bool  `json:"meeting_authentication,omitempty"`
	PanelistAuthentication *bool  `json:"panelist_authentication,omitempty"`
	AuthenticationOption   string `json:"authentication_option,omitempty"`
	AuthenticationDomains  string `json:"authentication_domains,omitempty"`
	AuthenticationName     string `json:"authentication_name,omitempty"` // responses only
	EnforceLogin           *bool  `json:"enforce_login,omitempty"`
	EnforceLoginDomains    string `json:"enforce_login_domains,omitempty"`

	ContactName                          string         `json:"contact_name,omitempty"`
	ContactEmail                         string         `json:"contact_email,omitempty"`
	EmailLanguage                        string         `json:"email_language,omitempty"`
	PanelistsInvitationEmailNotification *bool          `json:"panelists_invitation_email_notification,omitempty"`
	PostWebinarSurvey                    *bool          `json:"post_webinar_survey,omitempty"`
	SurveyURL                            string         `json:"survey_url,omitempty"`
	AllowMultipleDevices                 *bool          `json:"allow_multiple_devices,omitempty"`
	ShowShareButton                      *bool          `json:"show_share_button,omitempty"`
	ShowJoinInfo                         *bool          `json:"show_join_info,omitempty"`
	AddWatermark                         *bool          `json:"add_watermark,omitempty"`
	AddAudioWatermark                    *bool          `json:"add_audio_watermark,omitempty"`
	GlobalDialInCountries                []string       `json:"global_dial_in_countries,omitempty"`
	GlobalDialInNumbers                  []DialInNumber `json:"global_dial_in_numbers,omitempty"` // responses only
	QuestionAndAnswer                    *WebinarQA     `json:"question_and_answer,omitempty"`

	RequestPermissionToUnmuteParticipants *bool `json:"request_permission_to_unmute_participants,omitempty"`
	EmailInAttendeeReport                 *bool `json:"email_in_attendee_report,omitempty"`
}

// WebinarQA is the Q&A setting of a webinar.
type WebinarQA struct {
	Enable                  *bool  `json:"enable,omitempty"`
	AllowSubmitQuestions    *bool  `json:"allow_submit_questions,omitempty"`
	AllowAnonymousQuestions *bool  `json:"allow_anonymous_questions,omitempty"`
	AnswerQuestions         string `json:"answer_questions,omitempty"` // only or all
	AttendeesCanComment     *bool  `json:"attendees_can_comment,omitempty"`
	AttendeesCanUpvote      *bool  `json:"attendees_can_upvote,omitempty"`
	AllowAutoReply          *bool  `json:"allow_auto_reply,omitempty"`
	AutoReplyText           string `json:"auto_reply_text,omitempty"`
}

// WebinarList is a page of List.
type WebinarList struct {
	Page
	PageCount  int       `json:"page_count,omitempty"`
	PageNumber int       `json:"page_number,omitempty"`
	Webinars   []Webinar `json:"webinars"`
}

// ListWebinarsOptions filters List. Zoom pages this list by page number.
type ListWebinarsOptions struct {
	Type       string `url:"type,omitempty"` // scheduled (the default) or upcoming
	PageSize   int    `url:"page_size,omitempty"`
	PageNumber int    `url:"page_number,omitempty"` // 1-based
}

// List returns a page of a user's webinars.
//
// Zoom API: GET /users/{userId}/webinars
func (s *WebinarsService) List(ctx context.Context, userID string, opts *ListWebinarsOptions) (*WebinarList, *Response, error) {
	if opts != nil {
		lo := ListOptions{PageSize: opts.PageSize}
		if err := lo.normalize(); err != nil {
			return nil, nil, err
		}
		opts.PageSize = lo.PageSize
		if opts.PageNumber < 0 {
			return nil, nil, &ArgumentError{Arg: "page_number", Reason: "must be 1 or more"}
		}
	}
	return doJSON[WebinarList](ctx, s.client, call{op: OpListWebinars, path: []string{PathEscape(userID)}, query: opts})
}

// ListAll iterates over all of a user's webinars, page by page number.
//
// Zoom API: GET /users/{userId}/webinars
func (s *WebinarsService) ListAll(ctx context.Context, userID string, opts *ListWebinarsOptions) iter.Seq2[Webinar, error] {
	o := copyOpts(opts)
	if o.PageNumber < 1 {
		o.PageNumber = 1
	}
	// All carries a string token; here it is the next page number.
	return All(ctx, func(ctx context.Context, _ string) ([]Webinar, string, error) {
		l, _, err := s.List(ctx, userID, o)
		if err != nil {
			return nil, "", err
		}
		if o.PageNumber >= l.PageCount || len(l.Webinars) == 0 {
			return l.Webinars, "", nil
		}
		o.PageNumber++
		return l.Webinars, strconv.Itoa(o.PageNumber), nil
	})
}

// WebinarCreateRequest is the body of Create.
type WebinarCreateRequest struct {
	Topic string `json:"topic,omitempty"`
	// Type is 5 (the default), 6 recurring with no fixed time or 9 recurring
	// with a fixed time.
	Type            int              `json:"type,omitempty"`
	StartTime       string           `json:"start_time,omitempty"` // as in MeetingCreateRequest
	Duration        int              `json:"duration,omitempty"`
	Timezone        string           `json:"timezone,omitempty"`
	Agenda          string           `json:"agenda,omitempty"`
	Password        string           `json:"password,omitempty"`
	DefaultPasscode bool             `json:"default_passcode,omitempty"`
	ScheduleFor     string           `json:"schedule_for,omitempty"`
	TemplateID      string           `json:"template_id,omitempty"`
	IsSimulive      bool             `json:"is_simulive,omitempty"`
	RecordFileID    string           `json:"record_file_id,omitempty"`
	Recurrence      *Recurrence      `json:"recurrence,omitempty"`
	Settings        *WebinarSettings `json:"settings,omitempty"`
	TrackingFields  []TrackingField  `json:"tracking_fields,omitempty"`
}

// Create schedules a webinar for a user. It counts toward Zoom's limit of
// 100 creates and updates a day per user.
//
// Zoom API: POST /users/{userId}/webinars
func (s *WebinarsService) Create(ctx context.Context, userID string, req *WebinarCreateRequest) (*Webinar, *Response, error) {
	if req == nil {
		req = &WebinarCreateRequest{}
	}
	return doJSON[Webinar](ctx, s.client, call{op: OpCreateWebinar, path: []string{PathEscape(userID)}, body: req})
}

// GetWebinarOptions selects what Get returns.
type GetWebinarOptions struct {
	OccurrenceID            string `url:"occurrence_id,omitempty"`
	ShowPreviousOccurrences bool   `url:"show_previous_occurrences,omitempty"`
}

// Get returns a webinar.
//
// Zoom API: GET /webinars/{webinarId}
func (s *WebinarsService) Get(ctx context.Context, webinarID int64, opts *GetWebinarOptions) (*Webinar, *Response, error) {
	id, err := checkID("webinarId", webinarID)
	if err != nil {
		return nil, nil, err
	}
	return doJSON[Webinar](ctx, s.client, call{op: OpGetWebinar, path: []string{id}, query: opts})
}

// WebinarUpdateRequest is the body of Update: only the fields that are set
// change.
type WebinarUpdateRequest struct {
	Topic          *string          `json:"topic,omitempty"`
	Type           *int             `json:"type,omitempty"`
	StartTime      *string          `json:"start_time,omitempty"`
	Duration       *int             `json:"duration,omitempty"`
	Timezone       *string          `json:"timezone,omitempty"`
	Agenda         *string          `json:"agenda,omitempty"`
	Password       *string          `json:"password,omitempty"`
	ScheduleFor    *string          `json:"schedule_for,omitempty"`
	IsSimulive     *bool            `json:"is_simulive,omitempty"`
	RecordFileID   *string          `json:"record_file_id,omitempty"`
	Recurrence     *Recurrence      `json:"recurrence,omitempty"`
	Settings       *WebinarSettings `json:"settings,omitempty"`
	TrackingFields []TrackingField  `json:"tracking_fields,omitempty"`
}

// UpdateWebinarOptions selects the occurrence Update changes.
type UpdateWebinarOptions struct {
	OccurrenceID string `url:"occurrence_id,omitempty"`
}

// Update changes a webinar. It counts toward Zoom's limit of 100 creates
// and updates a day per user.
//
// Zoom API: PATCH /webinars/{webinarId}
func (s *WebinarsService) Update(ctx context.Context, webinarID int64, req *WebinarUpdateRequest, opts *UpdateWebinarOptions) (*Response, error) {
	id, err := checkID("webinarId", webinarID)
	if err != nil {
		return nil, err
	}
	if req == nil {
		req = &WebinarUpdateRequest{}
	}
	return s.client.do(ctx, call{op: OpUpdateWebinar, path: []string{id}, query: opts, body: req}, nil)
}

// DeleteWebinarOptions selects what Delete does besides deleting.
type DeleteWebinarOptions struct {
	OccurrenceID          string `url:"occurrence_id,omitempty"`
	CancelWebinarReminder bool   `url:"cancel_webinar_reminder,omitempty"` // email panelists and registrants
}

// Delete deletes a webinar, or one occurrence of it.
//
// Zoom API: DELETE /webinars/{webinarId}
func (s *WebinarsService) Delete(ctx context.Context, webinarID int64, opts *DeleteWebinarOptions) (*Response, error) {
	id, err := checkID("webinarId", webinarID)
	if err != nil {
		return nil, err
	}
	return s.client.do(ctx, call{op: OpDeleteWebinar, path: []string{id}, query: opts}, nil)
}

// ListWebinarRegistrantsOptions filters ListRegistrants.
type ListWebinarRegistrantsOptions struct {
	ListRegistrantsOptions
	TrackingSourceID string `url:"tracking_source_id,omitempty"`
}

// ListRegistrants returns a page of a webinar's registrants.
//
// Zoom API: GET /webinars/{webinarId}/registrants
func (s *WebinarsService) ListRegistrants(ctx context.Context, webinarID int64, opts *ListWebinarRegistrantsOptions) (*RegistrantList, *Response, error) {
	id, err := checkID("webinarId", webinarID)
	if err != nil {
		return nil, nil, err
	}
	if opts != nil {
		if err := opts.normalize(); err != nil {
			return nil, nil, err
		}
	}
	return doJSON[RegistrantList](ctx, s.client, call{op: OpListWebinarRegistrants, path: []string{id}, query: opts})
}

// ListAllRegistrants iterates over all registrants of a webinar.
//
// Zoom API: GET /webinars/{webinarId}/registrants
func (s *WebinarsService) ListAllRegistrants(ctx context.Context, webinarID int64, opts *ListWebinarRegistrantsOptions) iter.Seq2[Registrant, error] {
	o := copyOpts(opts)
	return All(ctx, func(ctx context.Context, token string) ([]Registrant, string, error) {
		o.NextPageToken = token
		l, _, err := s.ListRegistrants(ctx, webinarID, o)
		if err != nil {
			return nil, "", err
		}
		return l.Registrants, l.NextPageToken, nil
	})
}

// AddRegistrant registers someone for a webinar that has registration on.
// RegistrantRequest.AutoApprove does not apply to webinars.
//
// Zoom API: POST /webinars/{webinarId}/registrants
func (s *WebinarsService) AddRegistrant(ctx context.Context, webinarID int64, req *RegistrantRequest, opts *AddRegistrantOptions) (*RegistrantCreated, *Response, error) {
	id, err := checkID("webinarId", webinarID)
	if err != nil {
		return nil, nil, err
	}
	if err := req.check(); err != nil {
		return nil, nil, err
	}
	return doJSON[RegistrantCreated](ctx, s.client, call{op: OpAddWebinarRegistrant, path: []string{id}, query: opts, body: req})
}
