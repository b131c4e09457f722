package zoomfake

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/zoommcp/zoom-mcp/internal/zoomspec"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// The contract test checks every success answer of the simulator, for
// seeded data and for objects created from the spec's own examples,
// against the success response schema of Zoom's OpenAPI document, made
// strict: objects that list properties reject any other.

// specResponses are the responses Zoom's document gives operation id, by
// status code. They come from the full documents, which hold every
// operation the simulator serves (the extract only the first 25).
func specResponses(t testing.TB, id string) map[string]any {
	t.Helper()
	rs, _ := zoomspec.Operation(t, id)["responses"].(map[string]any)
	return rs
}

// successSchema is the JSON schema of a success response, if it has one.
func successSchema(r any) (any, bool) {
	content, _ := r.(map[string]any)["content"].(map[string]any)
	media, _ := content["application/json"].(map[string]any)
	raw, ok := media["schema"]
	return raw, ok
}

// responseSchemas compiles the success response schema of every endpoint
// the simulator serves.
func responseSchemas(t *testing.T) map[string]*jsonschema.Schema {
	t.Helper()
	out := make(map[string]*jsonschema.Schema)
	for _, ep := range operations() {
		for code, r := range specResponses(t, ep.ID) {
			raw, ok := successSchema(r)
			if !ok || code == "204" || !strings.HasPrefix(code, "2") {
				continue
			}
			c := jsonschema.NewCompiler()
			c.DefaultDraft(jsonschema.Draft2020)
			url := "mem://" + ep.ID + ".json"
			if err := c.AddResource(url, toJSONSchema(raw)); err != nil {
				t.Fatalf("%s: %v", ep.ID, err)
			}
			sch, err := c.Compile(url)
			if err != nil {
				t.Fatalf("%s: compile: %v", ep.ID, err)
			}
			out[ep.ID] = sch
		}
	}
	return out
}

// toJSONSchema converts an OpenAPI 3.0 schema to a strict JSON Schema:
// nullable becomes a type union, examples go, allOf of objects merges
// into one object, and objects with properties forbid additional ones.
func toJSONSchema(v any) any {
	switch s := v.(type) {
	case []any:
		out := make([]any, len(s))
		for i, e := range s {
			out[i] = toJSONSchema(e)
		}
		return out
	case map[string]any:
		if all, ok := s["allOf"].([]any); ok {
			if merged, ok := mergeObjects(all); ok {
				for k, e := range s {
					if k != "allOf" {
						merged[k] = e
					}
				}
				return toJSONSchema(merged)
			}
		}
		out := make(map[string]any, len(s))
		for k, e := range s {
			switch k {
			case "example", "examples", "nullable", "xml", "externalDocs":
			case "properties":
				props := make(map[string]any)
				for name, p := range e.(map[string]any) {
					props[name] = toJSONSchema(p)
				}
				out[k] = props
			case "items", "additionalProperties", "not", "oneOf", "anyOf", "allOf":
				out[k] = toJSONSchema(e)
			default:
				out[k] = e
			}
		}
		if s["nullable"] == true {
			if typ, ok := s["type"].(string); ok {
				out["type"] = []any{typ, "null"}
			}
		}
		if _, ok := s["properties"]; ok {
			if _, set := s["additionalProperties"]; !set {
				out["additionalProperties"] = false
			}
		}
		return out
	}
	return v
}

// mergeObjects merges an allOf of object schemas (nested allOfs too) into
// one object schema; ok is false when a member is anything else.
func mergeObjects(all []any) (map[string]any, bool) {
	props := make(map[string]any)
	var required []any
	for _, m := range all {
		s, ok := m.(map[string]any)
		if !ok {
			return nil, false
		}
		if inner, ok := s["allOf"].([]any); ok {
			sub, ok := mergeObjects(inner)
			if !ok {
				return nil, false
			}
			s = sub
		}
		if t, ok := s["type"]; ok && t != "object" {
			return nil, false
		}
		if _, ok := s["oneOf"]; ok {
			return nil, false
		}
		if _, ok := s["anyOf"]; ok {
			return nil, false
		}
		for k, p := range s["properties"].(map[string]any) {
			props[k] = p
		}
		if r, ok := s["required"].([]any); ok {
			required = append(required, r...)
		}
	}
	out := map[string]any{"type": "object", "properties": props}
	if required != nil {
		out["required"] = required
	}
	return out, true
}

