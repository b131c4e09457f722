package tools

import (
	"context"
	"strconv"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

func webinarTools() []Tool {
	return []Tool{
		ListWebinars(), CreateWebinar(), GetWebinar(), UpdateWebinar(), DeleteWebinar(),
		ListWebinarRegistrants(), AddWebinarRegistrant(),
	}
}

type listWebinarsIn struct {
	UserID string `json:"user_id,omitempty" jsonschema:"default=me" jsonschema_description:"User ID, email, or me."`
	Type   string `json:"type,omitempty" jsonschema:"enum=scheduled,enum=upcoming,default=scheduled" jsonschema_description:"Which webinars."`
	pageArgs
}

type webinarListOut struct {
	Webinars []meetingRowOut `json:"webinars"`
	pageOut
}

// ListWebinars lists a user's webinars.
func ListWebinars() Tool {
	return newTool(spec{
		name: "list_webinars", title: "List webinars", op: zoomapi.OpListWebinars, effect: reads,
		description: "List a user's webinars. Use to find webinar IDs.",
	}, func(ctx context.Context, c *zoomapi.Client, in listWebinarsIn) (*webinarListOut, error) {
		// Zoom pages webinars by number; the page number is the token here.
		page := 1
		if in.NextPageToken != "" {
			n, err := strconv.Atoi(in.NextPageToken)
			if err != nil || n < 1 {
				return nil, &zoomapi.ArgumentError{Arg: "next_page_token", Reason: "is not a token this tool returned"}
			}
			page = n
		}
		l, _, err := c.Webinars.List(ctx, userOrMe(in.UserID), &zoomapi.ListWebinarsOptions{
			Type: in.Type, PageSize: in.PageSize, PageNumber: page,
		})
		if err != nil {
			return nil, err
		}
		out := &webinarListOut{Webinars: make([]meetingRowOut, 0, len(l.Webinars)), pageOut: pageOut{TotalRecords: l.TotalRecords}}
		for _, w := range l.Webinars {
			out.Webinars = append(out.Webinars, webinarRowFromClient(w))
		}
		if page < l.PageCount {
			out.NextPageToken = strconv.Itoa(page + 1)
		}
		return out, nil
	})
}

// webinarFields are the fields create_webinar and update_webinar share,
// pointers as in meetingFields.
type webinarFields struct {
	Type       *int           `json:"type,omitempty" jsonschema:"enum=5,enum=6,enum=9" jsonschema_description:"5 scheduled (default), 6 recurring no fixed time, 9 recurring fixed time."`
	StartTime  *string        `json:"start_time,omitempty" jsonschema:"format=date-time" jsonschema_description:"e.g. 2026-12-01T15:00:00Z."`
	Duration   *int           `json:"duration,omitempty" jsonschema:"minimum=1" jsonschema_description:"Minutes."`
	Timezone   *string        `json:"timezone,omitempty" jsonschema_description:"IANA name."`
	Agenda     *string        `json:"agenda,omitempty" jsonschema:"maxLength=2000"`
	Password   *string        `json:"password,omitempty" jsonschema:"maxLength=10" jsonschema_description:"Passcode."`
	Recurrence *recurrenceArg `json:"recurrence,omitempty" jsonschema_description:"For type 9."`
	// Settings has the shape of create_meeting's, so that approval_type
	// sits in one place for both; it holds the options webinars share
	// with meetings.
	Settings *webinarSettingsArg `json:"settings,omitempty"`
}

type webinarSettingsArg struct {
	ApprovalType     *int   `json:"approval_type,omitempty" jsonschema:"enum=0,enum=1,enum=2" jsonschema_description:"Registration: 0 auto-approve, 1 manual, 2 none."`
	AutoRecording    string `json:"auto_recording,omitempty" jsonschema:"enum=local,enum=cloud,enum=none"`
	AlternativeHosts string `json:"alternative_hosts,omitempty" jsonschema_description:"Emails, ;-separated."`
}

func (f webinarFields) settings() *zoomapi.WebinarSettings {
	s := f.Settings
	if s == nil {
		return nil
	}
	return &zoomapi.WebinarSettings{ApprovalType: s.ApprovalType, AutoRecording: s.AutoRecording, AlternativeHosts: s.AlternativeHosts}
}

type createWebinarIn struct {
	UserID string `json:"user_id,omitempty" jsonschema:"default=me" jsonschema_description:"Host: user ID, email, or me."`
	Topic  string `json:"topic" jsonschema:"required,minLength=1,maxLength=200"`
	webinarFields
}

// CreateWebinar schedules a webinar.
func CreateWebinar() Tool {
	return newTool(spec{
		name: "create_webinar", title: "Create webinar", op: zoomapi.OpCreateWebinar, effect: creates,
		description: "Schedule a webinar (needs a Webinar license).",
	}, func(ctx context.Context, c *zoomapi.Client, in createWebinarIn) (*savedOut, error) {
		if err := checkStartTime(in.StartTime, in.Timezone); err != nil {
			return nil, err
		}
		rec, err := in.Recurrence.toClient()
		if err != nil {
			return nil, err
		}
		w, _, err := c.Webinars.Create(ctx, userOrMe(in.UserID), &zoomapi.WebinarCreateRequest{
			Topic: in.Topic, Type: deref(in.Type), StartTime: deref(in.StartTime), Duration: deref(in.Duration),
			Timezone: deref(in.Timezone), Agenda: deref(in.Agenda), Password: deref(in.Password), Settings: in.settings(),
			Recurrence: rec,
		})
		if err != nil {
			return nil, err
		}
		return saved(webinarFromClient(*w)), nil
	})
}

type getWebinarIn struct {
	WebinarID    int64  `json:"webinar_id" jsonschema:"required,minimum=1"`
	OccurrenceID string `json:"occurrence_id,omitempty"`
}

// GetWebinar returns one webinar.
func GetWebinar() Tool {
	return newTool(spec{
		name: "get_webinar", title: "Get webinar", op: zoomapi.OpGetWebinar, effect: reads,
		description: "Get a webinar's details: time, join and registration URLs, occurrences.",
	}, func(ctx context.Context, c *zoomapi.Client, in getWebinarIn) (*meetingOut, error) {
		w, _, err := c.Webinars.Get(ctx, in.WebinarID, &zoomapi.GetWebinarOptions{OccurrenceID: in.OccurrenceID})
		if err != nil {
			return nil, err
		}
		out := webinarFromClient(*w)
		return &out, nil
	})
}

type updateWebinarIn struct {
	WebinarID    int64   `json:"webinar_id" jsonschema:"required,minimum=1"`
	OccurrenceID string  `json:"occurrence_id,omitempty"`
	Topic        *string `json:"topic,omitempty" jsonschema:"minLength=1,maxLength=200"`
	webinarFields
}

// UpdateWebinar changes a webinar and returns it as it now is.
func UpdateWebinar() Tool {
	return newTool(spec{
		name: "update_webinar", title: "Update webinar", op: zoomapi.OpUpdateWebinar, effect: changes,
		description: "Change only the fields given. Returns the updated webinar.",
	}, func(ctx context.Context, c *zoomapi.Client, in updateWebinarIn) (*savedOut, error) {
		if err := checkStartTime(in.StartTime, in.Timezone); err != nil {
			return nil, err
		}
		rec, err := in.Recurrence.toClient()
		if err != nil {
			return nil, err
		}
		req := &zoomapi.WebinarUpdateRequest{
			Topic: in.Topic, Type: in.Type, StartTime: in.StartTime, Duration: in.Duration, Timezone: in.Timezone,
			Agenda: in.Agenda, Password: in.Password, Settings: in.settings(), Recurrence: rec,
		}
		if _, err := c.Webinars.Update(ctx, in.WebinarID, req, &zoomapi.UpdateWebinarOptions{OccurrenceID: in.OccurrenceID}); err != nil {
			return nil, err
		}
		// The change is made. If reading it back fails, say so, not that
		// the update failed.
		w, _, err := c.Webinars.Get(ctx, in.WebinarID, nil)
		if err != nil {
			return saved(meetingOut{ID: in.WebinarID, Topic: deref(in.Topic), StartTime: deref(in.StartTime), Duration: deref(in.Duration),
				Timezone: deref(in.Timezone), Agenda: deref(in.Agenda), Recurrence: in.Recurrence, Note: updatedUnread("webinar", "get_webinar", err)}), nil
		}
		return saved(webinarFromClient(*w)), nil
	})
}

type deleteWebinarIn struct {
	WebinarID         int64  `json:"webinar_id" jsonschema:"required,minimum=1"`
	OccurrenceID      string `json:"occurrence_id,omitempty"`
	NotifyRegistrants bool   `json:"notify_registrants,omitempty" jsonschema_description:"Email panelists and registrants."`
}

// DeleteWebinar deletes a webinar or one occurrence.
func DeleteWebinar() Tool {
	return newTool(spec{
		name: "delete_webinar", title: "Delete webinar", op: zoomapi.OpDeleteWebinar, effect: changes,
		description: "Delete a webinar or one occurrence.",
	}, func(ctx context.Context, c *zoomapi.Client, in deleteWebinarIn) (*numDoneOut, error) {
		_, err := c.Webinars.Delete(ctx, in.WebinarID, &zoomapi.DeleteWebinarOptions{
			OccurrenceID: in.OccurrenceID, CancelWebinarReminder: in.NotifyRegistrants,
		})
		if err != nil {
			return nil, err
		}
		return &numDoneOut{ID: in.WebinarID, Outcome: "deleted"}, nil
	})
}

type listWebinarRegistrantsIn struct {
	WebinarID    int64  `json:"webinar_id" jsonschema:"required,minimum=1"`
	Status       string `json:"status,omitempty" jsonschema:"enum=approved,enum=pending,enum=denied,default=approved" jsonschema_description:"Registration status."`
	OccurrenceID string `json:"occurrence_id,omitempty"`
	pageArgs
}

// ListWebinarRegistrants lists a webinar's registrants.
func ListWebinarRegistrants() Tool {
	return newTool(spec{
		name: "list_webinar_registrants", title: "List webinar registrants", op: zoomapi.OpListWebinarRegistrants, effect: reads,
		description: "List a webinar's registrants, by status (approved by default).",
	}, func(ctx context.Context, c *zoomapi.Client, in listWebinarRegistrantsIn) (*registrantListOut, error) {
		l, _, err := c.Webinars.ListRegistrants(ctx, in.WebinarID, &zoomapi.ListWebinarRegistrantsOptions{
			ListRegistrantsOptions: zoomapi.ListRegistrantsOptions{
				OccurrenceID: in.OccurrenceID, Status: in.Status, ListOptions: in.pageArgs.options(),
			},
		})
		if err != nil {
			return nil, err
		}
		return registrantList(l), nil
	})
}

type addWebinarRegistrantIn struct {
	WebinarID     int64    `json:"webinar_id" jsonschema:"required,minimum=1"`
	OccurrenceIDs []string `json:"occurrence_ids,omitempty" jsonschema_description:"Register for these occurrences only."`
	registrantIn
}

// AddWebinarRegistrant registers someone for a webinar.
func AddWebinarRegistrant() Tool {
	return newTool(spec{
		name: "add_webinar_registrant", title: "Add webinar registrant", op: zoomapi.OpAddWebinarRegistrant, effect: creates,
		description: "Register a person for a webinar that requires registration. Returns their join URL.",
	}, func(ctx context.Context, c *zoomapi.Client, in addWebinarRegistrantIn) (*registrantAddedOut, error) {
		r, _, err := c.Webinars.AddRegistrant(ctx, in.WebinarID, in.registrantIn.toClient(),
			&zoomapi.AddRegistrantOptions{OccurrenceIDs: in.OccurrenceIDs})
		if err != nil {
			return nil, err
		}
		return registrantAdded(r), nil
	})
}
