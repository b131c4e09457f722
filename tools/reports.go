package tools

import (
	"context"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

func reportTools() []Tool {
	return []Tool{ListPastMeetings(), GetMeetingReport(), ListMeetingParticipants()}
}

type pastMeetingsIn struct {
	UserID string `json:"user_id,omitempty" jsonschema:"default=me" jsonschema_description:"User ID, email, or me."`
	From   string `json:"from,omitempty" jsonschema:"format=date" jsonschema_description:"Default and earliest: a month before to."`
	To     string `json:"to,omitempty" jsonschema:"format=date"`
	Type   string `json:"type,omitempty" jsonschema:"enum=past,enum=pastOne,enum=pastJoined,default=past" jsonschema_description:"past: hosted; pastOne: single participant; pastJoined: joined."`
	pageArgs
}

// reportMeetingOut is a past meeting as reports describe it.
type reportMeetingOut struct {
	UUID              string `json:"uuid" jsonschema_description:"UUID of this instance: use it for get_meeting_report and list_meeting_participants."`
	ID                int64  `json:"id"`
	Topic             string `json:"topic,omitempty"`
	HostName          string `json:"host_name,omitempty"`
	HostEmail         string `json:"host_email,omitempty"`
	StartTime         string `json:"start_time,omitempty"`
	EndTime           string `json:"end_time,omitempty"`
	Duration          int    `json:"duration,omitempty" jsonschema_description:"Minutes."`
	TotalMinutes      int    `json:"total_minutes,omitempty" jsonschema_description:"Participant minutes."`
	ParticipantsCount int    `json:"participants,omitempty"`
	HasRecording      bool   `json:"has_recording,omitempty"`
}

func reportMeetingFromClient(m zoomapi.ReportMeeting) reportMeetingOut {
	host := m.UserName
	if host == "" {
		host = m.HostName
	}
	return reportMeetingOut{UUID: m.UUID, ID: m.ID, Topic: m.Topic, HostName: host, HostEmail: m.UserEmail,
		StartTime: m.StartTime.String(), EndTime: m.EndTime.String(), Duration: m.Duration,
		TotalMinutes: m.TotalMinutes, ParticipantsCount: m.ParticipantsCount, HasRecording: m.HasRecording}
}

// pastMeetingRowOut is a past meeting in a list; get_meeting_report has
// the rest.
type pastMeetingRowOut struct {
	UUID              string `json:"uuid" jsonschema_description:"UUID of this instance: use it for get_meeting_report and list_meeting_participants."`
	ID                int64  `json:"id"`
	Topic             string `json:"topic,omitempty"`
	StartTime         string `json:"start_time,omitempty"`
	Duration          int    `json:"duration,omitempty" jsonschema_description:"Minutes."`
	ParticipantsCount int    `json:"participants,omitempty"`
}

type pastMeetingsOut struct {
	From     string              `json:"from,omitempty"`
	To       string              `json:"to,omitempty"`
	Meetings []pastMeetingRowOut `json:"meetings"`
	pageOut
}

// ListPastMeetings lists the meetings a user hosted in a date range.
func ListPastMeetings() Tool {
	return newTool(spec{
		name: "list_past_meetings", title: "List past meetings (report)", op: zoomapi.OpReportMeetings, effect: reads,
		description: "Meetings a user held in a date range (at most a month; default the last), with durations and head counts. Admin apps only.",
	}, func(ctx context.Context, c *zoomapi.Client, in pastMeetingsIn) (*pastMeetingsOut, error) {
		from, to, err := monthRange(in.From, in.To)
		if err != nil {
			return nil, err
		}
		l, _, err := c.Reports.Meetings(ctx, userOrMe(in.UserID), &zoomapi.ReportMeetingsOptions{
			From: from, To: to, Type: in.Type, ListOptions: in.pageArgs.options(),
		})
		if err != nil {
			return nil, err
		}
		out := &pastMeetingsOut{From: l.From, To: l.To, Meetings: make([]pastMeetingRowOut, 0, len(l.Meetings)), pageOut: pageOf(l.Page)}
		for _, m := range l.Meetings {
			out.Meetings = append(out.Meetings, pastMeetingRowOut{UUID: m.UUID, ID: m.ID, Topic: m.Topic,
				StartTime: m.StartTime.String(), Duration: m.Duration, ParticipantsCount: m.ParticipantsCount})
		}
		return out, nil
	})
}

// GetMeetingReport returns the report of one past meeting.
func GetMeetingReport() Tool {
	return newTool(spec{
		name: "get_meeting_report", title: "Get meeting report", op: zoomapi.OpReportMeetingDetails, effect: reads,
		description: "Report of a past meeting: start, end, duration, participant count. Admin apps only.",
	}, func(ctx context.Context, c *zoomapi.Client, in meetingRefIn) (*reportMeetingOut, error) {
		m, _, err := c.Reports.MeetingDetails(ctx, in.MeetingID)
		if err != nil {
			return nil, err
		}
		out := reportMeetingFromClient(*m)
		return &out, nil
	})
}

type participantsIn struct {
	MeetingID string `json:"meeting_id" jsonschema:"required,minLength=1" jsonschema_description:"Meeting ID (latest instance) or a past instance's UUID."`
	pageArgs
}

type participantOut struct {
	Name      string `json:"name"`
	Email     string `json:"email,omitempty"`
	JoinTime  string `json:"join_time,omitempty"`
	LeaveTime string `json:"leave_time,omitempty"`
	Duration  int    `json:"duration" jsonschema_description:"Seconds."`
}

type participantListOut struct {
	Participants []participantOut `json:"participants"`
	pageOut
}

// ListMeetingParticipants lists who attended a past meeting.
func ListMeetingParticipants() Tool {
	return newTool(spec{
		name: "list_meeting_participants", title: "List meeting participants (report)", op: zoomapi.OpReportMeetingParticipants, effect: reads,
		description: "Who attended a past meeting: join and leave times, seconds attended. One entry per join. Admin apps only.",
	}, func(ctx context.Context, c *zoomapi.Client, in participantsIn) (*participantListOut, error) {
		l, _, err := c.Reports.MeetingParticipants(ctx, in.MeetingID, &zoomapi.ReportParticipantsOptions{ListOptions: in.pageArgs.options()})
		if err != nil {
			return nil, err
		}
		out := &participantListOut{Participants: make([]participantOut, 0, len(l.Participants)), pageOut: pageOf(l.Page)}
		for _, p := range l.Participants {
			out.Participants = append(out.Participants, participantOut{Name: p.Name, Email: p.UserEmail,
				JoinTime: p.JoinTime.String(), LeaveTime: p.LeaveTime.String(), Duration: p.Duration})
		}
		return out, nil
	})
}
