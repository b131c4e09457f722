package zoomfake

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// kind is the JSON type of a request field.
type kind int

const (
	kString kind = iota + 1
	kInt
	kBool
	kObject
	kArray
)

// fieldSpec is what a request field accepts.
type fieldSpec struct {
	kind   kind
	enum   []any // allowed values: strings, or ints for kInt
	maxLen int   // in characters, for kString
}

// decodeObject decodes a request body that must be a JSON object. Numbers
// stay json.Number so that integers are told from fractions.
func decodeObject(body []byte) (map[string]any, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, errBadJSON()
	}
	if _, err := dec.Token(); err == nil {
		return nil, errBadJSON() // trailing data
	}
	return m, nil
}

// fields reads the fields of a request object and collects the invalid
// ones, so that one answer names them all, as Zoom's "Validation Failed."
// does.
type fields struct {
	m      map[string]any
	prefix string
	bad    *[]string
}

func newFields(m map[string]any) fields {
	return fields{m: m, bad: new([]string)}
}

func (f fields) invalid(name string) {
	*f.bad = append(*f.bad, f.prefix+name)
}

// err is the validation error for the invalid fields, or nil.
func (f fields) err() *apiError {
	if len(*f.bad) == 0 {
		return nil
	}
	return invalidFields(*f.bad...)
}

func (f fields) has(name string) bool {
	v, ok := f.m[name]
	return ok && v != nil
}

// require marks name invalid when it is absent.
func (f fields) require(name string) {
	if !f.has(name) {
		f.invalid(name)
	}
}

// str reads a string of at most maxLen characters (0: any length).
func (f fields) str(name string, maxLen int) (string, bool) {
	if !f.has(name) {
		return "", false
	}
	s, ok := f.m[name].(string)
	if !ok || (maxLen > 0 && len([]rune(s)) > maxLen) {
		f.invalid(name)
		return "", false
	}
	return s, true
}

// oneOf reads a string that must be one of allowed.
func (f fields) oneOf(name string, allowed ...string) (string, bool) {
	s, ok := f.str(name, 0)
	if !ok {
		return "", false
	}
	for _, a := range allowed {
		if s == a {
			return s, true
		}
	}
	f.invalid(name)
	return "", false
}

// integer reads an integer in [lo, hi].
func (f fields) integer(name string, lo, hi int64) (int64, bool) {
	if !f.has(name) {
		return 0, false
	}
	n, ok := asInt(f.m[name])
	if !ok || n < lo || n > hi {
		f.invalid(name)
		return 0, false
	}
	return n, true
}

// intOneOf reads an integer that must be one of allowed.
func (f fields) intOneOf(name string, allowed ...int64) (int64, bool) {
	n, ok := f.integer(name, -1<<62, 1<<62)
	if !ok {
		return 0, false
	}
	for _, a := range allowed {
		if n == a {
			return n, true
		}
	}
	f.invalid(name)
	return 0, false
}

func (f fields) boolean(name string) (bool, bool) {
	if !f.has(name) {
		return false, false
	}
	b, ok := f.m[name].(bool)
	if !ok {
		f.invalid(name)
	}
	return b, ok
}

// object reads a nested object; its invalid fields are reported with the
// parent's name as prefix ("settings.audio").
func (f fields) object(name string) (fields, bool) {
	if !f.has(name) {
		return fields{}, false
	}
	m, ok := f.m[name].(map[string]any)
	if !ok {
		f.invalid(name)
		return fields{}, false
	}
	return fields{m: m, prefix: f.prefix + name + ".", bad: f.bad}, true
}

func (f fields) array(name string) ([]any, bool) {
	if !f.has(name) {
		return nil, false
	}
	a, ok := f.m[name].([]any)
	if !ok {
		f.invalid(name)
	}
	return a, ok
}

