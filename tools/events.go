package tools

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"time"

	"github.com/zoommcp/zoom-mcp/events"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

func eventTools() []Tool {
	return []Tool{WaitForEvent()}
}

// EventTypes are the event types wait_for_event names; the store keeps
// others too (resources show them).
var EventTypes = []string{"meeting.created", "meeting.updated", "meeting.deleted", "meeting.started", "meeting.ended",
	"meeting.participant_joined", "meeting.participant_left", "meeting.registration_created", "recording.completed"}

// maxEventWait bounds one wait_for_event call.
const maxEventWait = 300

type waitForEventIn struct {
	Types          []string `json:"types" jsonschema:"required,minItems=1,enum=meeting.created,enum=meeting.updated,enum=meeting.deleted,enum=meeting.started,enum=meeting.ended,enum=meeting.participant_joined,enum=meeting.participant_left,enum=meeting.registration_created,enum=recording.completed"`
	MeetingID      int64    `json:"meeting_id,omitempty" jsonschema:"minimum=1"`
	TimeoutSeconds int      `json:"timeout_seconds,omitempty" jsonschema:"minimum=1,maximum=300,default=60"`
	After          int64    `json:"after,omitempty" jsonschema_description:"A previous result's cursor: miss none."`
}

type eventOut struct {
	Seq       int64           `json:"seq"`
	Type      string          `json:"type"`
	Time      string          `json:"time"`
	MeetingID string          `json:"meeting_id,omitempty"`
	UUID      string          `json:"uuid,omitempty"`
	Payload   json.RawMessage `json:"payload"`
}

type waitForEventOut struct {
	Event *eventOut `json:"event,omitempty"`
	// Cursor is where a next wait resumes (after).
	Cursor int64  `json:"cursor"`
	Note   string `json:"note,omitempty"`
}

// WaitForEvent waits for one of Zoom's events.
func WaitForEvent() Tool {
	return newTool(spec{
		name: "wait_for_event", title: "Wait for event", effect: reads, group: zoomapi.GroupEvents,
		description: "Wait for a Zoom event of these types (meeting started, participant joined, recording ready); returns it or says none came.",
	}, func(ctx context.Context, _ *zoomapi.Client, in waitForEventIn) (*waitForEventOut, error) {
		r, ok := events.ReaderFrom(ctx)
		if !ok {
			return nil, events.ErrDisabled
		}
		timeout := in.TimeoutSeconds
		if timeout <= 0 {
			timeout = 60
		}
		f := events.Filter{Types: in.Types, Toolsets: r.Visible, After: in.After}
		if in.MeetingID > 0 {
			f.MeetingID = strconv.FormatInt(in.MeetingID, 10)
		}
		if in.After == 0 {
			// From now on: the events already stored are the resources'.
			last, err := r.Store.Last(ctx)
			if err != nil {
				return nil, err
			}
			f.After = last
		}
		wctx, cancel := context.WithTimeout(ctx, time.Duration(min(timeout, maxEventWait))*time.Second)
		defer cancel()
		e, err := r.Store.Wait(wctx, f)
		switch {
		case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
			return &waitForEventOut{Cursor: f.After, Note: "No matching event came within " + strconv.Itoa(timeout) +
				" seconds. Wait again with after set to cursor to miss none."}, nil
		case err != nil:
			return nil, err
		}
		return &waitForEventOut{Cursor: e.Seq, Event: &eventOut{Seq: e.Seq, Type: e.Type, Time: e.Time.UTC().Format(time.RFC3339),
			MeetingID: e.MeetingID, UUID: e.UUID, Payload: e.Payload}}, nil
	})
}
