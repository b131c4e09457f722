package zoomapi

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTranscriptAndSummaries(t *testing.T) {
	const summary = `{"meeting_host_id":"30R7kT7bTIKSNUFEuH_Qlg","meeting_host_email":"jchill@example.com","meeting_uuid":"aDYlohsHRtCd4ii1uC2+hA==",
		"meeting_id":97763643886,"meeting_topic":"My Meeting","meeting_start_time":"2019-07-15T23:24:52Z","meeting_end_time":"2019-07-15T23:30:19Z",
		"summary_start_time":"2019-07-15T23:24:52Z","summary_end_time":"2019-07-15T23:30:19Z","summary_created_time":"2019-07-15T23:31:00Z",
		"summary_last_modified_time":"2019-07-16T08:00:00Z"`
	listed := MeetingSummary{MeetingHostID: "30R7kT7bTIKSNUFEuH_Qlg", MeetingHostEmail: "jchill@example.com", MeetingUUID: "aDYlohsHRtCd4ii1uC2+hA==",
		MeetingID: 97763643886, MeetingTopic: "My Meeting", MeetingStartTime: tm("2019-07-15T23:24:52Z"), MeetingEndTime: tm("2019-07-15T23:30:19Z"),
		SummaryStartTime: tm("2019-07-15T23:24:52Z"), SummaryEndTime: tm("2019-07-15T23:30:19Z"), SummaryCreatedTime: tm("2019-07-15T23:31:00Z"),
		SummaryLastModifiedTime: tm("2019-07-16T08:00:00Z")}
	full := listed
	full.SummaryTitle, full.SummaryContent, full.SummaryDocURL = "Meeting summary for my meeting", "## Key takeaways\n- Ship it", "https://docs.zoom.us/doc/1aB"
	full.SummaryOverview, full.SummaryDetails, full.NextSteps = "Overview", []SummaryDetail{{Label: "Topic", Summary: "Text"}}, []string{"step1"}
	full.EditedSummary = &EditedSummary{SummaryOverview: "Edited", NextSteps: []string{"step2"}}
	runAPICases(t, []apiCase{
		{
			name: "GetTranscript/numeric ID",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Meetings.GetTranscript(ctx, "97763643886"))
			},
			method: "GET", path: "/meetings/97763643886/transcript",
			reply: `{"meeting_id":"uaFkQyFCSwya8iNYtkAw3A==","account_id":"Cx3wERazSgup7ZWRHQM8-w","meeting_topic":"My Personal Meeting",
				"host_id":"_0ctZtY0REqWalTmwvrdIw","transcript_created_time":"2025-06-27T13:48:24Z","can_download":true,"auto_delete":false,
				"download_url":"https://zoom.us/rec/meeting/transcript/download/YDzt"}`,
			want: &MeetingTranscript{MeetingID: "uaFkQyFCSwya8iNYtkAw3A==", AccountID: "Cx3wERazSgup7ZWRHQM8-w", MeetingTopic: "My Personal Meeting",
				HostID: "_0ctZtY0REqWalTmwvrdIw", TranscriptCreatedTime: tm("2025-06-27T13:48:24Z"), CanDownload: true, AutoDelete: Ptr(false),
				DownloadURL: "https://zoom.us/rec/meeting/transcript/download/YDzt"},
		},
		{
			name: "GetTranscript/not ready, UUID starting with slash is double-encoded",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Meetings.GetTranscript(ctx, "/ajXp112QmuoKj4854875=="))
			},
			method: "GET", path: "/meetings/%252FajXp112QmuoKj4854875==/transcript",
			reply: `{"meeting_id":"/ajXp112QmuoKj4854875==","can_download":false,"download_url":null,"download_restriction_reason":"NOT_READY"}`,
			want:  &MeetingTranscript{MeetingID: "/ajXp112QmuoKj4854875==", DownloadRestrictionReason: TranscriptNotReady},
		},
		{
			name: "GetSummary/UUID with double slash is double-encoded",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Meetings.GetSummary(ctx, "aD//lohsHRtCd4ii1uC2+hA=="))
			},
			method: "GET", path: "/meetings/aD%252F%252FlohsHRtCd4ii1uC2+hA==/meeting_summary",
			reply: summary + `,"summary_title":"Meeting summary for my meeting","summary_content":"## Key takeaways\n- Ship it","summary_doc_url":"https://docs.zoom.us/doc/1aB",
				"summary_overview":"Overview","summary_details":[{"label":"Topic","summary":"Text"}],"next_steps":["step1"],
				"edited_summary":{"summary_overview":"Edited","next_steps":["step2"]}}`,
			want: &full,
		},
		{
			name: "ListSummaries",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Meetings.ListSummaries(ctx, &ListMeetingSummariesOptions{From: "2023-10-19T07:00:00Z", To: "2023-10-20T07:00:00Z",
					TimeFilterField: SummaryFilterCreatedTime, ListOptions: ListOptions{PageSize: 1000, NextPageToken: "p1"}}))
			},
			method: "GET", path: "/meetings/meeting_summaries",
			query: q("from", "2023-10-19T07:00:00Z", "to", "2023-10-20T07:00:00Z", "time_filter_field", "summary_created_time", "page_size", "300", "next_page_token", "p1"),
			reply: `{"page_size":300,"next_page_token":"p2","from":"2023-10-19T07:00:00Z","to":"2023-10-20T07:00:00Z","summaries":[` + summary + `}]}`,
			want: &MeetingSummaryList{PageSize: 300, NextPageToken: "p2", From: "2023-10-19T07:00:00Z", To: "2023-10-20T07:00:00Z",
				Summaries: []MeetingSummary{listed}},
		},
		{
			name: "ListSummaries/nil options",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Meetings.ListSummaries(ctx, nil))
			},
			method: "GET", path: "/meetings/meeting_summaries",
			reply: `{"summaries":[]}`, want: &MeetingSummaryList{Summaries: []MeetingSummary{}},
		},
	})
}

