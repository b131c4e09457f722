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

// Seeded cloud recording transcripts. Every recorded instance has a
// transcript; these are the cases worth naming. A transcript's text is
// WebVTT generated deterministically: numbered cues, "Name: text" (some
// spanning two lines). Its download_url, and the recording files', point
// at the simulator (see DownloadPath).
const (
	// SeedTranscriptMeetingID is the owner's "Customer research debrief",
	// two days ago, 50 minutes. Its one instance, SeedTranscriptUUID, has
	// a transcript ready to download (can_download true) and a summary.
	// The VTT starts with a UTF-8 BOM, has LF line endings, NOTE blocks
	// and four speakers: "Ava Owner (she/her)", "José María Núñez",
	// "Zoë Brontë" and "Nguyễn Thu Hà".
	SeedTranscriptMeetingID int64 = 84213579246
	SeedTranscriptUUID            = "q9Xr+2LmT/aBc3dEf4GhIw=="
	// SeedLongTranscriptMeetingID is the owner's three-hour "Quarterly
	// planning offsite", nine days ago. The transcript of its instance
	// SeedLongTranscriptUUID (it starts with "/": encode it twice) has
	// SeedLongTranscriptCues cues in CRLF lines, no BOM, NOTE blocks and
	// four speakers: "Ava Owner", "Ben Admin", "Carla Member" and
	// "Łukasz Wójcik". The recording is set to auto-delete 30 days after
	// the meeting (auto_delete true, auto_delete_date).
	SeedLongTranscriptMeetingID int64 = 82468013579
	SeedLongTranscriptUUID            = "/Lq3vT8nR0yWk5Hc2JpXzA=="
	SeedLongTranscriptCues            = 2500
	// SeedProcessingTranscriptMeetingID is Ben's "Incident
	// retrospective", which ended 25 minutes before the simulator
	// started. Its transcript (instance SeedProcessingTranscriptUUID) is
	// still processing, and stays so: can_download false with
	// download_restriction_reason "NOT_READY", no transcript_created_time,
	// and no TRANSCRIPT file among the recording's files.
	SeedProcessingTranscriptMeetingID int64 = 87531598642
	SeedProcessingTranscriptUUID            = "Rk2p9WcxQ3mZ7tYb1nLd8A=="
	// SeedRestrictedTranscriptMeetingID is Carla's "Contract review",
	// four days ago. Its transcript (instance
	// SeedRestrictedTranscriptUUID) cannot be downloaded: can_download
	// false with download_restriction_reason "UNSUPPORTED", and no
	// TRANSCRIPT file among the recording's files.
	SeedRestrictedTranscriptMeetingID int64 = 88642097531
	SeedRestrictedTranscriptUUID            = "Wm4t6YhJS8eK1rXq0vBn5g=="
	// SeedNoRecordingMeetingID is Ben's "Vendor check-in", five days ago:
	// its instance SeedNoRecordingUUID has a participant report but no
	// cloud recording, so no transcript (404, code 3322), and no summary
	// (404, code 3001).
	SeedNoRecordingMeetingID int64 = 81357924680
	SeedNoRecordingUUID            = "Jd8s1QkaT7uPz4Wm6xVe2Q=="
)

// Seeded AI Companion meeting summaries. Instances with one: the three of
// SeedTeamSyncMeetingID, SeedDesignReviewUUID (in the trash),
// SeedOldUUID, SeedTranscriptUUID, SeedLongTranscriptUUID and
// SeedRestrictedTranscriptUUID. A meeting ended through the API gets one
// too.
const (
	// SeedSummaryUUID has a plain summary: the instance of
	// SeedTranscriptMeetingID.
	SeedSummaryUUID = SeedTranscriptUUID
	// SeedEditedSummaryUUID has a summary Ben Admin edited (edited_summary,
	// summary_last_modified_user_id): the newest instance of
	// SeedTeamSyncMeetingID, whose UUID contains "//".
	SeedEditedSummaryUUID = SeedPastDoubleSlashUUID
	// SeedTrashedSummaryUUID has a summary in the trash: 403, code 2305.
	SeedTrashedSummaryUUID = SeedDesignReviewUUID
	// SeedNoSummaryUUID has no summary: 404, code 3001.
	SeedNoSummaryUUID = SeedNoRecordingUUID
	// SeedSummaries is how many summaries the seeded account lists, the
	// trashed one left out; SeedOldUUID's is 400 days old.
	SeedSummaries = 7
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

	s.seedTranscriptsAndSummaries(meeting, at)
}

