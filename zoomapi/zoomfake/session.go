package zoomfake

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// webBase is the web address of the simulated Zoom: join, start, play and
// download links point there. The .invalid domain never resolves, so a link
// to a simulated meeting cannot reach a real one.
const webBase = "https://sandbox.zoom.invalid"

// Meeting and webinar types.
const (
	typeInstant        = 1
	typeScheduled      = 2
	typeRecurringNoFix = 3
	typeRecurringFixed = 8
	typeScreenShare    = 10

	typeWebinar               = 5
	typeWebinarRecurringNoFix = 6
	typeWebinarRecurringFixed = 9
)

// passwordChars are the characters a meeting passcode may use.
const passwordChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789@-_*"

func (m *session) recurringNoFixedTime() bool {
	return m.Type == typeRecurringNoFix || m.Type == typeWebinarRecurringNoFix
}

func (m *session) recurringFixed() bool {
	return m.Type == typeRecurringFixed || m.Type == typeWebinarRecurringFixed
}

// applyBody validates a create (m fresh) or update body and applies it to
// m. Updates merge like Zoom's PATCH: absent fields keep their value and
// settings merge key by key.
func (s *Server) applyBody(c *call, m *session, body map[string]any, create bool) *apiError {
	f := newFields(body)
	if v, ok := f.str("topic", 200); ok {
		m.Topic = v
	}
	if m.webinar {
		if t, ok := f.intOneOf("type", typeWebinar, typeWebinarRecurringNoFix, typeWebinarRecurringFixed); ok {
			m.Type = t
		}
	} else if t, ok := f.intOneOf("type", typeInstant, typeScheduled, typeRecurringNoFix, typeRecurringFixed, typeScreenShare); ok {
		m.Type = t
	}
	if v, ok := f.str("agenda", 2000); ok {
		m.Agenda = v
	}
	if d, ok := f.integer("duration", 1, 1440); ok {
		m.Duration = d
	}
	if p, ok := f.str("password", 10); ok {
		if strings.Trim(p, passwordChars) != "" {
			f.invalid("password")
		} else {
			m.Password = p
		}
	}
	if tz, ok := f.str("timezone", 0); ok {
		m.Timezone = tz
	}
	loc, err := time.LoadLocation(m.Timezone)
	if err != nil || m.Timezone == "" {
		loc = time.UTC
	}
	startChanged := false
	if t, ok := f.time("start_time", loc); ok {
		m.StartTime, startChanged = t, true
	}
	if !m.webinar {
		if b, ok := f.boolean("pre_schedule"); ok {
			m.PreSchedule = b
		}
	}
	defPass := true
	for _, k := range []string{"default_password", "default_passcode"} {
		if b, ok := f.boolean(k); ok {
			defPass = b
		}
	}
	f.str("template_id", 0)
	recChanged := false
	if rf, ok := f.object("recurrence"); ok {
		rf.require("type")
		rec := rf.spec(recurrenceFields())
		// Zoom documents end_times and end_date_time as exclusive, yet its
		// own example sends both: end_date_time wins.
		m.Recurrence, recChanged = rec, true
	}
	settingsSpec := meetingSettingsFields()
	if m.webinar {
		settingsSpec = webinarSettingsFields()
	}
	if sf, ok := f.object("settings"); ok {
		for k, v := range sf.spec(settingsSpec) {
			m.Settings[k] = v
		}
	}
	if tf, ok := f.array("tracking_fields"); ok {
		m.TrackingFields = nil
		for i, e := range tf {
			o, isObj := e.(map[string]any)
			if !isObj {
				f.invalid("tracking_fields[" + strconv.Itoa(i) + "]")
				continue
			}
			item := fields{m: o, prefix: "tracking_fields[" + strconv.Itoa(i) + "].", bad: f.bad}
			item.require("field")
			item.str("field", 0)
			item.str("value", 0)
			m.TrackingFields = append(m.TrackingFields, item.spec(trackingFieldFields()))
		}
	}
	scheduleFor, hasScheduleFor := f.str("schedule_for", 0)
	if e := f.err(); e != nil {
		return e
	}

	if hasScheduleFor && scheduleFor != "" {
		if m.Type == typeInstant {
			return badRequest(codeMeeting, "Instant meetings do not support the `schedule_for` parameter, and you can't schedule an instant meeting for another user.")
		}
		u, e := s.userFor(c, scheduleFor)
		if e != nil || u.Status != "active" {
			return badRequest(codeValidation, "The value that you entered in the `schedule_for` field is invalid. Enter a valid value and try again.")
		}
		m.HostID = u.ID
	}
	if m.PreSchedule && m.Type != typeScheduled && m.Type != typeRecurringNoFix {
		return badRequest(codeMeeting, "Prescheduling is only available for scheduled meetings (type 2) and recurring meetings with no fixed time (type 3).")
	}
	if create {
		if m.Password == "" && defPass {
			m.Password = s.passcode()
		}
		if m.StartTime.IsZero() || m.Type == typeInstant {
			m.StartTime = c.now.Truncate(time.Second)
		}
	}
	if m.recurringFixed() {
		if m.Recurrence == nil {
			return invalidFields("recurrence")
		}
		if e := checkRecurrence(m.Recurrence); e != nil {
			return e
		}
		if create || recChanged || startChanged {
			m.Occurrences = occurrences(m.StartTime, m.Duration, m.Recurrence)
		}
	} else {
		m.Occurrences = nil
		if !m.recurringNoFixedTime() {
			m.Recurrence = nil
		}
	}
	return nil
}