func TestTranscriptAndSummariesArguments(t *testing.T) {
	c, mux, _ := setup(t)
	reqs := recordAll(mux, 200, `{}`)
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
		arg  string
	}{
		{"GetTranscript empty", func() error { _, _, err := c.Meetings.GetTranscript(ctx, ""); return err }, "meetingId"},
		{"GetSummary dot-dot", func() error { _, _, err := c.Meetings.GetSummary(ctx, ".."); return err }, "meetingId"},
		{"ListSummaries bad time field", func() error {
			_, _, err := c.Meetings.ListSummaries(ctx, &ListMeetingSummariesOptions{TimeFilterField: "meeting_start_time"})
			return err
		}, "time_filter_field"},
		{"ListSummaries negative page size", func() error {
			_, _, err := c.Meetings.ListSummaries(ctx, &ListMeetingSummariesOptions{ListOptions: ListOptions{PageSize: -1}})
			return err
		}, "page_size"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ae *ArgumentError
			if !errors.As(err, &ae) || ae.Arg != tt.arg {
				t.Fatalf("err = %v, want ArgumentError for %s", err, tt.arg)
			}
		})
	}
	if len(*reqs) != 0 {
		t.Errorf("%d requests sent for invalid arguments", len(*reqs))
	}
}

func TestListAllSummaries(t *testing.T) {
	c, mux, _ := setup(t)
	var tokens []string
	mux.HandleFunc("GET /v2/meetings/meeting_summaries", func(w http.ResponseWriter, r *http.Request) {
		tok := r.URL.Query().Get("next_page_token")
		tokens = append(tokens, tok)
		if r.URL.Query().Get("from") != "2023-10-19T07:00:00Z" {
			t.Errorf("from = %q on page %q", r.URL.Query().Get("from"), tok)
		}
		switch tok {
		case "":
			_, _ = w.Write([]byte(`{"next_page_token":"p2","summaries":[{"meeting_uuid":"a"},{"meeting_uuid":"b"}]}`))
		case "p2":
			_, _ = w.Write([]byte(`{"next_page_token":"","summaries":[{"meeting_uuid":"c"}]}`))
		default:
			http.Error(w, "bad token", 400)
		}
	})
	opts := &ListMeetingSummariesOptions{From: "2023-10-19T07:00:00Z"}
	var uuids []string
	for s, err := range c.Meetings.ListAllSummaries(context.Background(), opts) {
		if err != nil {
			t.Fatal(err)
		}
		uuids = append(uuids, s.MeetingUUID)
	}
	if diff := cmp.Diff([]string{"a", "b", "c"}, uuids); diff != "" {
		t.Errorf("uuids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"", "p2"}, tokens); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
	if opts.NextPageToken != "" {
		t.Errorf("ListAllSummaries changed the caller's options: %+v", opts)
	}
}

func TestGetTranscriptNotFound(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /v2/meetings/{id}/transcript", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"code":3322,"message":"This meeting transcript does not exist."}`))
	})
	_, _, err := c.Meetings.GetTranscript(context.Background(), "1")
	var nf *NotFoundError
	if !errors.As(err, &nf) || nf.Code != 3322 || nf.Endpoint != OpGetMeetingTranscript {
		t.Fatalf("err = %T %v, want *NotFoundError with code 3322", err, err)
	}
}
