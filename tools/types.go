package tools

// Result types: trimmed to what an agent needs, not raw Zoom payloads.
// Secrets Zoom returns (a meeting's start_url carries a host token) are
// never passed on.

// meetingOut is a meeting or webinar as tools return it.
type meetingOut struct {
	ID              int64          `json:"id"`
	UUID            string         `json:"uuid,omitempty" jsonschema_description:"UUID of this instance."`
	Topic           string         `json:"topic"`
	Type            int            `json:"type" jsonschema_description:"1 instant, 2 scheduled, 3 recurring without fixed time, 8 recurring with fixed time (webinars: 5, 6, 9)."`
	Status          string         `json:"status,omitempty" jsonschema_description:"waiting, started or finished."`
	StartTime       string         `json:"start_time,omitempty" jsonschema_description:"UTC, RFC 3339."`
	Duration        int            `json:"duration,omitempty" jsonschema_description:"Minutes."`
	Timezone        string         `json:"timezone,omitempty"`
	Agenda          string         `json:"agenda,omitempty"`
	HostID          string         `json:"host_id,omitempty"`
	HostEmail       string         `json:"host_email,omitempty"`
	JoinURL         string         `json:"join_url,omitempty"`
	RegistrationURL string         `json:"registration_url,omitempty"`
	Password        string         `json:"password,omitempty"`
	CreatedAt       string         `json:"created_at,omitempty"`
	Occurrences     []occurrence   `json:"occurrences,omitempty" jsonschema_description:"Occurrences of a recurring meeting."`
	Settings        *settingsArg   `json:"settings,omitempty"`
	Recurrence      *recurrenceArg `json:"recurrence,omitempty"`
	Note            string         `json:"note,omitempty" jsonschema_description:"Set when the result is partial, e.g. an update was made but could not be read back."`
}

// savedOut is what create and update return: what identifies the meeting
// or webinar, when it is, its agenda, how to join, and the settings and
// occurrences as Zoom now has them. The rest (host, passcode, recurrence
// rule) is what the caller just sent or get_meeting gives.
type savedOut struct {
	ID              int64        `json:"id"`
	UUID            string       `json:"uuid,omitempty"`
	Topic           string       `json:"topic"`
	Type            int          `json:"type"`
	StartTime       string       `json:"start_time,omitempty"`
	Duration        int          `json:"duration,omitempty"`
	Timezone        string       `json:"timezone,omitempty"`
	Agenda          string       `json:"agenda,omitempty"`
	JoinURL         string       `json:"join_url,omitempty"`
	RegistrationURL string       `json:"registration_url,omitempty"`
	Occurrences     []occurrence `json:"occurrences,omitempty"`
	Settings        *settingsArg `json:"settings,omitempty"`
	Note            string       `json:"note,omitempty"`
}

func saved(m meetingOut) *savedOut {
	return &savedOut{ID: m.ID, UUID: m.UUID, Topic: m.Topic, Type: m.Type, StartTime: m.StartTime, Duration: m.Duration,
		Timezone: m.Timezone, Agenda: m.Agenda, JoinURL: m.JoinURL, RegistrationURL: m.RegistrationURL, Occurrences: m.Occurrences,
		Settings: m.Settings, Note: m.Note}
}

// List rows carry what identifies and describes a row; the get_ tools
// give the details. Field names match the get_ tools' results.

// meetingRowOut is a meeting or webinar in a list.
type meetingRowOut struct {
	ID        int64  `json:"id"`
	Topic     string `json:"topic"`
	Type      int    `json:"type" jsonschema_description:"1 instant, 2 scheduled, 3 recurring without fixed time, 8 recurring with fixed time (webinars: 5, 6, 9)."`
	StartTime string `json:"start_time,omitempty" jsonschema_description:"UTC, RFC 3339."`
	Duration  int    `json:"duration,omitempty" jsonschema_description:"Minutes."`
	Status    string `json:"status,omitempty"`
}

