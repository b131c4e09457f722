package tools

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // timezone arguments are checked even where the system has no zoneinfo
	"unicode/utf8"

	jsv "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Arguments are checked before Zoom is called against two kinds of string
// shapes: the formats the input schemas declare (email, date, date-time),
// and the shapes of Zoom IDs, found by argument name. IDs go into URL
// paths, so anything outside Zoom's character set (a "/", "..", "%2e", "?",
// "#", a space, a control character) is refused here, before any request.
//
// Both are checked by the schema validator, as formats: mustCompile turns
// format assertion on, registers argFormats, and gives the ID arguments
// their format in the compiled copy of the schema only. The schema the
// model reads stays as it is: every byte of it costs context on each
// tools/list.

// argFormat is a shape a string argument must have.
type argFormat struct {
	name    string // the JSON Schema format name
	want    string // what is accepted, in words
	example string
	// shape, if set, is the whole message in place of want and example.
	shape string
	// check says why s does not fit, or "" if it does.
	check func(s string) string
}

// Names of the ID formats; they are never advertised.
const (
	formatUserID       = "zoom-user-id"
	formatMeetingRef   = "zoom-meeting-ref"
	formatOccurrenceID = "zoom-occurrence-id"
	formatRegistrantID = "zoom-registrant-id"
	formatStartTime    = "zoom-start-time"
)

var argFormats = []argFormat{
	{name: "email", want: "one email address, without a name or brackets", example: "ava@example.com", check: emailProblem},
	{name: "date", want: "a date, yyyy-mm-dd", example: "2026-03-15", check: dateProblem},
	{name: "date-time", want: "an RFC 3339 date-time (or a local one, with timezone)", example: "2026-12-01T15:00:00Z", check: dateTimeProblem},
	{name: formatStartTime, shape: "must look like 2026-12-08T15:00:00Z (UTC) or 2026-12-08T15:00:00 with timezone", check: dateTimeProblem},
	{name: formatUserID, want: "me, an email address or a Zoom user ID (letters, digits, - and _)", example: "KDcuGIm1QgePTO8WbOqwIQ", check: userIDProblem},
	{name: formatMeetingRef, want: "a meeting ID of 9 to 12 digits or the UUID of one instance (base64, from list_past_meetings or list_recordings)",
		example: "85746065432 or Hbj4kJZ9TcWbyvL0U2rBOQ==", check: meetingRefProblem},
	{name: formatOccurrenceID, want: "an occurrence ID, digits (from the meeting's occurrences)", example: "1648194360000", check: occurrenceIDProblem},
	{name: formatRegistrantID, want: "a registrant ID (letters, digits, - and _, from the registrant lists)", example: "9tboDiHUQAeOnbmudzWa5g", check: registrantIDProblem},
}

// idArgs gives the ID arguments their format, by name; a nested argument
// is named by its parent and its own name ("registrants.id"). For an
// array, the format applies to its items. An argument whose schema
// already declares a format keeps it, but for start_time: the model reads
// date-time, the check shows the one shape to use.
var idArgs = map[string]string{
	"user_id":        formatUserID,
	"meeting_id":     formatMeetingRef,
	"webinar_id":     formatMeetingRef,
	"occurrence_id":  formatOccurrenceID,
	"occurrence_ids": formatOccurrenceID,
	"registrant_id":  formatRegistrantID,
	"registrants.id": formatRegistrantID,
	"start_time":     formatStartTime,
}

// registerFormats makes c assert formats, with ours in place of the
// validator's own email, date and date-time, which are looser (a quoted
// local part, an IP address as domain, a lowercase t, a leap second).
func registerFormats(c *jsv.Compiler) {
	c.AssertFormat()
	for _, f := range argFormats {
		c.RegisterFormat(&jsv.Format{Name: f.name, Validate: func(v any) error {
			s, ok := v.(string)
			if !ok {
				return nil // an integer ID, say: the type has been checked
			}
			if why := f.check(s); why != "" {
				return errors.New(why)
			}
			return nil
		}})
	}
}

