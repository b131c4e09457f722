package zoomapi

import (
	"encoding/json"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"
)

// This file checks the client's types against Zoom's official OpenAPI
// documents in shared/zoom-spec, found and loaded by internal/zoomspec
// (skipped when absent, failed under CI). They are read at test time and
// never copied into the repository.

// specEndpoint is one entry of the spec extract (zoomspec.Endpoint).
type specEndpoint struct {
	OperationID string `json:"operationId"`
	Method      string `json:"method"`
	Path        string `json:"path"`
	Parameters  []struct {
		Name     string `json:"name"`
		In       string `json:"in"`
		Required bool   `json:"required"`
	} `json:"parameters"`
	RequestBodySchema map[string]any `json:"request_body_schema"`
	SuccessResponses  map[string]struct {
		Schema map[string]any `json:"schema"`
	} `json:"success_responses"`
}

// specEndpointByID returns the official spec of an operation: the
// extract's entry, or for the endpoints beyond it one derived from Zoom's
// full documents (see specEntry).
func specEndpointByID(t testing.TB, op string) specEndpoint {
	t.Helper()
	b, err := json.Marshal(specEntry(t, op))
	if err != nil {
		t.Fatal(err)
	}
	var e specEndpoint
	if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("spec entry of %s: %v", op, err)
	}
	return e
}

// successSchema returns the schema of the endpoint's 2xx JSON answer, or nil
// for a 204.
func (e specEndpoint) successSchema() (code string, schema map[string]any) {
	for c, r := range e.SuccessResponses {
		if strings.HasPrefix(c, "2") {
			return c, r.Schema
		}
	}
	return "", nil
}

// specExample builds an example document from a schema's example values,
// merging allOf parts and taking the first of oneOf/anyOf. Zoom's documents
// carry examples on the leaf properties, not whole-response examples.
func specExample(s map[string]any) any {
	if s == nil {
		return nil
	}
	if parts, ok := s["allOf"].([]any); ok {
		out := map[string]any{}
		for _, p := range parts {
			if m, ok := specExample(asMap(p)).(map[string]any); ok {
				for k, v := range m {
					out[k] = v
				}
			}
		}
		return out
	}
	for _, k := range []string{"oneOf", "anyOf"} {
		if parts, ok := s[k].([]any); ok && len(parts) > 0 {
			return specExample(asMap(parts[0]))
		}
	}
	if props, ok := s["properties"].(map[string]any); ok {
		out := map[string]any{}
		for k, p := range props {
			if v := specExample(asMap(p)); v != nil {
				out[k] = v
			}
		}
		return out
	}
	if items, ok := s["items"]; ok {
		if v := specExample(asMap(items)); v != nil {
			return []any{v}
		}
	}
	for _, k := range []string{"example", "default"} {
		if v, ok := s[k]; ok {
			return v
		}
	}
	if enum, ok := s["enum"].([]any); ok && len(enum) > 0 {
		return enum[0]
	}
	return nil
}

func asMap(v any) map[string]any { m, _ := v.(map[string]any); return m }

// schemaPaths returns every property path of a schema: "a", "a.b",
// "list[].c".
func schemaPaths(s map[string]any, prefix string, out map[string]bool) {
	if s == nil {
		return
	}
	for _, k := range []string{"allOf", "oneOf", "anyOf"} {
		if parts, ok := s[k].([]any); ok {
			for _, p := range parts {
				schemaPaths(asMap(p), prefix, out)
			}
		}
	}
	if props, ok := s["properties"].(map[string]any); ok {
		for k, p := range props {
			path := join(prefix, k)
			out[path] = true
			schemaPaths(asMap(p), path, out)
		}
	}
	if items, ok := s["items"]; ok {
		schemaPaths(asMap(items), prefix+"[]", out)
	}
}

func join(prefix, k string) string {
	if prefix == "" {
		return k
	}
	return prefix + "." + k
}

var (
	timeType      = reflect.TypeFor[Time]()
	numStringType = reflect.TypeFor[NumString]()
)

