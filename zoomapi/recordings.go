package zoomapi

import (
	"context"
	"iter"
)

// RecordingsService handles the cloud recording endpoints.
type RecordingsService service

// Recording file types (RecordingFile.FileType).
const (
	FileTypeMP4        = "MP4"        // video
	FileTypeM4A        = "M4A"        // audio only
	FileTypeChat       = "CHAT"       // chat as text
	FileTypeTranscript = "TRANSCRIPT" // audio transcript (VTT)
	FileTypeCC         = "CC"         // closed captions (VTT)
	FileTypeCSV        = "CSV"        // poll data
	FileTypeSummary    = "SUMMARY"    // AI Companion summary
	FileTypeTimeline   = "TIMELINE"   // timeline (JSON)
)

// Recording is the cloud recording of one meeting or webinar instance.
type Recording struct {
	UUID      string `json:"uuid,omitempty"` // the instance's UUID
	ID        int64  `json:"id,omitempty"`   // the meeting ID
	AccountID string `json:"account_id,omitempty"`
	HostID    string `json:"host_id,omitempty"`
	Topic     string `json:"topic,omitempty"`
	// Type is the meeting type: 1 to 4 and 8 for meetings, 5, 6 and 9 for
	// webinars, 7 for a PAC meeting, 99 for a recurring meeting.
	Type           NumString `json:"type,omitempty"`
	StartTime      Time      `json:"start_time,omitzero"`
	Duration       int       `json:"duration,omitempty"`   // minutes
	TotalSize      int64     `json:"total_size,omitempty"` // bytes
	RecordingCount int       `json:"recording_count,omitempty"`
	ShareURL       string    `json:"share_url,omitempty"`
	// Password and RecordingPlayPasscode protect playback; Get only.
	Password              string `json:"password,omitempty"`
	RecordingPlayPasscode string `json:"recording_play_passcode,omitempty"`
	// DownloadAccessToken is returned by Get with include_fields=download_access_token.
	DownloadAccessToken   string                 `json:"download_access_token,omitempty"`
	AutoDelete            *bool                  `json:"auto_delete,omitempty"`
	AutoDeleteDate        string                 `json:"auto_delete_date,omitempty"` // yyyy-mm-dd
	RecordingFiles        []RecordingFile        `json:"recording_files,omitempty"`
	ParticipantAudioFiles []ParticipantAudioFile `json:"participant_audio_files,omitempty"`
}

// RecordingFile is one file of a cloud recording.
type RecordingFile struct {
	ID             string `json:"id,omitempty"`
	MeetingID      string `json:"meeting_id,omitempty"` // the instance's UUID
	RecordingStart Time   `json:"recording_start,omitzero"`
	RecordingEnd   Time   `json:"recording_end,omitzero"`
	// FileType is MP4, M4A, CHAT, TRANSCRIPT, CSV, TB, CC, CHAT_MESSAGE,
	// SUMMARY, TIMELINE, ... (see the FileType constants).
	FileType      string `json:"file_type,omitempty"`
	FileExtension string `json:"file_extension,omitempty"` // MP4, M4A, TXT, VTT, CSV, JSON, JPG
	FileSize      int64  `json:"file_size,omitempty"`      // bytes
	FilePath      string `json:"file_path,omitempty"`      // on-premise accounts only
	// PlayURL opens the file in a browser; DownloadURL needs an access
	// token (or download_access_token) to download it.
	PlayURL       string `json:"play_url,omitempty"`
	DownloadURL   string `json:"download_url,omitempty"`
	Status        string `json:"status,omitempty"`         // completed
	RecordingType string `json:"recording_type,omitempty"` // shared_screen_with_speaker_view, audio_transcript, ...
	DeletedTime   Time   `json:"deleted_time,omitzero"`    // recordings in the trash only
}

// ParticipantAudioFile is a per-participant audio file of a recording.
type ParticipantAudioFile struct {
	ID             string `json:"id,omitempty"`
	FileName       string `json:"file_name,omitempty"`
	FileType       string `json:"file_type,omitempty"`
	FileSize       int64  `json:"file_size,omitempty"`
	FilePath       string `json:"file_path,omitempty"`
	PlayURL        string `json:"play_url,omitempty"`
	DownloadURL    string `json:"download_url,omitempty"`
	RecordingStart Time   `json:"recording_start,omitzero"`
	RecordingEnd   Time   `json:"recording_end,omitzero"`
	Status         string `json:"status,omitempty"`
}

