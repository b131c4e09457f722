package events

// The payloads ("payload" objects) of the event types this package knows,
// field for field from Zoom's webhook schemas. Times are kept as Zoom's
// strings (some are empty or not RFC 3339). meeting.updated sends only the
// fields that changed: the raw Event.Payload tells absent from zero.

// MeetingCreated is meeting.created's payload.
type MeetingCreated struct {
	AccountID  string               `json:"account_id"`
	Operator   string               `json:"operator"`
	OperatorID string               `json:"operator_id"`
	Operation  string               `json:"operation,omitempty"`
	Object     MeetingCreatedObject `json:"object"`
}

// MeetingCreatedObject is the meeting meeting.created describes.
type MeetingCreatedObject struct {
	UUID           string                 `json:"uuid"`
	ID             MeetingID              `json:"id"`
	HostID         string                 `json:"host_id"`
	Topic          string                 `json:"topic"`
	Type           int                    `json:"type"`
	StartTime      string                 `json:"start_time,omitempty"`
	Duration       int                    `json:"duration"`
	Timezone       string                 `json:"timezone,omitempty"`
	JoinURL        string                 `json:"join_url"`
	Password       string                 `json:"password,omitempty"`
	PMI            string                 `json:"pmi,omitempty"`
	Occurrences    []Occurrence           `json:"occurrences,omitempty"`
	Settings       MeetingCreatedSettings `json:"settings"`
	Recurrence     *Recurrence            `json:"recurrence,omitempty"`
	TrackingFields []TrackingField        `json:"tracking_fields,omitempty"`
}

// MeetingCreatedSettings are the settings meeting.created sends.
type MeetingCreatedSettings struct {
	UsePMI           bool      `json:"use_pmi"`
	AlternativeHosts string    `json:"alternative_hosts"`
	MeetingInvitees  []Invitee `json:"meeting_invitees,omitempty"`
	JoinBeforeHost   bool      `json:"join_before_host,omitempty"`
	JBHTime          int       `json:"jbh_time,omitempty"`
}

// Occurrence is one occurrence of a recurring meeting.
type Occurrence struct {
	OccurrenceID string `json:"occurrence_id"`
	StartTime    string `json:"start_time"`
	Duration     int    `json:"duration,omitempty"`
	Status       string `json:"status,omitempty"`
}

// OccurrenceRef is an occurrence as meeting.deleted and
// meeting.registration_created name it.
type OccurrenceRef struct {
	OccurrenceID string `json:"occurrence_id"`
	StartTime    string `json:"start_time"`
}

// Invitee is a meeting invitee.
type Invitee struct {
	Email string `json:"email"`
}

// Recurrence is a recurring meeting's pattern.
type Recurrence struct {
	Type           int    `json:"type,omitempty"`
	RepeatInterval int    `json:"repeat_interval,omitempty"`
	WeeklyDays     string `json:"weekly_days,omitempty"`
	MonthlyDay     int    `json:"monthly_day,omitempty"`
	MonthlyWeekDay int    `json:"monthly_week_day,omitempty"`
	EndTimes       int    `json:"end_times,omitempty"`
	EndDateTime    string `json:"end_date_time,omitempty"`
	MonthlyWeek    int    `json:"monthly_week,omitempty"`
}

// TrackingField is a meeting's tracking field (meeting.created).
type TrackingField struct {
	Field   string `json:"field"`
	Value   string `json:"value"`
	Visible bool   `json:"visible,omitempty"`
}

// UpdatedTrackingField is a tracking field as meeting.updated sends it.
type UpdatedTrackingField struct {
	Field string `json:"field"`
	Value string `json:"value"`
}

// MeetingUpdated is meeting.updated's payload: Object holds the fields
// that changed, with their new values, OldObject their old ones.
type MeetingUpdated struct {
	AccountID  string               `json:"account_id"`
	Operator   string               `json:"operator"`
	OperatorID string               `json:"operator_id"`
	Scope      string               `json:"scope,omitempty"`
	Object     MeetingUpdatedObject `json:"object"`
	TimeStamp  int64                `json:"time_stamp"`
	OldObject  MeetingUpdatedObject `json:"old_object"`
}

