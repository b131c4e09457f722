package zoomfake

import (
	"net/http"
	"sort"
	"time"
)

// defaultMeetingSettings are the settings of a meeting created without
// them: a realistic subset of what Zoom answers.
func defaultMeetingSettings() map[string]any {
	return map[string]any{
		"host_video":                                false,
		"participant_video":                         false,
		"join_before_host":                          false,
		"jbh_time":                                  int64(0),
		"mute_upon_entry":                           false,
		"watermark":                                 false,
		"use_pmi":                                   false,
		"approval_type":                             int64(2),
		"audio":                                     "voip",
		"auto_recording":                            "none",
		"enforce_login":                             false,
		"enforce_login_domains":                     "",
		"alternative_hosts":                         "",
		"alternative_hosts_email_notification":      true,
		"close_registration":                        false,
		"show_share_button":                         false,
		"allow_multiple_devices":                    false,
		"registrants_confirmation_email":            true,
		"registrants_email_notification":            true,
		"waiting_room":                              false,
		"meeting_authentication":                    false,
		"email_notification":                        true,
		"private_meeting":                           false,
		"encryption_type":                           "enhanced_encryption",
		"in_meeting":                                false,
		"cn_meeting":                                false,
		"focus_mode":                                false,
		"device_testing":                            false,
		"internal_meeting":                          false,
		"push_change_to_calendar":                   false,
		"participant_focused_meeting":               false,
		"auto_start_meeting_summary":                false,
		"auto_start_ai_companion_questions":         false,
		"request_permission_to_unmute_participants": false,
		"email_in_attendee_report":                  false,
		"host_save_video_order":                     false,
		"alternative_host_update_polls":             false,
		"show_join_info":                            false,
		"disable_participant_video":                 false,
		"global_dial_in_countries":                  []any{"US"},
		"global_dial_in_numbers": []any{
			map[string]any{"country": "US", "country_name": "US", "city": "San Jose", "number": "+1 669 900 0000", "type": "toll"},
		},
		"approved_or_denied_countries_or_regions": map[string]any{"enable": false},
		"breakout_room":                map[string]any{"enable": false},
		"continuous_meeting_chat":      map[string]any{"enable": false, "auto_add_invited_external_users": false, "auto_add_meeting_participants": false},
		"language_interpretation":      map[string]any{"enable": false},
		"sign_language_interpretation": map[string]any{"enable": false},
	}
}

// newMeeting is an empty meeting hosted by hostID, before its body applies.
func (s *Server) newMeeting(hostID string, now time.Time) *session {
	return &session{
		ID:        s.newMeetingID(),
		UUID:      s.newUUID(),
		HostID:    hostID,
		Topic:     "Zoom meeting",
		Type:      typeScheduled,
		Duration:  60,
		Timezone:  "UTC",
		CreatedAt: now.Truncate(time.Second),
		Status:    "waiting",
		Settings:  defaultMeetingSettings(),
	}
}

// listMeetings answers GET /users/{userId}/meetings.
func (s *Server) listMeetings(c *call) (result, *apiError) {
	u, e := s.hostOf(c)
	if e != nil {
		return result{}, e
	}
	q := newQuery(c)
	typ := q.oneOf("type", "scheduled", "scheduled", "live", "upcoming", "upcoming_meetings", "previous_meetings")
	from, hasFrom := q.date("from")
	to, hasTo := q.date("to")
	if e := q.err(); e != nil {
		return result{}, e
	}
	p, e := s.pageOf(c, maxPageSize)
	if e != nil {
		return result{}, e
	}
	var ms []*session
	for _, m := range s.meetings {
		if m.HostID != u.ID || m.deleted() {
			continue
		}
		start := m.nextStart(c.now)
		if hasFrom && !m.recurringNoFixedTime() && start.Before(from) {
			continue
		}
		if hasTo && !m.recurringNoFixedTime() && !start.Before(to.AddDate(0, 0, 1)) {
			continue
		}
		var keep bool
		switch typ {
		case "scheduled":
			keep = m.Type != typeInstant || m.Status == "started"
		case "live":
			keep = m.Status == "started"
		case "upcoming", "upcoming_meetings":
			keep = m.Status == "started" || m.recurringNoFixedTime() ||
				!start.Add(time.Duration(m.Duration)*time.Minute).Before(c.now)
		case "previous_meetings":
			keep = s.lastInstance(m.ID, nil) != nil
		}
		if keep {
			ms = append(ms, m)
		}
	}
	sortSessions(ms, c.now)
	pi := s.cut(c, p, len(ms))
	items := []any{}
	for _, m := range ms[pi.start:pi.end] {
		items = append(items, s.summaryJSON(m, c.now))
	}
	return result{http.StatusOK, map[string]any{
		"page_size":       p.size,
		"page_number":     pi.pageNumber,
		"page_count":      pi.pageCount,
		"total_records":   len(ms),
		"next_page_token": pi.nextPageToken,
		"meetings":        items,
	}}, nil
}

