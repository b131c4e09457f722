package tools

import (
	"context"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

func meetingTools() []Tool {
	return []Tool{
		ListMeetings(), CreateMeeting(), GetMeeting(), UpdateMeeting(), DeleteMeeting(), EndMeeting(),
	}
}

type listMeetingsIn struct {
	UserID string `json:"user_id,omitempty" jsonschema:"default=me" jsonschema_description:"User ID, email, or me."`
	Type   string `json:"type,omitempty" jsonschema:"enum=scheduled,enum=live,enum=upcoming,enum=upcoming_meetings,enum=previous_meetings,default=scheduled"`
	From   string `json:"from,omitempty" jsonschema:"format=date"`
	To     string `json:"to,omitempty" jsonschema:"format=date"`
	pageArgs
}

type meetingListOut struct {
	Meetings []meetingRowOut `json:"meetings"`
	pageOut
}

// ListMeetings lists a user's meetings.
func ListMeetings() Tool {
	return newTool(spec{
		name: "list_meetings", title: "List meetings", op: zoomapi.OpListMeetings, effect: reads,
		description: "List a user's meetings (scheduled by default). Use to find meeting IDs.",
	}, func(ctx context.Context, c *zoomapi.Client, in listMeetingsIn) (*meetingListOut, error) {
		list, _, err := c.Meetings.List(ctx, userOrMe(in.UserID), &zoomapi.ListMeetingsOptions{
			Type: in.Type, From: in.From, To: in.To, ListOptions: in.pageArgs.options(),
		})
		if err != nil {
			return nil, err
		}
		out := &meetingListOut{Meetings: make([]meetingRowOut, 0, len(list.Meetings)), pageOut: pageOf(list.Page)}
		for _, m := range list.Meetings {
			out.Meetings = append(out.Meetings, meetingRowFromClient(m))
		}
		return out, nil
	})
}

// meetingFields are the fields create_meeting and update_meeting share.
// They are pointers so that an update changes exactly the fields given,
// including to "" (an empty agenda clears it).
type meetingFields struct {
	Type       *int           `json:"type,omitempty" jsonschema:"enum=1,enum=2,enum=3,enum=8" jsonschema_description:"1 instant, 2 scheduled (default), 3 recurring no fixed time, 8 recurring fixed time."`
	StartTime  *string        `json:"start_time,omitempty" jsonschema:"format=date-time" jsonschema_description:"For types 2 and 8, e.g. 2026-12-01T15:00:00Z."`
	Duration   *int           `json:"duration,omitempty" jsonschema:"minimum=1" jsonschema_description:"Minutes."`
	Timezone   *string        `json:"timezone,omitempty" jsonschema_description:"IANA name, e.g. Europe/Paris."`
	Agenda     *string        `json:"agenda,omitempty" jsonschema:"maxLength=2000"`
	Password   *string        `json:"password,omitempty" jsonschema:"maxLength=10" jsonschema_description:"Passcode: letters, digits, @-_*."`
	Recurrence *recurrenceArg `json:"recurrence,omitempty" jsonschema_description:"For type 8."`
	Settings   *settingsArg   `json:"settings,omitempty"`
}

type settingsArg struct {
	JoinBeforeHost   *bool  `json:"join_before_host,omitempty"`
	MuteUponEntry    *bool  `json:"mute_upon_entry,omitempty"`
	WaitingRoom      *bool  `json:"waiting_room,omitempty"`
	ApprovalType     *int   `json:"approval_type,omitempty" jsonschema:"enum=0,enum=1,enum=2" jsonschema_description:"Registration: 0 auto-approve, 1 manual, 2 none."`
	AutoRecording    string `json:"auto_recording,omitempty" jsonschema:"enum=local,enum=cloud,enum=none"`
	AlternativeHosts string `json:"alternative_hosts,omitempty" jsonschema_description:"Emails, ;-separated."`
}

type createMeetingIn struct {
	UserID string `json:"user_id,omitempty" jsonschema:"default=me" jsonschema_description:"Host: user ID, email, or me."`
	Topic  string `json:"topic" jsonschema:"required,minLength=1,maxLength=200"`
	meetingFields
}

// CreateMeeting schedules a meeting.
func CreateMeeting() Tool {
	return newTool(spec{
		name: "create_meeting", title: "Create meeting", op: zoomapi.OpCreateMeeting, effect: creates,
		description: "Schedule a meeting for a user. Returns its ID and join URL.",
	}, func(ctx context.Context, c *zoomapi.Client, in createMeetingIn) (*savedOut, error) {
		if err := checkStartTime(in.StartTime, in.Timezone); err != nil {
			return nil, err
		}
		rec, err := in.Recurrence.toClient()
		if err != nil {
			return nil, err
		}
		m, _, err := c.Meetings.Create(ctx, userOrMe(in.UserID), &zoomapi.MeetingCreateRequest{
			Topic: in.Topic, Type: deref(in.Type), StartTime: deref(in.StartTime), Duration: deref(in.Duration),
			Timezone: deref(in.Timezone), Agenda: deref(in.Agenda), Password: deref(in.Password),
			Recurrence: rec, Settings: settingsToClient(in.Settings),
		})
		if err != nil {
			return nil, err
		}
		return saved(meetingFromClient(*m)), nil
	})
}

type getMeetingIn struct {
	MeetingID    int64  `json:"meeting_id" jsonschema:"required,minimum=1"`
	OccurrenceID string `json:"occurrence_id,omitempty"`
}

// GetMeeting returns one meeting.
func GetMeeting() Tool {
	return newTool(spec{
		name: "get_meeting", title: "Get meeting", op: zoomapi.OpGetMeeting, effect: reads,
		description: "Get a meeting's details: time, join URL, settings, occurrences.",
	}, func(ctx context.Context, c *zoomapi.Client, in getMeetingIn) (*meetingOut, error) {
		m, _, err := c.Meetings.Get(ctx, in.MeetingID, &zoomapi.GetMeetingOptions{OccurrenceID: in.OccurrenceID})
		if err != nil {
			return nil, err
		}
		out := meetingFromClient(*m)
		return &out, nil
	})
}

type updateMeetingIn struct {
	MeetingID    int64   `json:"meeting_id" jsonschema:"required,minimum=1"`
	OccurrenceID string  `json:"occurrence_id,omitempty"`
	Topic        *string `json:"topic,omitempty" jsonschema:"minLength=1,maxLength=200"`
	meetingFields
}

// UpdateMeeting changes a meeting and returns it as it now is.
func UpdateMeeting() Tool {
	return newTool(spec{
		name: "update_meeting", title: "Update meeting", op: zoomapi.OpUpdateMeeting, effect: changes,
		description: "Change only the fields given. Returns the updated meeting.",
	}, func(ctx context.Context, c *zoomapi.Client, in updateMeetingIn) (*savedOut, error) {
		if err := checkStartTime(in.StartTime, in.Timezone); err != nil {
			return nil, err
		}
		rec, err := in.Recurrence.toClient()
		if err != nil {
			return nil, err
		}
		req := &zoomapi.MeetingUpdateRequest{
			Topic: in.Topic, Type: in.Type, StartTime: in.StartTime, Duration: in.Duration, Timezone: in.Timezone,
			Agenda: in.Agenda, Password: in.Password, Recurrence: rec, Settings: settingsToClient(in.Settings),
		}
		if _, err := c.Meetings.Update(ctx, in.MeetingID, req, &zoomapi.UpdateMeetingOptions{OccurrenceID: in.OccurrenceID}); err != nil {
			return nil, err
		}
		// The change is made. If reading it back fails, say so, not that
		// the update failed.
		m, _, err := c.Meetings.Get(ctx, in.MeetingID, nil)
		if err != nil {
			return saved(meetingOut{ID: in.MeetingID, Topic: deref(in.Topic), StartTime: deref(in.StartTime), Duration: deref(in.Duration),
				Timezone: deref(in.Timezone), Agenda: deref(in.Agenda), Settings: in.Settings, Recurrence: in.Recurrence,
				Note: updatedUnread("meeting", "get_meeting", err)}), nil
		}
		return saved(meetingFromClient(*m)), nil
	})
}

type deleteMeetingIn struct {
	MeetingID         int64  `json:"meeting_id" jsonschema:"required,minimum=1"`
	OccurrenceID      string `json:"occurrence_id,omitempty"`
	NotifyHosts       bool   `json:"notify_hosts,omitempty" jsonschema_description:"Email the host and alternative hosts."`
	NotifyRegistrants bool   `json:"notify_registrants,omitempty" jsonschema_description:"Email the registrants."`
}

type doneOut struct {
	ID      string `json:"id" jsonschema_description:"The ID acted on."`
	Outcome string `json:"outcome"`
}

// numDoneOut is doneOut for a meeting or webinar ID, echoed as the number
// it was given (and as the list and get tools return it).
type numDoneOut struct {
	ID      int64  `json:"id" jsonschema_description:"The ID acted on."`
	Outcome string `json:"outcome"`
}

// DeleteMeeting deletes a meeting or one occurrence.
func DeleteMeeting() Tool {
	return newTool(spec{
		name: "delete_meeting", title: "Delete meeting", op: zoomapi.OpDeleteMeeting, effect: changes,
		description: "Delete a meeting or one occurrence. A meeting in progress cannot be deleted: end it first.",
	}, func(ctx context.Context, c *zoomapi.Client, in deleteMeetingIn) (*numDoneOut, error) {
		_, err := c.Meetings.Delete(ctx, in.MeetingID, &zoomapi.DeleteMeetingOptions{
			OccurrenceID: in.OccurrenceID, ScheduleForReminder: in.NotifyHosts, CancelMeetingReminder: in.NotifyRegistrants,
		})
		if err != nil {
			return nil, err
		}
		return &numDoneOut{ID: in.MeetingID, Outcome: "deleted"}, nil
	})
}

type endMeetingIn struct {
	MeetingID int64 `json:"meeting_id" jsonschema:"required,minimum=1" jsonschema_description:"ID of a meeting in progress."`
}

// EndMeeting ends a meeting in progress for everyone.
func EndMeeting() Tool {
	return newTool(spec{
		name: "end_meeting", title: "End meeting", op: zoomapi.OpUpdateMeetingStatus, effect: changes,
		description: "End a meeting that is in progress, for all participants.",
	}, func(ctx context.Context, c *zoomapi.Client, in endMeetingIn) (*numDoneOut, error) {
		if _, err := c.Meetings.End(ctx, in.MeetingID); err != nil {
			return nil, err
		}
		return &numDoneOut{ID: in.MeetingID, Outcome: "ended"}, nil
	})
}