// MeetingUpdatedObject is a meeting as meeting.updated sends it.
type MeetingUpdatedObject struct {
	ID              MeetingID               `json:"id"`
	UUID            string                  `json:"uuid,omitempty"`
	HostID          string                  `json:"host_id,omitempty"`
	Topic           string                  `json:"topic,omitempty"`
	Type            int                     `json:"type,omitempty"`
	StartTime       string                  `json:"start_time,omitempty"`
	Duration        int                     `json:"duration,omitempty"`
	Timezone        string                  `json:"timezone,omitempty"`
	JoinURL         string                  `json:"join_url,omitempty"`
	Password        string                  `json:"password,omitempty"`
	Agenda          string                  `json:"agenda,omitempty"`
	RegistrationURL string                  `json:"registration_url,omitempty"`
	Occurrences     []Occurrence            `json:"occurrences,omitempty"`
	Settings        *MeetingUpdatedSettings `json:"settings,omitempty"`
	Recurrence      *Recurrence             `json:"recurrence,omitempty"`
	TrackingFields  []UpdatedTrackingField  `json:"tracking_fields,omitempty"`
}

// MeetingUpdatedSettings are the settings meeting.updated may send.
type MeetingUpdatedSettings struct {
	HostVideo                            bool                        `json:"host_video,omitempty"`
	ParticipantVideo                     bool                        `json:"participant_video,omitempty"`
	JoinBeforeHost                       bool                        `json:"join_before_host,omitempty"`
	JBHTime                              int                         `json:"jbh_time,omitempty"`
	MuteUponEntry                        bool                        `json:"mute_upon_entry,omitempty"`
	Audio                                string                      `json:"audio,omitempty"`
	AutoRecording                        string                      `json:"auto_recording,omitempty"`
	UsePMI                               bool                        `json:"use_pmi,omitempty"`
	WaitingRoom                          bool                        `json:"waiting_room,omitempty"`
	Watermark                            bool                        `json:"watermark,omitempty"`
	EnforceLogin                         bool                        `json:"enforce_login,omitempty"`
	EnforceLoginDomains                  string                      `json:"enforce_login_domains,omitempty"`
	ApprovalType                         int                         `json:"approval_type,omitempty"`
	RegistrationType                     int                         `json:"registration_type,omitempty"`
	AlternativeHosts                     string                      `json:"alternative_hosts,omitempty"`
	MeetingAuthentication                bool                        `json:"meeting_authentication,omitempty"`
	AuthenticationOption                 string                      `json:"authentication_option,omitempty"`
	AuthenticationName                   string                      `json:"authentication_name,omitempty"`
	AuthenticationDomains                string                      `json:"authentication_domains,omitempty"`
	MeetingInvitees                      []Invitee                   `json:"meeting_invitees,omitempty"`
	LanguageInterpretation               *LanguageInterpretation     `json:"language_interpretation,omitempty"`
	SignLanguageInterpretation           *SignLanguageInterpretation `json:"sign_language_interpretation,omitempty"`
	ContinuousMeetingChat                *ContinuousMeetingChat      `json:"continuous_meeting_chat,omitempty"`
	AutoStartMeetingSummary              bool                        `json:"auto_start_meeting_summary,omitempty"`
	WhoWillReceiveSummary                int                         `json:"who_will_receive_summary,omitempty"`
	AutoStartAICompanionQuestions        bool                        `json:"auto_start_ai_companion_questions,omitempty"`
	WhoCanAskQuestions                   int                         `json:"who_can_ask_questions,omitempty"`
	SummaryTemplateID                    string                      `json:"summary_template_id,omitempty"`
	AllowHostControlParticipantMuteState bool                        `json:"allow_host_control_participant_mute_state,omitempty"`
	EmailInAttendeeReport                bool                        `json:"email_in_attendee_report,omitempty"`
}

// LanguageInterpretation is a meeting's language interpretation setting.
type LanguageInterpretation struct {
	Enable       bool          `json:"enable"`
	Interpreters []Interpreter `json:"interpreters,omitempty"`
}

// Interpreter is a language interpreter.
type Interpreter struct {
	Email                string `json:"email"`
	Languages            string `json:"languages,omitempty"`
	InterpreterLanguages string `json:"interpreter_languages,omitempty"`
}

// SignLanguageInterpretation is a meeting's sign language setting.
type SignLanguageInterpretation struct {
	Enable       bool                      `json:"enable"`
	Interpreters []SignLanguageInterpreter `json:"interpreters,omitempty"`
}

// SignLanguageInterpreter is a sign language interpreter.
type SignLanguageInterpreter struct {
	Email        string `json:"email"`
	SignLanguage string `json:"sign_language,omitempty"`
}

