package zoomfake

import (
	"fmt"
	"strings"
	"time"
)

// Seeded users. The owner is "me", the user a Server-to-Server app acts as.
const (
	SeedOwnerID       = "KDcuGIm1QgePTO8WbOqwIQ" // Ava Owner, licensed, role Owner
	SeedOwnerEmail    = "ava.owner@example.com"
	SeedAdminID       = "z8yCxjabSFeqAyqlHxD7pw" // Ben Admin, licensed, role Admin
	SeedAdminEmail    = "ben.admin@example.com"
	SeedMemberID      = "v4iyWT1LTfy8QvPG4GTvdg" // Carla Member, licensed
	SeedMemberEmail   = "carla.member@example.com"
	SeedBasicID       = "BjP2a5ZaRqSwHcRMsbgcyw" // Dan Basic, basic (type 1)
	SeedBasicEmail    = "dan.basic@example.com"
	SeedPendingID     = "q1Sgs3X4SVqBdm8JBtvKIw" // Erin Pending, invited, not yet active
	SeedPendingEmail  = "erin.pending@example.com"
	SeedInactiveID    = "hN9qpd7sS1alsbq0m8mZBw" // Finn Inactive, deactivated
	SeedInactiveEmail = "finn.inactive@example.com"
)

// Seeded meetings and webinars.
const (
	// SeedRegistrationMeetingID is the owner's scheduled meeting with
	// manual registration (approval_type 1) and two approved, one pending
	// and one denied registrant.
	SeedRegistrationMeetingID int64 = 85746065432
	// SeedRecurringMeetingID is the owner's weekly recurring meeting with a
	// fixed time (type 8) and eight occurrences.
	SeedRecurringMeetingID int64 = 87231234567
	// SeedTeamSyncMeetingID is the owner's recurring meeting with no fixed
	// time (type 3). It has three past instances, each with a participant
	// report and a cloud recording: SeedPastUUID, SeedPastSlashUUID and
	// SeedPastDoubleSlashUUID (newest).
	SeedTeamSyncMeetingID int64 = 83456789012
	// SeedDesignReviewMeetingID is a meeting of Carla's that took place
	// three days ago, with a recording.
	SeedDesignReviewMeetingID int64 = 89012345678
	// SeedOldMeetingID took place 400 days ago: its reports answer 12702.
	SeedOldMeetingID int64 = 81122334455
	// SeedLiveMeetingID is Ben's meeting that is in progress: it can be
	// ended, and cannot be deleted until it is.
	SeedLiveMeetingID int64 = 86420135790
	// SeedWebinarID is the owner's upcoming webinar with registration
	// required (automatic approval) and three registrants.
	SeedWebinarID int64 = 91234567890
	// SeedOpenWebinarID is the owner's webinar without registration.
	SeedOpenWebinarID int64 = 92345678901
)

// Seeded past instance UUIDs of SeedTeamSyncMeetingID. A UUID that starts
// with "/" or contains "//" must be URL-encoded twice in a path.
const (
	SeedPastUUID            = "Hbj4kJZ9TcWbyvL0U2rBOQ==" // 21 days ago
	SeedPastSlashUUID       = "/Zx8W2qkR1u0l3ZfK8w9bA==" // 14 days ago
	SeedPastDoubleSlashUUID = "cG4x//Hk0QkuvAr3rPQbNw==" // 7 days ago
	SeedDesignReviewUUID    = "9f3kQ1b+Rr2tWc7aZyXe0g=="
	SeedOldUUID             = "Tq7m2LxdS0CwPj5nV8hKcA=="
)

// SeedUpcomingMeetings is how many upcoming one-off meetings the owner
// has besides the special ones: enough for two pages of 30.
const SeedUpcomingMeetings = 35

