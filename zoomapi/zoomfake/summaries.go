package zoomfake

import (
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// newSummary writes the AI Companion summary of an ended instance, from
// its topic and participants, deterministically.
func (s *Server) newSummary(in *instance) *summary {
	rng := rand.New(rand.NewPCG(seedOf(in.UUID), 0x73756d))
	var names []string
	for _, p := range in.Participants {
		if !slices.Contains(names, p.Name) {
			names = append(names, p.Name)
		}
	}
	if len(names) == 0 {
		names = []string{s.userByID(in.HostID).displayName()}
	}
	host := names[0]
	others := "the team"
	if len(names) > 1 {
		others = strings.Join(names[1:], ", ")
	}
	topics := slices.Clone(speechTopics)
	rng.Shuffle(len(topics), func(i, j int) { topics[i], topics[j] = topics[j], topics[i] })
	sm := &summary{
		Title: "Meeting summary for " + in.Topic,
		Overview: fmt.Sprintf("%s led the %s with %s. They reviewed %s and %s, and agreed that %s %s %s.",
			host, strings.ToLower(in.Topic), others, topics[0], topics[1], topics[2], pick(rng, speechVerbs), pick(rng, speechTimes)),
		Created: in.End.Add(2 * time.Minute),
		DocID:   base64.RawURLEncoding.EncodeToString(digest("summary-doc:"+in.UUID, 0)),
	}
	for i := range 3 {
		t := topics[i]
		sm.Details = append(sm.Details, summaryDetail{
			Label: capitalize(t),
			Text: fmt.Sprintf("%s said %s %s %s. %s",
				names[(i+1)%len(names)], t, pick(rng, speechVerbs), pick(rng, speechTimes), sentence(rng)),
		})
	}
	for i := range 2 + rng.IntN(2) {
		sm.NextSteps = append(sm.NextSteps, fmt.Sprintf("%s will follow up on %s before %s.",
			names[i%len(names)], topics[i], pick(rng, speechTimes)))
	}
	sm.Modified, sm.ModifiedBy = sm.Created, in.HostID
	return sm
}

// content is the summary as Markdown, edits included, as
// summary_content carries it.
func (sm *summary) content() string {
	overview, steps := sm.Overview, sm.NextSteps
	var b strings.Builder
	if e := sm.Edited; e != nil {
		overview, steps = e.Overview, e.NextSteps
	}
	fmt.Fprintf(&b, "## Quick recap\n%s\n\n## Next steps\n", overview)
	for _, st := range steps {
		fmt.Fprintf(&b, "- %s\n", st)
	}
	b.WriteString("\n## Summary\n")
	if e := sm.Edited; e != nil {
		b.WriteString(e.Details + "\n")
	} else {
		for _, d := range sm.Details {
			fmt.Fprintf(&b, "### %s\n%s\n\n", d.Label, d.Text)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}

// summaryItemJSON is a summary as the list answers it; detail adds the
// summary itself, as the get endpoint answers it.
func (s *Server) summaryItemJSON(in *instance, detail bool) map[string]any {
	sm := in.Summary
	out := map[string]any{
		"meeting_host_id":            in.HostID,
		"meeting_host_email":         s.userByID(in.HostID).Email,
		"meeting_uuid":               in.UUID,
		"meeting_id":                 in.MeetingID,
		"meeting_topic":              in.Topic,
		"meeting_start_time":         timeString(in.Start),
		"meeting_end_time":           timeString(in.End),
		"summary_start_time":         timeString(in.Start),
		"summary_end_time":           timeString(in.End),
		"summary_created_time":       timeString(sm.Created),
		"summary_last_modified_time": timeString(sm.Modified),
	}
	if !detail {
		return out
	}
	details := []any{}
	for _, d := range sm.Details {
		details = append(details, map[string]any{"label": d.Label, "summary": d.Text})
	}
	out["summary_last_modified_user_id"] = sm.ModifiedBy
	out["summary_last_modified_user_email"] = s.userByID(sm.ModifiedBy).Email
	out["summary_title"] = sm.Title
	out["summary_overview"] = sm.Overview
	out["summary_details"] = details
	out["next_steps"] = slices.Clone(sm.NextSteps)
	if e := sm.Edited; e != nil {
		out["edited_summary"] = map[string]any{
			"summary_overview": e.Overview,
			"summary_details":  e.Details,
			"next_steps":       slices.Clone(e.NextSteps),
		}
	}
	out["summary_content"] = sm.content()
	out["summary_doc_url"] = webBase + "/doc/" + sm.DocID
	return out
}

// paidOnly is Zoom's answer to the summary endpoints on a free account.
func (s *Server) paidOnly() *apiError {
	if s.opts.Plan == PlanFree {
		return badRequest(codeNoPermission, "Only available for Paid account.")
	}
	return nil
}

// getMeetingSummary answers GET /meetings/{meetingId}/meeting_summary. Zoom
// documents meetingId as an instance UUID; a meeting ID is taken too, for
// its latest ended instance, as the other instance endpoints do. Anything
// that is neither is "Invalid meeting ID." (300); an instance without a
// summary, or none at all, is 404 with code 3001; a summary in the trash
// is 403 with code 2305: the codes Zoom documents for the operation.
func (s *Server) getMeetingSummary(c *call) (result, *apiError) {
	if e := s.paidOnly(); e != nil {
		return result{}, e
	}
	ref := pathID(c, "meetingId")
	if !meetingRefShape(ref) {
		return result{}, badRequest(codeValidation, "Invalid meeting ID.")
	}
	in := s.instanceRef(ref, nil)
	if in == nil || in.Summary == nil {
		return result{}, errMeetingNotFound(ref)
	}
	if !in.Summary.trashedAt.IsZero() {
		return result{}, newError(http.StatusForbidden, codeSummaryDenied, "The meeting summary has been moved to Trash and cannot be accessed.")
	}
	return result{http.StatusOK, s.summaryItemJSON(in, true)}, nil
}

// meetingRefShape reports whether ref looks like a meeting ID (digits) or
// an instance UUID (16 bytes in standard base64).
func meetingRefShape(ref string) bool {
	if _, err := strconv.ParseUint(ref, 10, 63); err == nil {
		return true
	}
	b, err := base64.StdEncoding.DecodeString(ref)
	return err == nil && len(b) == 16
}

// listMeetingSummaries answers GET /meetings/meeting_summaries: the
// summaries of the whole account not in the trash, newest first by the
// time_filter_field (summary_start_time by default, or
// summary_created_time), whose time lies within from and to (each
// optional, both inclusive, echoed in the answer when given).
func (s *Server) listMeetingSummaries(c *call) (result, *apiError) {
	if e := s.paidOnly(); e != nil {
		return result{}, e
	}
	q := newQuery(c)
	field := q.oneOf("time_filter_field", "summary_start_time", "summary_start_time", "summary_created_time")
	from, hasFrom := q.dateTime("from")
	to, hasTo := q.dateTime("to")
	if e := q.err(); e != nil {
		return result{}, e
	}
	if hasFrom && hasTo && from.After(to) {
		return result{}, badRequest(codeValidation, "The start date cannot be later than the end date.")
	}
	p, e := s.pageOf(c, maxPageSize)
	if e != nil {
		return result{}, e
	}
	key := func(in *instance) time.Time {
		if field == "summary_created_time" {
			return in.Summary.Created
		}
		return in.Start
	}
	var ins []*instance
	for _, in := range s.past {
		if in.Summary == nil || !in.Summary.trashedAt.IsZero() {
			continue
		}
		if t := key(in); (hasFrom && t.Before(from)) || (hasTo && t.After(to)) {
			continue
		}
		ins = append(ins, in)
	}
	slices.SortStableFunc(ins, func(a, b *instance) int {
		if c := key(b).Compare(key(a)); c != 0 {
			return c
		}
		return strings.Compare(a.UUID, b.UUID)
	})
	pi := s.cut(c, p, len(ins))
	items := []any{}
	for _, in := range ins[pi.start:pi.end] {
		items = append(items, s.summaryItemJSON(in, false))
	}
	out := map[string]any{
		"page_size":       p.size,
		"next_page_token": pi.nextPageToken,
		"summaries":       items,
	}
	if hasFrom {
		out["from"] = timeString(from)
	}
	if hasTo {
		out["to"] = timeString(to)
	}
	return result{http.StatusOK, out}, nil
}
