package zoomfake

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func parseInt(s string) (int64, bool) {
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// registrantFields are the optional fields of a registration.
var registrantFields = sync.OnceValue(func() map[string]fieldSpec {
	return map[string]fieldSpec{
		"address":          {kind: kString},
		"city":             {kind: kString},
		"state":            {kind: kString},
		"zip":              {kind: kString},
		"country":          {kind: kString},
		"phone":            {kind: kString},
		"comments":         {kind: kString},
		"industry":         {kind: kString},
		"job_title":        {kind: kString},
		"org":              {kind: kString},
		"custom_questions": {kind: kArray},
		"no_of_employees": {kind: kString, enum: []any{"", "1-20", "21-50", "51-100", "101-250", "251-500",
			"101-500", "500-1,000", "501-1,000", "1,001-5,000", "5,001-10,000", "More than 10,000"}},
		"purchasing_time_frame": {kind: kString, enum: []any{"", "Within a month", "1-3 months", "4-6 months",
			"More than 6 months", "No timeframe"}},
		"role_in_purchase_process": {kind: kString, enum: []any{"", "Decision Maker", "Evaluator/Recommender",
			"Influencer", "Not involved"}},
	}
})

// registrationLanguages are the languages of the confirmation email.
var registrationLanguages = []string{"en-US", "de-DE", "es-ES", "fr-FR", "jp-JP", "pt-PT", "ru-RU",
	"zh-CN", "zh-TW", "ko-KO", "it-IT", "vi-VN", "pl-PL", "Tr-TR"}

// validEmail is a loose check of an email address.
func validEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && strings.Contains(s[at:], ".") && !strings.ContainsAny(s, " \t\r\n,;")
}