// typePaths returns the JSON (tag "json") or query (tag "url") paths of a
// Go type, flattening embedded structs as encoding/json does.
func typePaths(t reflect.Type, tag, prefix string, out map[string]bool) {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		if t.Kind() == reflect.Slice {
			prefix += "[]"
		}
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || t == timeType || t == numStringType {
		return
	}
	for f := range t.Fields() {
		name, _, _ := strings.Cut(f.Tag.Get(tag), ",")
		if name == "-" || !f.IsExported() {
			continue
		}
		if f.Anonymous && name == "" {
			typePaths(f.Type, tag, prefix, out)
			continue
		}
		if name == "" {
			continue
		}
		path := join(prefix, name)
		out[path] = true
		if tag == "json" {
			typePaths(f.Type, tag, path, out)
		}
	}
}

// lostFields compares a decoded-and-re-encoded document with the original
// and returns the paths whose non-zero values did not survive. Zero values
// ("", 0, false, [], {}) may be dropped by omitempty without loss.
func lostFields(orig, re any, path string, out map[string]bool) {
	switch o := orig.(type) {
	case map[string]any:
		r, ok := re.(map[string]any)
		if !ok {
			if !isZeroJSON(o) {
				out[path] = true
			}
			return
		}
		for k, v := range o {
			lostFields(v, r[k], join(path, k), out)
		}
	case []any:
		r, ok := re.([]any)
		if !ok || len(r) != len(o) {
			if !isZeroJSON(o) {
				out[path] = true
			}
			return
		}
		for i := range o {
			lostFields(o[i], r[i], path+"[]", out)
		}
	default:
		if re == nil {
			if !isZeroJSON(orig) {
				out[path] = true
			}
			return
		}
		if !reflect.DeepEqual(orig, re) {
			out[path+" (changed)"] = true
		}
	}
}