// withIDFormats sets, in a decoded input schema, the format of each ID
// argument named in idArgs, at any depth.
func withIDFormats(schema any) {
	var walk func(s map[string]any, parent string)
	walk = func(s map[string]any, parent string) {
		props, _ := s["properties"].(map[string]any)
		for name, p := range props {
			prop, ok := p.(map[string]any)
			if !ok {
				continue
			}
			format, isID := idArgs[parent+"."+name]
			if !isID && parent == "" {
				format, isID = idArgs[name]
			}
			target := prop
			if items, ok := prop["items"].(map[string]any); ok {
				target = items
			}
			if f, has := target["format"]; isID && (!has || format == formatStartTime && f == "date-time") {
				target["format"] = format
			}
			walk(prop, name)
			if items, ok := prop["items"].(map[string]any); ok {
				walk(items, name)
			}
		}
	}
	if m, ok := schema.(map[string]any); ok {
		walk(m, "")
	}
}

// formatMessage is the field message of a value that does not fit the
// format named want, or "" for a format that is not ours.
func formatMessage(want string, got any, err error) string {
	for _, f := range argFormats {
		if f.name != want {
			continue
		}
		msg := "must be " + f.want + ", such as " + f.example
		if f.shape != "" {
			msg = f.shape
		}
		if s, ok := got.(string); ok {
			msg += "; got " + quoteShort(s)
		}
		if err != nil {
			msg += " (" + err.Error() + ")"
		}
		return msg
	}
	return ""
}

// quoteShort quotes s, control characters escaped, cut to 40 characters.
func quoteShort(s string) string {
	const limit = 40
	if utf8.RuneCountInString(s) <= limit {
		return strconv.Quote(s)
	}
	runes := []rune(s)
	return strconv.Quote(string(runes[:limit])) + "…"
}

func dateProblem(s string) string {
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		if len(s) == len(time.DateOnly) && s[4] == '-' && s[7] == '-' {
			return "no such day"
		}
		return "not yyyy-mm-dd"
	}
	return ""
}

func dateTimeProblem(s string) string {
	// time.Parse checks ranges (no hour 25, no February 30) and wants the
	// T and Z in capitals, as Zoom does; it rejects leap seconds.
	// Zoom also takes a local time without offset, read in the timezone
	// argument: 2026-12-01T15:00:00.
	if _, err := time.Parse(time.RFC3339, s); err == nil {
		return ""
	}
	if _, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return ""
	}
	if len(s) >= 19 && s[4] == '-' && s[7] == '-' && s[10] == 'T' && s[13] == ':' && s[16] == ':' {
		return "no such date or time"
	}
	return "not RFC 3339"
}

// emailProblem accepts one bare address: a local part of letters, digits
// and . _ + - ' and a domain name of at least two labels. It is stricter
// than RFC 5322 on purpose: an address also goes into URL paths (user_id),
// and Zoom's users have plain addresses.
func emailProblem(s string) string {
	switch {
	case s == "":
		return "empty"
	case len(s) > 254:
		return "longer than 254 characters"
	case strings.ContainsAny(s, "\r\n"):
		return "contains a line break"
	case strings.ContainsAny(s, ",;"):
		return "more than one address"
	case strings.ContainsAny(s, `<>"()`):
		return "a name or brackets around the address"
	case strings.Count(s, "@") != 1:
		return "needs exactly one @"
	}
	local, domain, _ := strings.Cut(s, "@")
	if bad := firstOutside(local, isLocalPartChar); bad != "" {
		return "contains " + bad
	}
	if local == "" || len(local) > 64 || local[0] == '.' || local[len(local)-1] == '.' || strings.Contains(local, "..") {
		return "the part before @ is not a valid name"
	}
	labels := strings.Split(domain, ".")
	if len(labels) < 2 {
		return "the domain needs a dot"
	}
	for _, l := range labels {
		if bad := firstOutside(l, isLabelChar); bad != "" {
			return "contains " + bad
		}
		if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
			return "the domain is not a valid name"
		}
	}
	return ""
}

func isLocalPartChar(r rune) bool {
	return isIDChar(r) || strings.ContainsRune(".+'", r)
}

func isLabelChar(r rune) bool {
	return isAlnum(r) || r == '-'
}

func isAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

// isIDChar reports whether r may be in a Zoom user or registrant ID:
// URL-safe base64.
func isIDChar(r rune) bool {
	return isAlnum(r) || r == '-' || r == '_'
}

