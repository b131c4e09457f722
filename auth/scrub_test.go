package auth

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestScrub(t *testing.T) {
	basic := base64.StdEncoding.EncodeToString([]byte("client-id:client-secret"))
	tests := []struct {
		name    string
		in      string
		secrets []string
		want    string
	}{
		{name: "bearer header", in: "got Authorization: Bearer abc.def-123_x", want: "got Authorization: Bearer [redacted]"},
		{name: "bearer lower case", in: "bearer tok1 refused", want: "bearer [redacted] refused"},
		{name: "basic credentials", in: "Authorization: Basic " + basic, want: "Authorization: Basic [redacted]"},
		{name: "JWT alone", in: "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig-nature is expired", want: "token [redacted] is expired"},
		{name: "access_token in a query", in: "GET /x?access_token=abc123&y=1", want: "GET /x?access_token=[redacted]&y=1"},
		{name: "access_token in JSON", in: `{"access_token": "abc123", "scope": "x"}`, want: `{"access_token": "[redacted]", "scope": "x"}`},
		{name: "client_secret field", in: "client_secret=hunter2", want: "client_secret=[redacted]"},
		{name: "the secret itself", in: "secret is s3cr3t!, right", secrets: []string{"s3cr3t!"}, want: "secret is [redacted], right"},
		{name: "URL-encoded secret", in: "body: a%2Fb%2Bc", secrets: []string{"a/b+c"}, want: "body: [redacted]"},
		{name: "longest secret first", in: "abcdef", secrets: []string{"abc", "abcdef"}, want: "[redacted]"},
		{name: "empty secret ignored", in: "nothing here", secrets: []string{""}, want: "nothing here"},
		{name: "prose about Basic plans", in: "Only Basic accounts and bearer tokens", want: "Only Basic accounts and bearer tokens"},
		{name: "plain Zoom message", in: "Meeting does not exist: 123.", want: "Meeting does not exist: 123."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Scrub(tt.in, tt.secrets...); got != tt.want {
				t.Errorf("Scrub(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestScrubTwice: scrubbing scrubbed text changes nothing (it used to add
// a "]" each time to "client_secret=[redacted]").
func TestScrubTwice(t *testing.T) {
	for _, s := range []string{"client_secret=abc&x=1", `{"refresh_token":"r1","access_token": "a1"}`, "Bearer abcdef123456.xyz"} {
		once := Scrub(s)
		if twice := Scrub(once); twice != once || strings.Contains(once, "]]") {
			t.Errorf("Scrub(%q) = %q, then %q", s, once, twice)
		}
	}
}