// recurrenceFields are the fields of a recurrence object.
var recurrenceFields = sync.OnceValue(func() map[string]fieldSpec {
	return map[string]fieldSpec{
		"type":             {kind: kInt, enum: []any{1, 2, 3}},
		"repeat_interval":  {kind: kInt},
		"weekly_days":      {kind: kString},
		"monthly_day":      {kind: kInt},
		"monthly_week":     {kind: kInt, enum: []any{-1, 1, 2, 3, 4}},
		"monthly_week_day": {kind: kInt, enum: []any{1, 2, 3, 4, 5, 6, 7}},
		"end_times":        {kind: kInt},
		"end_date_time":    {kind: kString},
	}
})

var trackingFieldFields = sync.OnceValue(func() map[string]fieldSpec {
	return map[string]fieldSpec{
		"field": {kind: kString},
		"value": {kind: kString},
	}
})

// maxOccurrences caps the occurrences of a recurring meeting, as Zoom does.
const maxOccurrences = 60

// maxInterval is Zoom's largest repeat_interval per recurrence type: 99
// days, 50 weeks, 10 months.
var maxInterval = sync.OnceValue(func() map[int64]int64 { return map[int64]int64{1: 99, 2: 50, 3: 10} })

// checkRecurrence enforces the bounds Zoom documents for a recurrence.
func checkRecurrence(rec map[string]any) *apiError {
	typ, _ := asInt(rec["type"])
	if n, ok := asInt(rec["repeat_interval"]); ok && (n < 1 || n > maxInterval()[typ]) {
		return invalidFields("recurrence.repeat_interval")
	}
	if n, ok := asInt(rec["end_times"]); ok && (n < 0 || n > maxOccurrences) {
		return invalidFields("recurrence.end_times")
	}
	if n, ok := asInt(rec["monthly_day"]); ok && (n < 1 || n > 31) {
		return invalidFields("recurrence.monthly_day")
	}
	return nil
}