// seed creates the account owner and, when full, the rest of the data:
// users, meetings, webinars, past instances, reports and recordings, at
// fixed IDs with times relative to the clock's now.
func (s *Server) seed(full bool) {
	now := s.now().Truncate(time.Second)
	today := startOfDay(now)
	at := func(days int, hour int) time.Time {
		return today.AddDate(0, 0, days).Add(time.Duration(hour) * time.Hour)
	}
	mkUser := func(id, email, first, last string, typ int64, role, status string, n int64) *user {
		u := &user{
			ID: id, Email: email, FirstName: first, LastName: last, Type: typ, RoleID: role, Status: status,
			PMI: s.pmiFor(n), Timezone: "America/Los_Angeles", Language: "en-US", Dept: "Engineering",
			JobTitle: "Engineer", Location: "San Francisco", CreatedAt: at(-400, 9),
		}
		if status == "active" {
			u.LastLogin = at(-1, 8)
		}
		return u
	}
	s.addUser(mkUser(SeedOwnerID, SeedOwnerEmail, "Ava", "Owner", 2, "0", "active", 1))
	if !full {
		return
	}
	s.addUser(mkUser(SeedAdminID, SeedAdminEmail, "Ben", "Admin", 2, "1", "active", 2))
	s.addUser(mkUser(SeedMemberID, SeedMemberEmail, "Carla", "Member", 2, "2", "active", 3))
	s.addUser(mkUser(SeedBasicID, SeedBasicEmail, "Dan", "Basic", 1, "2", "active", 4))
	s.addUser(mkUser(SeedPendingID, SeedPendingEmail, "Erin", "Pending", 1, "2", "pending", 5))
	s.addUser(mkUser(SeedInactiveID, SeedInactiveEmail, "Finn", "Inactive", 1, "2", "inactive", 6))

	meeting := func(id int64, host, topic string, typ int64, start time.Time, dur int64) *session {
		m := s.newMeeting(host, at(-30, 9))
		if id != 0 {
			m.ID = id
		}
		m.Topic, m.Type, m.StartTime, m.Duration = topic, typ, start, dur
		m.Timezone = "America/Los_Angeles"
		m.Password = s.passcode()
		m.Agenda = "Agenda: " + topic
		s.meetings[m.ID] = m
		return m
	}

	topics := []string{"Sprint planning", "Customer call", "1:1", "Design sync", "Hiring panel", "Roadmap review", "Incident review"}
	for i := range SeedUpcomingMeetings {
		meeting(0, SeedOwnerID, fmt.Sprintf("%s #%d", topics[i%len(topics)], i+1), typeScheduled, at(i+1, 10+i%6), 30+int64(i%3)*15)
	}

	reg := meeting(SeedRegistrationMeetingID, SeedOwnerID, "Quarterly all-hands", typeScheduled, at(10, 16), 90)
	reg.Settings["approval_type"] = int64(1)
	reg.Settings["registration_type"] = int64(1)
	for i, r := range []struct{ first, last, status string }{
		{"Grace", "Approved", "approved"}, {"Hugo", "Approved", "approved"},
		{"Ines", "Pending", "pending"}, {"Jack", "Denied", "denied"},
	} {
		rg := &registrant{
			ID: s.newID("registrant"), FirstName: r.first, LastName: r.last, Status: r.status,
			Email:      fmt.Sprintf("%s.%s@partner.example.com", strings.ToLower(r.first), strings.ToLower(r.last)),
			CreateTime: at(-5+i, 12), Extra: map[string]any{"org": "Partner Inc", "country": "US"},
		}
		rg.JoinURL = fmt.Sprintf("%s/j/%d?tk=%s", webBase, reg.ID, rg.ID)
		reg.Registrants = append(reg.Registrants, rg)
	}

	rec := meeting(SeedRecurringMeetingID, SeedOwnerID, "Weekly architecture review", typeRecurringFixed, at(2, 17), 60)
	rec.Recurrence = map[string]any{"type": int64(2), "repeat_interval": int64(1), "weekly_days": fmt.Sprint(int(at(2, 0).Weekday()) + 1), "end_times": int64(8)}
	rec.Occurrences = occurrences(rec.StartTime, rec.Duration, rec.Recurrence)

	sync := meeting(SeedTeamSyncMeetingID, SeedOwnerID, "Team sync", typeRecurringNoFix, time.Time{}, 45)
	sync.Recurrence = map[string]any{"type": int64(1), "repeat_interval": int64(1)}
	sync.CreatedAt = at(-60, 9)
	for i, uuid := range []string{SeedPastUUID, SeedPastSlashUUID, SeedPastDoubleSlashUUID} {
		s.seedInstance(sync, uuid, at(-21+7*i, 15), 45)
	}

	review := meeting(SeedDesignReviewMeetingID, SeedMemberID, "Design review", typeScheduled, at(-3, 18), 30)
	s.seedInstance(review, SeedDesignReviewUUID, review.StartTime, 32)

	old := meeting(SeedOldMeetingID, SeedAdminID, "Annual kickoff", typeScheduled, at(-400, 17), 120)
	s.seedInstance(old, SeedOldUUID, old.StartTime, 110).Recording = nil

	// A meeting in progress, so that end_meeting (and the rule that a
	// meeting in progress cannot be deleted) can be tried on the sandbox.
	live := meeting(SeedLiveMeetingID, SeedAdminID, "Support office hours", typeScheduled, s.now().Add(-20*time.Minute).Truncate(time.Minute), 60)
	s.startLocked(live)

	meeting(0, SeedAdminID, "Budget review", typeScheduled, at(4, 14), 60)
	meeting(0, SeedAdminID, "Security training", typeScheduled, at(12, 15), 45)
	meeting(0, SeedMemberID, "Customer onboarding", typeScheduled, at(1, 19), 30)
	meeting(0, SeedMemberID, "Pairing session", typeRecurringNoFix, time.Time{}, 60)
	meeting(0, SeedBasicID, "Study group", typeScheduled, at(3, 20), 40)

	web := s.newWebinar(SeedOwnerID, at(-20, 9))
	web.ID, web.Topic, web.StartTime, web.Duration = SeedWebinarID, "Product launch 2026", at(14, 17), 60
	web.Agenda = "Launch of the new product line, live Q&A."
	web.Timezone = "America/New_York"
	web.Password = s.passcode()
	web.Settings["approval_type"] = int64(0)
	web.Settings["registration_type"] = int64(1)
	s.webinars[web.ID] = web
	for i, name := range []string{"Kim", "Lee", "Mo"} {
		rg := &registrant{
			ID: s.newID("registrant"), FirstName: name, LastName: "Attendee", Status: "approved",
			Email: strings.ToLower(name) + ".attendee@customer.example.com", CreateTime: at(-10+i, 11),
		}
		rg.JoinURL = fmt.Sprintf("%s/w/%d?tk=%s", webBase, web.ID, rg.ID)
		web.Registrants = append(web.Registrants, rg)
	}
	open := s.newWebinar(SeedOwnerID, at(-20, 9))
	open.ID, open.Topic, open.StartTime, open.Duration = SeedOpenWebinarID, "Monthly community office hours", at(21, 16), 45
	open.Password = s.passcode()
	s.webinars[open.ID] = open
}

