package zoomfake

import (
	"maps"
	"reflect"
	"strings"
	"time"
)

// The bodies of the events the simulator emits, field for field from the
// schemas of Zoom's webhooks document (see webhook.go): no field a schema
// does not list.

// Settings fields the meeting events list.
var (
	createdSettings = []string{"use_pmi", "alternative_hosts", "join_before_host", "jbh_time"}
	updatedSettings = []string{
		"host_video", "participant_video", "join_before_host", "jbh_time", "mute_upon_entry", "audio",
		"auto_recording", "use_pmi", "waiting_room", "watermark", "enforce_login", "enforce_login_domains",
		"approval_type", "registration_type", "alternative_hosts", "meeting_authentication",
		"authentication_option", "authentication_name", "authentication_domains", "language_interpretation",
		"sign_language_interpretation", "continuous_meeting_chat", "auto_start_meeting_summary",
		"who_will_receive_summary", "auto_start_ai_companion_questions", "who_can_ask_questions",
		"summary_template_id", "allow_host_control_participant_mute_state", "email_in_attendee_report",
	}
	recurrenceEventFields = []string{
		"type", "repeat_interval", "weekly_days", "monthly_day", "monthly_week_day", "end_times",
		"end_date_time", "monthly_week",
	}
	registrantEventFields = []string{
		"address", "city", "country", "zip", "state", "phone", "industry", "org", "job_title",
		"purchasing_time_frame", "role_in_purchase_process", "no_of_employees", "comments", "custom_questions",
	}
)

func pickKeys(m map[string]any, keys []string) map[string]any {
	out := make(map[string]any)
	for _, k := range keys {
		if v, ok := m[k]; ok {
			out[k] = v
		}
	}
	return out
}

// operator is who made an API change: the user a user-level token acts
// for, else (a Server-to-Server app) the account owner.
func (s *Server) operator(c *call) *user {
	if c != nil && c.grant != nil && c.grant.user != "" {
		return s.userByID(c.grant.user)
	}
	if len(s.users) > 0 {
		return s.users[0]
	}
	return &user{}
}

// basePayload is what every meeting event's payload starts with; c, when
// not nil, adds the operator of an API change.
func (s *Server) basePayload(c *call, object map[string]any) map[string]any {
	p := map[string]any{"account_id": s.opts.AccountID, "object": object}
	if c != nil {
		op := s.operator(c)
		p["operator"] = op.Email
		p["operator_id"] = op.ID
	}
	return p
}

// meetingEventObject is meeting m as meeting.created lists it; full adds
// the fields only meeting.updated has.
func (s *Server) meetingEventObject(m *session, now time.Time, full bool) map[string]any {
	o := map[string]any{
		"uuid":     m.UUID,
		"id":       m.ID,
		"host_id":  m.HostID,
		"topic":    m.Topic,
		"type":     m.Type,
		"duration": m.Duration,
		"timezone": m.Timezone,
		"join_url": m.joinURL(),
	}
	if !m.recurringNoFixedTime() {
		o["start_time"] = timeString(m.nextStart(now))
	}
	if m.Password != "" {
		o["password"] = m.Password
	}
	if len(m.Occurrences) > 0 {
		var occs []any
		for _, oc := range m.Occurrences {
			occs = append(occs, map[string]any{
				"occurrence_id": oc.ID, "start_time": timeString(oc.Start), "duration": oc.Duration, "status": oc.Status,
			})
		}
		o["occurrences"] = occs
	}
	if m.Recurrence != nil {
		o["recurrence"] = pickKeys(m.Recurrence, recurrenceEventFields)
	}
	if len(m.TrackingFields) > 0 {
		var tf []any
		for _, f := range m.TrackingFields {
			if fm, ok := f.(map[string]any); ok {
				tf = append(tf, pickKeys(fm, []string{"field", "value", "visible"}))
			}
		}
		o["tracking_fields"] = tf
	}
	if full {
		o["agenda"] = m.Agenda
		if m.registrationOpen() {
			o["registration_url"] = m.registrationURL()
		}
		o["settings"] = pickKeys(m.Settings, updatedSettings)
		if tf, ok := o["tracking_fields"].([]any); ok {
			for _, f := range tf {
				delete(f.(map[string]any), "visible") // meeting.updated lists field and value
			}
		}
	} else {
		st := pickKeys(m.Settings, createdSettings)
		if _, ok := st["use_pmi"]; !ok { // use_pmi and alternative_hosts are required
			st["use_pmi"] = false
		}
		if _, ok := st["alternative_hosts"]; !ok {
			st["alternative_hosts"] = ""
		}
		o["settings"] = st
	}
	return o
}