// occurrences expands a recurrence from start: daily (type 1), weekly on
// weekly_days (type 2, "1" is Sunday) or monthly (type 3), every
// repeat_interval, end_times times (default 1) or until end_date_time.
func occurrences(start time.Time, duration int64, rec map[string]any) []*occurrence {
	typ, _ := asInt(rec["type"])
	interval, _ := asInt(rec["repeat_interval"])
	interval = max(interval, 1)
	count, ok := asInt(rec["end_times"])
	if !ok || count < 1 {
		count = 1
	}
	var until time.Time
	if s, ok := rec["end_date_time"].(string); ok {
		if t, err := time.Parse(time.RFC3339, s); err == nil {
			until, count = t, maxOccurrences
		}
	}
	count = min(count, maxOccurrences)
	days := map[time.Weekday]bool{}
	if s, ok := rec["weekly_days"].(string); ok {
		for _, d := range strings.Split(s, ",") {
			if n, err := strconv.Atoi(strings.TrimSpace(d)); err == nil && n >= 1 && n <= 7 {
				days[time.Weekday(n-1)] = true
			}
		}
	}
	if len(days) == 0 {
		days[start.Weekday()] = true
	}
	var out []*occurrence
	add := func(t time.Time) bool {
		if int64(len(out)) >= count || (!until.IsZero() && t.After(until)) {
			return false
		}
		out = append(out, &occurrence{ID: strconv.FormatInt(t.UnixMilli(), 10), Start: t, Duration: duration, Status: "available"})
		return true
	}
	switch typ {
	case 2:
		// Week by week (every interval-th), then the chosen days of it.
	weeks:
		for w := 0; w < maxOccurrences; w++ {
			for d := range 7 {
				t := start.AddDate(0, 0, 7*w*int(interval)+d)
				if days[t.Weekday()] && !add(t) {
					break weeks
				}
			}
		}
	case 3:
		for i := 0; add(start.AddDate(0, i*int(interval), 0)); i++ {
		}
	default:
		for i := 0; add(start.AddDate(0, 0, i*int(interval))); i++ {
		}
	}
	return out
}

// nextStart is the start time Zoom shows for m: the next available
// occurrence of a recurring meeting, else its own start time.
func (m *session) nextStart(now time.Time) time.Time {
	var last time.Time
	for _, o := range m.Occurrences {
		if o.Status != "available" {
			continue
		}
		last = o.Start
		if !o.Start.Before(now) {
			return o.Start
		}
	}
	if !last.IsZero() {
		return last
	}
	return m.StartTime
}

func (s *Server) occurrence(m *session, id string) (*occurrence, *apiError) {
	for _, o := range m.Occurrences {
		if o.ID == id {
			return o, nil
		}
	}
	return nil, badRequest(codeValidation, "Invalid parameter: `occurrence_id`.")
}

// encrypted is a stable opaque encoding of a passcode, as in join URLs.
func encrypted(id int64, pass string) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(id, 10) + pass))
	return base64.RawURLEncoding.EncodeToString(sum[:24])
}

// digits is a stable numeric passcode derived from pass, for phone and
// H.323 dial-in.
func digits(id int64, pass string) string {
	sum := sha256.Sum256([]byte(pass + strconv.FormatInt(id, 10)))
	n := uint64(0)
	for _, b := range sum[:8] {
		n = n<<8 | uint64(b)
	}
	return fmt.Sprintf("%06d", n%1_000_000)
}

func (m *session) joinURL() string {
	kind := "j"
	if m.webinar {
		kind = "w"
	}
	u := fmt.Sprintf("%s/%s/%d", webBase, kind, m.ID)
	if m.Password != "" {
		u += "?pwd=" + encrypted(m.ID, m.Password)
	}
	return u
}

func (m *session) startURL() string {
	return fmt.Sprintf("%s/s/%d?zak=%s", webBase, m.ID, encrypted(m.ID, "start:"+m.HostID))
}

func (m *session) registrationURL() string {
	kind := "meeting"
	if m.webinar {
		kind = "webinar"
	}
	return fmt.Sprintf("%s/%s/register/%s", webBase, kind, encrypted(m.ID, "register")[:22])
}

// occurrencesJSON lists the occurrences; past ones only when withPrevious.
func (m *session) occurrencesJSON(now time.Time, withPrevious bool) []any {
	out := []any{}
	for _, o := range m.Occurrences {
		if !withPrevious && o.Start.Add(time.Duration(o.Duration)*time.Minute).Before(now) {
			continue
		}
		out = append(out, map[string]any{
			"occurrence_id": o.ID,
			"start_time":    timeString(o.Start),
			"duration":      o.Duration,
			"status":        o.Status,
		})
	}
	return out
}

