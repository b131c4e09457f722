package zoomapi_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// endpointCase drives one endpoint through the typed client: a checked
// success, a plain valid call (for the scope and rate-limit checks), and the
// calls that provoke each error class. A nil func means the class does not
// apply to the endpoint (no path resource, or no server-side validation).
type endpointCase struct {
	op      string
	success func(t *testing.T, e *env)
	call    func(ctx context.Context, e *env) error

	notFound     func(ctx context.Context, e *env) error
	notFoundCode int

	invalid       func(ctx context.Context, e *env) error
	invalidMsg    string
	invalidFields []string

	badArg func(ctx context.Context, e *env) error
	arg    string
}

const nobody = "nobody@example.com"

func future(e *env, h int) string {
	return zoomapi.FormatTime(e.clock.Now().Add(time.Duration(h) * time.Hour))
}

func endpointCases() []endpointCase {
	return []endpointCase{
		{
			op: zoomapi.OpListMeetings,
			success: func(t *testing.T, e *env) {
				l, _, err := e.c.Meetings.List(t.Context(), "me", &zoomapi.ListMeetingsOptions{Type: zoomapi.MeetingListUpcoming, ListOptions: zoomapi.ListOptions{PageSize: 300}})
				mustOK(t, err)
				if l.TotalRecords < zoomfake.SeedUpcomingMeetings || len(l.Meetings) != l.TotalRecords || l.NextPageToken != "" {
					t.Fatalf("upcoming: total %d, %d on the page, next %q", l.TotalRecords, len(l.Meetings), l.NextPageToken)
				}
				i := slices.IndexFunc(l.Meetings, func(m zoomapi.Meeting) bool { return m.ID == zoomfake.SeedRegistrationMeetingID })
				if i < 0 || l.Meetings[i].Topic != "Quarterly all-hands" || l.Meetings[i].HostID != zoomfake.SeedOwnerID || l.Meetings[i].JoinURL == "" {
					t.Errorf("registration meeting missing or wrong in list: %+v", l.Meetings)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.List(ctx, "me", nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.List(ctx, nobody, nil)
				return err
			},
			notFoundCode: 1001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.List(ctx, "me", &zoomapi.ListMeetingsOptions{Type: "someday"})
				return err
			},
			invalidFields: []string{"type"},
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.List(ctx, "me", &zoomapi.ListMeetingsOptions{ListOptions: zoomapi.ListOptions{PageSize: -1}})
				return err
			},
			arg: "page_size",
		},
		{
			op: zoomapi.OpCreateMeeting,
			success: func(t *testing.T, e *env) {
				start := e.clock.Now().Add(48 * time.Hour).Truncate(time.Second)
				m, _, err := e.c.Meetings.Create(t.Context(), "me", &zoomapi.MeetingCreateRequest{
					Topic: "Integration review", Type: zoomapi.MeetingTypeScheduled, StartTime: zoomapi.FormatTime(start),
					Duration: 45, Timezone: "UTC", Agenda: "Check the client",
				})
				mustOK(t, err)
				if m.ID == 0 || m.UUID == "" || m.JoinURL == "" || m.Password == "" || !m.StartTime.Equal(start) {
					t.Errorf("created meeting lacks ID, UUID, join URL, passcode or start %v: %+v", start, m)
				}
				got, _, err := e.c.Meetings.Get(t.Context(), m.ID, nil)
				mustOK(t, err)
				type view struct {
					Topic, HostID, Timezone, Agenda string
					Type, Duration                  int
				}
				want := view{"Integration review", zoomfake.SeedOwnerID, "UTC", "Check the client", 2, 45}
				if diff := cmp.Diff(want, view{got.Topic, got.HostID, got.Timezone, got.Agenda, got.Type, got.Duration}); diff != "" {
					t.Errorf("read back (-want +got):\n%s", diff)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.Create(ctx, "me", &zoomapi.MeetingCreateRequest{Topic: "x", StartTime: future(e, 24)})
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.Create(ctx, nobody, &zoomapi.MeetingCreateRequest{Topic: "x"})
				return err
			},
			notFoundCode: 1001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.Create(ctx, "me", &zoomapi.MeetingCreateRequest{Topic: strings.Repeat("t", 201), Duration: 5000})
				return err
			},
			invalidMsg:    "Validation Failed.",
			invalidFields: []string{"topic", "duration"},
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.Create(ctx, "", nil)
				return err
			},
			arg: "userId",
		},
		{
			op: zoomapi.OpGetMeeting,
			success: func(t *testing.T, e *env) {
				m, _, err := e.c.Meetings.Get(t.Context(), zoomfake.SeedRegistrationMeetingID, nil)
				mustOK(t, err)
				if m.Topic != "Quarterly all-hands" || m.Duration != 90 || m.HostID != zoomfake.SeedOwnerID || m.Status != "waiting" {
					t.Errorf("meeting: %+v", m)
				}
				if m.Settings == nil || m.Settings.ApprovalType == nil || *m.Settings.ApprovalType != 1 || m.RegistrationURL == "" {
					t.Errorf("registration meeting: settings %+v, registration URL %q", m.Settings, m.RegistrationURL)
				}
				r, _, err := e.c.Meetings.Get(t.Context(), zoomfake.SeedRecurringMeetingID, nil)
				mustOK(t, err)
				if r.Type != zoomapi.MeetingTypeRecurringFixedTime || len(r.Occurrences) != 8 || r.Recurrence == nil {
					t.Errorf("recurring meeting: type %d, %d occurrences, recurrence %+v", r.Type, len(r.Occurrences), r.Recurrence)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.Get(ctx, zoomfake.SeedRegistrationMeetingID, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.Get(ctx, 1, nil)
				return err
			},
			notFoundCode: 3001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.Get(ctx, zoomfake.SeedRecurringMeetingID, &zoomapi.GetMeetingOptions{OccurrenceID: "nope"})
				return err
			},
			invalidMsg: "Invalid parameter: `occurrence_id`.",
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.Get(ctx, 0, nil)
				return err
			},
			arg: "meetingId",
		},
		{
			op: zoomapi.OpUpdateMeeting,
			success: func(t *testing.T, e *env) {
				id := zoomfake.SeedRegistrationMeetingID
				_, err := e.c.Meetings.Update(t.Context(), id, &zoomapi.MeetingUpdateRequest{
					Topic: zoomapi.Ptr("All-hands (moved)"), Duration: zoomapi.Ptr(60),
					Settings: &zoomapi.MeetingSettings{WaitingRoom: zoomapi.Ptr(true)},
				}, nil)
				mustOK(t, err)
				m, _, err := e.c.Meetings.Get(t.Context(), id, nil)
				mustOK(t, err)
				if m.Topic != "All-hands (moved)" || m.Duration != 60 || m.Settings == nil || m.Settings.WaitingRoom == nil || !*m.Settings.WaitingRoom {
					t.Errorf("after update: topic %q duration %d settings %+v", m.Topic, m.Duration, m.Settings)
				}
				if m.Settings.ApprovalType == nil || *m.Settings.ApprovalType != 1 {
					t.Errorf("PATCH changed an unset setting: approval_type %v", m.Settings.ApprovalType)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.Update(ctx, zoomfake.SeedRegistrationMeetingID, &zoomapi.MeetingUpdateRequest{Agenda: zoomapi.Ptr("a")}, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.Update(ctx, 1, &zoomapi.MeetingUpdateRequest{Agenda: zoomapi.Ptr("a")}, nil)
				return err
			},
			notFoundCode: 3001,
			invalid: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.Update(ctx, zoomfake.SeedRegistrationMeetingID, &zoomapi.MeetingUpdateRequest{Duration: zoomapi.Ptr(5000)}, nil)
				return err
			},
			invalidFields: []string{"duration"},
			badArg: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.Update(ctx, -5, nil, nil)
				return err
			},
			arg: "meetingId",
		},
		{
			op: zoomapi.OpDeleteMeeting,
			success: func(t *testing.T, e *env) {
				id := zoomfake.SeedRegistrationMeetingID
				_, err := e.c.Meetings.Delete(t.Context(), id, nil)
				mustOK(t, err)
				_, _, err = e.c.Meetings.Get(t.Context(), id, nil)
				wantNotFound(t, err, 3001)
				// Deleted meetings can be recovered (PUT status "recover").
				_, err = e.c.Meetings.UpdateStatus(t.Context(), id, zoomapi.MeetingActionRecover)
				mustOK(t, err)
				_, _, err = e.c.Meetings.Get(t.Context(), id, nil)
				mustOK(t, err)
			},
			call: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.Delete(ctx, zoomfake.SeedRegistrationMeetingID, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.Delete(ctx, 1, nil)
				return err
			},
			notFoundCode: 3001,
			invalid: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.Delete(ctx, zoomfake.SeedRecurringMeetingID, &zoomapi.DeleteMeetingOptions{OccurrenceID: "nope"})
				return err
			},
			invalidMsg: "Invalid parameter: `occurrence_id`.",
			badArg: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.Delete(ctx, 0, nil)
				return err
			},
			arg: "meetingId",
		},
		{
			op: zoomapi.OpUpdateMeetingStatus,
			success: func(t *testing.T, e *env) {
				id := zoomfake.SeedRegistrationMeetingID
				mustOK(t, e.sim.StartMeeting(id))
				live, _, err := e.c.Meetings.List(t.Context(), "me", &zoomapi.ListMeetingsOptions{Type: zoomapi.MeetingListLive})
				mustOK(t, err)
				if len(live.Meetings) != 1 || live.Meetings[0].ID != id {
					t.Fatalf("live meetings = %+v, want only %d", live.Meetings, id)
				}
				_, err = e.c.Meetings.End(t.Context(), id)
				mustOK(t, err)
				m, _, err := e.c.Meetings.Get(t.Context(), id, nil)
				mustOK(t, err)
				if m.Status != "waiting" {
					t.Errorf("status after end = %q, want waiting", m.Status)
				}
				// The ended instance has a participant report.
				d, _, err := e.c.Reports.MeetingDetails(t.Context(), fmt.Sprint(id))
				mustOK(t, err)
				if d.ID != id || d.ParticipantsCount < 1 {
					t.Errorf("report of the ended meeting: %+v", d)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.End(ctx, zoomfake.SeedRegistrationMeetingID)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.End(ctx, 1)
				return err
			},
			notFoundCode: 3001,
			badArg: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.UpdateStatus(ctx, zoomfake.SeedRegistrationMeetingID, "pause")
				return err
			},
			arg: "action",
		},
		{
			op: zoomapi.OpListMeetingRegistrants,
			success: func(t *testing.T, e *env) {
				id := zoomfake.SeedRegistrationMeetingID
				for status, want := range map[string][]string{
					"":                        {"grace.approved@partner.example.com", "hugo.approved@partner.example.com"},
					zoomapi.RegistrantPending: {"ines.pending@partner.example.com"},
					zoomapi.RegistrantDenied:  {"jack.denied@partner.example.com"},
				} {
					l, _, err := e.c.Meetings.ListRegistrants(t.Context(), id, &zoomapi.ListRegistrantsOptions{Status: status})
					mustOK(t, err)
					if diff := cmp.Diff(want, registrantEmails(l.Registrants)); diff != "" || l.TotalRecords != len(want) {
						t.Errorf("status %q: total %d, emails (-want +got):\n%s", status, l.TotalRecords, diff)
					}
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.ListRegistrants(ctx, zoomfake.SeedRegistrationMeetingID, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.ListRegistrants(ctx, 1, nil)
				return err
			},
			notFoundCode: 3001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.ListRegistrants(ctx, zoomfake.SeedRegistrationMeetingID, &zoomapi.ListRegistrantsOptions{Status: "maybe"})
				return err
			},
			invalidFields: []string{"status"},
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.ListRegistrants(ctx, 0, nil)
				return err
			},
			arg: "meetingId",
		},
		{
			op: zoomapi.OpAddMeetingRegistrant,
			success: func(t *testing.T, e *env) {
				id := zoomfake.SeedRegistrationMeetingID
				r, _, err := e.c.Meetings.AddRegistrant(t.Context(), id, &zoomapi.RegistrantRequest{Email: "new.person@example.org", FirstName: "New", LastName: "Person"}, nil)
				mustOK(t, err)
				if r.ID != id || r.RegistrantID == "" || r.Topic != "Quarterly all-hands" || r.JoinURL == "" {
					t.Errorf("registration: %+v", r)
				}
				// The meeting approves manually: the registrant is pending.
				l, _, err := e.c.Meetings.ListRegistrants(t.Context(), id, &zoomapi.ListRegistrantsOptions{Status: zoomapi.RegistrantPending})
				mustOK(t, err)
				i := slices.IndexFunc(l.Registrants, func(g zoomapi.Registrant) bool { return g.ID == r.RegistrantID })
				if i < 0 || l.Registrants[i].Email != "new.person@example.org" || l.Registrants[i].Status != zoomapi.RegistrantPending {
					t.Errorf("pending registrants = %+v, want the new one", l.Registrants)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.AddRegistrant(ctx, zoomfake.SeedRegistrationMeetingID, &zoomapi.RegistrantRequest{Email: "a@example.org", FirstName: "A"}, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.AddRegistrant(ctx, 1, &zoomapi.RegistrantRequest{Email: "a@example.org", FirstName: "A"}, nil)
				return err
			},
			notFoundCode: 1001, // sic: Zoom documents 1001 for this endpoint
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.AddRegistrant(ctx, zoomfake.SeedRegistrationMeetingID, &zoomapi.RegistrantRequest{Email: "not-an-email", FirstName: "A"}, nil)
				return err
			},
			invalidFields: []string{"email"},
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.AddRegistrant(ctx, zoomfake.SeedRegistrationMeetingID, &zoomapi.RegistrantRequest{Email: "a@example.org"}, nil)
				return err
			},
			arg: "first_name",
		},
		{
			op: zoomapi.OpUpdateRegistrantStatus,
			success: func(t *testing.T, e *env) {
				id := zoomfake.SeedRegistrationMeetingID
				_, err := e.c.Meetings.UpdateRegistrantStatus(t.Context(), id, &zoomapi.RegistrantStatusRequest{
					Action: zoomapi.RegistrantActionApprove, Registrants: []zoomapi.RegistrantRef{{Email: "ines.pending@partner.example.com"}},
				}, nil)
				mustOK(t, err)
				l, _, err := e.c.Meetings.ListRegistrants(t.Context(), id, nil)
				mustOK(t, err)
				if !slices.Contains(registrantEmails(l.Registrants), "ines.pending@partner.example.com") || l.TotalRecords != 3 {
					t.Errorf("approved after approve: %v", registrantEmails(l.Registrants))
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.UpdateRegistrantStatus(ctx, zoomfake.SeedRegistrationMeetingID, &zoomapi.RegistrantStatusRequest{Action: zoomapi.RegistrantActionApprove}, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.UpdateRegistrantStatus(ctx, 1, &zoomapi.RegistrantStatusRequest{Action: zoomapi.RegistrantActionApprove}, nil)
				return err
			},
			notFoundCode: 3001,
			invalid: func(ctx context.Context, e *env) error {
				refs := make([]zoomapi.RegistrantRef, 31)
				for i := range refs {
					refs[i] = zoomapi.RegistrantRef{Email: fmt.Sprintf("r%d@example.org", i)}
				}
				_, err := e.c.Meetings.UpdateRegistrantStatus(ctx, zoomfake.SeedRegistrationMeetingID, &zoomapi.RegistrantStatusRequest{Action: zoomapi.RegistrantActionDeny, Registrants: refs}, nil)
				return err
			},
			invalidFields: []string{"registrants"},
			badArg: func(ctx context.Context, e *env) error {
				_, err := e.c.Meetings.UpdateRegistrantStatus(ctx, zoomfake.SeedRegistrationMeetingID, &zoomapi.RegistrantStatusRequest{Action: "maybe"}, nil)
				return err
			},
			arg: "action",
		},
		{
			op: zoomapi.OpListWebinars,
			success: func(t *testing.T, e *env) {
				l, _, err := e.c.Webinars.List(t.Context(), "me", nil)
				mustOK(t, err)
				var ids []int64
				for _, w := range l.Webinars {
					ids = append(ids, w.ID)
				}
				if diff := cmp.Diff([]int64{zoomfake.SeedWebinarID, zoomfake.SeedOpenWebinarID}, ids); diff != "" || l.TotalRecords != 2 {
					t.Errorf("webinars: total %d (-want +got):\n%s", l.TotalRecords, diff)
				}
				if l.Webinars[0].Topic != "Product launch 2026" || l.Webinars[0].Type != zoomapi.WebinarTypeScheduled {
					t.Errorf("first webinar: %+v", l.Webinars[0])
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.List(ctx, "me", nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.List(ctx, nobody, nil)
				return err
			},
			notFoundCode: 1001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.List(ctx, "me", &zoomapi.ListWebinarsOptions{Type: "past"})
				return err
			},
			invalidFields: []string{"type"},
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.List(ctx, "me", &zoomapi.ListWebinarsOptions{PageNumber: -1})
				return err
			},
			arg: "page_number",
		},
		{
			op: zoomapi.OpCreateWebinar,
			success: func(t *testing.T, e *env) {
				w, _, err := e.c.Webinars.Create(t.Context(), "me", &zoomapi.WebinarCreateRequest{
					Topic: "Release webinar", Type: zoomapi.WebinarTypeScheduled, StartTime: future(e, 72), Duration: 30,
					Settings: &zoomapi.WebinarSettings{ApprovalType: zoomapi.Ptr(0)},
				})
				mustOK(t, err)
				if w.ID == 0 || w.JoinURL == "" || w.HostID != zoomfake.SeedOwnerID {
					t.Errorf("created webinar: %+v", w)
				}
				got, _, err := e.c.Webinars.Get(t.Context(), w.ID, nil)
				mustOK(t, err)
				if got.Topic != "Release webinar" || got.Duration != 30 || got.Settings == nil || got.Settings.ApprovalType == nil || *got.Settings.ApprovalType != 0 {
					t.Errorf("read back: %+v", got)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.Create(ctx, "me", &zoomapi.WebinarCreateRequest{Topic: "w", StartTime: future(e, 24)})
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.Create(ctx, nobody, &zoomapi.WebinarCreateRequest{Topic: "w"})
				return err
			},
			notFoundCode: 1001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.Create(ctx, "me", &zoomapi.WebinarCreateRequest{Topic: "w", Type: 2})
				return err
			},
			invalidFields: []string{"type"},
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.Create(ctx, "", nil)
				return err
			},
			arg: "userId",
		},
		{
			op: zoomapi.OpGetWebinar,
			success: func(t *testing.T, e *env) {
				w, _, err := e.c.Webinars.Get(t.Context(), zoomfake.SeedWebinarID, nil)
				mustOK(t, err)
				if w.Topic != "Product launch 2026" || w.Timezone != "America/New_York" || w.Duration != 60 || w.HostID != zoomfake.SeedOwnerID {
					t.Errorf("webinar: %+v", w)
				}
				if w.Settings == nil || w.Settings.ApprovalType == nil || *w.Settings.ApprovalType != 0 || w.RegistrationURL == "" {
					t.Errorf("webinar registration: settings %+v, URL %q", w.Settings, w.RegistrationURL)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.Get(ctx, zoomfake.SeedWebinarID, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.Get(ctx, 1, nil)
				return err
			},
			notFoundCode: 3001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.Get(ctx, zoomfake.SeedWebinarID, &zoomapi.GetWebinarOptions{OccurrenceID: "nope"})
				return err
			},
			invalidMsg: "Invalid parameter: `occurrence_id`.",
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.Get(ctx, 0, nil)
				return err
			},
			arg: "webinarId",
		},
		{
			op: zoomapi.OpUpdateWebinar,
			success: func(t *testing.T, e *env) {
				_, err := e.c.Webinars.Update(t.Context(), zoomfake.SeedWebinarID, &zoomapi.WebinarUpdateRequest{Agenda: zoomapi.Ptr("New agenda"), Duration: zoomapi.Ptr(75)}, nil)
				mustOK(t, err)
				w, _, err := e.c.Webinars.Get(t.Context(), zoomfake.SeedWebinarID, nil)
				mustOK(t, err)
				if w.Agenda != "New agenda" || w.Duration != 75 || w.Topic != "Product launch 2026" {
					t.Errorf("after update: %+v", w)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, err := e.c.Webinars.Update(ctx, zoomfake.SeedWebinarID, &zoomapi.WebinarUpdateRequest{Agenda: zoomapi.Ptr("a")}, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, err := e.c.Webinars.Update(ctx, 1, &zoomapi.WebinarUpdateRequest{Agenda: zoomapi.Ptr("a")}, nil)
				return err
			},
			notFoundCode: 3001,
			invalid: func(ctx context.Context, e *env) error {
				_, err := e.c.Webinars.Update(ctx, zoomfake.SeedWebinarID, &zoomapi.WebinarUpdateRequest{Duration: zoomapi.Ptr(5000)}, nil)
				return err
			},
			invalidFields: []string{"duration"},
			badArg: func(ctx context.Context, e *env) error {
				_, err := e.c.Webinars.Update(ctx, 0, nil, nil)
				return err
			},
			arg: "webinarId",
		},
		{
			op: zoomapi.OpDeleteWebinar,
			success: func(t *testing.T, e *env) {
				_, err := e.c.Webinars.Delete(t.Context(), zoomfake.SeedOpenWebinarID, nil)
				mustOK(t, err)
				_, _, err = e.c.Webinars.Get(t.Context(), zoomfake.SeedOpenWebinarID, nil)
				wantNotFound(t, err, 3001)
				l, _, err := e.c.Webinars.List(t.Context(), "me", nil)
				mustOK(t, err)
				if l.TotalRecords != 1 || l.Webinars[0].ID != zoomfake.SeedWebinarID {
					t.Errorf("webinars after delete: %+v", l.Webinars)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, err := e.c.Webinars.Delete(ctx, zoomfake.SeedOpenWebinarID, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, err := e.c.Webinars.Delete(ctx, 1, nil)
				return err
			},
			notFoundCode: 3001,
			badArg: func(ctx context.Context, e *env) error {
				_, err := e.c.Webinars.Delete(ctx, 0, nil)
				return err
			},
			arg: "webinarId",
		},
		{
			op: zoomapi.OpListWebinarRegistrants,
			success: func(t *testing.T, e *env) {
				l, _, err := e.c.Webinars.ListRegistrants(t.Context(), zoomfake.SeedWebinarID, nil)
				mustOK(t, err)
				want := []string{"kim.attendee@customer.example.com", "lee.attendee@customer.example.com", "mo.attendee@customer.example.com"}
				if diff := cmp.Diff(want, registrantEmails(l.Registrants)); diff != "" || l.TotalRecords != 3 {
					t.Errorf("total %d, emails (-want +got):\n%s", l.TotalRecords, diff)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.ListRegistrants(ctx, zoomfake.SeedWebinarID, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.ListRegistrants(ctx, 1, nil)
				return err
			},
			notFoundCode: 3001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.ListRegistrants(ctx, zoomfake.SeedWebinarID, &zoomapi.ListWebinarRegistrantsOptions{ListRegistrantsOptions: zoomapi.ListRegistrantsOptions{Status: "maybe"}})
				return err
			},
			invalidFields: []string{"status"},
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.ListRegistrants(ctx, 0, nil)
				return err
			},
			arg: "webinarId",
		},
		{
			op: zoomapi.OpAddWebinarRegistrant,
			success: func(t *testing.T, e *env) {
				r, _, err := e.c.Webinars.AddRegistrant(t.Context(), zoomfake.SeedWebinarID, &zoomapi.RegistrantRequest{Email: "zoe@example.org", FirstName: "Zoe"}, nil)
				mustOK(t, err)
				if r.ID != zoomfake.SeedWebinarID || r.RegistrantID == "" || r.Topic != "Product launch 2026" {
					t.Errorf("registration: %+v", r)
				}
				// Automatic approval: the registrant is approved at once.
				l, _, err := e.c.Webinars.ListRegistrants(t.Context(), zoomfake.SeedWebinarID, nil)
				mustOK(t, err)
				if l.TotalRecords != 4 || !slices.Contains(registrantEmails(l.Registrants), "zoe@example.org") {
					t.Errorf("approved registrants: %v", registrantEmails(l.Registrants))
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.AddRegistrant(ctx, zoomfake.SeedWebinarID, &zoomapi.RegistrantRequest{Email: "a@example.org", FirstName: "A"}, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.AddRegistrant(ctx, 1, &zoomapi.RegistrantRequest{Email: "a@example.org", FirstName: "A"}, nil)
				return err
			},
			notFoundCode: 3001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.AddRegistrant(ctx, zoomfake.SeedWebinarID, &zoomapi.RegistrantRequest{Email: "a@example.org", FirstName: "A", NoOfEmployees: "lots"}, nil)
				return err
			},
			invalidFields: []string{"no_of_employees"},
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Webinars.AddRegistrant(ctx, zoomfake.SeedWebinarID, nil, nil)
				return err
			},
			arg: "email",
		},
		{
			op: zoomapi.OpListUsers,
			success: func(t *testing.T, e *env) {
				l, _, err := e.c.Users.List(t.Context(), nil)
				mustOK(t, err)
				var emails []string
				for _, u := range l.Users {
					emails = append(emails, u.Email)
				}
				want := []string{zoomfake.SeedOwnerEmail, zoomfake.SeedAdminEmail, zoomfake.SeedMemberEmail, zoomfake.SeedBasicEmail}
				if diff := cmp.Diff(want, emails); diff != "" || l.TotalRecords != 4 {
					t.Errorf("active users: total %d (-want +got):\n%s", l.TotalRecords, diff)
				}
				p, _, err := e.c.Users.List(t.Context(), &zoomapi.ListUsersOptions{Status: zoomapi.UserPending})
				mustOK(t, err)
				if len(p.Users) != 1 || p.Users[0].ID != zoomfake.SeedPendingID || p.Users[0].Status != zoomapi.UserPending {
					t.Errorf("pending users: %+v", p.Users)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Users.List(ctx, nil)
				return err
			},
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Users.List(ctx, &zoomapi.ListUsersOptions{Status: "gone"})
				return err
			},
			invalidFields: []string{"status"},
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Users.List(ctx, &zoomapi.ListUsersOptions{ListOptions: zoomapi.ListOptions{PageSize: -3}})
				return err
			},
			arg: "page_size",
		},
		{
			op: zoomapi.OpGetUser,
			success: func(t *testing.T, e *env) {
				u, _, err := e.c.Users.Get(t.Context(), "me", nil)
				mustOK(t, err)
				type view struct{ ID, Email, FirstName, RoleName, Status string }
				want := view{zoomfake.SeedOwnerID, zoomfake.SeedOwnerEmail, "Ava", "Owner", zoomapi.UserActive}
				if diff := cmp.Diff(want, view{u.ID, u.Email, u.FirstName, u.RoleName, u.Status}); diff != "" || u.Type != zoomapi.UserTypeLicensed {
					t.Errorf("me (-want +got):\n%s", diff)
				}
				m, _, err := e.c.Users.Get(t.Context(), zoomfake.SeedMemberEmail, nil)
				mustOK(t, err)
				if m.ID != zoomfake.SeedMemberID || m.RoleName != "Member" {
					t.Errorf("by email: %+v", m)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Users.Get(ctx, "me", nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Users.Get(ctx, nobody, nil)
				return err
			},
			notFoundCode: 1001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Users.Get(ctx, "me", &zoomapi.GetUserOptions{LoginType: zoomapi.Ptr(5)})
				return err
			},
			invalidFields: []string{"login_type"},
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Users.Get(ctx, "", nil)
				return err
			},
			arg: "userId",
		},
		{
			op: zoomapi.OpCreateUser,
			success: func(t *testing.T, e *env) {
				u, _, err := e.c.Users.Create(t.Context(), &zoomapi.UserCreateRequest{
					Action:   zoomapi.UserActionCreate,
					UserInfo: zoomapi.UserInfo{Email: "gus.new@example.com", Type: zoomapi.UserTypeBasic, FirstName: "Gus", LastName: "New"},
				})
				mustOK(t, err)
				if diff := cmp.Diff(&zoomapi.UserCreated{ID: u.ID, Email: "gus.new@example.com", FirstName: "Gus", LastName: "New", Type: 1}, u); diff != "" || u.ID == "" {
					t.Errorf("created (-want +got):\n%s", diff)
				}
				got, _, err := e.c.Users.Get(t.Context(), u.ID, nil)
				mustOK(t, err)
				if got.Email != "gus.new@example.com" || got.Status != zoomapi.UserPending {
					t.Errorf("read back: email %q status %q, want pending (invited)", got.Email, got.Status)
				}
				// The email is now taken.
				_, _, err = e.c.Users.Create(t.Context(), &zoomapi.UserCreateRequest{Action: zoomapi.UserActionCreate, UserInfo: zoomapi.UserInfo{Email: zoomfake.SeedMemberEmail, Type: 1}})
				wantZoomCode(t, err, 400, 1009)
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Users.Create(ctx, &zoomapi.UserCreateRequest{Action: zoomapi.UserActionCreate, UserInfo: zoomapi.UserInfo{Email: "x@example.com", Type: 1}})
				return err
			},
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Users.Create(ctx, &zoomapi.UserCreateRequest{Action: zoomapi.UserActionCreate, UserInfo: zoomapi.UserInfo{Email: "not-an-email", Type: 3}})
				return err
			},
			invalidFields: []string{"user_info.email", "user_info.type"},
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Users.Create(ctx, &zoomapi.UserCreateRequest{Action: "invite", UserInfo: zoomapi.UserInfo{Email: "x@example.com", Type: 1}})
				return err
			},
			arg: "action",
		},
		{
			op: zoomapi.OpListRecordings,
			success: func(t *testing.T, e *env) {
				l, _, err := e.c.Recordings.List(t.Context(), "me", &zoomapi.ListRecordingsOptions{From: e.day(-30), To: e.day(0)})
				mustOK(t, err)
				var uuids []string
				for _, r := range l.Meetings {
					uuids = append(uuids, r.UUID)
					if len(r.RecordingFiles) != 4 || r.TotalSize == 0 || r.HostID != zoomfake.SeedOwnerID {
						t.Errorf("recording %s: %+v", r.UUID, r)
					}
				}
				// Newest first: the team syncs, the debrief and the offsite.
				want := []string{zoomfake.SeedTranscriptUUID, zoomfake.SeedPastDoubleSlashUUID, zoomfake.SeedLongTranscriptUUID,
					zoomfake.SeedPastSlashUUID, zoomfake.SeedPastUUID}
				if diff := cmp.Diff(want, uuids); diff != "" || l.TotalRecords != len(want) || l.From != e.day(-30) {
					t.Errorf("recordings: total %d from %s (-want +got):\n%s", l.TotalRecords, l.From, diff)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Recordings.List(ctx, "me", nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Recordings.List(ctx, nobody, nil)
				return err
			},
			notFoundCode: 1001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Recordings.List(ctx, "me", &zoomapi.ListRecordingsOptions{From: e.day(-60), To: e.day(0)})
				return err
			},
			invalidMsg: "The date range should not exceed one month.",
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Recordings.List(ctx, "me", &zoomapi.ListRecordingsOptions{ListOptions: zoomapi.ListOptions{PageSize: -1}})
				return err
			},
			arg: "page_size",
		},
		{
			op: zoomapi.OpGetMeetingRecordings,
			success: func(t *testing.T, e *env) {
				r, _, err := e.c.Recordings.Get(t.Context(), zoomfake.SeedPastUUID, nil)
				mustOK(t, err)
				if r.UUID != zoomfake.SeedPastUUID || r.ID != zoomfake.SeedTeamSyncMeetingID || r.Topic != "Team sync" || r.Password == "" || r.Type.Int() != 3 {
					t.Errorf("recording: %+v", r)
				}
				var types []string
				for _, f := range r.RecordingFiles {
					types = append(types, f.FileType)
					if f.MeetingID != zoomfake.SeedPastUUID || f.DownloadURL == "" || f.Status != "completed" {
						t.Errorf("file: %+v", f)
					}
				}
				if diff := cmp.Diff([]string{"MP4", "M4A", "TRANSCRIPT", "CHAT"}, types); diff != "" {
					t.Errorf("file types (-want +got):\n%s", diff)
				}
				// The meeting ID names the latest instance.
				latest, _, err := e.c.Recordings.Get(t.Context(), fmt.Sprint(zoomfake.SeedTeamSyncMeetingID), nil)
				mustOK(t, err)
				if latest.UUID != zoomfake.SeedPastDoubleSlashUUID {
					t.Errorf("latest instance = %s, want %s", latest.UUID, zoomfake.SeedPastDoubleSlashUUID)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Recordings.Get(ctx, zoomfake.SeedPastUUID, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Recordings.Get(ctx, fmt.Sprint(zoomfake.SeedRegistrationMeetingID), nil)
				return err
			},
			notFoundCode: 3301,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Recordings.Get(ctx, zoomfake.SeedPastUUID, &zoomapi.GetRecordingsOptions{TTL: 604801})
				return err
			},
			invalidFields: []string{"ttl"},
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Recordings.Get(ctx, "", nil)
				return err
			},
			arg: "meetingId",
		},
		{
			op: zoomapi.OpDeleteMeetingRecordings,
			success: func(t *testing.T, e *env) {
				_, err := e.c.Recordings.Delete(t.Context(), zoomfake.SeedPastUUID, nil)
				mustOK(t, err)
				_, _, err = e.c.Recordings.Get(t.Context(), zoomfake.SeedPastUUID, nil)
				wantNotFound(t, err, 3301)
				tr, _, err := e.c.Recordings.List(t.Context(), "me", &zoomapi.ListRecordingsOptions{Trash: true})
				mustOK(t, err)
				if len(tr.Meetings) != 1 || tr.Meetings[0].UUID != zoomfake.SeedPastUUID || tr.Meetings[0].RecordingFiles[0].DeletedTime.IsZero() {
					t.Errorf("trash: %+v", tr.Meetings)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, err := e.c.Recordings.Delete(ctx, zoomfake.SeedPastUUID, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, err := e.c.Recordings.Delete(ctx, "bm9zdWNoaW5zdGFuY2U=", nil)
				return err
			},
			notFoundCode: 3301,
			badArg: func(ctx context.Context, e *env) error {
				_, err := e.c.Recordings.Delete(ctx, zoomfake.SeedPastUUID, &zoomapi.DeleteRecordingsOptions{Action: "shred"})
				return err
			},
			arg: "action",
		},
		{
			op: zoomapi.OpGetMeetingTranscript,
			success: func(t *testing.T, e *env) {
				ctx := t.Context()
				tr, _, err := e.c.Meetings.GetTranscript(ctx, zoomfake.SeedTranscriptUUID)
				mustOK(t, err)
				if tr.MeetingID != zoomfake.SeedTranscriptUUID || tr.MeetingTopic != "Customer research debrief" || tr.HostID != zoomfake.SeedOwnerID ||
					!tr.CanDownload || tr.DownloadURL == "" || tr.TranscriptCreatedTime.IsZero() || tr.DownloadRestrictionReason != "" {
					t.Errorf("transcript: %+v", tr)
				}
				vtt, _, err := e.c.Download(ctx, tr.DownloadURL, 1<<20)
				mustOK(t, err)
				if !strings.HasPrefix(string(vtt), "\uFEFFWEBVTT") || !strings.Contains(string(vtt), "José María Núñez: ") {
					t.Errorf("transcript text starts %q", vtt[:min(len(vtt), 80)])
				}
				// By meeting ID: the latest instance, whose UUID starts with "/".
				long, _, err := e.c.Meetings.GetTranscript(ctx, strconv.FormatInt(zoomfake.SeedLongTranscriptMeetingID, 10))
				mustOK(t, err)
				if long.MeetingID != zoomfake.SeedLongTranscriptUUID || long.AutoDelete == nil || !*long.AutoDelete || long.AutoDeleteDate == "" {
					t.Errorf("long transcript: %+v", long)
				}
				byUUID, _, err := e.c.Meetings.GetTranscript(ctx, zoomfake.SeedLongTranscriptUUID)
				mustOK(t, err)
				if byUUID.DownloadURL != long.DownloadURL {
					t.Errorf("by UUID: %+v, by ID: %+v", byUUID, long)
				}
				for uuid, reason := range map[string]string{
					zoomfake.SeedProcessingTranscriptUUID: zoomapi.TranscriptNotReady,
					zoomfake.SeedRestrictedTranscriptUUID: zoomapi.TranscriptUnsupported,
				} {
					tr, _, err := e.c.Meetings.GetTranscript(ctx, uuid)
					mustOK(t, err)
					if tr.CanDownload || tr.DownloadURL != "" || tr.DownloadRestrictionReason != reason {
						t.Errorf("transcript of %s: %+v, want reason %s", uuid, tr, reason)
					}
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.GetTranscript(ctx, zoomfake.SeedTranscriptUUID)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.GetTranscript(ctx, zoomfake.SeedNoRecordingUUID)
				return err
			},
			notFoundCode: 3322,
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.GetTranscript(ctx, "")
				return err
			},
			arg: "meetingId",
		},
		{
			op: zoomapi.OpGetMeetingSummary,
			success: func(t *testing.T, e *env) {
				ctx := t.Context()
				s, _, err := e.c.Meetings.GetSummary(ctx, zoomfake.SeedSummaryUUID)
				mustOK(t, err)
				if s.MeetingUUID != zoomfake.SeedSummaryUUID || s.MeetingID != zoomfake.SeedTranscriptMeetingID || s.MeetingHostID != zoomfake.SeedOwnerID ||
					s.SummaryTitle != "Meeting summary for Customer research debrief" || s.SummaryContent == "" || s.SummaryDocURL == "" ||
					s.SummaryCreatedTime.IsZero() || s.EditedSummary != nil {
					t.Errorf("summary: %+v", s)
				}
				// The UUID holds "//": it is encoded twice.
				ed, _, err := e.c.Meetings.GetSummary(ctx, zoomfake.SeedEditedSummaryUUID)
				mustOK(t, err)
				if ed.MeetingUUID != zoomfake.SeedEditedSummaryUUID || ed.EditedSummary == nil || ed.SummaryLastModifiedUserID != zoomfake.SeedAdminID ||
					!strings.Contains(ed.SummaryContent, ed.EditedSummary.SummaryOverview) {
					t.Errorf("edited summary: %+v", ed)
				}
				_, _, err = e.c.Meetings.GetSummary(ctx, zoomfake.SeedTrashedSummaryUUID)
				wantZoomCode(t, err, 403, 2305)
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.GetSummary(ctx, zoomfake.SeedSummaryUUID)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.GetSummary(ctx, zoomfake.SeedNoSummaryUUID)
				return err
			},
			notFoundCode: 3001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.GetSummary(ctx, "not-a-meeting")
				return err
			},
			invalidMsg: "Invalid meeting ID.",
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.GetSummary(ctx, "")
				return err
			},
			arg: "meetingId",
		},
		{
			op: zoomapi.OpListMeetingSummaries,
			success: func(t *testing.T, e *env) {
				ctx := t.Context()
				all := collect(t, e.c.Meetings.ListAllSummaries(ctx, &zoomapi.ListMeetingSummariesOptions{ListOptions: zoomapi.ListOptions{PageSize: 3}}))
				var uuids []string
				for _, s := range all {
					uuids = append(uuids, s.MeetingUUID)
					if s.MeetingID == 0 || s.MeetingTopic == "" || s.SummaryCreatedTime.IsZero() || s.SummaryContent != "" {
						t.Errorf("listed summary: %+v", s)
					}
				}
				if len(all) != zoomfake.SeedSummaries || slices.Contains(uuids, zoomfake.SeedTrashedSummaryUUID) {
					t.Errorf("%d summaries %v, want %d without the trashed one", len(all), uuids, zoomfake.SeedSummaries)
				}
				now := e.clock.Now().Truncate(time.Second)
				from, to := zoomapi.FormatTime(now.AddDate(0, 0, -10)), zoomapi.FormatTime(now)
				l, _, err := e.c.Meetings.ListSummaries(ctx, &zoomapi.ListMeetingSummariesOptions{From: from, To: to})
				mustOK(t, err)
				uuids = nil
				for _, s := range l.Summaries {
					uuids = append(uuids, s.MeetingUUID)
				}
				// Newest first by start: the debrief, the contract review, the
				// last team sync and the offsite.
				want := []string{zoomfake.SeedTranscriptUUID, zoomfake.SeedRestrictedTranscriptUUID, zoomfake.SeedPastDoubleSlashUUID, zoomfake.SeedLongTranscriptUUID}
				if diff := cmp.Diff(want, uuids); diff != "" || l.From != from || l.To != to || l.NextPageToken != "" {
					t.Errorf("summaries from %s to %s (echoed %s, %s; next %q) (-want +got):\n%s", from, to, l.From, l.To, l.NextPageToken, diff)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.ListSummaries(ctx, nil)
				return err
			},
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.ListSummaries(ctx, &zoomapi.ListMeetingSummariesOptions{From: future(e, 24), To: future(e, 0)})
				return err
			},
			invalidMsg: "The start date cannot be later than the end date.",
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Meetings.ListSummaries(ctx, &zoomapi.ListMeetingSummariesOptions{TimeFilterField: "meeting_start_time"})
				return err
			},
			arg: "time_filter_field",
		},
		{
			op: zoomapi.OpReportMeetings,
			success: func(t *testing.T, e *env) {
				l, _, err := e.c.Reports.Meetings(t.Context(), "me", &zoomapi.ReportMeetingsOptions{From: e.day(-30), To: e.day(0)})
				mustOK(t, err)
				var uuids []string
				for _, m := range l.Meetings {
					uuids = append(uuids, m.UUID)
					if m.UserEmail != zoomfake.SeedOwnerEmail || m.ParticipantsCount != 5 {
						t.Errorf("report meeting: %+v", m)
					}
					if m.ID == zoomfake.SeedTeamSyncMeetingID && (m.Topic != "Team sync" || m.Duration != 45) {
						t.Errorf("team sync: %+v", m)
					}
				}
				// Oldest first: the team syncs, the offsite and the debrief.
				want := []string{zoomfake.SeedPastUUID, zoomfake.SeedPastSlashUUID, zoomfake.SeedLongTranscriptUUID,
					zoomfake.SeedPastDoubleSlashUUID, zoomfake.SeedTranscriptUUID}
				if diff := cmp.Diff(want, uuids); diff != "" || l.TotalRecords != len(want) {
					t.Errorf("report meetings: total %d (-want +got):\n%s", l.TotalRecords, diff)
				}
				j, _, err := e.c.Reports.Meetings(t.Context(), zoomfake.SeedMemberEmail, &zoomapi.ReportMeetingsOptions{From: e.day(-30), To: e.day(0), Type: zoomapi.ReportPastJoined})
				mustOK(t, err)
				// The three team syncs, her design review and contract review,
				// the offsite, Ben's vendor check-in and incident retrospective.
				if j.TotalRecords != 8 {
					t.Errorf("meetings Carla joined = %d, want 8", j.TotalRecords)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Reports.Meetings(ctx, "me", &zoomapi.ReportMeetingsOptions{From: e.day(-30), To: e.day(0)})
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Reports.Meetings(ctx, nobody, &zoomapi.ReportMeetingsOptions{From: e.day(-30), To: e.day(0)})
				return err
			},
			notFoundCode: 1001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Reports.Meetings(ctx, "me", &zoomapi.ReportMeetingsOptions{From: e.day(-45), To: e.day(0)})
				return err
			},
			invalidMsg: "The date range should not exceed one month.",
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Reports.Meetings(ctx, "me", &zoomapi.ReportMeetingsOptions{From: e.day(-3)})
				return err
			},
			arg: "to",
		},
		{
			op: zoomapi.OpReportMeetingDetails,
			success: func(t *testing.T, e *env) {
				d, _, err := e.c.Reports.MeetingDetails(t.Context(), zoomfake.SeedPastUUID)
				mustOK(t, err)
				type view struct {
					UUID, Topic, UserEmail, Dept string
					ID                           int64
					Duration, ParticipantsCount  int
				}
				want := view{zoomfake.SeedPastUUID, "Team sync", zoomfake.SeedOwnerEmail, "Engineering", zoomfake.SeedTeamSyncMeetingID, 45, 5}
				if diff := cmp.Diff(want, view{d.UUID, d.Topic, d.UserEmail, d.Dept, d.ID, d.Duration, d.ParticipantsCount}); diff != "" {
					t.Errorf("details (-want +got):\n%s", diff)
				}
				if d.EndTime.Sub(d.StartTime.Time).Round(time.Minute) != 45*time.Minute || d.TotalMinutes == 0 {
					t.Errorf("times: %v to %v, total minutes %d", d.StartTime, d.EndTime, d.TotalMinutes)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Reports.MeetingDetails(ctx, zoomfake.SeedPastUUID)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Reports.MeetingDetails(ctx, "1")
				return err
			},
			notFoundCode: 3001,
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Reports.MeetingDetails(ctx, "")
				return err
			},
			arg: "meetingId",
		},
		{
			op: zoomapi.OpReportMeetingParticipants,
			success: func(t *testing.T, e *env) {
				l, _, err := e.c.Reports.MeetingParticipants(t.Context(), zoomfake.SeedPastUUID, nil)
				mustOK(t, err)
				var names []string
				for _, p := range l.Participants {
					names = append(names, p.Name)
					if p.Duration <= 0 || !p.LeaveTime.After(p.JoinTime.Time) {
						t.Errorf("participant times: %+v", p)
					}
				}
				// Carla dropped and rejoined: two sessions.
				want := []string{"Ava Owner", "Carla Member", "Dan Basic", "Grace Approved", "Carla Member"}
				if diff := cmp.Diff(want, names); diff != "" || l.TotalRecords != 5 {
					t.Errorf("participants: total %d (-want +got):\n%s", l.TotalRecords, diff)
				}
			},
			call: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Reports.MeetingParticipants(ctx, zoomfake.SeedPastUUID, nil)
				return err
			},
			notFound: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Reports.MeetingParticipants(ctx, "1", nil)
				return err
			},
			notFoundCode: 3001,
			invalid: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Reports.MeetingParticipants(ctx, zoomfake.SeedPastUUID, &zoomapi.ReportParticipantsOptions{IncludeFields: "phone"})
				return err
			},
			invalidFields: []string{"include_fields"},
			badArg: func(ctx context.Context, e *env) error {
				_, _, err := e.c.Reports.MeetingParticipants(ctx, zoomfake.SeedPastUUID, &zoomapi.ReportParticipantsOptions{ListOptions: zoomapi.ListOptions{PageSize: -1}})
				return err
			},
			arg: "page_size",
		},
	}
}

