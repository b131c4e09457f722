package zoomapi

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWebinarsService(t *testing.T) {
	runAPICases(t, []apiCase{
		{
			name: "List",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Webinars.List(ctx, "me", &ListWebinarsOptions{Type: "upcoming", PageSize: 1000, PageNumber: 2}))
			},
			method: "GET", path: "/users/me/webinars", query: q("type", "upcoming", "page_size", "300", "page_number", "2"),
			reply: `{"page_count":2,"page_number":2,"page_size":300,"total_records":301,"webinars":[{"id":95204914252,"uuid":"Bz/oZ7w==","topic":"W","type":5,"start_time":"2022-03-26T06:44:14Z","is_simulive":true}]}`,
			want: &WebinarList{Page: Page{PageSize: 300, TotalRecords: 301}, PageCount: 2, PageNumber: 2,
				Webinars: []Webinar{{ID: 95204914252, UUID: "Bz/oZ7w==", Topic: "W", Type: 5, StartTime: tm("2022-03-26T06:44:14Z"), IsSimulive: true}}},
		},
		{
			name: "Create",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Webinars.Create(ctx, "jill@example.com", &WebinarCreateRequest{
					Topic: "Launch", Type: WebinarTypeScheduled, StartTime: "2025-04-01T16:00:00Z", Duration: 90,
					Settings: &WebinarSettings{PanelistsVideo: Ptr(true), PracticeSession: Ptr(false), ApprovalType: Ptr(0), RegistrantsRestrictNumber: Ptr(100)},
				}))
			},
			method: "POST", path: "/users/jill@example.com/webinars",
			body: `{"topic":"Launch","type":5,"start_time":"2025-04-01T16:00:00Z","duration":90,
				"settings":{"panelists_video":true,"practice_session":false,"approval_type":0,"registrants_restrict_number":100}}`,
			status: 201,
			reply:  `{"id":95204914252,"topic":"Launch","type":5,"join_url":"https://zoom.us/j/95204914252","settings":{"panelists_video":true,"question_and_answer":{"enable":true,"answer_questions":"all"}}}`,
			want: &Webinar{ID: 95204914252, Topic: "Launch", Type: 5, JoinURL: "https://zoom.us/j/95204914252",
				Settings: &WebinarSettings{PanelistsVideo: Ptr(true), QuestionAndAnswer: &WebinarQA{Enable: Ptr(true), AnswerQuestions: "all"}}},
		},
		{
			name: "Get",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Webinars.Get(ctx, 95204914252, &GetWebinarOptions{OccurrenceID: "1648538280000"}))
			},
			method: "GET", path: "/webinars/95204914252", query: q("occurrence_id", "1648538280000"),
			reply: `{"id":95204914252,"created_at":"2022-03-26T07:18:32Z"}`,
			want:  &Webinar{ID: 95204914252, CreatedAt: tm("2022-03-26T07:18:32Z")},
		},
		{
			name: "Update",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noResult(c.Webinars.Update(ctx, 95204914252, &WebinarUpdateRequest{Duration: Ptr(120), Settings: &WebinarSettings{NotifyRegistrants: Ptr(true)}}, nil))
			},
			method: "PATCH", path: "/webinars/95204914252", body: `{"duration":120,"settings":{"notify_registrants":true}}`,
		},
		{
			name: "Delete",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return noResult(c.Webinars.Delete(ctx, 95204914252, &DeleteWebinarOptions{OccurrenceID: "1", CancelWebinarReminder: true}))
			},
			method: "DELETE", path: "/webinars/95204914252", query: q("occurrence_id", "1", "cancel_webinar_reminder", "true"),
		},
		{
			name: "ListRegistrants",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Webinars.ListRegistrants(ctx, 95204914252, &ListWebinarRegistrantsOptions{
					ListRegistrantsOptions: ListRegistrantsOptions{Status: RegistrantApproved, ListOptions: ListOptions{NextPageToken: "n"}},
					TrackingSourceID:       "5516482804110",
				}))
			},
			method: "GET", path: "/webinars/95204914252/registrants",
			query: q("status", "approved", "next_page_token", "n", "tracking_source_id", "5516482804110"),
			reply: `{"registrants":[{"id":"r","email":"x@example.com","status":"approved"}]}`,
			want:  &RegistrantList{Registrants: []Registrant{{ID: "r", Email: "x@example.com", Status: "approved"}}},
		},
		{
			name: "AddRegistrant",
			call: func(ctx context.Context, c *Client) (any, *Response, error) {
				return wrap(c.Webinars.AddRegistrant(ctx, 95204914252, &RegistrantRequest{Email: "x@example.com", FirstName: "X", Language: "en-US", SourceID: "481"}, nil))
			},
			method: "POST", path: "/webinars/95204914252/registrants",
			body:   `{"email":"x@example.com","first_name":"X","language":"en-US","source_id":"481"}`,
			status: 201, reply: `{"id":95204914252,"registrant_id":"r","join_url":"https://zoom.us/w/9"}`,
			want: &RegistrantCreated{ID: 95204914252, RegistrantID: "r", JoinURL: "https://zoom.us/w/9"},
		},
	})
}

func TestWebinarsListAllByPageNumber(t *testing.T) {
	c, mux, _ := setup(t)
	var pages []string
	mux.HandleFunc("GET /v2/users/me/webinars", func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Query().Get("page_number")
		pages = append(pages, p)
		n, _ := strconv.Atoi(p)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"page_count": 3, "page_number": n,
			"webinars": []map[string]any{{"id": len(pages)}},
		})
	})
	var ids []int64
	for wb, err := range c.Webinars.ListAll(context.Background(), "me", nil) {
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, wb.ID)
	}
	if diff := cmp.Diff([]int64{1, 2, 3}, ids); diff != "" {
		t.Errorf("ids (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"1", "2", "3"}, pages); diff != "" {
		t.Errorf("page numbers (-want +got):\n%s", diff)
	}
}

func FuzzDecodeWebinar(f *testing.F) {
	f.Add([]byte(`{"id":95204914252,"start_time":"2022-03-26T06:44:14Z","settings":{"question_and_answer":{"enable":true}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var w Webinar
		if json.Unmarshal(data, &w) == nil {
			if _, err := json.Marshal(&w); err != nil {
				t.Fatal(err)
			}
		}
	})
}