func isBase64Char(r rune) bool {
	return isAlnum(r) || r == '+' || r == '/'
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// firstOutside names the first character of s that ok refuses, or "".
func firstOutside(s string, ok func(rune) bool) string {
	for _, r := range s {
		if !ok(r) {
			return strconv.QuoteRune(r)
		}
	}
	return ""
}

// userIDProblem accepts "me", an email address, or a user ID. "" is the
// default, me.
func userIDProblem(s string) string {
	if strings.Contains(s, "@") {
		return emailProblem(s)
	}
	return idProblem(s, 64)
}

// registrantIDProblem accepts what Zoom's registrant IDs are made of. ""
// means none given.
func registrantIDProblem(s string) string { return idProblem(s, 64) }

func idProblem(s string, max int) string {
	if bad := firstOutside(s, isIDChar); bad != "" {
		return "contains " + bad
	}
	if len(s) > max {
		return fmt.Sprintf("longer than %d characters", max)
	}
	return ""
}

// meetingRefProblem accepts a meeting or webinar ID (9 to 12 digits) or an
// instance UUID: 16 bytes in base64, 22 characters and "==", some
// starting with "/" or holding "//" (the client encodes those twice). ""
// is left to the schema (required, minLength).
func meetingRefProblem(s string) string {
	if s == "" {
		return ""
	}
	if firstOutside(s, isDigit) == "" {
		if len(s) < 9 || len(s) > 12 {
			return fmt.Sprintf("%d digits", len(s))
		}
		return ""
	}
	if bad := firstOutside(s, func(r rune) bool { return isBase64Char(r) || r == '=' }); bad != "" {
		return "contains " + bad
	}
	body := strings.TrimRight(s, "=")
	if strings.Contains(body, "=") || len(s)-len(body) > 2 || len(body) < 20 || len(body) > 24 {
		return fmt.Sprintf("%d characters: not a UUID", len(s))
	}
	return ""
}

// occurrenceIDProblem accepts an occurrence ID: its start in Unix
// milliseconds. "" means none given.
func occurrenceIDProblem(s string) string {
	if bad := firstOutside(s, isDigit); bad != "" {
		return "contains " + bad
	}
	if len(s) > 20 {
		return fmt.Sprintf("%d digits", len(s))
	}
	return ""
}

// checkStartTime refuses, before Zoom is called, a timezone that is not an
// IANA name, a start_time without offset or timezone, and a start_time in
// the past (by now, the clock the tools use). The shape of start_time has
// been checked by the schema.
func checkStartTime(start, tz *string) error {
	var loc *time.Location
	if tz != nil && *tz != "" {
		l, err := time.LoadLocation(*tz)
		if err != nil || *tz == "Local" {
			reason := "must be an IANA timezone name such as Europe/Berlin or America/New_York; got " + quoteShort(*tz)
			if known := zoneNamed(*tz); known != "" {
				reason += "; the IANA name for it is " + known
			}
			return &zoomapi.ArgumentError{Arg: "timezone", Reason: reason}
		}
		loc = l
	}
	if start == nil || *start == "" {
		return nil
	}
	at, err := time.Parse(time.RFC3339, *start)
	if err != nil {
		if loc == nil {
			return &zoomapi.ArgumentError{Arg: "start_time", Reason: quoteShort(*start) +
				" has no offset and no timezone is given: add Z for UTC (" + *start + "Z), or pass timezone"}
		}
		if at, err = time.ParseInLocation("2006-01-02T15:04:05", *start, loc); err != nil {
			return nil // the schema check names the shape
		}
	}
	if t := now(); at.Before(t) {
		return &zoomapi.ArgumentError{Arg: "start_time", Reason: quoteShort(*start) +
			" is in the past; now is " + t.UTC().Format(time.RFC3339) + " (UTC)"}
	}
	return nil
}

// zoneAreas are the first parts of IANA names.
var zoneAreas = []string{"Europe", "America", "Asia", "Africa", "Australia", "Pacific", "Atlantic", "Indian",
	"Antarctica", "America/Argentina", "America/Indiana", "America/Kentucky"}

// zoneNamed finds the IANA name that ends with "/" and city ("Berlin",
// "new york"), or "".
func zoneNamed(city string) string {
	words := strings.Fields(strings.ReplaceAll(city, "_", " "))
	for i, w := range words {
		if len(w) > 2 || i == 0 { // "Port of Spain", "Dar es Salaam" keep their small words
			words[i] = strings.ToUpper(w[:1]) + strings.ToLower(w[1:])
		}
	}
	name := strings.Join(words, "_")
	if name == "" || strings.ContainsAny(name, "/.") {
		return ""
	}
	for _, area := range zoneAreas {
		if _, err := time.LoadLocation(area + "/" + name); err == nil {
			return area + "/" + name
		}
	}
	return ""
}
