package audit

import (
	"regexp"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"
)

// MaskEmail masks an email address, keeping its first character and its
// domain: "jane.doe@example.com" becomes "j***@example.com". Anything that
// is not an email is returned as it is.
func MaskEmail(s string) string {
	local, domain, ok := strings.Cut(s, "@")
	if !ok || local == "" || domain == "" {
		return s
	}
	return first(local) + "***@" + domain
}

// emailRE finds emails in text, also with the @ escaped as in a URL path.
var emailRE = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`([A-Za-z0-9._+\-]+)(@|%40)([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)`)
})

// maskText masks every email in s.
func maskText(s string) string {
	if !strings.Contains(s, "@") && !strings.Contains(s, "%40") {
		return s
	}
	return emailRE().ReplaceAllStringFunc(s, func(m string) string {
		p := emailRE().FindStringSubmatch(m)
		return first(p[1]) + "***" + p[2] + p[3]
	})
}

func first(s string) string {
	_, n := utf8.DecodeRuneInString(s)
	return s[:n]
}

// maskRecord masks the emails of r in place. Its slices are copied first:
// they may be shared with the call.
func maskRecord(r *Record) {
	r.Text = maskText(r.Text)
	r.Path = maskText(r.Path)
	if len(r.Requests) > 0 {
		r.Requests = slices.Clone(r.Requests)
		for i := range r.Requests {
			r.Requests[i].Path = maskText(r.Requests[i].Path)
		}
	}
	if len(r.Targets.Users) > 0 {
		users := make([]string, len(r.Targets.Users))
		for i, u := range r.Targets.Users {
			users[i] = maskText(u)
		}
		r.Targets.Users = users
	}
}