// ContinuousMeetingChat is a meeting's continuous chat setting.
type ContinuousMeetingChat struct {
	Enable                      bool   `json:"enable"`
	AutoAddInvitedExternalUsers bool   `json:"auto_add_invited_external_users,omitempty"`
	AutoAddMeetingParticipants  bool   `json:"auto_add_meeting_participants,omitempty"`
	ChannelID                   string `json:"channel_id,omitempty"`
}

// MeetingDeleted is meeting.deleted's payload.
type MeetingDeleted struct {
	AccountID  string               `json:"account_id"`
	Operator   string               `json:"operator"`
	OperatorID string               `json:"operator_id"`
	Operation  string               `json:"operation,omitempty"`
	Object     MeetingDeletedObject `json:"object"`
}

// MeetingDeletedObject is the deleted meeting.
type MeetingDeletedObject struct {
	UUID        string          `json:"uuid"`
	ID          MeetingID       `json:"id"`
	HostID      string          `json:"host_id"`
	Topic       string          `json:"topic"`
	Type        int             `json:"type"`
	StartTime   string          `json:"start_time,omitempty"`
	Duration    int             `json:"duration,omitempty"`
	Timezone    string          `json:"timezone,omitempty"`
	Occurrences []OccurrenceRef `json:"occurrences,omitempty"`
}

// MeetingInstance is a meeting instance as meeting.started, meeting.ended
// and the participant events describe it (ID is a string there).
type MeetingInstance struct {
	ID        MeetingID `json:"id"`
	UUID      string    `json:"uuid"`
	HostID    string    `json:"host_id"`
	Topic     string    `json:"topic"`
	Type      int       `json:"type"`
	StartTime string    `json:"start_time"`
	Timezone  string    `json:"timezone,omitempty"`
	Duration  int       `json:"duration"`
}

// MeetingStarted is meeting.started's payload.
type MeetingStarted struct {
	AccountID string          `json:"account_id"`
	Object    MeetingInstance `json:"object"`
}

// MeetingEnded is meeting.ended's payload.
type MeetingEnded struct {
	AccountID string             `json:"account_id"`
	Object    MeetingEndedObject `json:"object"`
}

// MeetingEndedObject is the meeting instance that ended.
type MeetingEndedObject struct {
	MeetingInstance
	EndTime string `json:"end_time"`
}

// Participant is what the participant events say of a participant.
type Participant struct {
	UserID            string `json:"user_id"`
	UserName          string `json:"user_name"`
	ID                string `json:"id,omitempty"`
	ParticipantUUID   string `json:"participant_uuid,omitempty"`
	Email             string `json:"email,omitempty"`
	RegistrantID      string `json:"registrant_id,omitempty"`
	ParticipantUserID string `json:"participant_user_id,omitempty"`
	CustomerKey       string `json:"customer_key,omitempty"`
	PhoneNumber       string `json:"phone_number,omitempty"`
}

// ParticipantJoined is meeting.participant_joined's payload.
type ParticipantJoined struct {
	AccountID string                  `json:"account_id"`
	Object    ParticipantJoinedObject `json:"object"`
}

// ParticipantJoinedObject is the meeting instance and who joined it.
type ParticipantJoinedObject struct {
	MeetingInstance
	Participant JoinedParticipant `json:"participant"`
}

// JoinedParticipant is the participant who joined.
type JoinedParticipant struct {
	Participant
	JoinTime string `json:"join_time"`
}

// ParticipantLeft is meeting.participant_left's payload.
type ParticipantLeft struct {
	AccountID string                `json:"account_id"`
	Object    ParticipantLeftObject `json:"object"`
}

// ParticipantLeftObject is the meeting instance and who left it.
type ParticipantLeftObject struct {
	MeetingInstance
	Participant LeftParticipant `json:"participant"`
}

// LeftParticipant is the participant who left.
type LeftParticipant struct {
	Participant
	LeaveTime   string `json:"leave_time"`
	LeaveReason string `json:"leave_reason,omitempty"`
}

// RegistrationCreated is meeting.registration_created's payload.
type RegistrationCreated struct {
	AccountID string                    `json:"account_id"`
	Object    RegistrationCreatedObject `json:"object"`
}

// RegistrationCreatedObject is the meeting and its new registrant.
type RegistrationCreatedObject struct {
	UUID        string          `json:"uuid"`
	ID          MeetingID       `json:"id"`
	HostID      string          `json:"host_id"`
	Topic       string          `json:"topic"`
	Type        int             `json:"type"`
	StartTime   string          `json:"start_time,omitempty"`
	Duration    int             `json:"duration"`
	Timezone    string          `json:"timezone,omitempty"`
	Occurrences []OccurrenceRef `json:"occurrences,omitempty"`
	Registrant  Registrant      `json:"registrant"`
}

