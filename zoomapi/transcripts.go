package zoomapi

import "context"

// Reasons Zoom gives in MeetingTranscript.DownloadRestrictionReason.
const (
	TranscriptDeletedOrTrashed = "DELETED_OR_TRASHED" // deleted or in the trash
	TranscriptUnsupported      = "UNSUPPORTED"        // a format that cannot be downloaded
	TranscriptNoData           = "NO_TRANSCRIPT_DATA" // the meeting has no transcript
	TranscriptNotReady         = "NOT_READY"          // still being processed
)

// MeetingTranscript describes the transcript of a meeting or webinar
// instance. The text itself is a file: fetch DownloadURL with
// Client.Download when CanDownload is true.
type MeetingTranscript struct {
	MeetingID             string `json:"meeting_id,omitempty"` // the instance's UUID
	AccountID             string `json:"account_id,omitempty"`
	MeetingTopic          string `json:"meeting_topic,omitempty"`
	HostID                string `json:"host_id,omitempty"`
	TranscriptCreatedTime Time   `json:"transcript_created_time,omitzero"`
	// CanDownload is true when DownloadURL is set; when false,
	// DownloadRestrictionReason says why.
	CanDownload bool `json:"can_download"`
	// AutoDelete and AutoDeleteDate (yyyy-mm-dd) are set when the host
	// deletes cloud recordings after a number of days.
	AutoDelete     *bool  `json:"auto_delete,omitempty"`
	AutoDeleteDate string `json:"auto_delete_date,omitempty"`
	// DownloadURL needs the OAuth access token as a Bearer token, which
	// Client.Download sends.
	DownloadURL string `json:"download_url,omitempty"`
	// DownloadRestrictionReason is one of the Transcript constants.
	DownloadRestrictionReason string `json:"download_restriction_reason,omitempty"`
}

// GetTranscript returns the transcript of a meeting or webinar.
// meetingIDOrUUID is a meeting or webinar ID (the latest instance) or an
// instance UUID; UUIDs that need it are double-encoded.
//
// Zoom API: GET /meetings/{meetingId}/transcript
func (s *MeetingsService) GetTranscript(ctx context.Context, meetingIDOrUUID string) (*MeetingTranscript, *Response, error) {
	return doJSON[MeetingTranscript](ctx, s.client, call{op: OpGetMeetingTranscript, path: []string{MeetingPathID(meetingIDOrUUID)}})
}
