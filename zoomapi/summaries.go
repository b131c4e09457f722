package zoomapi

import (
	"context"
	"iter"
)

// MeetingSummary is the AI Companion summary of a meeting or webinar
// instance. ListSummaries returns only the meeting_* fields and the
// summary_* times; GetSummary returns all of them.
type MeetingSummary struct {
	MeetingHostID    string `json:"meeting_host_id,omitempty"`
	MeetingHostEmail string `json:"meeting_host_email,omitempty"`
	MeetingUUID      string `json:"meeting_uuid,omitempty"` // the instance's UUID
	MeetingID        int64  `json:"meeting_id,omitempty"`
	MeetingTopic     string `json:"meeting_topic,omitempty"`
	MeetingStartTime Time   `json:"meeting_start_time,omitzero"`
	MeetingEndTime   Time   `json:"meeting_end_time,omitzero"`

	SummaryStartTime             Time   `json:"summary_start_time,omitzero"`
	SummaryEndTime               Time   `json:"summary_end_time,omitzero"`
	SummaryCreatedTime           Time   `json:"summary_created_time,omitzero"`
	SummaryLastModifiedTime      Time   `json:"summary_last_modified_time,omitzero"`
	SummaryLastModifiedUserID    string `json:"summary_last_modified_user_id,omitempty"`
	SummaryLastModifiedUserEmail string `json:"summary_last_modified_user_email,omitempty"`
	SummaryTitle                 string `json:"summary_title,omitempty"`
	// SummaryContent is the whole summary in Markdown, for every summary.
	SummaryContent string `json:"summary_content,omitempty"`
	// SummaryDocURL opens the summary in Zoom Docs.
	SummaryDocURL string `json:"summary_doc_url,omitempty"`

	// The legacy fields: Zoom still sends them, has deprecated them, and
	// will stop; SummaryContent holds the same content.
	SummaryOverview string          `json:"summary_overview,omitempty"`
	SummaryDetails  []SummaryDetail `json:"summary_details,omitempty"`
	NextSteps       []string        `json:"next_steps,omitempty"`
	EditedSummary   *EditedSummary  `json:"edited_summary,omitempty"`
}

// SummaryDetail is one labelled section of a legacy summary.
type SummaryDetail struct {
	Label   string `json:"label,omitempty"`
	Summary string `json:"summary,omitempty"`
}

// EditedSummary is a legacy summary as a user edited it.
type EditedSummary struct {
	SummaryOverview string   `json:"summary_overview,omitempty"`
	SummaryDetails  string   `json:"summary_details,omitempty"`
	NextSteps       []string `json:"next_steps,omitempty"`
}

// GetSummary returns the AI Companion summary of a meeting or webinar.
// meetingIDOrUUID is an instance UUID (Zoom also accepts a meeting ID, for
// the latest instance); UUIDs that need it are double-encoded.
//
// Zoom API: GET /meetings/{meetingId}/meeting_summary
func (s *MeetingsService) GetSummary(ctx context.Context, meetingIDOrUUID string) (*MeetingSummary, *Response, error) {
	return doJSON[MeetingSummary](ctx, s.client, call{op: OpGetMeetingSummary, path: []string{MeetingPathID(meetingIDOrUUID)}})
}

// MeetingSummaryList is a page of ListSummaries. Zoom sends no total.
type MeetingSummaryList struct {
	PageSize      int    `json:"page_size,omitempty"`
	NextPageToken string `json:"next_page_token,omitempty"`
	// From and To echo the range asked for, as yyyy-MM-ddTHH:mm:ssZ.
	From      string           `json:"from,omitempty"`
	To        string           `json:"to,omitempty"`
	Summaries []MeetingSummary `json:"summaries"`
}

// Time fields ListMeetingSummariesOptions.From and To filter on.
const (
	SummaryFilterStartTime   = "summary_start_time"
	SummaryFilterCreatedTime = "summary_created_time"
)

// ListMeetingSummariesOptions filters ListSummaries.
type ListMeetingSummariesOptions struct {
	// From and To bound the range in UTC, as yyyy-MM-ddTHH:mm:ssZ (see
	// FormatTime).
	From string `url:"from,omitempty"`
	To   string `url:"to,omitempty"`
	// TimeFilterField is the time From and To apply to:
	// summary_start_time (Zoom's default) or summary_created_time.
	TimeFilterField string `url:"time_filter_field,omitempty"`
	ListOptions
}

// ListSummaries returns a page of the account's meeting and webinar
// summaries. It needs an account-level (":admin") scope.
//
// Zoom API: GET /meetings/meeting_summaries
func (s *MeetingsService) ListSummaries(ctx context.Context, opts *ListMeetingSummariesOptions) (*MeetingSummaryList, *Response, error) {
	if opts != nil {
		switch opts.TimeFilterField {
		case "", SummaryFilterStartTime, SummaryFilterCreatedTime:
		default:
			return nil, nil, &ArgumentError{Arg: "time_filter_field", Reason: `must be "summary_start_time" or "summary_created_time"`}
		}
		if err := opts.normalize(); err != nil {
			return nil, nil, err
		}
	}
	return doJSON[MeetingSummaryList](ctx, s.client, call{op: OpListMeetingSummaries, query: opts})
}

// ListAllSummaries iterates over all of the account's meeting and webinar
// summaries in the range, fetching pages as needed.
//
// Zoom API: GET /meetings/meeting_summaries
func (s *MeetingsService) ListAllSummaries(ctx context.Context, opts *ListMeetingSummariesOptions) iter.Seq2[MeetingSummary, error] {
	o := copyOpts(opts)
	return All(ctx, func(ctx context.Context, token string) ([]MeetingSummary, string, error) {
		o.NextPageToken = token
		l, _, err := s.ListSummaries(ctx, o)
		if err != nil {
			return nil, "", err
		}
		return l.Summaries, l.NextPageToken, nil
	})
}