// seedTranscriptsAndSummaries adds the meetings of the transcript cases
// and the summaries. It comes last in seed, so that the IDs generated
// before it stay what they were before transcripts were seeded.
func (s *Server) seedTranscriptsAndSummaries(meeting func(int64, string, string, int64, time.Time, int64) *session, at func(int, int) time.Time) {
	debrief := meeting(SeedTranscriptMeetingID, SeedOwnerID, "Customer research debrief", typeScheduled, at(-2, 16), 50)
	in := s.seedInstance(debrief, SeedTranscriptUUID, debrief.StartTime, 50,
		person{"Ava Owner (she/her)", SeedOwnerEmail},
		person{"José María Núñez", "jose.nunez@customer.example.com"},
		person{"Zoë Brontë", "zoe.bronte@customer.example.com"},
		person{"Nguyễn Thu Hà", "thu.ha.nguyen@customer.example.com"})
	in.Recording.transcript.file.vtt.bom = true
	in.Recording.transcript.file.vtt.notes = true
	in.Summary = s.newSummary(in)

	offsite := meeting(SeedLongTranscriptMeetingID, SeedOwnerID, "Quarterly planning offsite", typeScheduled, at(-9, 16), 180)
	in = s.seedInstance(offsite, SeedLongTranscriptUUID, offsite.StartTime, 180,
		person{"Ava Owner", SeedOwnerEmail},
		person{"Ben Admin", SeedAdminEmail},
		person{"Carla Member", SeedMemberEmail},
		person{"Łukasz Wójcik", "lukasz.wojcik@partner.example.com"})
	vtt := &in.Recording.transcript.file.vtt
	vtt.cues, vtt.crlf, vtt.notes = SeedLongTranscriptCues, true, true
	in.Recording.autoDelete = startOfDay(in.Start).AddDate(0, 0, 30)
	in.Summary = s.newSummary(in)

	now := s.now().Truncate(time.Minute)
	retro := meeting(SeedProcessingTranscriptMeetingID, SeedAdminID, "Incident retrospective", typeScheduled, now.Add(-70*time.Minute), 45)
	s.seedInstance(retro, SeedProcessingTranscriptUUID, retro.StartTime, 45).Recording.withholdTranscript("NOT_READY")

	contract := meeting(SeedRestrictedTranscriptMeetingID, SeedMemberID, "Contract review", typeScheduled, at(-4, 17), 30)
	in = s.seedInstance(contract, SeedRestrictedTranscriptUUID, contract.StartTime, 30)
	in.Recording.withholdTranscript("UNSUPPORTED")
	in.Summary = s.newSummary(in)

	vendor := meeting(SeedNoRecordingMeetingID, SeedAdminID, "Vendor check-in", typeScheduled, at(-5, 15), 30)
	s.seedInstance(vendor, SeedNoRecordingUUID, vendor.StartTime, 30).Recording = nil

	// Transcript shapes of the team sync: a BOM and CRLF lines together.
	slash := s.pastByID[SeedPastSlashUUID].Recording.transcript.file
	slash.vtt.bom, slash.vtt.crlf = true, true

	for _, uuid := range []string{SeedPastUUID, SeedPastSlashUUID, SeedPastDoubleSlashUUID, SeedDesignReviewUUID, SeedOldUUID} {
		in := s.pastByID[uuid]
		in.Summary = s.newSummary(in)
	}
	edited := s.pastByID[SeedEditedSummaryUUID].Summary
	edited.Edited = &editedSummary{
		Overview:  "Ava Owner ran the team sync. The API migration moves to next sprint; the pricing page ships Friday.",
		Details:   "### API migration\nBlocked on the security audit; Ben Admin owns the follow-up.\n\n### Pricing page\nCopy approved; ships Friday.",
		NextSteps: []string{"Ben Admin will book the security audit.", "Carla Member will publish the pricing page on Friday."},
	}
	edited.Modified, edited.ModifiedBy = edited.Created.Add(26*time.Hour+12*time.Minute), SeedAdminID
	s.pastByID[SeedTrashedSummaryUUID].Summary.trashedAt = s.pastByID[SeedTrashedSummaryUUID].End.Add(24 * time.Hour)
}

// person is a participant of a seeded instance: the name shown in the
// meeting, and an email.
type person struct{ name, email string }

// seedInstance records a past instance of m with participants (by default
// the host, Carla, Dan and Grace; at least two) and, by default, a cloud
// recording.
func (s *Server) seedInstance(m *session, uuid string, start time.Time, minutes int64, people ...person) *instance {
	end := start.Add(time.Duration(minutes) * time.Minute)
	in := &instance{UUID: uuid, MeetingID: m.ID, HostID: m.HostID, Topic: m.Topic, Type: m.Type, Start: start, End: end}
	if len(people) == 0 {
		people = []person{
			{s.userByID(m.HostID).displayName(), s.userByID(m.HostID).Email},
			{"Carla Member", SeedMemberEmail},
			{"Dan Basic", SeedBasicEmail},
			{"Grace Approved", "grace.approved@partner.example.com"},
		}
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
		ID: in.Participants[1].ID, UserID: "16778300", Name: people[1].name, Email: people[1].email,
		Join: start.Add(20 * time.Minute), Leave: end,
	})
	in.Participants[1].Leave = start.Add(15 * time.Minute)
	in.Recording = s.newRecording(in)
	s.addInstance(in)
	return in
}
