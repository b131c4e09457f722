package zoomapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestMeetingsService(t *testing.T) {
	runAPICases(t, []apiCase{
		{
			name: "List",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Meetings.List(ctx, "me", &ListMeetingsOptions{Type: MeetingListUpcoming, From: "2025-01-01", ListOptions: ListOptions{PageSize: 500, NextPageToken: "tok"}}))
			},
			method: "GET", path: "/users/me/meetings",
			query: q("type", "upcoming", "from", "2025-01-01", "page_size", "300", "next_page_token", "tok"),
			reply: `{"page_size":300,"total_records":2,"next_page_token":"n2","page_count":1,"page_number":1,
				"meetings":[{"id":97763643886,"uuid":"aDYlohsHRtCd4ii1uC2+hA==","topic":"Standup","type":2,"start_time":"2025-03-14T10:00:00Z","duration":30,"pmi":"97891943927"},
				{"id":1,"topic":"Ad hoc","type":3,"start_time":""}]}`,
			want: &MeetingList{
				Page:      Page{PageSize: 300, TotalRecords: 2, NextPageToken: "n2"},
				PageCount: 1, PageNumber: 1,
				Meetings: []Meeting{
					{ID: 97763643886, UUID: "aDYlohsHRtCd4ii1uC2+hA==", Topic: "Standup", Type: 2, StartTime: tm("2025-03-14T10:00:00Z"), Duration: 30, PMI: "97891943927"},
					{ID: 1, Topic: "Ad hoc", Type: 3},
				},
			},
		},
		{
			name: "List/email user, nil options",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Meetings.List(ctx, "jill+test@example.com", nil))
			},
			method: "GET", path: "/users/jill+test@example.com/meetings",
			reply: `{"meetings":[]}`,
			want:  &MeetingList{Meetings: []Meeting{}},
		},
		{
			name: "List/user ID with slash is escaped",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Meetings.List(ctx, "a/b", nil))
			},
			method: "GET", path: "/users/a%2Fb/meetings",
			reply: `{"meetings":[]}`,
		},
		{
			name: "Create",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Meetings.Create(ctx, "me", &MeetingCreateRequest{
					Topic: "Planning", Type: MeetingTypeScheduled, StartTime: "2025-03-20T09:00:00", Timezone: "Europe/Berlin", Duration: 45,
					Settings:       &MeetingSettings{WaitingRoom: Ptr(true), JoinBeforeHost: Ptr(false), ApprovalType: Ptr(0), AlternativeHosts: "a@example.com;b@example.com"},
					Recurrence:     &Recurrence{Type: RecurrenceWeekly, WeeklyDays: "2,4", EndDateTime: tm("2025-06-01T00:00:00Z")},
					TrackingFields: []TrackingField{{Field: "team", Value: "core"}},
				}))
			},
			method: "POST", path: "/users/me/meetings",
			body: `{"topic":"Planning","type":2,"start_time":"2025-03-20T09:00:00","timezone":"Europe/Berlin","duration":45,
				"settings":{"waiting_room":true,"join_before_host":false,"approval_type":0,"alternative_hosts":"a@example.com;b@example.com"},
				"recurrence":{"type":2,"weekly_days":"2,4","end_date_time":"2025-06-01T00:00:00Z"},
				"tracking_fields":[{"field":"team","value":"core"}]}`,
			status: http.StatusCreated,
			reply: `{"id":85746065,"uuid":"u1==","host_id":"h1","host_email":"jill@example.com","topic":"Planning","type":2,"status":"waiting",
				"start_time":"2025-03-20T08:00:00Z","timezone":"Europe/Berlin","join_url":"https://zoom.us/j/85746065","start_url":"https://zoom.us/s/85746065?zak=x",
				"password":"abc","created_at":"2025-03-14T15:09:26Z","settings":{"waiting_room":true,"join_before_host":false,"approval_type":0,"audio":"voip"}}`,
			want: &Meeting{ID: 85746065, UUID: "u1==", HostID: "h1", HostEmail: "jill@example.com", Topic: "Planning", Type: 2, Status: "waiting",
				StartTime: tm("2025-03-20T08:00:00Z"), Timezone: "Europe/Berlin", JoinURL: "https://zoom.us/j/85746065", StartURL: "https://zoom.us/s/85746065?zak=x",
				Password: "abc", CreatedAt: tm("2025-03-14T15:09:26Z"),
				Settings: &MeetingSettings{WaitingRoom: Ptr(true), JoinBeforeHost: Ptr(false), ApprovalType: Ptr(0), Audio: "voip"}},
		},
		{
			name: "Create/nil request sends an empty object",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Meetings.Create(ctx, "me", nil))
			},
			method: "POST", path: "/users/me/meetings", body: `{}`, status: 201, reply: `{"id":1}`,
			want: &Meeting{ID: 1},
		},
		{
			name: "Get",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Meetings.Get(ctx, 85746065, &GetMeetingOptions{OccurrenceID: "1648194360000", ShowPreviousOccurrences: true}))
			},
			method: "GET", path: "/meetings/85746065",
			query: q("occurrence_id", "1648194360000", "show_previous_occurrences", "true"),
			reply: `{"id":85746065,"agenda":"a","occurrences":[{"occurrence_id":"1648194360000","start_time":"2022-03-25T07:46:00Z","duration":60,"status":"available"}]}`,
			want:  &Meeting{ID: 85746065, Agenda: "a", Occurrences: []Occurrence{{OccurrenceID: "1648194360000", StartTime: tm("2022-03-25T07:46:00Z"), Duration: 60, Status: "available"}}},
		},
		{
			name: "Update/only set fields are sent",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noResult(c.Meetings.Update(ctx, 85746065, &MeetingUpdateRequest{
					Topic: Ptr("New"), Agenda: Ptr(""), Settings: &MeetingSettings{MuteUponEntry: Ptr(false)},
				}, &UpdateMeetingOptions{OccurrenceID: "16"}))
			},
			method: "PATCH", path: "/meetings/85746065", query: q("occurrence_id", "16"),
			body: `{"topic":"New","agenda":"","settings":{"mute_upon_entry":false}}`,
		},
		{
			name: "Delete",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noResult(c.Meetings.Delete(ctx, 85746065, &DeleteMeetingOptions{CancelMeetingReminder: true}))
			},
			method: "DELETE", path: "/meetings/85746065", query: q("cancel_meeting_reminder", "true"),
		},
		{
			name: "End",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noResult(c.Meetings.End(ctx, 85746065))
			},
			method: "PUT", path: "/meetings/85746065/status", body: `{"action":"end"}`,
		},
		{
			name: "UpdateStatus/recover",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noResult(c.Meetings.UpdateStatus(ctx, 85746065, MeetingActionRecover))
			},
			method: "PUT", path: "/meetings/85746065/status", body: `{"action":"recover"}`,
		},
		{
			name: "ListRegistrants",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Meetings.ListRegistrants(ctx, 85746065, &ListRegistrantsOptions{Status: RegistrantPending, ListOptions: ListOptions{PageSize: 10}}))
			},
			method: "GET", path: "/meetings/85746065/registrants", query: q("status", "pending", "page_size", "10"),
			reply: `{"page_size":10,"total_records":1,"registrants":[{"id":"r1","email":"a@example.com","first_name":"A","status":"pending",
				"create_time":"2022-03-22T05:59:09Z","join_url":"https://zoom.us/w/1","custom_questions":[{"title":"Why?","value":"Because"}]}]}`,
			want: &RegistrantList{Page: Page{PageSize: 10, TotalRecords: 1}, Registrants: []Registrant{{
				ID: "r1", Email: "a@example.com", FirstName: "A", Status: "pending", CreateTime: tm("2022-03-22T05:59:09Z"),
				JoinURL: "https://zoom.us/w/1", CustomQuestions: []CustomQuestion{{Title: "Why?", Value: "Because"}},
			}}},
		},
		{
			name: "AddRegistrant",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Meetings.AddRegistrant(ctx, 85746065, &RegistrantRequest{Email: "a@example.com", FirstName: "A", AutoApprove: Ptr(true)},
					&AddRegistrantOptions{OccurrenceIDs: []string{"1648194360000", "1648367160000"}}))
			},
			method: "POST", path: "/meetings/85746065/registrants", query: q("occurrence_ids", "1648194360000,1648367160000"),
			body:   `{"email":"a@example.com","first_name":"A","auto_approve":true}`,
			status: 201,
			reply:  `{"id":85746065,"registrant_id":"r1","topic":"T","start_time":"2021-07-13T21:44:51Z","join_url":"https://zoom.us/w/1","participant_pin_code":380303}`,
			want: &RegistrantCreated{ID: 85746065, RegistrantID: "r1", Topic: "T", StartTime: tm("2021-07-13T21:44:51Z"),
				JoinURL: "https://zoom.us/w/1", ParticipantPinCode: 380303},
		},
		{
			name: "UpdateRegistrantStatus",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noResult(c.Meetings.UpdateRegistrantStatus(ctx, 85746065, &RegistrantStatusRequest{
					Action: RegistrantActionApprove, Registrants: []RegistrantRef{{ID: "r1", Email: "a@example.com"}, {Email: "b@example.com"}},
				}, &UpdateRegistrantStatusOptions{OccurrenceID: "16"}))
			},
			method: "PUT", path: "/meetings/85746065/registrants/status", query: q("occurrence_id", "16"),
			body: `{"action":"approve","registrants":[{"id":"r1","email":"a@example.com"},{"email":"b@example.com"}]}`,
		},
	})
}

