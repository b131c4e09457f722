package tools

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Conversions from the client's types to the trimmed tool results.

func (p pageArgs) options() zoomapi.ListOptions {
	return zoomapi.ListOptions{PageSize: p.PageSize, NextPageToken: p.NextPageToken}
}

func pageOf(p zoomapi.Page) pageOut {
	return pageOut{TotalRecords: p.TotalRecords, NextPageToken: p.NextPageToken}
}

// userOrMe defaults an empty user ID to "me".
func userOrMe(id string) string {
	if id == "" {
		return "me"
	}
	return id
}

func occurrencesOf(in []zoomapi.Occurrence) []occurrence {
	if len(in) == 0 {
		return nil
	}
	out := make([]occurrence, len(in))
	for i, o := range in {
		out[i] = occurrence{OccurrenceID: o.OccurrenceID, StartTime: o.StartTime.String(), Duration: o.Duration, Status: o.Status}
	}
	return out
}

func recurrenceOf(r *zoomapi.Recurrence) *recurrenceArg {
	if r == nil {
		return nil
	}
	return &recurrenceArg{Type: r.Type, RepeatInterval: r.RepeatInterval, WeeklyDays: r.WeeklyDays,
		MonthlyDay: r.MonthlyDay, EndTimes: r.EndTimes, EndDateTime: r.EndDateTime.String()}
}

func (r *recurrenceArg) toClient() (*zoomapi.Recurrence, error) {
	if r == nil {
		return nil, nil
	}
	end, err := zoomapi.ParseTime(r.EndDateTime)
	if err != nil {
		return nil, &zoomapi.ArgumentError{Arg: "recurrence.end_date_time", Reason: "must be a date-time such as 2026-12-31T23:59:00Z"}
	}
	return &zoomapi.Recurrence{Type: r.Type, RepeatInterval: r.RepeatInterval, WeeklyDays: r.WeeklyDays,
		MonthlyDay: r.MonthlyDay, EndTimes: r.EndTimes, EndDateTime: end}, nil
}

func meetingFromClient(m zoomapi.Meeting) meetingOut {
	out := meetingOut{
		ID: m.ID, UUID: m.UUID, Topic: m.Topic, Type: m.Type, Status: m.Status,
		StartTime: m.StartTime.String(), Duration: m.Duration, Timezone: m.Timezone, Agenda: m.Agenda,
		HostID: m.HostID, HostEmail: m.HostEmail, JoinURL: m.JoinURL, RegistrationURL: m.RegistrationURL,
		Password: m.Password, CreatedAt: m.CreatedAt.String(),
		Occurrences: occurrencesOf(m.Occurrences), Recurrence: recurrenceOf(m.Recurrence),
	}
	if s := m.Settings; s != nil {
		out.Settings = &settingsArg{JoinBeforeHost: s.JoinBeforeHost, MuteUponEntry: s.MuteUponEntry,
			WaitingRoom: s.WaitingRoom, ApprovalType: s.ApprovalType, AutoRecording: s.AutoRecording,
			AlternativeHosts: s.AlternativeHosts}
	}
	return out
}

func webinarFromClient(w zoomapi.Webinar) meetingOut {
	out := meetingOut{
		ID: w.ID, UUID: w.UUID, Topic: w.Topic, Type: w.Type,
		StartTime: w.StartTime.String(), Duration: w.Duration, Timezone: w.Timezone, Agenda: w.Agenda,
		HostID: w.HostID, HostEmail: w.HostEmail, JoinURL: w.JoinURL, RegistrationURL: w.RegistrationURL,
		Password: w.Password, CreatedAt: w.CreatedAt.String(),
		Occurrences: occurrencesOf(w.Occurrences), Recurrence: recurrenceOf(w.Recurrence),
	}
	if s := w.Settings; s != nil {
		out.Settings = &settingsArg{ApprovalType: s.ApprovalType,
			AutoRecording: s.AutoRecording, AlternativeHosts: s.AlternativeHosts}
	}
	return out
}

func userFromClient(u zoomapi.User) userOut {
	return userOut{ID: u.ID, Email: u.Email, FirstName: u.FirstName, LastName: u.LastName,
		DisplayName: u.DisplayName, Type: u.Type, RoleName: u.RoleName, Status: u.Status,
		Timezone: u.Timezone, Dept: u.Dept, PMI: u.PMI, CreatedAt: u.CreatedAt.String(),
		LastLoginTime: u.LastLoginTime.String()}
}