// example builds a request body from the examples of the spec's request
// schema, property by property (the documents have no whole-body
// examples): an example where the spec gives one, else the default, else
// the first enum value; objects and arrays recursively.
func example(v any) any {
	s, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	if ex, ok := s["example"]; ok {
		return ex
	}
	if all, ok := s["allOf"].([]any); ok {
		if merged, ok := mergeObjects(all); ok {
			return example(merged)
		}
	}
	switch s["type"] {
	case "object":
		out := make(map[string]any)
		props, _ := s["properties"].(map[string]any)
		for k, p := range props {
			if ex := example(p); ex != nil {
				out[k] = ex
			}
		}
		return out
	case "array":
		if ex := example(s["items"]); ex != nil {
			return []any{ex}
		}
		return nil
	}
	if d, ok := s["default"]; ok {
		return d
	}
	if e, ok := s["enum"].([]any); ok && len(e) > 0 {
		return e[0]
	}
	return nil
}

// requestExample is the example body of operation id, with the values
// that name things outside the simulated account replaced.
func requestExample(t *testing.T, id string) map[string]any {
	t.Helper()
	body, _ := example(zoomspec.Endpoint(t, id)["request_body_schema"]).(map[string]any)
	if body == nil {
		t.Fatalf("%s: no request example", id)
	}
	if _, ok := body["schedule_for"]; ok {
		body["schedule_for"] = SeedAdminEmail // the example's user is not in the account
	}
	return body
}

// contract validates the JSON answers of an env against the schemas.
type contract struct {
	*env
	schemas map[string]*jsonschema.Schema
	checked map[string]int
}

// check sends a request to endpoint op, expects a success status and
// validates the body. It returns the decoded body.
func (c *contract) check(op, method, path string, body any) map[string]any {
	c.t.Helper()
	rec := c.do(method, path, body)
	ep := servedOperation(c.t, op)
	if ep.Method != method {
		c.t.Fatalf("%s is %s, not %s", op, ep.Method, method)
	}
	if rec.Code < 200 || rec.Code > 299 {
		c.t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body)
	}
	c.checked[op]++
	if _, ok := specResponses(c.t, op)[strconv.Itoa(rec.Code)]; !ok {
		c.t.Errorf("%s %s: status %d is not a success status of the spec", method, path, rec.Code)
	}
	if rec.Code == http.StatusNoContent {
		if rec.Body.Len() != 0 {
			c.t.Errorf("%s %s: 204 with a body %q", method, path, rec.Body)
		}
		return nil
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(rec.Body.Bytes()))
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	if err := c.schemas[op].Validate(inst); err != nil {
		c.t.Errorf("%s %s: response does not match the spec:\n%v\nbody: %s", method, path, err, rec.Body)
	}
	out, _ := inst.(map[string]any)
	return out
}