// time reads a start time: "2026-12-01T10:00:00Z" in UTC, with an offset,
// or "2026-12-01T10:00:00" in the time zone tz.
func (f fields) time(name string, tz *time.Location) (time.Time, bool) {
	s, ok := f.str(name, 0)
	if !ok {
		return time.Time{}, false
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04:05", s, tz); err == nil {
		return t.UTC(), true
	}
	f.invalid(name)
	return time.Time{}, false
}

// spec checks every key of f that specs knows and returns the known ones,
// normalised (json.Number integers become int64). Unknown keys are dropped.
func (f fields) spec(specs map[string]fieldSpec) map[string]any {
	out := make(map[string]any)
	for k, v := range f.m {
		sp, known := specs[k]
		if !known || v == nil {
			continue
		}
		var val any
		ok := true
		switch sp.kind {
		case kString:
			var s string
			s, ok = v.(string)
			ok = ok && (sp.maxLen == 0 || len([]rune(s)) <= sp.maxLen)
			val = s
		case kInt:
			var n int64
			n, ok = asInt(v)
			val = n
		case kBool:
			_, ok = v.(bool)
			val = v
		case kObject:
			_, ok = v.(map[string]any)
			val = normalize(v)
		case kArray:
			_, ok = v.([]any)
			val = normalize(v)
		}
		if ok && sp.enum != nil {
			ok = false
			for _, e := range sp.enum {
				if ei, isInt := e.(int); isInt {
					ok = ok || val == any(int64(ei))
				} else {
					ok = ok || val == e
				}
			}
		}
		if !ok {
			f.invalid(k)
			continue
		}
		out[k] = val
	}
	return out
}

// asInt converts a decoded JSON number that is an integer.
func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	case int64:
		return n, true
	case int:
		return int64(n), true
	case float64:
		i := int64(n)
		return i, float64(i) == n
	}
	return 0, false
}

// normalize turns the json.Number values of a decoded value into int64 or
// float64, so that the value encodes back as the same JSON.
func normalize(v any) any {
	switch x := v.(type) {
	case json.Number:
		if i, err := x.Int64(); err == nil {
			return i
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	}
	return v
}

// query reads the query parameters of a request and collects the invalid
// ones like fields does.
type query struct {
	v   url.Values
	bad []string
}

func newQuery(c *call) *query { return &query{v: c.r.URL.Query()} }

func (q *query) err() *apiError {
	if len(q.bad) == 0 {
		return nil
	}
	return invalidFields(q.bad...)
}

// oneOf reads a parameter that must be one of allowed; def when absent.
func (q *query) oneOf(name, def string, allowed ...string) string {
	s := q.v.Get(name)
	if s == "" {
		return def
	}
	for _, a := range allowed {
		if s == a {
			return s
		}
	}
	q.bad = append(q.bad, name)
	return def
}

// boolean reads "true" or "false"; def when absent.
func (q *query) boolean(name string, def bool) bool {
	s := q.v.Get(name)
	if s == "" {
		return def
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		q.bad = append(q.bad, name)
		return def
	}
	return b
}

// date reads a yyyy-mm-dd date; ok is false when absent or invalid.
func (q *query) date(name string) (time.Time, bool) {
	s := q.v.Get(name)
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		q.bad = append(q.bad, name)
		return time.Time{}, false
	}
	return t, true
}

// dateTime reads a yyyy-MM-dd'T'HH:mm:ss'Z' time (an RFC 3339 offset is
// taken too); ok is false when absent or invalid.
func (q *query) dateTime(name string) (time.Time, bool) {
	s := q.v.Get(name)
	if s == "" {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		q.bad = append(q.bad, name)
		return time.Time{}, false
	}
	return t.UTC(), true
}

// pathID reads a path parameter that may be a meeting UUID. Zoom requires
// a UUID that starts with "/" or contains "//" to be URL-encoded twice; the
// router decodes once, so a remaining escape is decoded here.
func pathID(c *call, name string) string {
	v := c.r.PathValue(name)
	if strings.Contains(v, "%") {
		if u, err := url.PathUnescape(v); err == nil {
			v = u
		}
	}
	return v
}
