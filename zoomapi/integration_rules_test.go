package zoomapi_test

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// TestIntegrationConcurrency mixes creates, gets, lists, updates and
// deletes from 50 goroutines on one client (run with -race): no call
// fails, one token serves them all, and the final list holds exactly the
// meetings that were created and not deleted.
func TestIntegrationConcurrency(t *testing.T) {
	t.Parallel()
	e := newEnv(t, zoomfake.Options{}, nil)
	ctx := t.Context()
	baseline := len(collect(t, e.c.Meetings.ListAll(ctx, "me", nil)))

	var kept atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for g := range 50 {
		wg.Go(func() {
			fail := func(err error) {
				if err != nil {
					errs <- fmt.Errorf("goroutine %d: %w", g, err)
				}
			}
			switch g % 5 {
			case 0: // create, update, read back
				m, _, err := e.c.Meetings.Create(ctx, "me", &zoomapi.MeetingCreateRequest{Topic: fmt.Sprintf("c%d", g)})
				if err != nil {
					fail(err)
					return
				}
				kept.Add(1)
				_, err = e.c.Meetings.Update(ctx, m.ID, &zoomapi.MeetingUpdateRequest{Topic: zoomapi.Ptr(fmt.Sprintf("u%d", g))}, nil)
				fail(err)
				got, _, err := e.c.Meetings.Get(ctx, m.ID, nil)
				fail(err)
				if err == nil && got.Topic != fmt.Sprintf("u%d", g) {
					fail(fmt.Errorf("topic %q after update", got.Topic))
				}
			case 1: // create then delete
				m, _, err := e.c.Meetings.Create(ctx, "me", &zoomapi.MeetingCreateRequest{Topic: fmt.Sprintf("d%d", g)})
				if err != nil {
					fail(err)
					return
				}
				_, err = e.c.Meetings.Delete(ctx, m.ID, nil)
				fail(err)
			case 2:
				_, _, err := e.c.Meetings.List(ctx, "me", nil)
				fail(err)
			case 3:
				_, _, err := e.c.Meetings.Get(ctx, zoomfake.SeedRegistrationMeetingID, nil)
				fail(err)
			case 4:
				_, _, err := e.c.Meetings.AddRegistrant(ctx, zoomfake.SeedRegistrationMeetingID, &zoomapi.RegistrantRequest{Email: fmt.Sprintf("p%d@example.org", g), FirstName: "P"}, nil)
				fail(err)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	final := collect(t, e.c.Meetings.ListAll(ctx, "me", nil))
	if got, want := len(final), baseline+int(kept.Load()); got != want || kept.Load() != 10 {
		t.Errorf("meetings after the run = %d, want %d (baseline %d + %d kept)", got, want, baseline, kept.Load())
	}
	var updated int
	for _, m := range final {
		if strings.HasPrefix(m.Topic, "u") {
			updated++
		}
		if strings.HasPrefix(m.Topic, "d") || strings.HasPrefix(m.Topic, "c") {
			t.Errorf("left over: %q", m.Topic)
		}
	}
	if updated != 10 {
		t.Errorf("updated meetings = %d, want 10", updated)
	}
	pend := collect(t, e.c.Meetings.ListAllRegistrants(ctx, zoomfake.SeedRegistrationMeetingID, &zoomapi.ListRegistrantsOptions{Status: zoomapi.RegistrantPending}))
	if len(pend) != 1+10 {
		t.Errorf("pending registrants = %d, want 11", len(pend))
	}
	if n := e.sim.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d, want 1", n)
	}
	t.Logf("%d API requests (429s retried by the client included)", e.sim.Requests())
}

// TestIntegrationDoubleEncodedUUIDs reaches past instances whose UUIDs
// start with "/" or contain "//": the client encodes them twice, and every
// endpoint that takes a UUID finds the right instance.
func TestIntegrationDoubleEncodedUUIDs(t *testing.T) {
	for _, uuid := range []string{zoomfake.SeedPastSlashUUID, zoomfake.SeedPastDoubleSlashUUID} {
		t.Run(uuid, func(t *testing.T) {
			e := newEnv(t, zoomfake.Options{}, nil)
			ctx := t.Context()
			r, resp, err := e.c.Recordings.Get(ctx, uuid, nil)
			mustOK(t, err)
			if r.UUID != uuid || r.ID != zoomfake.SeedTeamSyncMeetingID {
				t.Errorf("recording: uuid %q id %d", r.UUID, r.ID)
			}
			if p := resp.Request.URL.EscapedPath(); !strings.Contains(p, "%252F") {
				t.Errorf("path %s is not double-encoded", p)
			}
			d, _, err := e.c.Reports.MeetingDetails(ctx, uuid)
			mustOK(t, err)
			if d.UUID != uuid {
				t.Errorf("details uuid = %q", d.UUID)
			}
			ps, _, err := e.c.Reports.MeetingParticipants(ctx, uuid, nil)
			mustOK(t, err)
			if ps.TotalRecords != 5 {
				t.Errorf("participants = %d, want 5", ps.TotalRecords)
			}
			_, err = e.c.Recordings.Delete(ctx, uuid, nil)
			mustOK(t, err)
			_, _, err = e.c.Recordings.Get(ctx, uuid, nil)
			wantNotFound(t, err, 3301)
			// Only that instance went to the trash.
			_, _, err = e.c.Recordings.Get(ctx, zoomfake.SeedPastUUID, nil)
			mustOK(t, err)
		})
	}
}

// TestIntegrationBusinessRules checks Zoom's rules that span calls.
func TestIntegrationBusinessRules(t *testing.T) {
	t.Run("in_progress_meeting_cannot_be_deleted", func(t *testing.T) {
		e := newEnv(t, zoomfake.Options{}, nil)
		ctx := t.Context()
		id := zoomfake.SeedRegistrationMeetingID
		mustOK(t, e.sim.StartMeeting(id))
		_, err := e.c.Meetings.Delete(ctx, id, nil)
		wantZoomCode(t, err, 400, 3000)
		m, _, err := e.c.Meetings.Get(ctx, id, nil)
		mustOK(t, err)
		if m.Status != "started" {
			t.Errorf("status = %q, want started", m.Status)
		}
		_, err = e.c.Meetings.End(ctx, id)
		mustOK(t, err)
		_, err = e.c.Meetings.Delete(ctx, id, nil)
		mustOK(t, err)
	})
	t.Run("only_started_meetings_end", func(t *testing.T) {
		e := newEnv(t, zoomfake.Options{}, nil)
		_, err := e.c.Meetings.End(t.Context(), zoomfake.SeedRegistrationMeetingID)
		if er := wantZoomCode(t, err, 400, 3000); er != nil && er.Message != "The meeting is not in progress." {
			t.Errorf("message = %q", er.Message)
		}
	})
	t.Run("report_range_over_a_month", func(t *testing.T) {
		e := newEnv(t, zoomfake.Options{}, nil)
		_, _, err := e.c.Reports.Meetings(t.Context(), "me", &zoomapi.ReportMeetingsOptions{From: e.day(-40), To: e.day(0)})
		wantValidation(t, err, "The date range should not exceed one month.")
		_, _, err = e.c.Reports.Meetings(t.Context(), "me", &zoomapi.ReportMeetingsOptions{From: e.day(0), To: e.day(-1)})
		wantValidation(t, err, "The start date cannot be later than the end date.")
	})
	t.Run("report_older_than_a_year", func(t *testing.T) {
		e := newEnv(t, zoomfake.Options{}, nil)
		_, _, err := e.c.Reports.MeetingDetails(t.Context(), zoomfake.SeedOldUUID)
		wantZoomCode(t, err, 400, 12702)
		_, _, err = e.c.Reports.MeetingParticipants(t.Context(), zoomfake.SeedOldUUID, nil)
		wantZoomCode(t, err, 400, 12702)
	})
	t.Run("recording_delete_trashes_unless_delete", func(t *testing.T) {
		e := newEnv(t, zoomfake.Options{}, nil)
		ctx := t.Context()
		trash := func() []string {
			l, _, err := e.c.Recordings.List(ctx, "me", &zoomapi.ListRecordingsOptions{Trash: true})
			mustOK(t, err)
			var out []string
			for _, r := range l.Meetings {
				out = append(out, r.UUID)
			}
			return out
		}
		_, err := e.c.Recordings.Delete(ctx, zoomfake.SeedPastUUID, nil)
		mustOK(t, err)
		_, err = e.c.Recordings.Delete(ctx, zoomfake.SeedPastSlashUUID, &zoomapi.DeleteRecordingsOptions{Action: zoomapi.RecordingActionDelete})
		mustOK(t, err)
		if got := trash(); !slices.Equal(got, []string{zoomfake.SeedPastUUID}) {
			t.Errorf("trash = %v, want only the trashed one", got)
		}
		// A trashed recording can still be deleted for good.
		_, err = e.c.Recordings.Delete(ctx, zoomfake.SeedPastUUID, &zoomapi.DeleteRecordingsOptions{Action: zoomapi.RecordingActionDelete})
		mustOK(t, err)
		if got := trash(); len(got) != 0 {
			t.Errorf("trash after delete = %v", got)
		}
		l, _, err := e.c.Recordings.List(ctx, "me", &zoomapi.ListRecordingsOptions{From: e.day(-30), To: e.day(0)})
		mustOK(t, err)
		var left []string
		for _, r := range l.Meetings {
			left = append(left, r.UUID)
		}
		if want := []string{zoomfake.SeedTranscriptUUID, zoomfake.SeedPastDoubleSlashUUID, zoomfake.SeedLongTranscriptUUID}; !slices.Equal(left, want) {
			t.Errorf("recordings left = %v, want %v", left, want)
		}
	})
	t.Run("registrant_status_actions", func(t *testing.T) {
		e := newEnv(t, zoomfake.Options{}, nil)
		ctx := t.Context()
		id := zoomfake.SeedRegistrationMeetingID
		act := func(action, email string) {
			t.Helper()
			_, err := e.c.Meetings.UpdateRegistrantStatus(ctx, id, &zoomapi.RegistrantStatusRequest{Action: action, Registrants: []zoomapi.RegistrantRef{{Email: email}}}, nil)
			mustOK(t, err)
		}
		byStatus := func(status string) []string {
			t.Helper()
			return registrantEmails(collect(t, e.c.Meetings.ListAllRegistrants(ctx, id, &zoomapi.ListRegistrantsOptions{Status: status})))
		}
		act(zoomapi.RegistrantActionApprove, "ines.pending@partner.example.com")
		act(zoomapi.RegistrantActionDeny, "grace.approved@partner.example.com")
		act(zoomapi.RegistrantActionCancel, "hugo.approved@partner.example.com")
		if got := byStatus(zoomapi.RegistrantApproved); !slices.Equal(got, []string{"ines.pending@partner.example.com"}) {
			t.Errorf("approved = %v", got)
		}
		if got := byStatus(zoomapi.RegistrantPending); len(got) != 0 {
			t.Errorf("pending = %v", got)
		}
		if got := byStatus(zoomapi.RegistrantDenied); len(got) != 3 {
			t.Errorf("denied = %v, want Grace, Hugo (cancelled) and Jack", got)
		}
	})
	t.Run("registration_required", func(t *testing.T) {
		e := newEnv(t, zoomfake.Options{}, nil)
		_, _, err := e.c.Webinars.AddRegistrant(t.Context(), zoomfake.SeedOpenWebinarID, &zoomapi.RegistrantRequest{Email: "a@example.org", FirstName: "A"}, nil)
		wantZoomCode(t, err, 400, 3000)
		_, _, err = e.c.Webinars.AddRegistrant(t.Context(), zoomfake.SeedWebinarID, &zoomapi.RegistrantRequest{Email: zoomfake.SeedOwnerEmail, FirstName: "Ava"}, nil)
		wantZoomCode(t, err, 400, 3027)
	})
}