// sortSessions orders meetings or webinars by start time (creation time
// for those without one), then ID.
func sortSessions(ms []*session, now time.Time) {
	key := func(m *session) time.Time {
		if m.recurringNoFixedTime() {
			return m.CreatedAt
		}
		return m.nextStart(now)
	}
	sort.Slice(ms, func(i, j int) bool {
		a, b := key(ms[i]), key(ms[j])
		if !a.Equal(b) {
			return a.Before(b)
		}
		return ms[i].ID < ms[j].ID
	})
}

// createMeeting answers POST /users/{userId}/meetings.
func (s *Server) createMeeting(c *call) (result, *apiError) {
	u, e := s.hostOf(c)
	if e != nil {
		return result{}, e
	}
	if u.Status != "active" {
		return result{}, badRequest(3161, "Your user account is not allowed meeting hosting and scheduling capabilities.")
	}
	if e := s.takeUser(c, u.ID); e != nil {
		return result{}, e
	}
	body, e := decodeObject(c.body)
	if e != nil {
		return result{}, e
	}
	m := s.newMeeting(u.ID, c.now)
	if e := s.applyBody(c, m, body, true); e != nil {
		return result{}, e
	}
	s.meetings[m.ID] = m
	s.emitMeetingCreated(c, m)
	return result{http.StatusCreated, s.detailJSON(m, c.now, nil, false)}, nil
}

// getMeeting answers GET /meetings/{meetingId}.
func (s *Server) getMeeting(c *call) (result, *apiError) {
	m, e := s.meetingRef(pathID(c, "meetingId"), false)
	if e != nil {
		return result{}, e
	}
	return s.getSession(c, m)
}

// getSession answers a GET of meeting or webinar m, with the occurrence_id
// and show_previous_occurrences parameters both endpoints take.
func (s *Server) getSession(c *call, m *session) (result, *apiError) {
	q := newQuery(c)
	prev := q.boolean("show_previous_occurrences", false)
	if e := q.err(); e != nil {
		return result{}, e
	}
	var occ *occurrence
	if id := c.r.URL.Query().Get("occurrence_id"); id != "" {
		var e *apiError
		if occ, e = s.occurrence(m, id); e != nil {
			return result{}, e
		}
	}
	return result{http.StatusOK, s.detailJSON(m, c.now, occ, prev)}, nil
}

// updateMeeting answers PATCH /meetings/{meetingId}.
func (s *Server) updateMeeting(c *call) (result, *apiError) {
	var m *session
	var before map[string]any
	res, e := s.updateSession(c, func() (*session, *apiError) {
		var e *apiError
		if m, e = s.meetingRef(pathID(c, "meetingId"), false); e == nil {
			before = s.meetingEventObject(m, c.now, true)
		}
		return m, e
	})
	if e == nil {
		s.emitMeetingUpdated(c, m, before)
	}
	return res, e
}

// updateSession validates a PATCH on a copy of the meeting or webinar and
// keeps the result only when all of it is valid.
func (s *Server) updateSession(c *call, find func() (*session, *apiError)) (result, *apiError) {
	m, e := find()
	if e != nil {
		return result{}, e
	}
	if e := s.takeUser(c, m.HostID); e != nil {
		return result{}, e
	}
	body, e := decodeObject(c.body)
	if e != nil {
		return result{}, e
	}
	if id := c.r.URL.Query().Get("occurrence_id"); id != "" {
		return s.updateOccurrence(c, m, id, body)
	}
	cp := *m
	cp.Settings = copyMap(m.Settings)
	if e := s.applyBody(c, &cp, body, false); e != nil {
		return result{}, e
	}
	*m = cp
	return result{status: http.StatusNoContent}, nil
}

