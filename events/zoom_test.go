package events

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/zoommcp/zoom-mcp/internal/zoomspec"
)

const webhookExtract = "extract-webhook-events.json"

func loadWebhookSpec(t *testing.T) map[string]any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(zoomspec.Dir(t), webhookExtract))
	if err != nil {
		t.Fatalf("reading %s: %v", webhookExtract, err)
	}
	var doc struct {
		Events map[string]any `json:"events"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatalf("%s: %v", webhookExtract, err)
	}
	return doc.Events
}

// jsonFields returns t's fields by JSON name, flattening embedded structs
// as encoding/json does.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if f.Anonymous && name == "" {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" || name == "-" {
			continue
		}
		out[name] = f.Type
	}
	return out
}

func deref(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice {
		t = t.Elem()
	}
	return t
}

// objectProps returns the properties of an object schema, following
// arrays' items and anyOf.
func objectProps(s map[string]any) map[string]any {
	if it, ok := s["items"].(map[string]any); ok {
		return objectProps(it)
	}
	if alts, ok := s["anyOf"].([]any); ok {
		props := map[string]any{}
		for _, a := range alts {
			for k, v := range objectProps(a.(map[string]any)) {
				props[k] = v
			}
		}
		return props
	}
	p, _ := s["properties"].(map[string]any)
	return p
}

// checkStruct reports schema properties without a field and fields
// without a schema property, recursively.
func checkStruct(t *testing.T, path string, schema map[string]any, typ reflect.Type, resolve func(map[string]any) map[string]any) {
	t.Helper()
	props := objectProps(schema)
	fields := jsonFields(typ)
	for name, ps := range props {
		ft, ok := fields[name]
		if !ok {
			t.Errorf("%s.%s: in the schema, no field in %s", path, name, typ)
			continue
		}
		sub := resolve(ps.(map[string]any))
		if sub == nil {
			continue
		}
		if objectProps(sub) != nil && deref(ft).Kind() == reflect.Struct {
			checkStruct(t, path+"."+name, sub, deref(ft), resolve)
		} else if objectProps(sub) != nil {
			t.Errorf("%s.%s: an object in the schema, %s in Go", path, name, ft)
		}
		if st, _ := sub["type"].(string); st != "" {
			checkKind(t, path+"."+name, st, sub, ft)
		}
	}
	for name := range fields {
		if _, ok := props[name]; !ok {
			t.Errorf("%s.%s: field of %s not in the schema", path, name, typ)
		}
	}
}

func checkKind(t *testing.T, path, st string, sub map[string]any, ft reflect.Type) {
	t.Helper()
	if ft == reflect.TypeFor[MeetingID]() {
		if st != "integer" && st != "string" {
			t.Errorf("%s: MeetingID for a %s", path, st)
		}
		return
	}
	k := ft.Kind()
	if k == reflect.Pointer {
		k = ft.Elem().Kind()
	}
	ok := map[string]bool{
		"string":  k == reflect.String,
		"integer": k == reflect.Int || k == reflect.Int64,
		"boolean": k == reflect.Bool,
		"array":   k == reflect.Slice,
		"object":  k == reflect.Struct,
	}[st]
	if !ok {
		t.Errorf("%s: schema type %s, Go %s", path, st, ft)
	}
}

func TestPayloadsMatchSpec(t *testing.T) {
	spec := loadWebhookSpec(t)
	if len(spec) != len(KnownTypes) {
		t.Errorf("spec has %d events, KnownTypes %d", len(spec), len(KnownTypes))
	}
	for _, typ := range KnownTypes {
		t.Run(typ, func(t *testing.T) {
			ev, ok := spec[typ].(map[string]any)
			if !ok {
				t.Fatalf("%s not in the spec", typ)
			}
			payload := ev["schema"].(map[string]any)["properties"].(map[string]any)["payload"].(map[string]any)
			object := objectProps(payload)["object"].(map[string]any)
			// The extract's note: meeting.updated's old_object $ref points
			// nowhere; it is payload.object.
			resolve := func(s map[string]any) map[string]any {
				if _, ok := s["$ref"]; ok {
					return object
				}
				return s
			}
			checkStruct(t, typ, payload, reflect.TypeOf(payloadTypes[typ]()).Elem(), resolve)
		})
	}
}

func TestDecodeSpecExamples(t *testing.T) {
	spec := loadWebhookSpec(t)
	names := make([]string, 0, len(spec))
	for k := range spec {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, typ := range names {
		t.Run(typ, func(t *testing.T) {
			raw, err := json.Marshal(spec[typ].(map[string]any)["example"])
			if err != nil {
				t.Fatal(err)
			}
			e, err := Decode(raw)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			if e.Type != typ || e.MeetingID != "1234567890" || e.UUID != "4444AAAiAAAAAiAiAiiAii==" {
				t.Errorf("Decode = type %q meeting %q uuid %q", e.Type, e.MeetingID, e.UUID)
			}
			if e.Time.UnixMilli() != 1626230691572 {
				t.Errorf("Time = %v", e.Time)
			}
			if e.ID == "" || e.Toolset == "" {
				t.Errorf("ID %q Toolset %q", e.ID, e.Toolset)
			}
			v, err := e.Typed()
			if err != nil || v == nil {
				t.Fatalf("Typed = %v, %v", v, err)
			}
			// Every field the example sets survives a round trip through
			// the struct, except those the schema does not have.
			back, _ := json.Marshal(v)
			var got, want map[string]any
			json.Unmarshal(back, &got)
			json.Unmarshal(e.Payload, &want)
			gotObj, _ := got["object"].(map[string]any)
			for k := range want["object"].(map[string]any) {
				if _, ok := gotObj[k]; !ok {
					t.Errorf("object.%s of the example lost by %T", k, v)
				}
			}
		})
	}
}

func TestMeetingID(t *testing.T) {
	for in, want := range map[string]string{
		`1234567890`: "1234567890", `"1234567890"`: "1234567890", `null`: "",
		`98765432109876543`: "98765432109876543", `"abc"`: "abc",
	} {
		var m MeetingID
		if err := json.Unmarshal([]byte(in), &m); err != nil || string(m) != want {
			t.Errorf("%s: %q, %v; want %q", in, m, err, want)
		}
	}
	for _, in := range []string{`true`, `{}`, `[1]`} {
		var m MeetingID
		if err := json.Unmarshal([]byte(in), &m); err == nil {
			t.Errorf("%s: no error", in)
		}
	}
}

func TestDecode(t *testing.T) {
	a := `{"event":"meeting.started","event_ts":1700000000000,"payload":{"account_id":"A","object":{"id":"85","uuid":"u=="}}}`
	b := `{"event_ts":1700000000000, "event":"meeting.started","payload":{ "account_id":"A", "object":{"id":"85","uuid":"u=="}}}`
	ea, err := Decode([]byte(a))
	if err != nil {
		t.Fatal(err)
	}
	eb, _ := Decode([]byte(b))
	if ea.ID != eb.ID {
		t.Errorf("same delivery, IDs %s and %s", ea.ID, eb.ID)
	}
	c := strings.Replace(a, "1700000000000", "1700000000001", 1)
	if ec, _ := Decode([]byte(c)); ec.ID == ea.ID {
		t.Error("another event_ts, same ID")
	}
	if ea.MeetingID != "85" || ea.Toolset != "meetings" || ea.Time.UnixMilli() != 1700000000000 {
		t.Errorf("%+v", ea)
	}
	u, err := Decode([]byte(`{"event":"webinar.started","event_ts":1,"payload":{"object":{"id":77,"x":[1]}}}`))
	if err != nil || u.MeetingID != "77" || u.Toolset != "webinars" {
		t.Errorf("unknown type: %+v %v", u, err)
	}
	if v, err := u.Typed(); v != nil || err != nil {
		t.Errorf("Typed of unknown = %v %v", v, err)
	}
	for _, bad := range []string{``, `[]`, `{"event":"meeting.started"}`, `{"payload":{}}`,
		`{"event":"meeting.started","payload":[]}`, `{"event":"meeting.started","payload":{"object":{"id":true}}}`} {
		if _, err := Decode([]byte(bad)); err == nil {
			t.Errorf("Decode(%s): no error", bad)
		}
	}
}

func TestToolsetOf(t *testing.T) {
	for in, want := range map[string]string{
		"meeting.started": "meetings", "meeting.registration_created": "meeting_registrants",
		"meeting.something_new": "meetings", "recording.completed": "recordings",
		"webinar.registration_created": "webinars", "user.created": "users", "phone.call": "phone",
	} {
		if got := ToolsetOf(in); got != want {
			t.Errorf("ToolsetOf(%s) = %s, want %s", in, got, want)
		}
	}
}