// Registrant is a meeting registrant.
type Registrant struct {
	ID                    string           `json:"id,omitempty"`
	FirstName             string           `json:"first_name"`
	LastName              string           `json:"last_name,omitempty"`
	Email                 string           `json:"email"`
	Address               string           `json:"address,omitempty"`
	City                  string           `json:"city,omitempty"`
	Country               string           `json:"country,omitempty"`
	Zip                   string           `json:"zip,omitempty"`
	State                 string           `json:"state,omitempty"`
	Phone                 string           `json:"phone,omitempty"`
	Industry              string           `json:"industry,omitempty"`
	Org                   string           `json:"org,omitempty"`
	JobTitle              string           `json:"job_title,omitempty"`
	PurchasingTimeFrame   string           `json:"purchasing_time_frame,omitempty"`
	RoleInPurchaseProcess string           `json:"role_in_purchase_process,omitempty"`
	NoOfEmployees         string           `json:"no_of_employees,omitempty"`
	Comments              string           `json:"comments,omitempty"`
	CustomQuestions       []CustomQuestion `json:"custom_questions,omitempty"`
	Status                string           `json:"status,omitempty"`
	JoinURL               string           `json:"join_url,omitempty"`
	ParticipantPinCode    int64            `json:"participant_pin_code,omitempty"`
}

// CustomQuestion is a registrant's answer to a custom question.
type CustomQuestion struct {
	Title string `json:"title"`
	Value string `json:"value"`
}

// RecordingCompleted is recording.completed's payload (the envelope's
// download_token is not part of it).
type RecordingCompleted struct {
	AccountID string          `json:"account_id"`
	Object    RecordingObject `json:"object"`
}

// RecordingObject is a meeting's cloud recording.
type RecordingObject struct {
	ID                    MeetingID              `json:"id"`
	UUID                  string                 `json:"uuid"`
	HostID                string                 `json:"host_id"`
	AccountID             string                 `json:"account_id"`
	Topic                 string                 `json:"topic"`
	Type                  int                    `json:"type"`
	StartTime             string                 `json:"start_time"`
	Password              string                 `json:"password,omitempty"`
	Timezone              string                 `json:"timezone,omitempty"`
	HostEmail             string                 `json:"host_email"`
	Duration              int                    `json:"duration"`
	ShareURL              string                 `json:"share_url"`
	TotalSize             int64                  `json:"total_size"`
	RecordingCount        int                    `json:"recording_count"`
	OnPrem                bool                   `json:"on_prem"`
	RecordingPlayPasscode string                 `json:"recording_play_passcode,omitempty"`
	AutoDelete            bool                   `json:"auto_delete,omitempty"`
	AutoDeleteDate        string                 `json:"auto_delete_date,omitempty"`
	RecordingFiles        []RecordingFile        `json:"recording_files"`
	ParticipantAudioFiles []ParticipantAudioFile `json:"participant_audio_files,omitempty"`
}

// RecordingFile is one file of a recording.
type RecordingFile struct {
	ID             string `json:"id"`
	MeetingID      string `json:"meeting_id"`
	RecordingStart string `json:"recording_start"`
	RecordingEnd   string `json:"recording_end"`
	FileType       string `json:"file_type"`
	FileSize       int64  `json:"file_size"`
	FileExtension  string `json:"file_extension"`
	FileName       string `json:"file_name,omitempty"`
	PlayURL        string `json:"play_url,omitempty"`
	DownloadURL    string `json:"download_url"`
	FilePath       string `json:"file_path,omitempty"`
	Status         string `json:"status"`
	RecordingType  string `json:"recording_type"`
}

// ParticipantAudioFile is one participant's audio file of a recording.
type ParticipantAudioFile struct {
	ID             string `json:"id"`
	RecordingStart string `json:"recording_start"`
	RecordingEnd   string `json:"recording_end"`
	FileType       string `json:"file_type"`
	FileName       string `json:"file_name"`
	FileSize       int64  `json:"file_size"`
	FileExtension  string `json:"file_extension"`
	PlayURL        string `json:"play_url,omitempty"`
	DownloadURL    string `json:"download_url"`
	FilePath       string `json:"file_path,omitempty"`
	Status         string `json:"status"`
}