// RecordingList is a page of List.
type RecordingList struct {
	From string `json:"from,omitempty"` // yyyy-mm-dd
	To   string `json:"to,omitempty"`
	Page
	PageCount int         `json:"page_count,omitempty"`
	Meetings  []Recording `json:"meetings"`
}

// ListRecordingsOptions filters List. Zoom returns the last day when From
// is not set, and at most one month per request.
type ListRecordingsOptions struct {
	From string `url:"from,omitempty"` // yyyy-mm-dd
	To   string `url:"to,omitempty"`   // yyyy-mm-dd
	// Trash lists recordings in the trash instead.
	Trash bool `url:"trash,omitempty"`
	// TrashType is meeting_recordings (the default) or recording_file.
	TrashType string `url:"trash_type,omitempty"`
	// MC queries Metadata Collection (on-premise) recordings.
	MC        bool  `url:"mc,omitempty"`
	MeetingID int64 `url:"meeting_id,omitempty"`
	ListOptions
}

// List returns a page of a user's cloud recordings.
//
// Zoom API: GET /users/{userId}/recordings
func (s *RecordingsService) List(ctx context.Context, userID string, opts *ListRecordingsOptions) (*RecordingList, *Response, error) {
	if opts != nil {
		if err := opts.normalize(); err != nil {
			return nil, nil, err
		}
	}
	return doJSON[RecordingList](ctx, s.client, call{op: OpListRecordings, path: []string{PathEscape(userID)}, query: opts})
}

// ListAll iterates over all of a user's cloud recordings in the range.
//
// Zoom API: GET /users/{userId}/recordings
func (s *RecordingsService) ListAll(ctx context.Context, userID string, opts *ListRecordingsOptions) iter.Seq2[Recording, error] {
	o := copyOpts(opts)
	return All(ctx, func(ctx context.Context, token string) ([]Recording, string, error) {
		o.NextPageToken = token
		l, _, err := s.List(ctx, userID, o)
		if err != nil {
			return nil, "", err
		}
		return l.Meetings, l.NextPageToken, nil
	})
}

// GetRecordingsOptions selects what Get returns.
type GetRecordingsOptions struct {
	// IncludeFields "download_access_token" adds a token that downloads the
	// files without OAuth.
	IncludeFields string `url:"include_fields,omitempty"`
	// TTL is the download_access_token's lifetime in seconds (1 to 604800).
	TTL int `url:"ttl,omitempty"`
}

// Get returns the cloud recording of a meeting. meetingIDOrUUID is a
// meeting ID (the latest instance) or an instance UUID; UUIDs that need it
// are double-encoded.
//
// Zoom API: GET /meetings/{meetingId}/recordings
func (s *RecordingsService) Get(ctx context.Context, meetingIDOrUUID string, opts *GetRecordingsOptions) (*Recording, *Response, error) {
	return doJSON[Recording](ctx, s.client, call{op: OpGetMeetingRecordings, path: []string{MeetingPathID(meetingIDOrUUID)}, query: opts})
}

// Recording delete actions.
const (
	RecordingActionTrash  = "trash"  // move to the trash (recoverable for 30 days)
	RecordingActionDelete = "delete" // delete permanently
)

// DeleteRecordingsOptions selects how Delete deletes.
type DeleteRecordingsOptions struct {
	Action string `url:"action,omitempty"` // trash (the default) or delete
}

// Delete moves all recording files of a meeting instance to the trash, or
// deletes them permanently with Action "delete".
//
// Zoom API: DELETE /meetings/{meetingId}/recordings
func (s *RecordingsService) Delete(ctx context.Context, meetingIDOrUUID string, opts *DeleteRecordingsOptions) (*Response, error) {
	if opts != nil && opts.Action != "" && opts.Action != RecordingActionTrash && opts.Action != RecordingActionDelete {
		return nil, &ArgumentError{Arg: "action", Reason: `must be "trash" or "delete"`}
	}
	return s.client.do(ctx, call{op: OpDeleteMeetingRecordings, path: []string{MeetingPathID(meetingIDOrUUID)}, query: opts}, nil)
}