func TestContract(t *testing.T) {
	schemas := responseSchemas(t)
	e := newEnv(t, Options{NoRateLimit: true})
	c := &contract{env: e, schemas: schemas, checked: make(map[string]int)}

	// Seeded data.
	c.check(zoomapi.OpListUsers, "GET", "/users", nil)
	c.check(zoomapi.OpListUsers, "GET", "/users?status=pending", nil)
	c.check(zoomapi.OpListUsers, "GET", "/users?status=inactive&page_size=1", nil)
	for _, id := range []string{"me", SeedOwnerID, SeedAdminEmail, SeedMemberID, SeedBasicID, SeedPendingID, SeedInactiveID} {
		c.check(zoomapi.OpGetUser, "GET", "/users/"+id, nil)
	}
	for _, q := range []string{"", "?type=scheduled", "?type=upcoming", "?type=upcoming_meetings", "?type=previous_meetings", "?type=live", "?page_size=300"} {
		c.check(zoomapi.OpListMeetings, "GET", "/users/me/meetings"+q, nil)
	}
	c.check(zoomapi.OpListMeetings, "GET", "/users/"+SeedMemberID+"/meetings", nil)
	for _, id := range []int64{SeedRegistrationMeetingID, SeedRecurringMeetingID, SeedTeamSyncMeetingID, SeedDesignReviewMeetingID, SeedOldMeetingID} {
		c.check(zoomapi.OpGetMeeting, "GET", "/meetings/"+itoa(id), nil)
		c.check(zoomapi.OpGetMeeting, "GET", "/meetings/"+itoa(id)+"?show_previous_occurrences=true", nil)
	}
	for _, st := range []string{"approved", "pending", "denied"} {
		c.check(zoomapi.OpListMeetingRegistrants, "GET", fmt.Sprintf("/meetings/%d/registrants?status=%s", SeedRegistrationMeetingID, st), nil)
		c.check(zoomapi.OpListWebinarRegistrants, "GET", fmt.Sprintf("/webinars/%d/registrants?status=%s", SeedWebinarID, st), nil)
	}
	c.check(zoomapi.OpListWebinars, "GET", "/users/me/webinars", nil)
	c.check(zoomapi.OpListWebinars, "GET", "/users/me/webinars?type=upcoming", nil)
	c.check(zoomapi.OpGetWebinar, "GET", "/webinars/"+itoa(SeedWebinarID), nil)
	c.check(zoomapi.OpGetWebinar, "GET", "/webinars/"+itoa(SeedOpenWebinarID), nil)
	c.check(zoomapi.OpListRecordings, "GET", "/users/me/recordings?from=2026-05-20&to=2026-06-15", nil)
	c.check(zoomapi.OpListRecordings, "GET", "/users/"+SeedMemberEmail+"/recordings?from=2026-06-01", nil)
	c.check(zoomapi.OpListRecordings, "GET", "/users/me/recordings", nil)
	for _, ref := range []string{itoa(SeedTeamSyncMeetingID), escapeUUID(SeedPastUUID), escapeUUID(SeedPastSlashUUID), escapeUUID(SeedPastDoubleSlashUUID), itoa(SeedDesignReviewMeetingID)} {
		c.check(zoomapi.OpGetMeetingRecordings, "GET", "/meetings/"+ref+"/recordings", nil)
		c.check(zoomapi.OpReportMeetingDetails, "GET", "/report/meetings/"+ref, nil)
		c.check(zoomapi.OpReportMeetingParticipants, "GET", "/report/meetings/"+ref+"/participants", nil)
		c.check(zoomapi.OpReportMeetingParticipants, "GET", "/report/meetings/"+ref+"/participants?include_fields=registrant_id&page_size=2", nil)
	}
	c.check(zoomapi.OpReportMeetings, "GET", "/report/users/me/meetings?from=2026-05-20&to=2026-06-15", nil)
	c.check(zoomapi.OpReportMeetings, "GET", "/report/users/"+SeedMemberID+"/meetings?from=2026-06-01&to=2026-06-15&type=pastJoined", nil)

	// Objects created from the spec's request examples, and what lists
	// and reads them afterwards.
	m := c.check(zoomapi.OpCreateMeeting, "POST", "/users/me/meetings", requestExample(t, zoomapi.OpCreateMeeting))
	id := itoa(num(m["id"]))
	c.check(zoomapi.OpGetMeeting, "GET", "/meetings/"+id, nil)
	c.check(zoomapi.OpUpdateMeeting, "PATCH", "/meetings/"+id, requestExample(t, zoomapi.OpUpdateMeeting))
	c.check(zoomapi.OpGetMeeting, "GET", "/meetings/"+id, nil)
	c.check(zoomapi.OpListMeetings, "GET", "/users/"+SeedAdminID+"/meetings", nil)
	m2 := c.check(zoomapi.OpGetMeeting, "GET", "/meetings/"+id, nil)
	if occs, _ := m2["occurrences"].([]any); len(occs) > 0 {
		occ := occs[0].(map[string]any)["occurrence_id"].(string)
		c.check(zoomapi.OpGetMeeting, "GET", "/meetings/"+id+"?occurrence_id="+occ, nil)
	}
	regBody := requestExample(t, zoomapi.OpAddMeetingRegistrant)
	c.check(zoomapi.OpAddMeetingRegistrant, "POST", fmt.Sprintf("/meetings/%d/registrants", SeedRegistrationMeetingID), regBody)
	for _, st := range []string{"approved", "pending"} {
		c.check(zoomapi.OpListMeetingRegistrants, "GET", fmt.Sprintf("/meetings/%d/registrants?status=%s", SeedRegistrationMeetingID, st), nil)
	}
	c.check(zoomapi.OpUpdateRegistrantStatus, "PUT", fmt.Sprintf("/meetings/%d/registrants/status", SeedRegistrationMeetingID), requestExample(t, zoomapi.OpUpdateRegistrantStatus))

	if err := e.s.StartMeeting(SeedRegistrationMeetingID); err != nil {
		t.Fatal(err)
	}
	c.check(zoomapi.OpListMeetings, "GET", "/users/me/meetings?type=live", nil)
	e.clock.Advance(40 * 60e9)
	c.check(zoomapi.OpUpdateMeetingStatus, "PUT", fmt.Sprintf("/meetings/%d/status", SeedRegistrationMeetingID), map[string]any{"action": "end"})
	c.check(zoomapi.OpGetMeetingRecordings, "GET", fmt.Sprintf("/meetings/%d/recordings", SeedRegistrationMeetingID), nil)
	c.check(zoomapi.OpReportMeetingParticipants, "GET", fmt.Sprintf("/report/meetings/%d/participants", SeedRegistrationMeetingID), nil)
	c.check(zoomapi.OpReportMeetingDetails, "GET", fmt.Sprintf("/report/meetings/%d", SeedRegistrationMeetingID), nil)

	w := c.check(zoomapi.OpCreateWebinar, "POST", "/users/me/webinars", requestExample(t, zoomapi.OpCreateWebinar))
	wid := itoa(num(w["id"]))
	c.check(zoomapi.OpGetWebinar, "GET", "/webinars/"+wid, nil)
	c.check(zoomapi.OpUpdateWebinar, "PATCH", "/webinars/"+wid, requestExample(t, zoomapi.OpUpdateWebinar))
	c.check(zoomapi.OpGetWebinar, "GET", "/webinars/"+wid, nil)
	c.check(zoomapi.OpListWebinars, "GET", "/users/"+SeedAdminID+"/webinars", nil)
	c.check(zoomapi.OpAddWebinarRegistrant, "POST", fmt.Sprintf("/webinars/%d/registrants", SeedWebinarID), requestExample(t, zoomapi.OpAddWebinarRegistrant))
	c.check(zoomapi.OpListWebinarRegistrants, "GET", fmt.Sprintf("/webinars/%d/registrants", SeedWebinarID), nil)

	u := c.check(zoomapi.OpCreateUser, "POST", "/users", requestExample(t, zoomapi.OpCreateUser))
	c.check(zoomapi.OpGetUser, "GET", "/users/"+u["id"].(string), nil)
	c.check(zoomapi.OpListUsers, "GET", "/users?status=pending", nil)

	c.check(zoomapi.OpDeleteMeetingRecordings, "DELETE", "/meetings/"+escapeUUID(SeedPastSlashUUID)+"/recordings", nil)
	c.check(opTranscript, "GET", "/meetings/"+escapeUUID(SeedPastSlashUUID)+"/transcript", nil) // DELETED_OR_TRASHED
	c.check(zoomapi.OpListRecordings, "GET", "/users/me/recordings?trash=true", nil)
	c.check(zoomapi.OpDeleteMeetingRecordings, "DELETE", "/meetings/"+escapeUUID(SeedPastSlashUUID)+"/recordings?action=delete", nil)
	c.check(zoomapi.OpDeleteMeeting, "DELETE", "/meetings/"+id, nil)
	c.check(zoomapi.OpUpdateMeetingStatus, "PUT", "/meetings/"+id+"/status", requestExample(t, zoomapi.OpUpdateMeetingStatus))
	c.check(zoomapi.OpDeleteWebinar, "DELETE", "/webinars/"+wid, nil)

	// Transcripts, summaries and their errors.
	for _, ref := range []string{itoa(SeedTranscriptMeetingID), escapeUUID(SeedTranscriptUUID), escapeUUID(SeedLongTranscriptUUID),
		escapeUUID(SeedProcessingTranscriptUUID), itoa(SeedRestrictedTranscriptMeetingID), escapeUUID(SeedPastDoubleSlashUUID),
		itoa(SeedRegistrationMeetingID)} {
		c.check(opTranscript, "GET", "/meetings/"+ref+"/transcript", nil)
	}
	for _, ref := range []string{escapeUUID(SeedSummaryUUID), escapeUUID(SeedEditedSummaryUUID), escapeUUID(SeedLongTranscriptUUID),
		itoa(SeedTeamSyncMeetingID), itoa(SeedRegistrationMeetingID)} {
		c.check(opSummary, "GET", "/meetings/"+ref+"/meeting_summary", nil)
	}
	for _, q := range []string{"", "?page_size=2", "?from=2026-06-01T00:00:00Z&to=2026-06-15T00:00:00Z",
		"?time_filter_field=summary_created_time&from=2026-06-10T00:00:00Z"} {
		c.check(opSummaries, "GET", "/meetings/meeting_summaries"+q, nil)
	}

	for _, ep := range operations() {
		if c.checked[ep.ID] == 0 {
			t.Errorf("%s: no success answer checked", ep.ID)
		}
	}
	if t.Failed() {
		t.Logf("checked: %v", c.checked)
	}
}

// TestContractStrict makes sure the converted schemas reject what the spec
// does not have, so that TestContract cannot pass vacuously.
func TestContractStrict(t *testing.T) {
	schemas := responseSchemas(t)
	for op, doc := range map[string]string{
		zoomapi.OpGetUser:      `{"id":"x","type":1,"bogus":true}`,
		zoomapi.OpListMeetings: `{"meetings":[{"id":1,"bogus":true}]}`,
		zoomapi.OpGetMeeting:   `{"id":1,"type":7}`,
		opTranscript:           `{"meeting_id":"x","can_download":false,"download_restriction_reason":"LATER"}`,
		opSummary:              `{"meeting_uuid":"x","edited_summary":{"summary_overview":"o","bogus":true}}`,
		opSummaries:            `{"summaries":[{"meeting_uuid":"x","summary_title":"t"}]}`,
	} {
		inst, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
		if err != nil {
			t.Fatal(err)
		}
		if schemas[op].Validate(inst) == nil {
			t.Errorf("%s accepts %s", op, doc)
		}
	}
}
