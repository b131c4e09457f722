package tools

import (
	"context"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

func meetingRegistrantTools() []Tool {
	return []Tool{ListMeetingRegistrants(), AddMeetingRegistrant(), UpdateMeetingRegistrantStatus()}
}

type listRegistrantsIn struct {
	MeetingID    int64  `json:"meeting_id" jsonschema:"required,minimum=1"`
	Status       string `json:"status,omitempty" jsonschema:"enum=approved,enum=pending,enum=denied,default=approved" jsonschema_description:"Registration status."`
	OccurrenceID string `json:"occurrence_id,omitempty"`
	pageArgs
}

type registrantListOut struct {
	Registrants []registrantRowOut `json:"registrants"`
	pageOut
}

// ListMeetingRegistrants lists a meeting's registrants.
func ListMeetingRegistrants() Tool {
	return newTool(spec{
		name: "list_meeting_registrants", title: "List meeting registrants", op: zoomapi.OpListMeetingRegistrants, effect: reads,
		description: "List a meeting's registrants of one status (default approved); pending or denied need another call.",
	}, func(ctx context.Context, c *zoomapi.Client, in listRegistrantsIn) (*registrantListOut, error) {
		l, _, err := c.Meetings.ListRegistrants(ctx, in.MeetingID, &zoomapi.ListRegistrantsOptions{
			OccurrenceID: in.OccurrenceID, Status: in.Status, ListOptions: in.pageArgs.options(),
		})
		if err != nil {
			return nil, err
		}
		return registrantList(l), nil
	})
}

func registrantList(l *zoomapi.RegistrantList) *registrantListOut {
	out := &registrantListOut{Registrants: make([]registrantRowOut, 0, len(l.Registrants)), pageOut: pageOf(l.Page)}
	for _, r := range l.Registrants {
		out.Registrants = append(out.Registrants, registrantRowFromClient(r))
	}
	return out
}

// registrantIn is a person to register for a meeting or webinar.
type registrantIn struct {
	Email     string `json:"email" jsonschema:"required,format=email"`
	FirstName string `json:"first_name" jsonschema:"required"`
	LastName  string `json:"last_name,omitempty"`
	Comments  string `json:"comments,omitempty" jsonschema_description:"Registrant's questions or comments."`
}

func (r registrantIn) toClient() *zoomapi.RegistrantRequest {
	return &zoomapi.RegistrantRequest{Email: r.Email, FirstName: r.FirstName, LastName: r.LastName,
		Comments: r.Comments}
}

type addRegistrantIn struct {
	MeetingID     int64    `json:"meeting_id" jsonschema:"required,minimum=1"`
	OccurrenceIDs []string `json:"occurrence_ids,omitempty" jsonschema_description:"Register for these occurrences only."`
	registrantIn
}

type registrantAddedOut struct {
	ID           int64  `json:"id" jsonschema_description:"Meeting or webinar ID."`
	RegistrantID string `json:"registrant_id"`
	Topic        string `json:"topic,omitempty"`
	StartTime    string `json:"start_time,omitempty"`
	JoinURL      string `json:"join_url,omitempty" jsonschema_description:"The registrant's personal join link."`
}

func registrantAdded(r *zoomapi.RegistrantCreated) *registrantAddedOut {
	return &registrantAddedOut{ID: r.ID, RegistrantID: r.RegistrantID, Topic: r.Topic,
		StartTime: r.StartTime.String(), JoinURL: r.JoinURL}
}

// AddMeetingRegistrant registers someone for a meeting.
func AddMeetingRegistrant() Tool {
	return newTool(spec{
		name: "add_meeting_registrant", title: "Add meeting registrant", op: zoomapi.OpAddMeetingRegistrant, effect: creates,
		description: "Register a person for a meeting that has registration on. Returns their join URL.",
	}, func(ctx context.Context, c *zoomapi.Client, in addRegistrantIn) (*registrantAddedOut, error) {
		r, _, err := c.Meetings.AddRegistrant(ctx, in.MeetingID, in.registrantIn.toClient(),
			&zoomapi.AddRegistrantOptions{OccurrenceIDs: in.OccurrenceIDs})
		if err != nil {
			return nil, err
		}
		return registrantAdded(r), nil
	})
}

type registrantRef struct {
	ID    string `json:"id,omitempty"`
	Email string `json:"email,omitempty"`
}

type registrantStatusIn struct {
	MeetingID    int64           `json:"meeting_id" jsonschema:"required,minimum=1"`
	Action       string          `json:"action" jsonschema:"required,enum=approve,enum=deny,enum=cancel"`
	Registrants  []registrantRef `json:"registrants" jsonschema:"required,minItems=1,maxItems=30" jsonschema_description:"Registrants by ID and/or email."`
	OccurrenceID string          `json:"occurrence_id,omitempty"`
}

type registrantStatusOut struct {
	MeetingID   int64  `json:"meeting_id"`
	Action      string `json:"action"`
	Registrants int    `json:"registrants" jsonschema_description:"How many registrants the action applied to."`
}

// UpdateMeetingRegistrantStatus approves, denies or cancels registrants.
func UpdateMeetingRegistrantStatus() Tool {
	return newTool(spec{
		name: "update_meeting_registrant_status", title: "Approve, deny or cancel registrants", op: zoomapi.OpUpdateRegistrantStatus, effect: changes,
		description: "Approve, deny or cancel meeting registrants. Find them with list_meeting_registrants.",
	}, func(ctx context.Context, c *zoomapi.Client, in registrantStatusIn) (*registrantStatusOut, error) {
		refs := make([]zoomapi.RegistrantRef, len(in.Registrants))
		for i, r := range in.Registrants {
			if r.ID == "" && r.Email == "" {
				return nil, &zoomapi.ArgumentError{Arg: "registrants", Reason: "each registrant needs an id or an email"}
			}
			refs[i] = zoomapi.RegistrantRef{ID: r.ID, Email: r.Email}
		}
		_, err := c.Meetings.UpdateRegistrantStatus(ctx, in.MeetingID,
			&zoomapi.RegistrantStatusRequest{Action: in.Action, Registrants: refs},
			&zoomapi.UpdateRegistrantStatusOptions{OccurrenceID: in.OccurrenceID})
		if err != nil {
			return nil, err
		}
		return &registrantStatusOut{MeetingID: in.MeetingID, Action: in.Action, Registrants: len(refs)}, nil
	})
}
