package tools

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/auth"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// TestUnknownOutcomeAdvice: when Zoom's answer is lost, a read is
// unavailable and may be retried later; a write's outcome is unknown, the
// message says it may have happened and names the read tool that tells,
// and it is never called refused.
func TestUnknownOutcomeAdvice(t *testing.T) {
	lost := []error{
		&zoomapi.TransportError{Endpoint: "x", Err: errors.New("connection reset")},
		&zoomapi.DecodeError{Endpoint: "x", StatusCode: 502, Reason: "an HTML page"},
		&zoomapi.ErrorResponse{StatusCode: 503, Message: "Service Unavailable"},
		context.DeadlineExceeded,
	}
	get := failure{ep: zoomapi.MustEndpoint(zoomapi.OpGetMeeting), effect: reads, sent: true}
	create := failure{ep: zoomapi.MustEndpoint(zoomapi.OpCreateMeeting), effect: creates, check: checkWith["create_meeting"], sent: true}
	update := failure{ep: zoomapi.MustEndpoint(zoomapi.OpUpdateMeeting), effect: changes, check: checkWith["update_meeting"], sent: true}
	for _, err := range lost {
		if g := describe(get, err); g.Kind != KindUnavailable || !strings.Contains(g.Message, "retrying later may work") {
			t.Errorf("get, %v: %+v", err, g)
		}
		c := describe(create, err)
		if c.Kind != KindOutcomeUnknown || !strings.Contains(c.Message, "may have happened") || !strings.Contains(c.Message, "list_meetings") ||
			strings.Contains(c.Message, "refused") || !strings.Contains(c.Message, "twice") {
			t.Errorf("create, %v: %+v", err, c)
		}
		if u := describe(update, err); u.Kind != KindOutcomeUnknown || !strings.Contains(u.Message, "get_meeting") || !strings.Contains(u.Message, "safe") {
			t.Errorf("update, %v: %+v", err, u)
		}
	}
	// Applied, answer unreadable.
	if c := describe(create, &zoomapi.DecodeError{StatusCode: 201, Reason: "truncated"}); c.Kind != KindOutcomeUnknown || !strings.Contains(c.Message, "most likely happened") {
		t.Errorf("create, 201 unreadable: %+v", c)
	}
	// Certainly not sent.
	notSent := create
	notSent.sent = false
	if c := describe(notSent, context.DeadlineExceeded); c.Kind != KindUnavailable || !strings.Contains(c.Message, "Nothing was changed") {
		t.Errorf("create, deadline before sending: %+v", c)
	}
	if c := describe(notSent, context.Canceled); c.Kind != KindCancelled {
		t.Errorf("create, cancelled before sending: %+v", c)
	}
	if describe(get, errors.New("a bug")) != nil {
		t.Error("a programming fault must stay a Go error")
	}
}

// TestSignInTrouble: only credentials Zoom refuses are the operator's to
// fix; an OAuth outage is temporary.
func TestSignInTrouble(t *testing.T) {
	f := failure{ep: zoomapi.MustEndpoint(zoomapi.OpCreateMeeting), effect: creates, check: "list_meetings"}
	bad := describe(f, &auth.TokenError{StatusCode: 401, Code: "invalid_client", Reason: "Invalid client_id or client_secret"})
	if !strings.Contains(bad.Message, "credentials") || strings.Contains(bad.Message, "unavailable") {
		t.Errorf("bad credentials: %s", bad.Message)
	}
	for _, e := range []*auth.TokenError{{StatusCode: 503}, {Err: errors.New("connection reset")}, {StatusCode: 200, Err: errors.New("invalid character '<'")}} {
		out := describe(f, e)
		if !strings.Contains(out.Message, "sign-in service is unavailable") || strings.Contains(out.Message, "fix the Zoom app credentials") {
			t.Errorf("%v: %s", e, out.Message)
		}
	}
}

// TestQueueFull: a call refused because too many wait for the rate limit
// is rate_limited with a retry time, and nothing was sent.
func TestQueueFull(t *testing.T) {
	f := failure{ep: zoomapi.MustEndpoint(zoomapi.OpCreateMeeting), effect: creates, check: "list_meetings"}
	e := describe(f, &zoomapi.QueueFullError{Category: zoomapi.RateLight, Waiting: 256, RetryAfter: 2500 * time.Millisecond})
	if e == nil || e.Kind != KindRateLimited || e.RetryAfterSeconds == nil || *e.RetryAfterSeconds != 3 || !strings.Contains(e.Message, "nothing was sent") {
		t.Errorf("%+v", e)
	}
}

// TestDownloadRefused: a file the server will not fetch is said so, and
// the message carries no URL.
func TestDownloadRefused(t *testing.T) {
	f := failure{ep: zoomapi.MustEndpoint(zoomapi.OpGetMeetingTranscript), effect: reads}
	e := describe(f, &zoomapi.DownloadError{Host: "evil.example.com", Reason: "evil.example.com is not one of Zoom's hosts"})
	if e == nil || e.Kind != KindZoomRefused || !strings.Contains(e.Message, "not one of Zoom's hosts") {
		t.Errorf("%+v", e)
	}
}
