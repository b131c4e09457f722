package tools

import (
	"context"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

func recordingTools() []Tool {
	return []Tool{ListRecordings(), GetMeetingRecordings(), DeleteMeetingRecordings(),
		GetMeetingTranscript(), GetMeetingSummary(), ListMeetingSummaries()}
}

type listRecordingsIn struct {
	UserID    string `json:"user_id,omitempty" jsonschema:"default=me" jsonschema_description:"User ID, email, or me."`
	From      string `json:"from,omitempty" jsonschema:"format=date" jsonschema_description:"yyyy-mm-dd; default and earliest: a month before to."`
	To        string `json:"to,omitempty" jsonschema:"format=date" jsonschema_description:"yyyy-mm-dd; default: today (UTC)."`
	Trash     bool   `json:"trash,omitempty" jsonschema_description:"List recordings in the trash instead."`
	MeetingID int64  `json:"meeting_id,omitempty" jsonschema_description:"Only this meeting's recordings."`
	pageArgs
}

type recordingListOut struct {
	From       string         `json:"from,omitempty"`
	To         string         `json:"to,omitempty"`
	Recordings []recordingOut `json:"recordings"`
	pageOut
}

// ListRecordings lists a user's cloud recordings.
func ListRecordings() Tool {
	return newTool(spec{
		name: "list_recordings", title: "List cloud recordings", op: zoomapi.OpListRecordings, effect: reads,
		description: "List a user's cloud recordings in a date range, with their files.",
	}, func(ctx context.Context, c *zoomapi.Client, in listRecordingsIn) (*recordingListOut, error) {
		from, to := lastMonth(in.From, in.To)
		l, _, err := c.Recordings.List(ctx, userOrMe(in.UserID), &zoomapi.ListRecordingsOptions{
			From: from, To: to, Trash: in.Trash, MeetingID: in.MeetingID, ListOptions: in.pageArgs.options(),
		})
		if err != nil {
			return nil, err
		}
		out := &recordingListOut{From: l.From, To: l.To, Recordings: make([]recordingOut, 0, len(l.Meetings)), pageOut: pageOf(l.Page)}
		for _, r := range l.Meetings {
			out.Recordings = append(out.Recordings, recordingFromClient(r))
		}
		return out, nil
	})
}

type meetingRefIn struct {
	MeetingID string `json:"meeting_id" jsonschema:"required,minLength=1" jsonschema_description:"Meeting ID (latest instance) or a past instance's UUID."`
}

// GetMeetingRecordings returns the recording files of one meeting.
func GetMeetingRecordings() Tool {
	return newTool(spec{
		name: "get_meeting_recordings", title: "Get meeting recordings", op: zoomapi.OpGetMeetingRecordings, effect: reads,
		description: "Get a meeting's cloud recording files. Read the transcript with get_meeting_transcript.",
	}, func(ctx context.Context, c *zoomapi.Client, in meetingRefIn) (*recordingOut, error) {
		r, _, err := c.Recordings.Get(ctx, in.MeetingID, nil)
		if err != nil {
			return nil, err
		}
		out := recordingFromClient(*r)
		return &out, nil
	})
}

type deleteRecordingsIn struct {
	MeetingID string `json:"meeting_id" jsonschema:"required,minLength=1" jsonschema_description:"Meeting ID or a past instance's UUID."`
	Action    string `json:"action,omitempty" jsonschema:"enum=trash,enum=delete,default=trash" jsonschema_description:"trash: recoverable for 30 days; delete: permanent."`
}

// DeleteMeetingRecordings trashes or deletes all recording files of a meeting.
func DeleteMeetingRecordings() Tool {
	return newTool(spec{
		name: "delete_meeting_recordings", title: "Delete meeting recordings", op: zoomapi.OpDeleteMeetingRecordings, effect: changes,
		description: "Trash all of a meeting's cloud recordings, or delete them for good with action=delete.",
	}, func(ctx context.Context, c *zoomapi.Client, in deleteRecordingsIn) (*doneOut, error) {
		action := in.Action
		if action == "" {
			action = zoomapi.RecordingActionTrash
		}
		if _, err := c.Recordings.Delete(ctx, in.MeetingID, &zoomapi.DeleteRecordingsOptions{Action: action}); err != nil {
			return nil, err
		}
		outcome := "moved to trash"
		if action == zoomapi.RecordingActionDelete {
			outcome = "deleted permanently"
		}
		return &doneOut{ID: in.MeetingID, Outcome: outcome}, nil
	})
}