func isZeroJSON(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case bool:
		return !x
	case float64:
		return x == 0
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		for _, e := range x {
			if !isZeroJSON(e) {
				return false
			}
		}
		return true
	}
	return false
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// collapse reports a path only once when its parent is reported too.
func collapse(paths []string) []string {
	var out []string
	for _, p := range paths {
		if len(out) > 0 {
			last := out[len(out)-1]
			if strings.HasPrefix(p, last+".") || strings.HasPrefix(p, last+"[]") {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

// Fields of Zoom's answers the client deliberately does not model: niche
// settings (interpretation, breakout assignment details, AI Companion
// questions, whiteboard resources, ...) an agent does not need. Decoding
// ignores them; a tool that needs one should add it to the type and remove
// it here. Only fields whose spec example is non-zero can show up as lost;
// the others are listed for the record and checked to be real spec fields.
var (
	unmodeledMeetingSettings = []string{
		"settings.additional_data_center_regions",
		"settings.allow_host_control_participant_mute_state",
		"settings.alternative_host_manage_cloud_recording",
		"settings.alternative_host_manage_meeting_summary",
		"settings.approved_or_denied_countries_or_regions",
		"settings.authentication_exception",
		"settings.auto_add_recording_to_video_management",
		"settings.auto_start_ai_companion_questions",
		"settings.custom_keys",
		"settings.device_testing",
		"settings.disable_participant_video",
		"settings.language_interpretation",
		"settings.participant_focused_meeting",
		"settings.question_and_answer",
		"settings.resources",
		"settings.sign_language_interpretation",
		"settings.who_can_ask_questions",
	}
	unmodeledWebinar = []string{
		"settings.additional_data_center_regions",
		"settings.allow_host_control_participant_mute_state",
		"settings.attendees_and_panelists_reminder_email_notification",
		"settings.enable_session_branding",
		"settings.follow_up_absentees_email_notification",
		"settings.follow_up_attendees_email_notification",
		"settings.hd_video_for_attendees",
		"settings.language_interpretation",
		"settings.send_1080p_video_to_attendees",
		"settings.sign_language_interpretation",
		"simulive_delay_start",
	}
	unmodeledUser = []string{"cms_user_id", "division_ids", "jid", "license_info_list", "pronouns", "pronouns_option", "zoom_one_type"}
)

// specCase is the decoding check of one endpoint's success answer.
type specCase struct {
	op        string
	newOut    func() any // pointer to the client's result type; nil for 204
	unmodeled []string   // paths of the example lost on purpose
	check     func(t *testing.T, v any)
}

func specCases() []specCase {
	return []specCase{
		{op: OpListMeetings, newOut: func() any { return new(MeetingList) }, check: func(t *testing.T, v any) {
			l := v.(*MeetingList)
			nonZero(t, l.PageSize, l.TotalRecords, l.NextPageToken, l.PageCount, len(l.Meetings))
			m := l.Meetings[0]
			nonZero(t, m.ID, m.UUID, m.Topic, m.Type, m.StartTime, m.Duration, m.Timezone, m.JoinURL, m.CreatedAt, m.HostID, m.Agenda, m.PMI)
		}},
		{op: OpCreateMeeting, newOut: func() any { return new(Meeting) }, unmodeled: unmodeledMeetingSettings, check: checkMeeting},
		{op: OpGetMeeting, newOut: func() any { return new(Meeting) }, unmodeled: unmodeledMeetingSettings, check: checkMeeting},
		{op: OpUpdateMeeting},
		{op: OpDeleteMeeting},
		{op: OpUpdateMeetingStatus},
		{op: OpListMeetingRegistrants, newOut: func() any { return new(RegistrantList) }, check: checkRegistrants},
		{op: OpAddMeetingRegistrant, newOut: func() any { return new(RegistrantCreated) }, check: checkRegistrantCreated},
		{op: OpUpdateRegistrantStatus},
		{op: OpListWebinars, newOut: func() any { return new(WebinarList) }, check: func(t *testing.T, v any) {
			l := v.(*WebinarList)
			nonZero(t, l.PageSize, l.TotalRecords, len(l.Webinars))
			w := l.Webinars[0]
			nonZero(t, w.ID, w.UUID, w.Topic, w.Type, w.StartTime, w.Duration, w.JoinURL, w.HostID)
		}},
		{op: OpCreateWebinar, newOut: func() any { return new(Webinar) }, unmodeled: unmodeledWebinar, check: checkWebinar},
		{op: OpGetWebinar, newOut: func() any { return new(Webinar) }, unmodeled: unmodeledWebinar, check: checkWebinar},
		{op: OpUpdateWebinar},
		{op: OpDeleteWebinar},
		{op: OpListWebinarRegistrants, newOut: func() any { return new(RegistrantList) }, check: checkRegistrants},
		{op: OpAddWebinarRegistrant, newOut: func() any { return new(RegistrantCreated) }, check: checkRegistrantCreated},
		{op: OpListUsers, newOut: func() any { return new(UserList) }, unmodeled: []string{"users[].division_ids", "users[].license_info_list"}, check: func(t *testing.T, v any) {
			l := v.(*UserList)
			nonZero(t, l.PageSize, l.TotalRecords, l.NextPageToken, len(l.Users))
			u := l.Users[0]
			nonZero(t, u.ID, u.Email, u.Type, u.Status, u.PMI, u.Timezone, u.Dept, u.LastLoginTime, u.CreatedAt, u.RoleID, u.HostKey)
		}},
		{op: OpGetUser, newOut: func() any { return new(User) }, unmodeled: unmodeledUser, check: func(t *testing.T, v any) {
			u := v.(*User)
			nonZero(t, u.ID, u.Email, u.Type, u.Status, u.RoleName, u.PMI, u.Timezone, u.Dept, u.LastLoginTime, u.CreatedAt, len(u.PhoneNumbers), len(u.CustomAttributes))
		}},
		{op: OpCreateUser, newOut: func() any { return new(UserCreated) }, check: func(t *testing.T, v any) {
			u := v.(*UserCreated)
			nonZero(t, u.ID, u.Email, u.Type, u.FirstName)
		}},
		{op: OpListRecordings, newOut: func() any { return new(RecordingList) }, check: func(t *testing.T, v any) {
			l := v.(*RecordingList)
			nonZero(t, l.From, l.To, l.PageSize, len(l.Meetings))
			checkRecording(t, &l.Meetings[0])
		}},
		{op: OpGetMeetingRecordings, newOut: func() any { return new(Recording) }, check: func(t *testing.T, v any) {
			r := v.(*Recording)
			checkRecording(t, r)
			nonZero(t, r.DownloadAccessToken, r.Password, len(r.ParticipantAudioFiles))
		}},
		{op: OpDeleteMeetingRecordings},
		{op: OpGetMeetingTranscript, newOut: func() any { return new(MeetingTranscript) }, check: func(t *testing.T, v any) {
			tr := v.(*MeetingTranscript)
			nonZero(t, tr.MeetingID, tr.AccountID, tr.MeetingTopic, tr.HostID, tr.TranscriptCreatedTime, tr.CanDownload,
				tr.AutoDelete, tr.AutoDeleteDate, tr.DownloadURL, tr.DownloadRestrictionReason)
		}},
		{op: OpGetMeetingSummary, newOut: func() any { return new(MeetingSummary) }, check: func(t *testing.T, v any) {
			m := v.(*MeetingSummary)
			checkSummaryListed(t, m)
			nonZero(t, m.SummaryLastModifiedUserID, m.SummaryLastModifiedUserEmail, m.SummaryTitle, m.SummaryContent, m.SummaryDocURL,
				m.SummaryOverview, len(m.SummaryDetails), len(m.NextSteps), m.EditedSummary)
			nonZero(t, m.SummaryDetails[0].Label, m.SummaryDetails[0].Summary, m.EditedSummary.SummaryOverview, m.EditedSummary.SummaryDetails, len(m.EditedSummary.NextSteps))
		}},
		{op: OpListMeetingSummaries, newOut: func() any { return new(MeetingSummaryList) }, check: func(t *testing.T, v any) {
			l := v.(*MeetingSummaryList)
			nonZero(t, l.PageSize, l.NextPageToken, l.From, l.To, len(l.Summaries))
			checkSummaryListed(t, &l.Summaries[0])
		}},
		{op: OpReportMeetings, newOut: func() any { return new(ReportMeetingList) }, check: func(t *testing.T, v any) {
			l := v.(*ReportMeetingList)
			nonZero(t, l.From, l.To, l.NextPageToken, len(l.Meetings))
			m := l.Meetings[0]
			nonZero(t, m.UUID, m.ID, m.Topic, m.StartTime, m.EndTime, m.Duration, m.ParticipantsCount, m.UserEmail, m.ScheduleTime, m.JoinTime)
		}},
		{op: OpReportMeetingDetails, newOut: func() any { return new(ReportMeeting) }, check: func(t *testing.T, v any) {
			m := v.(*ReportMeeting)
			nonZero(t, m.UUID, m.ID, m.Topic, m.StartTime, m.EndTime, m.Duration, m.ParticipantsCount, m.TotalMinutes, m.Dept, len(m.TrackingFields), len(m.CustomKeys))
		}},
		{op: OpReportMeetingParticipants, newOut: func() any { return new(ReportParticipantList) }, check: func(t *testing.T, v any) {
			l := v.(*ReportParticipantList)
			nonZero(t, l.NextPageToken, len(l.Participants))
			p := l.Participants[0]
			nonZero(t, p.ID, p.Name, p.UserEmail, p.JoinTime, p.LeaveTime, p.Duration, p.Status, p.RegistrantID)
		}},
	}
}

func nonZero(t *testing.T, vals ...any) {
	t.Helper()
	for i, v := range vals {
		if reflect.ValueOf(v).IsZero() {
			t.Errorf("value #%d (%T) is zero after decoding the spec example", i, v)
		}
	}
}

func checkMeeting(t *testing.T, v any) {
	t.Helper()
	m := v.(*Meeting)
	nonZero(t, m.ID, m.UUID, m.HostID, m.HostEmail, m.Topic, m.Type, m.Status, m.StartTime, m.Duration, m.Timezone, m.Agenda,
		m.CreatedAt, m.JoinURL, m.StartURL, m.RegistrationURL, m.Password, m.PMI, len(m.Occurrences), m.Recurrence, m.Settings, len(m.TrackingFields))
	s := m.Settings
	nonZero(t, s.HostVideo, s.ParticipantVideo, s.JoinBeforeHost, s.MuteUponEntry, s.WaitingRoom, s.ApprovalType, s.RegistrationType,
		s.Audio, s.AutoRecording, s.AlternativeHosts, s.MeetingAuthentication, s.RegistrantsEmailNotification, len(s.GlobalDialInNumbers))
	if *s.ApprovalType != 0 || *s.WaitingRoom {
		t.Errorf("ApprovalType=%d WaitingRoom=%v: a spec 0/false must decode as set-to-zero", *s.ApprovalType, *s.WaitingRoom)
	}
	nonZero(t, m.Recurrence.Type, m.Recurrence.EndDateTime, m.Occurrences[0].OccurrenceID, m.Occurrences[0].StartTime)
}

func checkWebinar(t *testing.T, v any) {
	t.Helper()
	w := v.(*Webinar)
	nonZero(t, w.ID, w.UUID, w.HostID, w.HostEmail, w.Topic, w.Type, w.StartTime, w.Duration, w.Timezone, w.Agenda,
		w.CreatedAt, w.JoinURL, w.StartURL, w.RegistrationURL, w.Password, w.Settings, w.Recurrence)
	s := w.Settings
	nonZero(t, s.HostVideo, s.PanelistsVideo, s.ApprovalType, s.RegistrationType, s.Audio, s.AutoRecording, s.QuestionAndAnswer)
}

func checkRegistrants(t *testing.T, v any) {
	t.Helper()
	l := v.(*RegistrantList)
	nonZero(t, l.PageSize, l.TotalRecords, l.NextPageToken, len(l.Registrants))
	r := l.Registrants[0]
	nonZero(t, r.ID, r.Email, r.FirstName, r.LastName, r.Status, r.CreateTime, r.JoinURL, len(r.CustomQuestions))
}

func checkRegistrantCreated(t *testing.T, v any) {
	t.Helper()
	r := v.(*RegistrantCreated)
	nonZero(t, r.ID, r.RegistrantID, r.JoinURL, r.Topic, r.StartTime, len(r.Occurrences))
}

func checkRecording(t *testing.T, r *Recording) {
	t.Helper()
	nonZero(t, r.UUID, r.ID, r.HostID, r.Topic, r.Type, r.StartTime, r.Duration, r.TotalSize, r.RecordingCount, len(r.RecordingFiles))
	f := r.RecordingFiles[0]
	nonZero(t, f.ID, f.MeetingID, f.RecordingStart, f.RecordingEnd, f.FileType, f.FileExtension, f.FileSize, f.PlayURL, f.DownloadURL, f.Status, f.RecordingType)
}

// checkSummaryListed checks the fields of a summary that both
// ListSummaries and GetSummary return.
func checkSummaryListed(t *testing.T, m *MeetingSummary) {
	t.Helper()
	nonZero(t, m.MeetingHostID, m.MeetingHostEmail, m.MeetingUUID, m.MeetingID, m.MeetingTopic, m.MeetingStartTime, m.MeetingEndTime,
		m.SummaryStartTime, m.SummaryEndTime, m.SummaryCreatedTime, m.SummaryLastModifiedTime)
}

// TestSpecExamplesDecode decodes the example of every endpoint's success
// answer, built from Zoom's spec, into the client's type, checks the fields
// an agent needs, and checks that re-encoding loses only the fields listed
// as unmodeled.
func TestSpecExamplesDecode(t *testing.T) {
	cases := specCases()
	if len(cases) != len(Endpoints) {
		t.Errorf("%d spec cases for %d endpoints", len(cases), len(Endpoints))
	}
	for _, tc := range cases {
		t.Run(tc.op, func(t *testing.T) {
			ep := specEndpointByID(t, tc.op)
			code, schema := ep.successSchema()
			if tc.newOut == nil {
				if code != "204" || schema != nil {
					t.Fatalf("spec answers %s with a schema; the client expects 204 without a body", code)
				}
				return
			}
			if schema == nil {
				t.Fatalf("spec has no success schema (status %s)", code)
			}
			example := specExample(schema)
			raw, err := json.Marshal(example)
			if err != nil {
				t.Fatal(err)
			}
			out := tc.newOut()
			if err := json.Unmarshal(raw, out); err != nil {
				t.Fatalf("decoding the spec example: %v\n%s", err, raw)
			}
			tc.check(t, out)

			re, err := json.Marshal(out)
			if err != nil {
				t.Fatal(err)
			}
			var orig, back any
			_ = json.Unmarshal(raw, &orig)
			_ = json.Unmarshal(re, &back)
			lost := map[string]bool{}
			lostFields(orig, back, "", lost)
			var unlisted []string
			for _, p := range collapse(sortedKeys(lost)) {
				if !slices.Contains(tc.unmodeled, p) {
					unlisted = append(unlisted, p)
				}
			}
			if len(unlisted) > 0 {
				t.Errorf("decode/re-encode loses fields not listed as unmodeled: %v", unlisted)
			}
			// The list must name real spec fields the type does not have.
			specPaths, ours := map[string]bool{}, map[string]bool{}
			schemaPaths(schema, "", specPaths)
			typePaths(reflect.TypeOf(out), "json", "", ours)
			for _, p := range tc.unmodeled {
				if !specPaths[p] || ours[p] {
					t.Errorf("unmodeled %q: in spec %v, in type %v; want in spec only", p, specPaths[p], ours[p])
				}
			}
		})
	}
}

// TestTypesUseSpecNames checks that every JSON field of the response types
// and every query parameter of the option types is a name Zoom documents,
// so a typo cannot silently drop a field.
func TestTypesUseSpecNames(t *testing.T) {
	// src names a success schema; paths under From are moved under To, so
	// that a list item type can be checked against Get and the other way.
	type src struct{ op, from, to string }
	tests := []struct {
		name  string
		typ   any
		srcs  []src
		extra []string // fields Zoom sends but does not document here
	}{
		{"MeetingList", MeetingList{}, []src{{op: OpListMeetings}, {OpGetMeeting, "", "meetings[]"}}, nil},
		{"Meeting", Meeting{}, []src{{op: OpGetMeeting}, {op: OpCreateMeeting}}, nil},
		{"RegistrantList", RegistrantList{}, []src{{op: OpListMeetingRegistrants}, {op: OpListWebinarRegistrants}}, nil},
		{"RegistrantCreated", RegistrantCreated{}, []src{{op: OpAddMeetingRegistrant}, {op: OpAddWebinarRegistrant}}, nil},
		{"WebinarList", WebinarList{}, []src{{op: OpListWebinars}, {OpGetWebinar, "", "webinars[]"}}, []string{"webinars[].settings.notify_registrants"}},
		{"Webinar", Webinar{}, []src{{op: OpGetWebinar}, {op: OpCreateWebinar}}, []string{"settings.notify_registrants"}},
		{"UserList", UserList{}, []src{{op: OpListUsers}, {OpGetUser, "", "users[]"}}, nil},
		{"User", User{}, []src{{op: OpGetUser}, {OpListUsers, "users[]", ""}}, nil},
		{"UserCreated", UserCreated{}, []src{{op: OpCreateUser}}, nil},
		{"RecordingList", RecordingList{}, []src{{op: OpListRecordings}, {OpGetMeetingRecordings, "", "meetings[]"}}, []string{"meetings[].share_url"}},
		{"Recording", Recording{}, []src{{op: OpGetMeetingRecordings}}, []string{"share_url"}},
		{"ReportMeetingList", ReportMeetingList{}, []src{{op: OpReportMeetings}, {OpReportMeetingDetails, "", "meetings[]"}}, []string{"meetings[].tracking_fields[].visible"}},
		{"ReportMeeting", ReportMeeting{}, []src{{op: OpReportMeetingDetails}, {OpReportMeetings, "meetings[]", ""}}, []string{"tracking_fields[].visible"}}, // TrackingField is shared
		{"ReportParticipantList", ReportParticipantList{}, []src{{op: OpReportMeetingParticipants}}, nil},
		{"MeetingTranscript", MeetingTranscript{}, []src{{op: OpGetMeetingTranscript}}, nil},
		{"MeetingSummary", MeetingSummary{}, []src{{op: OpGetMeetingSummary}, {OpListMeetingSummaries, "summaries[]", ""}}, nil},
		{"MeetingSummaryList", MeetingSummaryList{}, []src{{op: OpListMeetingSummaries}, {OpGetMeetingSummary, "", "summaries[]"}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spec := map[string]bool{}
			for _, sc := range tt.srcs {
				_, schema := specEndpointByID(t, sc.op).successSchema()
				all := map[string]bool{}
				schemaPaths(schema, "", all)
				for p := range all {
					rest, ok := strings.CutPrefix(p, sc.from)
					if sc.from != "" {
						if !ok || !strings.HasPrefix(rest, ".") {
							continue
						}
						rest = rest[1:]
					}
					spec[join(sc.to, rest)] = true
				}
			}
			for _, p := range tt.extra {
				spec[p] = true
			}
			var unknown []string
			for _, p := range jsonPaths(tt.typ) {
				if !spec[p] {
					unknown = append(unknown, p)
				}
			}
			if len(unknown) > 0 {
				t.Errorf("fields not in Zoom's spec: %v", unknown)
			}
		})
	}
}

// jsonPaths returns the JSON paths of v's type.
func jsonPaths(v any) []string {
	m := map[string]bool{}
	typePaths(reflect.TypeOf(v), "json", "", m)
	return sortedKeys(m)
}

// TestRequestTypesUseSpecNames checks the request bodies and query options
// against the documented request schemas and parameters.
func TestRequestTypesUseSpecNames(t *testing.T) {
	bodies := []struct {
		typ any
		ops []string
	}{
		{MeetingCreateRequest{}, []string{OpCreateMeeting}},
		{MeetingUpdateRequest{}, []string{OpUpdateMeeting}},
		{MeetingStatusRequest{}, []string{OpUpdateMeetingStatus}},
		{RegistrantRequest{}, []string{OpAddMeetingRegistrant, OpAddWebinarRegistrant}},
		{RegistrantStatusRequest{}, []string{OpUpdateRegistrantStatus}},
		{WebinarCreateRequest{}, []string{OpCreateWebinar}},
		{WebinarUpdateRequest{}, []string{OpUpdateWebinar}},
		{UserCreateRequest{}, []string{OpCreateUser}},
	}
	// Fields of the settings types shared by requests and responses that one
	// of the request schemas lacks: response-only fields, and the few that
	// only create or only update documents.
	responseOnly := []string{"settings.authentication_name", "settings.global_dial_in_numbers", "tracking_fields[].visible",
		"settings.meeting_invitees[].internal_user", "settings.continuous_meeting_chat.channel_id",
		"settings.enforce_login", "settings.enforce_login_domains", // meetings: responses only
		"settings.show_join_info",     // meetings: create only
		"settings.notify_registrants", // webinars: update only
	}
	for _, b := range bodies {
		name := reflect.TypeOf(b.typ).Name()
		t.Run(name, func(t *testing.T) {
			spec := map[string]bool{}
			for _, op := range b.ops {
				schemaPaths(specEndpointByID(t, op).RequestBodySchema, "", spec)
			}
			ours := map[string]bool{}
			typePaths(reflect.TypeOf(b.typ), "json", "", ours)
			var unknown []string
			for _, p := range sortedKeys(ours) {
				if !spec[p] && !slices.ContainsFunc(responseOnly, func(r string) bool { return p == r || strings.HasPrefix(p, r+".") || strings.HasPrefix(p, r+"[]") }) {
					unknown = append(unknown, p)
				}
			}
			if len(unknown) > 0 {
				t.Errorf("request fields not in Zoom's spec: %v", unknown)
			}
		})
	}

	queries := []struct {
		typ any
		op  string
	}{
		{ListMeetingsOptions{}, OpListMeetings},
		{GetMeetingOptions{}, OpGetMeeting},
		{UpdateMeetingOptions{}, OpUpdateMeeting},
		{DeleteMeetingOptions{}, OpDeleteMeeting},
		{ListRegistrantsOptions{}, OpListMeetingRegistrants},
		{AddRegistrantOptions{}, OpAddMeetingRegistrant},
		{AddRegistrantOptions{}, OpAddWebinarRegistrant},
		{UpdateRegistrantStatusOptions{}, OpUpdateRegistrantStatus},
		{ListWebinarsOptions{}, OpListWebinars},
		{GetWebinarOptions{}, OpGetWebinar},
		{UpdateWebinarOptions{}, OpUpdateWebinar},
		{DeleteWebinarOptions{}, OpDeleteWebinar},
		{ListWebinarRegistrantsOptions{}, OpListWebinarRegistrants},
		{ListUsersOptions{}, OpListUsers},
		{GetUserOptions{}, OpGetUser},
		{ListRecordingsOptions{}, OpListRecordings},
		{GetRecordingsOptions{}, OpGetMeetingRecordings},
		{DeleteRecordingsOptions{}, OpDeleteMeetingRecordings},
		{ReportMeetingsOptions{}, OpReportMeetings},
		{ReportParticipantsOptions{}, OpReportMeetingParticipants},
		{ListMeetingSummariesOptions{}, OpListMeetingSummaries},
	}
	for _, qc := range queries {
		t.Run(reflect.TypeOf(qc.typ).Name()+"/"+qc.op, func(t *testing.T) {
			params := map[string]bool{}
			for _, p := range specEndpointByID(t, qc.op).Parameters {
				if p.In == "query" {
					params[p.Name] = true
				}
			}
			ours := map[string]bool{}
			typePaths(reflect.TypeOf(qc.typ), "url", "", ours)
			for _, p := range sortedKeys(ours) {
				if !params[p] {
					t.Errorf("query parameter %q is not documented for %s", p, qc.op)
				}
			}
			// Every documented query parameter has an option, except the
			// deprecated page_number of users and the paging of lists that
			// only page by page number.
			for p := range params {
				if !ours[p] && !(qc.op == OpListUsers && p == "page_number") {
					t.Errorf("documented query parameter %q of %s has no option", p, qc.op)
				}
			}
		})
	}
}
