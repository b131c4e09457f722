package auth

import (
	"encoding/json"
	"strings"
	"unicode/utf8"
)

// zoomReason extracts Zoom's "reason" (or "error_description") from an OAuth
// error body. ok reports whether the body is an OAuth error answer at all: a
// JSON object with an "error", "reason" or "error_description".
func zoomReason(body []byte) (reason string, ok bool) {
	var v struct {
		Error       string `json:"error"`
		Reason      string `json:"reason"`
		Description string `json:"error_description"`
	}
	if json.Unmarshal(body, &v) != nil {
		return "", false
	}
	ok = v.Error != "" || v.Reason != "" || v.Description != ""
	if v.Reason != "" {
		return v.Reason, ok
	}
	return v.Description, ok
}

// describeBody says what a token endpoint's answer was when it was not an
// OAuth error, for the error message: empty, an HTML page, or other text.
// The text is scrubbed before it is cut, so no part of a secret survives.
func describeBody(contentType string, body []byte, secret string) string {
	text := strings.Join(strings.Fields(Scrub(string(body), secret)), " ")
	switch {
	case text == "":
		return "empty response body"
	case strings.HasPrefix(text, "<") || strings.Contains(contentType, "html"):
		return "HTML page instead of an OAuth answer (" + truncate(text, 120) + ")"
	}
	return "not an OAuth answer (" + truncate(text, 120) + ")"
}

// truncate cuts s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
