package zoomfake

import (
	"net/http"
	"time"
)

// defaultWebinarSettings are the settings of a webinar created without
// them.
func defaultWebinarSettings() map[string]any {
	return map[string]any{
		"host_video":                     false,
		"panelists_video":                true,
		"practice_session":               false,
		"hd_video":                       false,
		"hd_video_for_attendees":         false,
		"send_1080p_video_to_attendees":  false,
		"approval_type":                  int64(2),
		"audio":                          "both",
		"auto_recording":                 "none",
		"enforce_login":                  false,
		"enforce_login_domains":          "",
		"alternative_hosts":              "",
		"close_registration":             false,
		"show_share_button":              true,
		"allow_multiple_devices":         true,
		"on_demand":                      false,
		"contact_name":                   "",
		"contact_email":                  "",
		"registrants_confirmation_email": true,
		"registrants_email_notification": true,
		"meeting_authentication":         false,
		"add_watermark":                  false,
		"add_audio_watermark":            false,
		"email_language":                 "en-US",
		"panelist_authentication":        false,
		"global_dial_in_countries":       []any{"US"},
		"question_and_answer":            map[string]any{"enable": true, "allow_anonymous_questions": true},
		"language_interpretation":        map[string]any{"enable": false},
		"sign_language_interpretation":   map[string]any{"enable": false},
	}
}

func (s *Server) newWebinar(hostID string, now time.Time) *session {
	return &session{
		webinar:   true,
		ID:        s.newMeetingID(),
		UUID:      s.newUUID(),
		HostID:    hostID,
		Topic:     "Zoom webinar",
		Type:      typeWebinar,
		Duration:  60,
		Timezone:  "UTC",
		CreatedAt: now.Truncate(time.Second),
		Status:    "waiting",
		Settings:  defaultWebinarSettings(),
	}
}

// listWebinars answers GET /users/{userId}/webinars.
func (s *Server) listWebinars(c *call) (result, *apiError) {
	u, e := s.hostOf(c)
	if e != nil {
		return result{}, e
	}
	q := newQuery(c)
	typ := q.oneOf("type", "scheduled", "scheduled", "upcoming")
	if e := q.err(); e != nil {
		return result{}, e
	}
	p, e := s.pageOf(c, maxPageSize)
	if e != nil {
		return result{}, e
	}
	var ws []*session
	for _, w := range s.webinars {
		if w.HostID != u.ID || w.deleted() {
			continue
		}
		if typ == "upcoming" && !w.recurringNoFixedTime() &&
			w.nextStart(c.now).Add(time.Duration(w.Duration)*time.Minute).Before(c.now) {
			continue
		}
		ws = append(ws, w)
	}
	sortSessions(ws, c.now)
	pi := s.cut(c, p, len(ws))
	items := []any{}
	for _, w := range ws[pi.start:pi.end] {
		items = append(items, s.summaryJSON(w, c.now))
	}
	return result{http.StatusOK, map[string]any{
		"page_size":       p.size,
		"page_number":     pi.pageNumber,
		"page_count":      pi.pageCount,
		"total_records":   len(ws),
		"next_page_token": pi.nextPageToken,
		"webinars":        items,
	}}, nil
}

// createWebinar answers POST /users/{userId}/webinars.
func (s *Server) createWebinar(c *call) (result, *apiError) {
	u, e := s.hostOf(c)
	if e != nil {
		return result{}, notFound(codeUserNotFound, "User %s does not exist.", pathID(c, "userId"))
	}
	if u.Type != 2 || u.Status != "active" {
		return result{}, badRequest(codeNoPermission, "Webinar plan is missing. You must subscribe to the webinar plan and enable webinars for user %s in order to perform this action.", u.ID)
	}
	if e := s.takeUser(c, u.ID); e != nil {
		return result{}, e
	}
	body, e := decodeObject(c.body)
	if e != nil {
		return result{}, e
	}
	w := s.newWebinar(u.ID, c.now)
	if e := s.applyBody(c, w, body, true); e != nil {
		return result{}, e
	}
	s.webinars[w.ID] = w
	return result{http.StatusCreated, s.detailJSON(w, c.now, nil, false)}, nil
}

// getWebinar answers GET /webinars/{webinarId}.
func (s *Server) getWebinar(c *call) (result, *apiError) {
	w, e := s.webinarRef(pathID(c, "webinarId"))
	if e != nil {
		return result{}, e
	}
	return s.getSession(c, w)
}

// updateWebinar answers PATCH /webinars/{webinarId}.
func (s *Server) updateWebinar(c *call) (result, *apiError) {
	return s.updateSession(c, func() (*session, *apiError) { return s.webinarRef(pathID(c, "webinarId")) })
}

// deleteWebinar answers DELETE /webinars/{webinarId}.
func (s *Server) deleteWebinar(c *call) (result, *apiError) {
	w, e := s.webinarRef(pathID(c, "webinarId"))
	if e != nil {
		return result{}, e
	}
	q := newQuery(c)
	q.boolean("cancel_webinar_reminder", false)
	if e := q.err(); e != nil {
		return result{}, e
	}
	if id := c.r.URL.Query().Get("occurrence_id"); id != "" {
		if _, e := s.occurrence(w, id); e != nil {
			return result{}, badRequest(codeMeeting, "Webinar occurrence does not exist.")
		}
	}
	return s.deleteSession(c, w)
}

// listWebinarRegistrants answers GET /webinars/{webinarId}/registrants.
func (s *Server) listWebinarRegistrants(c *call) (result, *apiError) {
	w, e := s.webinarRef(pathID(c, "webinarId"))
	if e != nil {
		return result{}, e
	}
	return s.listRegistrants(c, w)
}

// addWebinarRegistrant answers POST /webinars/{webinarId}/registrants.
func (s *Server) addWebinarRegistrant(c *call) (result, *apiError) {
	w, e := s.webinarRef(pathID(c, "webinarId"))
	if e != nil {
		return result{}, e
	}
	return s.addRegistrant(c, w)
}