// updateOccurrence changes the start time or duration of one occurrence.
func (s *Server) updateOccurrence(c *call, m *session, id string, body map[string]any) (result, *apiError) {
	o, e := s.occurrence(m, id)
	if e != nil {
		return result{}, e
	}
	f := newFields(body)
	start, hasStart := f.time("start_time", time.UTC)
	dur, hasDur := f.integer("duration", 1, 1440)
	if e := f.err(); e != nil {
		return result{}, e
	}
	if hasStart {
		o.Start = start
	}
	if hasDur {
		o.Duration = dur
	}
	return result{status: http.StatusNoContent}, nil
}

// deleteMeeting answers DELETE /meetings/{meetingId}.
func (s *Server) deleteMeeting(c *call) (result, *apiError) {
	m, e := s.meetingRef(pathID(c, "meetingId"), false)
	if e != nil {
		return result{}, e
	}
	q := newQuery(c)
	q.boolean("schedule_for_reminder", false)
	q.boolean("cancel_meeting_reminder", false)
	if e := q.err(); e != nil {
		return result{}, e
	}
	if m.Status == "started" {
		return result{}, badRequest(codeMeeting, "Meeting is in progress, cannot be deleted.")
	}
	var occ *occurrence
	if id := c.r.URL.Query().Get("occurrence_id"); id != "" {
		occ, _ = s.occurrence(m, id)
	}
	res, e := s.deleteSession(c, m)
	if e == nil {
		s.emitMeetingDeleted(c, m, occ)
	}
	return res, e
}

// updateMeetingStatus answers PUT /meetings/{meetingId}/status: "end" ends
// a meeting in progress, "recover" restores a deleted one.
func (s *Server) updateMeetingStatus(c *call) (result, *apiError) {
	m, e := s.meetingRef(pathID(c, "meetingId"), true)
	if e != nil {
		return result{}, e
	}
	body, e := decodeObject(c.body)
	if e != nil {
		return result{}, e
	}
	f := newFields(body)
	f.require("action")
	action, _ := f.oneOf("action", "end", "recover")
	if e := f.err(); e != nil {
		return result{}, e
	}
	switch action {
	case "end":
		if m.deleted() {
			return result{}, errMeetingNotFound(pathID(c, "meetingId"))
		}
		if m.Status != "started" {
			return result{}, badRequest(codeMeeting, "The meeting is not in progress.")
		}
		s.endAndEmit(m, c.now)
	case "recover":
		if !m.deleted() {
			return result{}, badRequest(codeMeeting, "The meeting has not been deleted and cannot be recovered.")
		}
		m.deletedAt = time.Time{}
	}
	return result{status: http.StatusNoContent}, nil
}

// startLocked puts m in progress with its host as the first participant.
// The caller holds s.mu (or is seeding).
func (s *Server) startLocked(m *session) {
	now := s.now().Truncate(time.Second)
	host := s.userByID(m.HostID)
	m.Status = "started"
	m.live = &instance{
		UUID: m.UUID, MeetingID: m.ID, HostID: m.HostID, Topic: m.Topic, Type: m.Type, Start: now,
		Participants: []*participant{{
			ID: s.newID("participant"), UserID: itoa(16778240 + s.next()), Name: host.displayName(), Email: host.Email, Join: now,
		}},
	}
}

// endMeeting ends the live instance of m: it becomes a past instance with
// its participants, a cloud recording with its transcript and an AI
// Companion summary, and m waits for its next start under a fresh UUID.
func (s *Server) endMeeting(m *session, now time.Time) {
	now = now.Truncate(time.Second)
	in := m.live
	in.End = now
	if !now.After(in.Start) {
		in.End = in.Start.Add(time.Minute)
	}
	guest := &participant{
		ID: s.newID("participant"), UserID: itoa(16778240 + s.next()), Name: "Sandbox Guest", Email: "guest@example.com",
		Join: in.Start.Add(30 * time.Second), Leave: in.End,
	}
	for _, p := range in.Participants {
		if p.Leave.IsZero() {
			p.Leave = in.End
		}
	}
	in.Participants = append(in.Participants, guest)
	in.Recording = s.newRecording(in)
	in.Summary = s.newSummary(in)
	s.addInstance(in)
	m.live = nil
	m.Status = "waiting"
	m.UUID = s.newUUID()
}