// emitMeetingCreated emits meeting.created for m, made by request c.
func (s *Server) emitMeetingCreated(c *call, m *session) {
	if m.webinar {
		return
	}
	s.emit(m.ID, "meeting.created", s.basePayload(c, s.meetingEventObject(m, c.now, false)))
}

// emitMeetingUpdated emits meeting.updated: object has the meeting's ID
// and UUID and the fields that changed, old_object their values before.
func (s *Server) emitMeetingUpdated(c *call, m *session, before map[string]any) {
	after := s.meetingEventObject(m, c.now, true)
	obj := map[string]any{"id": m.ID, "uuid": m.UUID}
	old := map[string]any{"id": m.ID}
	for k, v := range after {
		if k == "settings" {
			continue
		}
		if w, ok := before[k]; !ok || !reflect.DeepEqual(v, w) {
			obj[k] = v
			if ok {
				old[k] = w
			}
		}
	}
	bs, _ := before["settings"].(map[string]any)
	as, _ := after["settings"].(map[string]any)
	ns, os := map[string]any{}, map[string]any{}
	for k, v := range as {
		if w, ok := bs[k]; !ok || !reflect.DeepEqual(v, w) {
			ns[k] = v
			if ok {
				os[k] = w
			}
		}
	}
	if len(ns) > 0 {
		obj["settings"] = ns
		old["settings"] = os
	}
	p := s.basePayload(c, obj)
	p["old_object"] = old
	p["time_stamp"] = c.now.UnixMilli()
	s.emit(m.ID, "meeting.updated", p)
}

// emitMeetingDeleted emits meeting.deleted; occ is the deleted occurrence
// when only one is.
func (s *Server) emitMeetingDeleted(c *call, m *session, occ *occurrence) {
	o := map[string]any{
		"uuid": m.UUID, "id": m.ID, "host_id": m.HostID, "topic": m.Topic, "type": m.Type,
		"duration": m.Duration, "timezone": m.Timezone,
	}
	if !m.recurringNoFixedTime() {
		o["start_time"] = timeString(m.nextStart(c.now))
	}
	p := s.basePayload(c, o)
	switch {
	case occ != nil:
		o["occurrences"] = []any{map[string]any{"occurrence_id": occ.ID, "start_time": timeString(occ.Start)}}
		p["operation"] = "single"
	case len(m.Occurrences) > 0 || m.Recurrence != nil:
		p["operation"] = "all"
	}
	s.emit(m.ID, "meeting.deleted", p)
}

// liveObject is an instance as meeting.started, meeting.ended and the
// participant events list it: the meeting ID a string.
func (s *Server) liveObject(m *session, in *instance) map[string]any {
	o := map[string]any{
		"id": itoa(in.MeetingID), "uuid": in.UUID, "host_id": in.HostID, "topic": in.Topic, "type": in.Type,
		"start_time": timeString(in.Start), "timezone": m.Timezone, "duration": m.Duration,
	}
	if m.Timezone == "" {
		delete(o, "timezone")
	}
	return o
}

func (s *Server) emitStarted(m *session) {
	s.emit(m.ID, "meeting.started", s.basePayload(nil, s.liveObject(m, m.live)))
}

func (s *Server) emitEnded(m *session, in *instance) {
	o := s.liveObject(m, in)
	o["end_time"] = timeString(in.End)
	s.emit(m.ID, "meeting.ended", s.basePayload(nil, o))
}

