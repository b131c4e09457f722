package pipeline

import (
	"context"
	"strings"
	"testing"
)

type page struct {
	PageSize int `json:"page_size,omitempty"`
}

type args struct {
	MeetingID int64   `json:"meeting_id"`
	UserID    string  `json:"user_id,omitempty"`
	Duration  *int    `json:"duration,omitempty"`
	Topic     *string `json:"topic,omitempty"`
	Refs      []struct {
		Email string `json:"email"`
	} `json:"registrants"`
	page
}

func TestArgs(t *testing.T) {
	a := &args{MeetingID: 85746065432, Refs: []struct {
		Email string `json:"email"`
	}{{"a@x"}, {""}, {"b@x"}}}
	c := &Call{Args: a}
	if s, ok := c.String("meeting_id"); !ok || s != "85746065432" {
		t.Errorf("String(meeting_id) = %q %v", s, ok)
	}
	if _, ok := c.String("user_id"); ok {
		t.Error("an empty user_id counts as given")
	}
	if _, ok := c.Int("duration"); ok {
		t.Error("a nil duration counts as given")
	}
	if !c.Has("page_size") || c.Has("nope") {
		t.Error("Has does not see embedded fields, or sees missing ones")
	}
	if got := strings.Join(c.Strings("registrants", "email"), ","); got != "a@x,b@x" {
		t.Errorf("Strings = %s", got)
	}
	if !c.SetInt("page_size", 10) || a.PageSize != 10 {
		t.Errorf("SetInt on an embedded field: %d", a.PageSize)
	}
	if !c.SetInt("duration", 30) || a.Duration == nil || *a.Duration != 30 {
		t.Error("SetInt on a pointer field")
	}
	if n, ok := c.Int("duration"); !ok || n != 30 {
		t.Errorf("Int(duration) = %d %v", n, ok)
	}
	if c.SetInt("user_id", 1) {
		t.Error("SetInt on a string field")
	}
	var none *Call
	if none.Has("x") || (&Call{}).Has("x") {
		t.Error("Has on no arguments")
	}
}

func TestChainOrder(t *testing.T) {
	var trace []string
	mw := func(name string) Middleware {
		return func(next Handler) Handler {
			return func(ctx context.Context, c *Call) Outcome {
				trace = append(trace, name)
				return next(ctx, c)
			}
		}
	}
	h := Chain(func(context.Context, *Call) Outcome { trace = append(trace, "zoom"); return Outcome{Decision: Allowed} },
		mw("audit"), nil, mw("policy"), mw("confirm"))
	if o := h(context.Background(), &Call{}); o.Decision != Allowed || strings.Join(trace, ",") != "audit,policy,confirm,zoom" {
		t.Errorf("order %v, outcome %+v", trace, o)
	}
}

func TestDeny(t *testing.T) {
	o := Deny("meetings=read", "no")
	if o.Decision != Denied || o.Kind() != KindAccessDenied || o.Rule != "meetings=read" || o.Error.Rule != "meetings=read" {
		t.Errorf("%+v", o)
	}
	if (Outcome{}).Kind() != "" {
		t.Error("a success has a kind")
	}
}
