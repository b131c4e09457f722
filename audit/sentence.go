package audit

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zoommcp/zoom-mcp/pipeline"
)

// verbs maps the prefix of a tool's name to its verb: the base form (for
// "tried to ...") and the past tense, which is also the past participle
// (for "would have ...") of each of them.
var verbs = map[string]struct{ base, past string }{
	"list":   {"list", "listed"},
	"get":    {"read", "read"},
	"create": {"create", "created"},
	"add":    {"add", "added"},
	"update": {"update", "updated"},
	"delete": {"delete", "deleted"},
	"end":    {"end", "ended"},
}

// kindPhrases say error kinds in words.
var kindPhrases = map[string]string{
	pipeline.KindInvalidArgument: "invalid arguments",
	pipeline.KindMissingScope:    "the Zoom app lacks a scope",
	pipeline.KindNotFound:        "not found",
	pipeline.KindRateLimited:     "rate limited",
	pipeline.KindZoomRefused:     "Zoom refused",
	pipeline.KindUnavailable:     "Zoom unavailable",
	pipeline.KindAccessDenied:    "access denied",
	pipeline.KindDeclined:        "declined",
	"internal":                   "an internal error",
}

// maxTopic is the most runes of a topic a sentence quotes.
const maxTopic = 80

// sentence says in one line what became of the call r records, e.g.
//
//	scheduler created meeting 85746065 "Q3 review" for jane@example.com: allowed by meetings=full
//
// topic is the call's topic argument and created the ID of what it
// created, if any; types the event types it waited for (wait_for_event).
// Emails are masked later, with the rest of the record.
func sentence(r *Record, topic, created string, types ...string) string {
	base, past, noun := "run", "ran", r.Tool
	if prefix, rest, ok := strings.Cut(r.Tool, "_"); ok {
		if v, ok := verbs[prefix]; ok {
			base, past, noun = v.base, v.past, strings.ReplaceAll(rest, "_", " ")
		}
	}
	tool := r.Tool
	if len(types) > 0 {
		noun += " for " + strings.Join(types, ", ")
		tool += " for " + strings.Join(types, ", ")
	}
	obj := object(noun, base, r.Targets, topic, created)
	switch r.Decision {
	case pipeline.Allowed:
		return fmt.Sprintf("%s %s %s: %s", r.Agent, past, obj, allowedBy(r.Rule))
	case pipeline.Confirmed:
		return fmt.Sprintf("%s %s %s: confirmed by a person, %s", r.Agent, past, obj, allowedBy(r.Rule))
	case pipeline.DryRun:
		return fmt.Sprintf("%s would have %s %s (dry run): %s", r.Agent, past, obj, allowedBy(r.Rule))
	case pipeline.Denied:
		return fmt.Sprintf("%s was denied %s%s: %s", r.Agent, tool, on(r.Targets), deniedBy(r.Rule, r.Effect))
	case pipeline.Declined:
		return fmt.Sprintf("%s did not %s %s: a person declined or could not be asked", r.Agent, base, obj)
	case pipeline.Failed:
		return fmt.Sprintf("%s tried to %s %s: %s", r.Agent, base, obj, failure(r))
	}
	return fmt.Sprintf("%s called %s%s: %s", r.Agent, tool, on(r.Targets), r.Decision)
}

// object names what a call acted on: "meeting 123", "meetings of me",
// "a meeting "Q3 review" for me", "meeting registrant status of meeting 123".
func object(noun, base string, t pipeline.Targets, topic, created string) string {
	creates := base == "create" || base == "add"
	var b strings.Builder
	switch {
	case created != "":
		b.WriteString(noun + " " + word(created))
	case noun == "meeting" && len(t.Meetings) > 0:
		b.WriteString(ids("meeting", t.Meetings))
		t.Meetings = nil
	case noun == "webinar" && len(t.Webinars) > 0:
		b.WriteString(ids("webinar", t.Webinars))
		t.Webinars = nil
	case noun == "user" && len(t.Users) > 0:
		b.WriteString(ids("user", t.Users))
		t.Users = nil
	case creates:
		b.WriteString(article(noun) + " " + noun)
	default:
		b.WriteString(noun)
	}
	if topic != "" {
		fmt.Fprintf(&b, " %q", truncate(topic, maxTopic))
	}
	of, forUsers := " of ", " of "
	if creates {
		of, forUsers = " to ", " for "
	}
	if len(t.Meetings) > 0 {
		b.WriteString(of + ids("meeting", t.Meetings))
	}
	if len(t.Webinars) > 0 {
		b.WriteString(of + ids("webinar", t.Webinars))
	}
	if len(t.Users) > 0 {
		b.WriteString(forUsers + list(t.Users))
	}
	return b.String()
}

// on names the targets of a call: " on meeting 123, user me".
func on(t pipeline.Targets) string {
	var parts []string
	if len(t.Meetings) > 0 {
		parts = append(parts, ids("meeting", t.Meetings))
	}
	if len(t.Webinars) > 0 {
		parts = append(parts, ids("webinar", t.Webinars))
	}
	if len(t.Users) > 0 {
		parts = append(parts, ids("user", t.Users))
	}
	if len(parts) == 0 {
		return ""
	}
	return " on " + strings.Join(parts, ", ")
}

func allowedBy(rule string) string {
	if rule == "" {
		return "allowed"
	}
	return "allowed by " + rule
}

func deniedBy(rule string, effect pipeline.Effect) string {
	switch {
	case rule == "":
		return "refused by the access policy"
	case strings.HasSuffix(rule, "=read") && effect.Writes():
		return rule + " allows only reads"
	case strings.HasSuffix(rule, "=off"):
		return rule + " allows nothing"
	}
	return "refused by " + rule
}

// failure says why a call failed: what Zoom answered, or the kind of error.
func failure(r *Record) string {
	switch {
	case r.Status >= 400 && r.Code != 0:
		return fmt.Sprintf("failed, Zoom answered %d (code %d)", r.Status, r.Code)
	case r.Status >= 400:
		return fmt.Sprintf("failed, Zoom answered %d", r.Status)
	case r.Kind != "":
		if p, ok := kindPhrases[r.Kind]; ok {
			return "failed: " + p
		}
		return "failed: " + r.Kind
	}
	return "failed"
}

// ids names one or more objects of a kind: "meeting 1", "meetings 1, 2".
func ids(kind string, v []string) string {
	if len(v) > 1 {
		kind += "s"
	}
	return kind + " " + list(v)
}

func list(v []string) string {
	w := make([]string, len(v))
	for i, s := range v {
		w[i] = word(s)
	}
	return strings.Join(w, ", ")
}

// word returns s, quoted if it has spaces, quotes or unprintable runes, so
// that an argument can neither break the line nor blur the sentence.
func word(s string) string {
	if s == "" || strings.ContainsFunc(s, func(r rune) bool {
		return !unicode.IsGraphic(r) || unicode.IsSpace(r) || r == '"' || r == ','
	}) {
		return strconv.Quote(s)
	}
	return s
}

func article(noun string) string {
	if noun != "" && strings.ContainsRune("aeiou", rune(noun[0])) {
		return "an"
	}
	return "a"
}

// truncate shortens s to n runes, marking the cut with an ellipsis.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i := 0
	for j := range s {
		if i == n {
			return s[:j] + "…"
		}
		i++
	}
	return s
}
