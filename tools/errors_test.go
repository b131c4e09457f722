package tools

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// TestUnknownOutcomeAdvice: when Zoom's answer is lost, a read may simply
// be retried, but a create may already have happened.
func TestUnknownOutcomeAdvice(t *testing.T) {
	lost := []error{
		&zoomapi.TransportError{Endpoint: "x", Err: errors.New("connection reset")},
		&zoomapi.DecodeError{Endpoint: "x", StatusCode: 201, Reason: "empty response body"},
		context.DeadlineExceeded,
	}
	for _, err := range lost {
		get := describe(zoomapi.MustEndpoint(zoomapi.OpGetMeeting), err, "")
		if get.Kind != KindUnavailable || !strings.HasSuffix(get.Message, "Try again later.") {
			t.Errorf("get: %+v", get)
		}
		create := describe(zoomapi.MustEndpoint(zoomapi.OpCreateMeeting), err, "")
		if !strings.Contains(create.Message, "may have made the change") || strings.Contains(create.Message, "Try again later") {
			t.Errorf("create: %+v", create)
		}
	}
	if describe(zoomapi.MustEndpoint(zoomapi.OpGetMeeting), errors.New("a bug"), "") != nil {
		t.Error("a programming fault must stay a Go error")
	}
}
