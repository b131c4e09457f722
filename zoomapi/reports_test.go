package zoomapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestReportsService(t *testing.T) {
	runAPICases(t, []apiCase{
		{
			name: "Meetings",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Reports.Meetings(ctx, "--7IvCwkQWqn67wBsjsWiQ", &ReportMeetingsOptions{From: "2022-01-01", To: "2022-01-28", Type: ReportPastJoined}))
			},
			method: "GET", path: "/report/users/--7IvCwkQWqn67wBsjsWiQ/meetings",
			query: q("from", "2022-01-01", "to", "2022-01-28", "type", "pastJoined"),
			reply: `{"from":"2022-01-01","to":"2022-01-28","page_size":30,"total_records":1,"meetings":[{"uuid":"4444AAAiAAAAAiAiAiiAii==","id":12345,"type":2,
				"topic":"My Meeting","user_email":"jchill@example.com","start_time":"2022-01-15T23:24:52Z","end_time":"2022-01-15T23:30:19Z","duration":6,
				"participants_count":2,"join_time":"01/15/2022 23:25","has_recording":true}]}`,
			want: &ReportMeetingList{From: "2022-01-01", To: "2022-01-28", Page: Page{PageSize: 30, TotalRecords: 1}, Meetings: []ReportMeeting{{
				UUID: "4444AAAiAAAAAiAiAiiAii==", ID: 12345, Type: 2, Topic: "My Meeting", UserEmail: "jchill@example.com",
				StartTime: tm("2022-01-15T23:24:52Z"), EndTime: tm("2022-01-15T23:30:19Z"), Duration: 6, ParticipantsCount: 2,
				JoinTime: "01/15/2022 23:25", HasRecording: true,
			}}},
		},
		{
			name: "MeetingDetails/double-encoded UUID",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Reports.MeetingDetails(ctx, "/iOTQZPmhTUq5a232ETb9eg=="))
			},
			method: "GET", path: "/report/meetings/%252FiOTQZPmhTUq5a232ETb9eg==",
			reply: `{"uuid":"/iOTQZPmhTUq5a232ETb9eg==","id":3927350525,"dept":"HR","tracking_fields":[{"field":"Host Nation","value":"US"}]}`,
			want:  &ReportMeeting{UUID: "/iOTQZPmhTUq5a232ETb9eg==", ID: 3927350525, Dept: "HR", TrackingFields: []TrackingField{{Field: "Host Nation", Value: "US"}}},
		},
		{
			name: "MeetingDetails/numeric ID",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Reports.MeetingDetails(ctx, "3927350525"))
			},
			method: "GET", path: "/report/meetings/3927350525", reply: `{"id":3927350525}`, want: &ReportMeeting{ID: 3927350525},
		},
		{
			name: "MeetingParticipants",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Reports.MeetingParticipants(ctx, "a//b==", &ReportParticipantsOptions{IncludeFields: "registrant_id", ListOptions: ListOptions{PageSize: 300}}))
			},
			method: "GET", path: "/report/meetings/a%252F%252Fb==/participants", query: q("include_fields", "registrant_id", "page_size", "300"),
			reply: `{"page_size":300,"total_records":1,"participants":[{"id":"30R7","name":"Jill","user_email":"jchill@example.com","join_time":"2022-03-23T06:58:09Z",
				"leave_time":"2022-03-23T07:02:28Z","duration":259,"status":"in_meeting","registrant_id":"reg"}]}`,
			want: &ReportParticipantList{Page: Page{PageSize: 300, TotalRecords: 1}, Participants: []ReportParticipant{{
				ID: "30R7", Name: "Jill", UserEmail: "jchill@example.com", JoinTime: tm("2022-03-23T06:58:09Z"), LeaveTime: tm("2022-03-23T07:02:28Z"),
				Duration: 259, Status: "in_meeting", RegistrantID: "reg",
			}}},
		},
	})
}

func TestReportsMeetingsRequiresRange(t *testing.T) {
	c, mux, _ := setup(t)
	reqs := recordAll(mux, 200, `{}`)
	for _, tt := range []struct {
		opts *ReportMeetingsOptions
		arg  string
	}{
		{nil, "from"},
		{&ReportMeetingsOptions{To: "2022-01-01"}, "from"},
		{&ReportMeetingsOptions{From: "2022-01-01"}, "to"},
	} {
		_, _, err := c.Reports.Meetings(context.Background(), "me", tt.opts)
		var ae *ArgumentError
		if !errors.As(err, &ae) || ae.Arg != tt.arg {
			t.Errorf("Meetings(%+v) err = %v, want ArgumentError for %s", tt.opts, err, tt.arg)
		}
	}
	if len(*reqs) != 0 {
		t.Errorf("%d requests sent for invalid arguments", len(*reqs))
	}
}

func TestReportsAllMeetingParticipants(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /v2/report/meetings/{id}/participants", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("next_page_token") == "" {
			_, _ = w.Write([]byte(`{"next_page_token":"t2","participants":[{"name":"a"}]}`))
			return
		}
		_, _ = w.Write([]byte(`{"participants":[{"name":"b"}]}`))
	})
	var names []string
	for p, err := range c.Reports.AllMeetingParticipants(context.Background(), "123", nil) {
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, p.Name)
	}
	if diff := cmp.Diff([]string{"a", "b"}, names); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func FuzzDecodeReport(f *testing.F) {
	f.Add([]byte(`{"meetings":[{"id":12345,"start_time":"2019-07-15T23:24:52Z","schedule_time":"12/22/2021 16:20"}],"from":"2020-07-14"}`))
	f.Add([]byte(`{"participants":[{"join_time":"2022-03-23T06:58:09Z","duration":259}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var l ReportMeetingList
		_ = json.Unmarshal(data, &l)
		var p ReportParticipantList
		if json.Unmarshal(data, &p) == nil {
			if _, err := json.Marshal(&p); err != nil {
				t.Fatal(err)
			}
		}
	})
}