// seedInstance records a past instance of m with participants and, by
// default, a cloud recording.
func (s *Server) seedInstance(m *session, uuid string, start time.Time, minutes int64) *instance {
	end := start.Add(time.Duration(minutes) * time.Minute)
	in := &instance{UUID: uuid, MeetingID: m.ID, HostID: m.HostID, Topic: m.Topic, Type: m.Type, Start: start, End: end}
	people := []struct{ name, email string }{
		{s.userByID(m.HostID).displayName(), s.userByID(m.HostID).Email},
		{"Carla Member", SeedMemberEmail},
		{"Dan Basic", SeedBasicEmail},
		{"Grace Approved", "grace.approved@partner.example.com"},
	}
	for i, p := range people {
		join := start.Add(time.Duration(i) * 2 * time.Minute)
		leave := end.Add(-time.Duration(i) * time.Minute)
		in.Participants = append(in.Participants, &participant{
			ID: s.newID("participant"), UserID: itoa(16778240 + int64(i)), Name: p.name, Email: p.email, Join: join, Leave: leave,
		})
	}
	// The first guest dropped and rejoined: two rows, as in Zoom's report.
	in.Participants = append(in.Participants, &participant{
		ID: in.Participants[1].ID, UserID: "16778300", Name: "Carla Member", Email: SeedMemberEmail,
		Join: start.Add(20 * time.Minute), Leave: end,
	})
	in.Participants[1].Leave = start.Add(15 * time.Minute)
	in.Recording = s.newRecording(in)
	s.addInstance(in)
	return in
}