// detailJSON is a meeting or webinar as the get and create endpoints
// answer it. occ, if not nil, selects one occurrence.
func (s *Server) detailJSON(m *session, now time.Time, occ *occurrence, withPrevious bool) map[string]any {
	host := s.userByID(m.HostID)
	out := map[string]any{
		"id":         m.ID,
		"uuid":       m.UUID,
		"host_id":    m.HostID,
		"host_email": host.Email,
		"topic":      m.Topic,
		"type":       m.Type,
		"agenda":     m.Agenda,
		"created_at": timeString(m.CreatedAt),
		"duration":   m.Duration,
		"timezone":   m.Timezone,
		"join_url":   m.joinURL(),
		"start_url":  m.startURL(),
		"settings":   copyMap(m.Settings),
	}
	if !m.recurringNoFixedTime() {
		start := m.nextStart(now)
		if occ != nil {
			start = occ.Start
			out["duration"] = occ.Duration
		}
		out["start_time"] = timeString(start)
	}
	if m.Password != "" {
		out["password"] = m.Password
		if m.webinar {
			out["encrypted_passcode"] = encrypted(m.ID, m.Password)
			out["h323_passcode"] = digits(m.ID, m.Password)
		} else {
			out["encrypted_password"] = encrypted(m.ID, m.Password)
			out["h323_password"] = digits(m.ID, m.Password)
			out["pstn_password"] = digits(m.ID, m.Password)
		}
	}
	if m.webinar {
		out["is_simulive"] = false
	} else {
		out["status"] = m.Status
		out["pre_schedule"] = m.PreSchedule
	}
	if m.Recurrence != nil {
		out["recurrence"] = copyMap(m.Recurrence)
	}
	if len(m.Occurrences) > 0 {
		if occ != nil {
			out["occurrences"] = []any{map[string]any{
				"occurrence_id": occ.ID, "start_time": timeString(occ.Start), "duration": occ.Duration, "status": occ.Status,
			}}
		} else {
			out["occurrences"] = m.occurrencesJSON(now, withPrevious)
		}
	}
	if len(m.TrackingFields) > 0 {
		out["tracking_fields"] = m.TrackingFields
	}
	if m.registrationOpen() {
		out["registration_url"] = m.registrationURL()
	}
	out["creation_source"] = "open_api"
	return out
}

// summaryJSON is a meeting or webinar as the list endpoints answer it.
func (s *Server) summaryJSON(m *session, now time.Time) map[string]any {
	agenda := []rune(m.Agenda)
	if len(agenda) > 250 {
		agenda = agenda[:250]
	}
	out := map[string]any{
		"id":         m.ID,
		"uuid":       m.UUID,
		"host_id":    m.HostID,
		"topic":      m.Topic,
		"type":       m.Type,
		"agenda":     string(agenda),
		"created_at": timeString(m.CreatedAt),
		"duration":   m.Duration,
		"timezone":   m.Timezone,
		"join_url":   m.joinURL(),
	}
	if !m.recurringNoFixedTime() {
		out["start_time"] = timeString(m.nextStart(now))
	}
	if m.webinar {
		out["is_simulive"] = false
	}
	return out
}

// copyMap is a shallow copy, so that a response never aliases state.
func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// hostOf resolves the userId of a create or list request.
func (s *Server) hostOf(c *call) (*user, *apiError) {
	return s.userFor(c, pathID(c, "userId"))
}

// deleteSession soft-deletes a meeting or webinar, or one occurrence.
func (s *Server) deleteSession(c *call, m *session) (result, *apiError) {
	if id := c.r.URL.Query().Get("occurrence_id"); id != "" {
		o, e := s.occurrence(m, id)
		if e != nil {
			return result{}, e
		}
		o.Status = "deleted"
		return result{status: http.StatusNoContent}, nil
	}
	m.deletedAt = c.now
	return result{status: http.StatusNoContent}, nil
}