// listRegistrants answers the registrant list of a meeting or webinar.
func (s *Server) listRegistrants(c *call, m *session) (result, *apiError) {
	q := newQuery(c)
	status := q.oneOf("status", "approved", "approved", "pending", "denied")
	if e := q.err(); e != nil {
		return result{}, e
	}
	p, e := s.pageOf(c, maxPageSize)
	if e != nil {
		return result{}, e
	}
	occ := c.r.URL.Query().Get("occurrence_id")
	if occ != "" {
		if _, e := s.occurrence(m, occ); e != nil {
			return result{}, e
		}
	}
	var rs []*registrant
	for _, r := range m.Registrants {
		if r.Status == status && (occ == "" || len(r.OccurrenceIDs) == 0 || contains(r.OccurrenceIDs, occ)) {
			rs = append(rs, r)
		}
	}
	pi := s.cut(c, p, len(rs))
	items := []any{}
	for _, r := range rs[pi.start:pi.end] {
		items = append(items, registrantJSON(r))
	}
	return result{http.StatusOK, map[string]any{
		"page_size":       p.size,
		"page_number":     pi.pageNumber,
		"page_count":      pi.pageCount,
		"total_records":   len(rs),
		"next_page_token": pi.nextPageToken,
		"registrants":     items,
	}}, nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func registrantJSON(r *registrant) map[string]any {
	out := map[string]any{
		"id":          r.ID,
		"email":       r.Email,
		"first_name":  r.FirstName,
		"last_name":   r.LastName,
		"status":      r.Status,
		"create_time": timeString(r.CreateTime),
		"join_url":    r.JoinURL,
	}
	for k, v := range r.Extra {
		out[k] = v
	}
	if _, ok := out["custom_questions"]; !ok {
		out["custom_questions"] = []any{}
	}
	return out
}

// addRegistrant registers someone to a meeting or webinar. Registering an
// email twice answers the existing registration, as Zoom does.
func (s *Server) addRegistrant(c *call, m *session) (result, *apiError) {
	if !m.registrationOpen() {
		kind := "meeting"
		if m.webinar {
			kind = "webinar"
		}
		return result{}, badRequest(codeMeeting, "This %s does not have registration as required: %d.", kind, m.ID)
	}
	body, e := decodeObject(c.body)
	if e != nil {
		return result{}, e
	}
	f := newFields(body)
	f.require("email")
	f.require("first_name")
	email, _ := f.str("email", 128)
	if email != "" && !validEmail(email) {
		f.invalid("email")
	}
	first, _ := f.str("first_name", 64)
	last, _ := f.str("last_name", 64)
	f.oneOf("language", registrationLanguages...)
	autoApprove, _ := f.boolean("auto_approve")
	extra := f.spec(registrantFields())
	var occIDs []string
	if v := c.r.URL.Query().Get("occurrence_ids"); v != "" {
		for _, id := range strings.Split(v, ",") {
			if _, e := s.occurrence(m, strings.TrimSpace(id)); e != nil {
				return result{}, badRequest(codeValidation, "Invalid parameter: `occurrence_ids`.")
			}
			occIDs = append(occIDs, strings.TrimSpace(id))
		}
	}
	if e := f.err(); e != nil {
		return result{}, e
	}
	if m.webinar && strings.EqualFold(email, s.userByID(m.HostID).Email) {
		return result{}, badRequest(3027, "Host cannot register.")
	}
	if m.webinar && !m.recurringNoFixedTime() && m.nextStart(c.now).Add(time.Duration(m.Duration)*time.Minute).Before(c.now) {
		return result{}, badRequest(3038, "Webinar is over, you cannot register now. If you have any questions, contact the webinar host.")
	}
	r := m.findRegistrant("", email)
	if r == nil {
		r = &registrant{
			ID: s.newID("registrant"), Email: email, FirstName: first, LastName: last,
			Status: "pending", CreateTime: c.now.Truncate(time.Second), Extra: extra, OccurrenceIDs: occIDs,
		}
		if n, _ := asInt(m.Settings["approval_type"]); n == 0 || autoApprove {
			r.Status = "approved"
		}
		base, _, _ := strings.Cut(m.joinURL(), "?")
		r.JoinURL = base + "?tk=" + r.ID
		m.Registrants = append(m.Registrants, r)
	}
	out := map[string]any{
		"id":            m.ID,
		"registrant_id": r.ID,
		"join_url":      r.JoinURL,
		"topic":         m.Topic,
	}
	if !m.recurringNoFixedTime() {
		out["start_time"] = timeString(m.nextStart(c.now))
	}
	if len(m.Occurrences) > 0 {
		var occs []any
		for _, o := range m.Occurrences {
			if len(r.OccurrenceIDs) == 0 || contains(r.OccurrenceIDs, o.ID) {
				occs = append(occs, map[string]any{
					"occurrence_id": o.ID, "start_time": timeString(o.Start), "duration": o.Duration, "status": o.Status,
				})
			}
		}
		out["occurrences"] = occs
	}
	return result{http.StatusCreated, out}, nil
}

// findRegistrant finds a registrant by ID or, when id is empty, by email.
func (m *session) findRegistrant(id, email string) *registrant {
	for _, r := range m.Registrants {
		if (id != "" && r.ID == id) || (id == "" && email != "" && strings.EqualFold(r.Email, email)) {
			return r
		}
	}
	return nil
}

// listMeetingRegistrants answers GET /meetings/{meetingId}/registrants.
func (s *Server) listMeetingRegistrants(c *call) (result, *apiError) {
	m, e := s.meetingRef(pathID(c, "meetingId"), false)
	if e != nil {
		return result{}, e
	}
	return s.listRegistrants(c, m)
}

// addMeetingRegistrant answers POST /meetings/{meetingId}/registrants.
func (s *Server) addMeetingRegistrant(c *call) (result, *apiError) {
	m, e := s.meetingRef(pathID(c, "meetingId"), false)
	if e != nil {
		// The spec documents code 1001 for this endpoint alone.
		e.Code = codeUserNotFound
		return result{}, e
	}
	n := len(m.Registrants)
	res, e := s.addRegistrant(c, m)
	if e == nil && len(m.Registrants) > n {
		s.emitRegistrationCreated(c, m, m.Registrants[len(m.Registrants)-1])
	}
	return res, e
}

// updateRegistrantStatus answers PUT /meetings/{meetingId}/registrants/status.
// Without a registrants list the action applies to every registrant it
// can apply to.
func (s *Server) updateRegistrantStatus(c *call) (result, *apiError) {
	m, e := s.meetingRef(pathID(c, "meetingId"), false)
	if e != nil {
		return result{}, e
	}
	body, e := decodeObject(c.body)
	if e != nil {
		return result{}, e
	}
	f := newFields(body)
	f.require("action")
	action, _ := f.oneOf("action", "approve", "cancel", "deny")
	list, _ := f.array("registrants")
	if len(list) > 30 {
		f.invalid("registrants")
	}
	var targets []*registrant
	for i, e := range list {
		o, ok := e.(map[string]any)
		if !ok {
			f.invalid("registrants[" + strconv.Itoa(i) + "]")
			continue
		}
		item := fields{m: o, prefix: "registrants[" + strconv.Itoa(i) + "].", bad: f.bad}
		id, _ := item.str("id", 0)
		email, _ := item.str("email", 0)
		if r := m.findRegistrant(id, email); r != nil {
			targets = append(targets, r)
		}
	}
	if e := f.err(); e != nil {
		return result{}, e
	}
	all := list == nil
	if all {
		targets = m.Registrants
	}
	for _, r := range targets {
		switch action {
		case "approve":
			if all && r.Status != "pending" {
				continue
			}
			r.Status, r.cancelled = "approved", false
		case "deny":
			if r.Status == "pending" || r.Status == "approved" {
				r.Status = "denied"
			}
		case "cancel":
			if r.Status == "approved" || r.Status == "pending" {
				r.Status, r.cancelled = "denied", true
			}
		}
	}
	return result{status: http.StatusNoContent}, nil
}