func registrantEmails(rs []zoomapi.Registrant) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Email)
	}
	return out
}

// categories is how Zoom spells each label in X-RateLimit-Category.
var categories = map[zoomapi.RateLimit]string{zoomapi.RateLight: "Light", zoomapi.RateMedium: "Medium", zoomapi.RateHeavy: "Heavy"}

// TestIntegrationEndpoints runs every endpoint of the table through the
// typed client against the simulator: success with a follow-up read, a
// missing scope, a missing resource, Zoom's validation, the client's own
// argument checks, and the per-second rate limit of the free plan.
func TestIntegrationEndpoints(t *testing.T) {
	cases := endpointCases()
	covered := map[string]bool{}
	for _, tc := range cases {
		covered[tc.op] = true
	}
	for _, ep := range zoomapi.Endpoints {
		if !covered[ep.ID] {
			t.Errorf("endpoint %s has no integration case", ep.ID)
		}
	}
	for _, tc := range cases {
		ep := zoomapi.MustEndpoint(tc.op)
		t.Run(tc.op, func(t *testing.T) {
			t.Parallel()
			t.Run("success", func(t *testing.T) {
				tc.success(t, newEnv(t, zoomfake.Options{}, nil))
			})
			t.Run("missing_scope", func(t *testing.T) {
				e := newEnv(t, zoomfake.Options{}, nil)
				e.sim.SetScopes(scopesWithout(ep))
				err := tc.call(t.Context(), e)
				var se *zoomapi.ScopeError
				if !errors.As(err, &se) || !errors.Is(err, zoomapi.ErrMissingScope) {
					t.Fatalf("err = %T %v, want *zoomapi.ScopeError", err, err)
				}
				if diff := cmp.Diff(ep.GranularScopes, se.Missing); diff != "" {
					t.Errorf("Missing (-want +got):\n%s", diff)
				}
				if se.Code != 4711 || se.StatusCode != 400 {
					t.Errorf("HTTP %d code %d, want HTTP 400 code 4711", se.StatusCode, se.Code)
				}
				// Granting one scope back is enough.
				e.sim.SetScopes(append(scopesWithout(ep), ep.GranularScopes[len(ep.GranularScopes)-1]))
				if err := tc.call(t.Context(), e); errors.Is(err, zoomapi.ErrMissingScope) {
					t.Errorf("with %s granted: %v", ep.GranularScopes[len(ep.GranularScopes)-1], err)
				}
			})
			if tc.notFound != nil {
				t.Run("not_found", func(t *testing.T) {
					wantNotFound(t, tc.notFound(t.Context(), newEnv(t, zoomfake.Options{}, nil)), tc.notFoundCode)
				})
			}
			if tc.invalid != nil {
				t.Run("validation", func(t *testing.T) {
					wantValidation(t, tc.invalid(t.Context(), newEnv(t, zoomfake.Options{}, nil)), tc.invalidMsg, tc.invalidFields...)
				})
			}
			t.Run("argument", func(t *testing.T) {
				e := newEnv(t, zoomfake.Options{}, nil)
				wantArgument(t, tc.badArg(t.Context(), e), tc.arg)
				if n := e.sim.Requests(); n != 0 {
					t.Errorf("a bad argument sent %d requests", n)
				}
			})
			t.Run("rate_limit", func(t *testing.T) {
				clk := frozenClock(itEpoch)
				e := newEnv(t, zoomfake.Options{Plan: zoomfake.PlanFree}, clk,
					zoomapi.WithoutPacing(), zoomapi.WithRetryOnRateLimit(0, 0))
				lim, _ := zoomapi.Limits(zoomapi.PlanFree, ep.RateLimit)
				for i := range lim.PerSecond {
					if err := tc.call(t.Context(), e); errors.Is(err, zoomapi.ErrRateLimited) {
						t.Fatalf("call %d of %d in one second: %v", i+1, lim.PerSecond, err)
					}
				}
				err := tc.call(t.Context(), e)
				var rl *zoomapi.RateLimitError
				if !errors.As(err, &rl) || !errors.Is(err, zoomapi.ErrRateLimited) {
					t.Fatalf("call %d in one second: err = %T %v, want *zoomapi.RateLimitError", lim.PerSecond+1, err, err)
				}
				got := struct {
					Category, Type string
					Limit          int
					Daily, PerUser bool
					Retry          time.Duration
					Status, Code   int
				}{rl.Category, rl.Type, rl.Limit, rl.Daily, rl.PerUser, rl.RetryAfter(clk.Now()), rl.StatusCode, rl.Code}
				want := got
				want.Category, want.Type, want.Limit, want.Daily, want.PerUser, want.Retry, want.Status, want.Code =
					categories[ep.RateLimit], "QPS", lim.PerSecond, false, false, time.Second, 429, 429
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("rate limit (-want +got):\n%s", diff)
				}
				// The next second is a new window.
				clk.Advance(time.Second)
				if err := tc.call(t.Context(), e); errors.Is(err, zoomapi.ErrRateLimited) {
					t.Errorf("after a second: %v", err)
				}
			})
		})
	}
}