func TestMeetingsArgumentErrors(t *testing.T) {
	c, mux, _ := setup(t)
	reqs := recordAll(mux, 200, `{}`)
	ctx := context.Background()
	tests := []struct {
		name string
		call func() error
		arg  string
	}{
		{"Get zero ID", func() error { _, _, err := c.Meetings.Get(ctx, 0, nil); return err }, "meetingId"},
		{"Update negative ID", func() error { _, err := c.Meetings.Update(ctx, -1, nil, nil); return err }, "meetingId"},
		{"List empty user", func() error { _, _, err := c.Meetings.List(ctx, "", nil); return err }, "userId"},
		{"List negative page size", func() error {
			_, _, err := c.Meetings.List(ctx, "me", &ListMeetingsOptions{ListOptions: ListOptions{PageSize: -1}})
			return err
		}, "page_size"},
		{"UpdateStatus bad action", func() error { _, err := c.Meetings.UpdateStatus(ctx, 1, "stop"); return err }, "action"},
		{"AddRegistrant no email", func() error {
			_, _, err := c.Meetings.AddRegistrant(ctx, 1, &RegistrantRequest{FirstName: "A"}, nil)
			return err
		}, "email"},
		{"AddRegistrant nil", func() error { _, _, err := c.Meetings.AddRegistrant(ctx, 1, nil, nil); return err }, "email"},
		{"AddRegistrant no first name", func() error {
			_, _, err := c.Meetings.AddRegistrant(ctx, 1, &RegistrantRequest{Email: "a@example.com"}, nil)
			return err
		}, "first_name"},
		{"UpdateRegistrantStatus bad action", func() error {
			_, err := c.Meetings.UpdateRegistrantStatus(ctx, 1, &RegistrantStatusRequest{Action: "approved"}, nil)
			return err
		}, "action"},
		{"UpdateRegistrantStatus nil", func() error { _, err := c.Meetings.UpdateRegistrantStatus(ctx, 1, nil, nil); return err }, "action"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.call()
			var ae *ArgumentError
			if !errors.As(err, &ae) || ae.Arg != tt.arg {
				t.Fatalf("err = %v, want ArgumentError for %s", err, tt.arg)
			}
			if !errors.Is(err, ErrValidation) {
				t.Errorf("errors.Is(err, ErrValidation) = false")
			}
		})
	}
	if len(*reqs) != 0 {
		t.Errorf("%d requests sent for invalid arguments", len(*reqs))
	}
}

