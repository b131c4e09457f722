package auth

import (
	"encoding/base64"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Redacted replaces a credential that Scrub removed.
const Redacted = "[redacted]"

// The patterns are compiled at their first use, not at every start of the
// server (a regexp compiled in a package variable costs start-up time of
// every command, most of which never scrub).
var (
	// authSchemeRE matches the credentials of an Authorization header value.
	authSchemeRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(bearer|basic)(\s+)([A-Za-z0-9._~+/=-]+)`)
	})
	// jwtRE matches a JSON Web Token or its first segments (Zoom's access
	// tokens are JWTs).
	jwtRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`\beyJ[A-Za-z0-9_-]{4,}(?:\.[A-Za-z0-9_-]*){0,2}`)
	})
	// credParamRE matches a credential passed as a form, query or JSON field.
	// A value already redacted ("[redacted]") is left alone, so that
	// scrubbing twice changes nothing.
	credParamRE = sync.OnceValue(func() *regexp.Regexp {
		return regexp.MustCompile(`(?i)\b(access_token|refresh_token|id_token|client_secret)("?\s*[:=]\s*"?)([^\s"'&,;}\][][^\s"'&,;}\]]*)`)
	})
)

// Scrub returns s with everything that looks like a credential replaced by
// Redacted: each of secrets (and its URL-encoded form), the credentials of
// "Bearer <token>" and "Basic <base64>", JSON Web Tokens ("eyJ..."), and
// the values of access_token, refresh_token, id_token and client_secret
// fields. Use it on any text that came from outside (an error body, a
// reason) before it is stored in an error or logged.
//
// Every non-empty secret is replaced, however short: a false positive costs
// a word of an error message, a miss costs the secret.
func Scrub(s string, secrets ...string) string {
	if s == "" {
		return s
	}
	// Longest first, so that a secret containing another is replaced whole.
	var lits []string
	for _, sec := range secrets {
		if sec == "" {
			continue
		}
		lits = append(lits, sec)
		if esc := url.QueryEscape(sec); esc != sec {
			lits = append(lits, esc)
		}
	}
	slices.SortFunc(lits, func(a, b string) int { return len(b) - len(a) })
	for _, sec := range lits {
		s = strings.ReplaceAll(s, sec, Redacted)
	}
	s = authSchemeRE().ReplaceAllStringFunc(s, func(m string) string {
		sub := authSchemeRE().FindStringSubmatch(m)
		scheme, space, cred := sub[1], sub[2], sub[3]
		if !looksLikeCredential(scheme, cred) {
			return m
		}
		return scheme + space + Redacted
	})
	s = jwtRE().ReplaceAllString(s, Redacted)
	s = credParamRE().ReplaceAllString(s, "${1}${2}"+Redacted)
	return s
}

// looksLikeCredential tells the credentials after "Bearer" or "Basic" from
// prose such as "Basic accounts" or "bearer token": a credential decodes as
// "id:secret" (Basic), or is not a short run of letters.
func looksLikeCredential(scheme, cred string) bool {
	if strings.EqualFold(scheme, "basic") {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding} {
			if b, err := enc.DecodeString(cred); err == nil && strings.Contains(string(b), ":") {
				return true
			}
		}
	}
	if len(cred) >= 16 {
		return true
	}
	for _, r := range cred {
		if (r < 'a' || r > 'z') && (r < 'A' || r > 'Z') {
			return true
		}
	}
	return false
}