func participantEventJSON(p *participant) map[string]any {
	o := map[string]any{
		"user_id":          p.UserID,
		"user_name":        p.Name,
		"id":               p.ID,
		"participant_uuid": p.ID,
		"join_time":        timeString(p.Join),
		"email":            p.Email,
	}
	if p.RegistrantID != "" {
		o["registrant_id"] = p.RegistrantID
	}
	return o
}

func (s *Server) emitJoined(m *session, in *instance, p *participant) {
	o := s.liveObject(m, in)
	o["participant"] = participantEventJSON(p)
	s.emit(m.ID, "meeting.participant_joined", s.basePayload(nil, o))
}

func (s *Server) emitLeft(m *session, in *instance, p *participant, reason string) {
	o := s.liveObject(m, in)
	pj := participantEventJSON(p)
	delete(pj, "join_time")
	pj["leave_time"] = timeString(p.Leave)
	pj["leave_reason"] = p.Name + " left the meeting.<br>Reason: " + reason
	o["participant"] = pj
	s.emit(m.ID, "meeting.participant_left", s.basePayload(nil, o))
}

// emitRegistrationCreated emits meeting.registration_created for r.
func (s *Server) emitRegistrationCreated(c *call, m *session, r *registrant) {
	start := m.CreatedAt
	if !m.recurringNoFixedTime() {
		start = m.nextStart(c.now)
	}
	tz := m.Timezone
	if tz == "" {
		tz = "UTC"
	}
	reg := pickKeys(r.Extra, registrantEventFields)
	maps.Copy(reg, map[string]any{
		"id": r.ID, "first_name": r.FirstName, "last_name": r.LastName, "email": r.Email,
		"status": r.Status, "join_url": r.JoinURL,
	})
	if r.PinCode != 0 {
		reg["participant_pin_code"] = r.PinCode
	}
	o := map[string]any{
		"uuid": m.UUID, "id": m.ID, "host_id": m.HostID, "topic": m.Topic, "type": m.Type,
		"start_time": timeString(start), "duration": m.Duration, "timezone": tz, "registrant": reg,
	}
	if len(m.Occurrences) > 0 {
		var occs []any
		for _, oc := range m.Occurrences {
			if len(r.OccurrenceIDs) == 0 || contains(r.OccurrenceIDs, oc.ID) {
				occs = append(occs, map[string]any{"occurrence_id": oc.ID, "start_time": timeString(oc.Start)})
			}
		}
		o["occurrences"] = occs
	}
	s.emit(m.ID, "meeting.registration_created", s.basePayload(nil, o))
}

// emitRecordingCompleted emits recording.completed for the recording of
// in, its URLs on base.
func (s *Server) emitRecordingCompleted(m *session, in *instance, base string) {
	rj := s.recordingJSON(in, true, base)
	// The transcript is announced apart, by recording.transcript_completed:
	// recording.completed's recording_type does not list it.
	var files []any
	total := int64(0)
	for _, f := range rj["recording_files"].([]any) {
		if f.(map[string]any)["file_type"] == "TRANSCRIPT" {
			continue
		}
		files = append(files, f)
		total += f.(map[string]any)["file_size"].(int64)
	}
	host := s.userByID(in.HostID)
	o := map[string]any{
		"id": in.MeetingID, "uuid": in.UUID, "host_id": in.HostID, "account_id": s.opts.AccountID,
		"topic": in.Topic, "type": in.Type, "start_time": timeString(in.Start),
		"password": in.Recording.Password, "host_email": host.Email, "duration": in.minutes(),
		"share_url":       base + "/rec/share/" + strings.TrimRight(encrypted(in.MeetingID, "share:"+in.UUID), "="),
		"total_size":      total,
		"recording_count": int64(len(files)),
		"on_prem":         false,
		"recording_files": files,
	}
	if m != nil && m.Timezone != "" {
		o["timezone"] = m.Timezone
	}
	for _, k := range []string{"recording_play_passcode", "auto_delete", "auto_delete_date"} {
		if v, ok := rj[k]; ok {
			o[k] = v
		}
	}
	s.emit(in.MeetingID, "recording.completed", s.basePayload(nil, o))
}
