package zoomfake

import (
	"net/http"
	"strings"
	"time"
)

// reportable finds the ended instance a report's meetingId names: a
// meeting ID (its latest instance) or an instance UUID.
func (s *Server) reportable(c *call) (*instance, *apiError) {
	ref := pathID(c, "meetingId")
	in := s.instanceRef(ref, func(in *instance) bool { return !in.webinar })
	if in == nil {
		return nil, notFound(codeMeetingNotFound, "Meeting %s not found or has expired.", ref)
	}
	if in.Start.Before(c.now.AddDate(-1, 0, 0)) {
		return nil, badRequest(12702, "Can not access meeting a year ago.")
	}
	return in, nil
}

// participantMinutes is the sum of the participants' minutes in the
// meeting.
func participantMinutes(in *instance) int64 {
	var d time.Duration
	for _, p := range in.Participants {
		d += p.Leave.Sub(p.Join)
	}
	return int64(d / time.Minute)
}

// reportMeetings answers GET /report/users/{userId}/meetings: the user's
// past meetings that started between from and to (yyyy-mm-dd, at most a
// month apart). type=pastJoined lists those the user joined instead.
func (s *Server) reportMeetings(c *call) (result, *apiError) {
	ref := pathID(c, "userId")
	u, e := s.userFor(c, ref)
	if e != nil {
		return result{}, notFound(codeUserNotFound, "User %s not exist or not belong to this account.", ref)
	}
	q := newQuery(c)
	typ := q.oneOf("type", "past", "past", "pastOne", "pastJoined")
	from, hasFrom := q.date("from")
	to, hasTo := q.date("to")
	if !hasFrom && q.v.Get("from") == "" {
		q.bad = append(q.bad, "from")
	}
	if !hasTo && q.v.Get("to") == "" {
		q.bad = append(q.bad, "to")
	}
	if e := q.err(); e != nil {
		return result{}, e
	}
	if e := checkRange(from, to); e != nil {
		return result{}, e
	}
	p, e := s.pageOf(c, maxPageSize)
	if e != nil {
		return result{}, e
	}
	var ins []*instance
	for _, in := range s.past {
		if in.webinar || in.End.IsZero() {
			continue
		}
		day := startOfDay(in.Start)
		if day.Before(from) || day.After(to) {
			continue
		}
		joined := false
		for _, pt := range in.Participants {
			joined = joined || strings.EqualFold(pt.Email, u.Email)
		}
		if (typ == "pastJoined" && joined) || (typ != "pastJoined" && in.HostID == u.ID) {
			ins = append(ins, in)
		}
	}
	pi := s.cut(c, p, len(ins))
	items := []any{}
	for _, in := range ins[pi.start:pi.end] {
		host := s.userByID(in.HostID)
		typ := in.Type
		if typ == typeScreenShare {
			typ = typeScheduled
		}
		items = append(items, map[string]any{
			"uuid":                          in.UUID,
			"id":                            in.MeetingID,
			"type":                          typ,
			"topic":                         in.Topic,
			"user_name":                     host.displayName(),
			"user_email":                    host.Email,
			"host_name":                     host.displayName(),
			"start_time":                    timeString(in.Start),
			"end_time":                      timeString(in.End),
			"duration":                      in.minutes(),
			"total_minutes":                 participantMinutes(in),
			"participants_count":            int64(len(in.Participants)),
			"source":                        "Zoom",
			"session_key":                   "",
			"has_recording":                 in.Recording != nil,
			"has_chat":                      in.Recording != nil,
			"has_screen_share":              false,
			"custom_keys":                   []any{},
			"schedule_time":                 timeString(in.Start),
			"meeting_encryption_status":     int64(1),
			"participants_count_my_account": int64(1),
		})
	}
	return result{http.StatusOK, map[string]any{
		"from":            from.Format(time.DateOnly),
		"to":              to.Format(time.DateOnly),
		"page_size":       p.size,
		"page_count":      pi.pageCount,
		"page_number":     pi.pageNumber,
		"total_records":   len(ins),
		"next_page_token": pi.nextPageToken,
		"meetings":        items,
	}}, nil
}

// reportMeetingDetails answers GET /report/meetings/{meetingId}.
func (s *Server) reportMeetingDetails(c *call) (result, *apiError) {
	in, e := s.reportable(c)
	if e != nil {
		return result{}, e
	}
	host := s.userByID(in.HostID)
	return result{http.StatusOK, map[string]any{
		"uuid":               in.UUID,
		"id":                 in.MeetingID,
		"type":               in.Type,
		"topic":              in.Topic,
		"user_name":          host.displayName(),
		"user_email":         host.Email,
		"dept":               host.Dept,
		"start_time":         timeString(in.Start),
		"end_time":           timeString(in.End),
		"duration":           in.minutes(),
		"total_minutes":      participantMinutes(in),
		"participants_count": int64(len(in.Participants)),
		"custom_keys":        []any{},
		"tracking_fields":    []any{},
	}}, nil
}

// reportMeetingParticipants answers
// GET /report/meetings/{meetingId}/participants.
func (s *Server) reportMeetingParticipants(c *call) (result, *apiError) {
	q := newQuery(c)
	q.oneOf("include_fields", "", "registrant_id")
	if e := q.err(); e != nil {
		return result{}, e
	}
	withRegistrant := q.v.Get("include_fields") == "registrant_id"
	in, e := s.reportable(c)
	if e != nil {
		return result{}, e
	}
	p, e := s.pageOf(c, maxPageSize)
	if e != nil {
		return result{}, e
	}
	pi := s.cut(c, p, len(in.Participants))
	items := []any{}
	for _, pt := range in.Participants[pi.start:pi.end] {
		item := map[string]any{
			"id":                  pt.ID,
			"user_id":             pt.UserID,
			"participant_user_id": pt.ID,
			"name":                pt.Name,
			"user_email":          pt.Email,
			"join_time":           timeString(pt.Join),
			"leave_time":          timeString(pt.Leave),
			"duration":            int64(pt.Leave.Sub(pt.Join) / time.Second),
			"failover":            false,
			"status":              "in_meeting",
		}
		if withRegistrant {
			item["registrant_id"] = pt.RegistrantID
		}
		items = append(items, item)
	}
	return result{http.StatusOK, map[string]any{
		"page_size":       p.size,
		"page_count":      pi.pageCount,
		"total_records":   len(in.Participants),
		"next_page_token": pi.nextPageToken,
		"participants":    items,
	}}, nil
}

// checkRange enforces Zoom's rules for a from-to date range, shared by the
// recordings list and the reports: in order, and at most a month long.
func checkRange(from, to time.Time) *apiError {
	if from.After(to) {
		return badRequest(codeValidation, "The start date cannot be later than the end date.")
	}
	if to.After(from.AddDate(0, 1, 0)) {
		return badRequest(codeValidation, "The date range should not exceed one month.")
	}
	return nil
}