// registrantRowOut is a registrant in a list.
type registrantRowOut struct {
	ID        string `json:"id"`
	Email     string `json:"email"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Status    string `json:"status,omitempty"`
}

// userRowOut is a user in a list.
type userRowOut struct {
	ID          string `json:"id"`
	Email       string `json:"email"`
	DisplayName string `json:"display_name,omitempty"`
	Type        int    `json:"type" jsonschema_description:"1 basic, 2 licensed, 4 unassigned, 99 none."`
	Status      string `json:"status,omitempty"`
}

// recordingRowOut is a recorded meeting instance in a list; its meeting
// ID, duration and files come from get_meeting_recordings.
type recordingRowOut struct {
	UUID      string   `json:"uuid"`
	Topic     string   `json:"topic,omitempty"`
	StartTime string   `json:"start_time,omitempty"`
	FileTypes []string `json:"file_types" jsonschema_description:"MP4, M4A, TRANSCRIPT, CHAT, ..."`
}

type occurrence struct {
	OccurrenceID string `json:"occurrence_id"`
	StartTime    string `json:"start_time,omitempty"`
	Duration     int    `json:"duration,omitempty"`
	Status       string `json:"status,omitempty"`
}

// recurrenceArg is a recurring meeting's schedule, in and out.
type recurrenceArg struct {
	Type           int    `json:"type" jsonschema:"required,enum=1,enum=2,enum=3" jsonschema_description:"1 daily, 2 weekly, 3 monthly."`
	RepeatInterval int    `json:"repeat_interval,omitempty" jsonschema:"minimum=1,maximum=99" jsonschema_description:"n days (≤99), weeks (≤50), months (≤10)."`
	WeeklyDays     string `json:"weekly_days,omitempty" jsonschema_description:"Weekly: 1-7 (1=Sunday), comma-separated."`
	MonthlyDay     int    `json:"monthly_day,omitempty" jsonschema:"minimum=1,maximum=31" jsonschema_description:"Monthly: day of month."`
	EndTimes       int    `json:"end_times,omitempty" jsonschema:"minimum=1,maximum=60" jsonschema_description:"Occurrences in all."`
	EndDateTime    string `json:"end_date_time,omitempty" jsonschema_description:"Or: last date, RFC 3339."`
}

// userOut is a Zoom user.
type userOut struct {
	ID            string `json:"id"`
	Email         string `json:"email"`
	FirstName     string `json:"first_name,omitempty"`
	LastName      string `json:"last_name,omitempty"`
	DisplayName   string `json:"display_name,omitempty"`
	Type          int    `json:"type" jsonschema_description:"1 basic, 2 licensed, 4 unassigned, 99 none."`
	RoleName      string `json:"role_name,omitempty"`
	Status        string `json:"status,omitempty" jsonschema_description:"active, inactive or pending."`
	Timezone      string `json:"timezone,omitempty"`
	Dept          string `json:"dept,omitempty"`
	PMI           int64  `json:"pmi,omitempty" jsonschema_description:"Personal meeting ID."`
	CreatedAt     string `json:"created_at,omitempty"`
	LastLoginTime string `json:"last_login_time,omitempty"`
}

// recordingOut is the cloud recording of one meeting instance.
type recordingOut struct {
	UUID           string    `json:"uuid"`
	ID             int64     `json:"id"`
	Topic          string    `json:"topic,omitempty"`
	StartTime      string    `json:"start_time,omitempty"`
	Duration       int       `json:"duration,omitempty"`
	HostID         string    `json:"host_id,omitempty"`
	TotalSize      int64     `json:"total_size,omitempty" jsonschema_description:"Bytes."`
	RecordingCount int       `json:"recording_count,omitempty"`
	Files          []fileOut `json:"files"`
}

type fileOut struct {
	ID             string `json:"id,omitempty"`
	FileType       string `json:"file_type" jsonschema_description:"MP4, M4A, TRANSCRIPT, CHAT, CC, TIMELINE, ..."`
	FileExtension  string `json:"file_extension,omitempty"`
	RecordingType  string `json:"recording_type,omitempty"`
	FileSize       int64  `json:"file_size,omitempty"`
	Status         string `json:"status,omitempty"`
	RecordingStart string `json:"recording_start,omitempty"`
	RecordingEnd   string `json:"recording_end,omitempty"`
	PlayURL        string `json:"play_url,omitempty" jsonschema_description:"Opens in a browser, after a Zoom sign-in."`
}
