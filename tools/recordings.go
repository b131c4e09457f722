package tools

import (
	"context"
	"errors"
	"time"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

func recordingTools() []Tool {
	return []Tool{ListRecordings(), GetMeetingRecordings(), DeleteMeetingRecordings(),
		GetMeetingTranscript(), GetMeetingSummary(), ListMeetingSummaries()}
}

type listRecordingsIn struct {
	UserID    string `json:"user_id,omitempty" jsonschema:"default=me" jsonschema_description:"User ID, email, or me."`
	From      string `json:"from,omitempty" jsonschema:"format=date" jsonschema_description:"Default and earliest: a month before to."`
	To        string `json:"to,omitempty" jsonschema:"format=date"`
	Trash     bool   `json:"trash,omitempty" jsonschema_description:"List recordings in the trash instead."`
	MeetingID int64  `json:"meeting_id,omitempty" jsonschema_description:"Only this meeting's recordings."`
	pageArgs
}

type recordingListOut struct {
	From       string            `json:"from,omitempty"`
	To         string            `json:"to,omitempty"`
	Recordings []recordingRowOut `json:"recordings"`
	pageOut
}

// ListRecordings lists a user's cloud recordings.
func ListRecordings() Tool {
	return newTool(spec{
		name: "list_recordings", title: "List cloud recordings", op: zoomapi.OpListRecordings, effect: reads,
		description: "List a user's cloud recordings in a date range, with file types.",
	}, func(ctx context.Context, c *zoomapi.Client, in listRecordingsIn) (*recordingListOut, error) {
		from, to, err := monthRange(in.From, in.To)
		if err != nil {
			return nil, err
		}
		l, _, err := c.Recordings.List(ctx, userOrMe(in.UserID), &zoomapi.ListRecordingsOptions{
			From: from, To: to, Trash: in.Trash, MeetingID: in.MeetingID, ListOptions: in.pageArgs.options(),
		})
		if err != nil {
			return nil, err
		}
		out := &recordingListOut{From: l.From, To: l.To, Recordings: make([]recordingRowOut, 0, len(l.Meetings)), pageOut: pageOf(l.Page)}
		for _, r := range l.Meetings {
			out.Recordings = append(out.Recordings, recordingRowFromClient(r))
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

// DeleteMeetingRecordings trashes or deletes all recording files of one
// meeting instance. Given a meeting ID, Zoom acts on its latest instance
// only: the tool reads which one first and deletes by its UUID, so that
// the result names exactly what was deleted.
func DeleteMeetingRecordings() Tool {
	return newTool(spec{
		name: "delete_meeting_recordings", title: "Delete meeting recordings", op: zoomapi.OpDeleteMeetingRecordings, effect: changes,
		description: "Trash one meeting instance's cloud recordings (for a meeting ID, its latest); action=delete deletes for good.",
	}, func(ctx context.Context, c *zoomapi.Client, in deleteRecordingsIn) (*doneOut, error) {
		action := in.Action
		if action == "" {
			action = zoomapi.RecordingActionTrash
		}
		target, which := in.MeetingID, ""
		if firstOutside(in.MeetingID, isDigit) == "" {
			// A meeting ID: Zoom acts on the latest instance. Name it, and
			// delete by its UUID so that a newer one is not hit instead.
			r, _, err := c.Recordings.Get(ctx, in.MeetingID, nil)
			var nf *zoomapi.NotFoundError
			switch {
			case errors.As(err, &nf):
				return nil, err
			case err == nil && r.UUID != "":
				target = r.UUID
				which = " (the latest instance of meeting " + in.MeetingID
				if !r.StartTime.IsZero() {
					which += ", started " + r.StartTime.UTC().Format(time.RFC3339)
				}
				which += ")"
			default:
				which = " (the latest instance of meeting " + in.MeetingID + "; its UUID could not be read)"
			}
		}
		if _, err := c.Recordings.Delete(ctx, target, &zoomapi.DeleteRecordingsOptions{Action: action}); err != nil {
			return nil, err
		}
		outcome := "moved to trash"
		if action == zoomapi.RecordingActionDelete {
			outcome = "deleted permanently"
		}
		return &doneOut{ID: target, Outcome: outcome + which}, nil
	})
}