func TestMeetingsListAll(t *testing.T) {
	c, mux, _ := setup(t)
	var tokens []string
	mux.HandleFunc("GET /v2/users/me/meetings", func(w http.ResponseWriter, r *http.Request) {
		tok := r.URL.Query().Get("next_page_token")
		tokens = append(tokens, tok)
		if r.URL.Query().Get("type") != "live" {
			t.Errorf("type = %q, want live on every page", r.URL.Query().Get("type"))
		}
		switch tok {
		case "":
			_, _ = w.Write([]byte(`{"next_page_token":"p2","meetings":[{"id":1},{"id":2}]}`))
		case "p2":
			_, _ = w.Write([]byte(`{"next_page_token":"","meetings":[{"id":3}]}`))
		default:
			http.Error(w, "bad token", 400)
		}
	})
	opts := &ListMeetingsOptions{Type: MeetingListLive}
	var ids []int64
	for m, err := range c.Meetings.ListAll(context.Background(), "me", opts) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	if diff := cmp.Diff([]int64{1, 2, 3}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"", "p2"}, tokens); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
	if opts.NextPageToken != "" {
		t.Errorf("ListAll changed the caller's options: %+v", opts)
	}
}

func TestMeetingsListAllStopsAtError(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("GET /v2/meetings/7/registrants", func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("next_page_token") == "" {
			_, _ = w.Write([]byte(`{"next_page_token":"p2","registrants":[{"id":"a"}]}`))
			return
		}
		w.WriteHeader(404)
		_, _ = w.Write([]byte(`{"code":3001,"message":"Meeting does not exist: 7."}`))
	})
	var got []string
	var gotErr error
	for r, err := range c.Meetings.ListAllRegistrants(context.Background(), 7, nil) {
		if err != nil {
			gotErr = err
			break
		}
		got = append(got, r.ID)
	}
	if !errors.Is(gotErr, ErrNotFound) {
		t.Errorf("err = %v, want not found", gotErr)
	}
	if diff := cmp.Diff([]string{"a"}, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

// TestMeetingSettingsPatchSemantics checks that unset settings are left out
// and that false and 0 are sent when set.
func TestMeetingSettingsPatchSemantics(t *testing.T) {
	b, err := json.Marshal(&MeetingUpdateRequest{Settings: &MeetingSettings{HostVideo: Ptr(false), ApprovalType: Ptr(0), JBHTime: Ptr(0)}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"settings":{"host_video":false,"jbh_time":0,"approval_type":0}}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	b, _ = json.Marshal(&MeetingUpdateRequest{})
	if string(b) != `{}` {
		t.Errorf("empty update = %s, want {}", b)
	}
}

func FuzzDecodeMeeting(f *testing.F) {
	f.Add([]byte(`{"id":85746065,"uuid":"u==","start_time":"2022-03-25T07:29:29Z","settings":{"waiting_room":true},"pmi":123}`))
	f.Add([]byte(`{"start_time":"","created_at":null,"occurrences":[{"start_time":"2022-03-25T07:46:00"}]}`))
	f.Add([]byte(`{"id":"1"}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Meeting
		if err := json.Unmarshal(data, &m); err != nil {
			return
		}
		// Whatever decodes must encode again and decode to the same value.
		b, err := json.Marshal(&m)
		if err != nil {
			t.Fatalf("re-encoding %+v: %v", m, err)
		}
		var m2 Meeting
		if err := json.Unmarshal(b, &m2); err != nil {
			t.Fatalf("decoding re-encoded %s: %v", b, err)
		}
	})
}

func FuzzDecodeMeetingList(f *testing.F) {
	f.Add([]byte(`{"page_size":30,"next_page_token":"x","meetings":[{"id":1,"type":2}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var l MeetingList
		_ = json.Unmarshal(data, &l)
	})
}

func FuzzDecodeRegistrantList(f *testing.F) {
	f.Add([]byte(`{"registrants":[{"id":"r","create_time":"2022-03-22T05:59:09Z","participant_pin_code":380303}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var l RegistrantList
		_ = json.Unmarshal(data, &l)
	})
}
