package tools

import (
	"context"
	"errors"
	"strings"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

type summaryDetailOut struct {
	Label   string `json:"label,omitempty"`
	Summary string `json:"summary,omitempty"`
}

// summaryOut is an AI Companion meeting summary as Zoom returns it, without
// links that need a Zoom login.
type summaryOut struct {
	MeetingUUID      string             `json:"meeting_uuid,omitempty"`
	MeetingID        int64              `json:"meeting_id,omitempty"`
	Topic            string             `json:"topic,omitempty"`
	HostEmail        string             `json:"host_email,omitempty"`
	MeetingStartTime string             `json:"meeting_start_time,omitempty"`
	MeetingEndTime   string             `json:"meeting_end_time,omitempty"`
	CreatedTime      string             `json:"summary_created_time,omitempty"`
	Title            string             `json:"summary_title,omitempty"`
	Content          string             `json:"summary_content,omitempty" jsonschema_description:"The whole summary, Markdown."`
	Overview         string             `json:"overview,omitempty"`
	Details          []summaryDetailOut `json:"details,omitempty"`
	NextSteps        []string           `json:"next_steps,omitempty"`
}

func summaryFromClient(s zoomapi.MeetingSummary) summaryOut {
	out := summaryOut{
		MeetingUUID: s.MeetingUUID, MeetingID: s.MeetingID, Topic: s.MeetingTopic, HostEmail: s.MeetingHostEmail,
		MeetingStartTime: s.MeetingStartTime.String(), MeetingEndTime: s.MeetingEndTime.String(),
		CreatedTime: s.SummaryCreatedTime.String(), Title: s.SummaryTitle, Content: s.SummaryContent,
		Overview: s.SummaryOverview, NextSteps: s.NextSteps,
	}
	for _, d := range s.SummaryDetails {
		out.Details = append(out.Details, summaryDetailOut{Label: d.Label, Summary: d.Summary})
	}
	if e := s.EditedSummary; e != nil {
		// A person's edit wins over what the AI wrote.
		if e.SummaryOverview != "" {
			out.Overview = e.SummaryOverview
		}
		if e.SummaryDetails != "" {
			out.Details = []summaryDetailOut{{Label: "Edited", Summary: e.SummaryDetails}}
		}
		if len(e.NextSteps) > 0 {
			out.NextSteps = e.NextSteps
		}
	}
	return out
}

type summaryIn struct {
	MeetingID string `json:"meeting_id" jsonschema:"required,minLength=1" jsonschema_description:"Meeting ID (latest instance) or a past instance's UUID."`
}

// GetMeetingSummary returns the AI Companion summary of a meeting.
func GetMeetingSummary() Tool {
	return newTool(spec{
		name: "get_meeting_summary", title: "Get meeting summary", op: zoomapi.OpGetMeetingSummary, effect: reads,
		description: "A past meeting's AI Companion summary: overview, details, next steps.",
	}, func(ctx context.Context, c *zoomapi.Client, in summaryIn) (*summaryOut, error) {
		s, _, err := c.Meetings.GetSummary(ctx, in.MeetingID)
		var nf *zoomapi.NotFoundError
		if errors.As(err, &nf) {
			// Zoom says "Meeting does not exist" for a meeting that exists
			// but has no summary: say what an agent can act on.
			return nil, &zoomapi.NotFoundError{ErrorResponse: &zoomapi.ErrorResponse{
				Endpoint: zoomapi.OpGetMeetingSummary, StatusCode: 404, Code: nf.Code,
				Message: "No AI Companion summary for " + in.MeetingID + " (Zoom: " + strings.TrimSuffix(nf.Message, ".") +
					"); list_meeting_summaries lists the meetings that have one",
			}}
		}
		if err != nil {
			return nil, err
		}
		out := summaryFromClient(*s)
		return &out, nil
	})
}

type listSummariesIn struct {
	From string `json:"from,omitempty" jsonschema:"format=date-time" jsonschema_description:"e.g. 2026-11-01T00:00:00Z."`
	To   string `json:"to,omitempty" jsonschema:"format=date-time" jsonschema_description:"Until."`
	pageArgs
}

type summaryRowOut struct {
	MeetingUUID      string `json:"meeting_uuid"`
	MeetingID        int64  `json:"meeting_id,omitempty"`
	Topic            string `json:"topic,omitempty"`
	MeetingStartTime string `json:"meeting_start_time,omitempty"`
}

type summaryListOut struct {
	Summaries     []summaryRowOut `json:"summaries"`
	NextPageToken string          `json:"next_page_token,omitempty" jsonschema_description:"Pass to get the next page; expires in 15 minutes."`
}

// ListMeetingSummaries lists the account's meeting summaries.
func ListMeetingSummaries() Tool {
	return newTool(spec{
		name: "list_meeting_summaries", title: "List meeting summaries", op: zoomapi.OpListMeetingSummaries, effect: reads,
		description: "Meetings with an AI Companion summary (read one with get_meeting_summary). Admin apps only.",
	}, func(ctx context.Context, c *zoomapi.Client, in listSummariesIn) (*summaryListOut, error) {
		l, _, err := c.Meetings.ListSummaries(ctx, &zoomapi.ListMeetingSummariesOptions{
			From: in.From, To: in.To, ListOptions: in.pageArgs.options(),
		})
		if err != nil {
			return nil, err
		}
		out := &summaryListOut{Summaries: make([]summaryRowOut, 0, len(l.Summaries)), NextPageToken: l.NextPageToken}
		for _, s := range l.Summaries {
			out.Summaries = append(out.Summaries, summaryRowOut{MeetingUUID: s.MeetingUUID, MeetingID: s.MeetingID,
				Topic: s.MeetingTopic, MeetingStartTime: s.MeetingStartTime.String()})
		}
		return out, nil
	})
}