func recordingFromClient(r zoomapi.Recording) recordingOut {
	out := recordingOut{UUID: r.UUID, ID: r.ID, Topic: r.Topic, HostID: r.HostID, StartTime: r.StartTime.String(),
		Duration: r.Duration, TotalSize: r.TotalSize, RecordingCount: r.RecordingCount,
		Files: make([]fileOut, 0, len(r.RecordingFiles))}
	for _, f := range r.RecordingFiles {
		out.Files = append(out.Files, fileOut{ID: f.ID, FileType: f.FileType, FileExtension: f.FileExtension,
			RecordingType: f.RecordingType, FileSize: f.FileSize, Status: f.Status,
			RecordingStart: f.RecordingStart.String(), RecordingEnd: f.RecordingEnd.String(),
			PlayURL: f.PlayURL})
	}
	return out
}

func meetingRowFromClient(m zoomapi.Meeting) meetingRowOut {
	return meetingRowOut{ID: m.ID, Topic: m.Topic, Type: m.Type, StartTime: m.StartTime.String(),
		Duration: m.Duration, Status: m.Status}
}

func webinarRowFromClient(w zoomapi.Webinar) meetingRowOut {
	return meetingRowOut{ID: w.ID, Topic: w.Topic, Type: w.Type, StartTime: w.StartTime.String(), Duration: w.Duration}
}

func registrantRowFromClient(r zoomapi.Registrant) registrantRowOut {
	return registrantRowOut{ID: r.ID, Email: r.Email, FirstName: r.FirstName, LastName: r.LastName, Status: r.Status}
}

func userRowFromClient(u zoomapi.User) userRowOut {
	name := u.DisplayName
	if name == "" {
		name = strings.TrimSpace(u.FirstName + " " + u.LastName)
	}
	return userRowOut{ID: u.ID, Email: u.Email, DisplayName: name, Type: u.Type, Status: u.Status}
}

// recordingRowFromClient names each kind of file once, in the order Zoom
// lists them.
func recordingRowFromClient(r zoomapi.Recording) recordingRowOut {
	out := recordingRowOut{UUID: r.UUID, Topic: r.Topic, StartTime: r.StartTime.String(),
		FileTypes: make([]string, 0, len(r.RecordingFiles))}
	for _, f := range r.RecordingFiles {
		if !slices.Contains(out.FileTypes, f.FileType) {
			out.FileTypes = append(out.FileTypes, f.FileType)
		}
	}
	return out
}

// settingsToClient turns the settings arguments into the client's type.
func settingsToClient(s *settingsArg) *zoomapi.MeetingSettings {
	if s == nil {
		return nil
	}
	return &zoomapi.MeetingSettings{JoinBeforeHost: s.JoinBeforeHost, MuteUponEntry: s.MuteUponEntry, WaitingRoom: s.WaitingRoom,
		ApprovalType: s.ApprovalType, AutoRecording: s.AutoRecording, AlternativeHosts: s.AlternativeHosts}
}

// deref returns *p, or the zero value for nil.
func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

const dateLayout = "2006-01-02"

// monthRange fills in a missing date range: to defaults to today (UTC)
// and from to a month before to, the widest range Zoom accepts for
// recordings and reports; a longer range is an argument error naming from,
// so that Zoom's own answer ("should not exceed one month") need not be
// decoded by the model. Both dates have passed the date format check
// (decodeArgs) by now; were a bad to to reach here, from would stay empty
// and the client would report "from is required", naming the wrong
// argument.
func monthRange(from, to string) (string, string, error) {
	if to == "" {
		to = now().UTC().Format(dateLayout)
	}
	if from == "" {
		if t, err := time.Parse(dateLayout, to); err == nil {
			from = t.AddDate(0, -1, 0).Format(dateLayout)
		}
	}
	f, ferr := time.Parse(dateLayout, from)
	t, terr := time.Parse(dateLayout, to)
	if ferr == nil && terr == nil && f.Before(t.AddDate(0, -1, 0)) {
		return from, to, &zoomapi.ArgumentError{Arg: "from", Reason: fmt.Sprintf(
			"must be at most one month before to (Zoom's limit): use from %s or later with to %s, and ask month by month for longer",
			t.AddDate(0, -1, 0).Format(dateLayout), to)}
	}
	return from, to, nil
}
