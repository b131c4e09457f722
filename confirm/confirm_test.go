package confirm

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/pipeline"
)

type always bool

func (a always) NeedsConfirmation(string, pipeline.Tool, bool) bool { return bool(a) }

type deleteArgs struct {
	MeetingID int64 `json:"meeting_id"`
}

// modern is a context of a 2026-07-28 request whose client can elicit.
func modern() context.Context {
	return server.WithRequestProtocolInfo(context.Background(), &server.RequestProtocolInfo{
		Modern: true, ProtocolVersion: "2026-07-28",
		ClientCapabilities: &mcp.ClientCapabilities{Elicitation: &mcp.ElicitationCapability{}},
	})
}

func newCall(id int64) *pipeline.Call {
	return &pipeline.Call{Agent: pipeline.Agent{Name: "ops"}, Tool: pipeline.Tool{Name: "delete_meeting", Title: "Delete meeting", Effect: pipeline.Change},
		Args: &deleteArgs{MeetingID: id}, Targets: pipeline.Targets{Meetings: []string{"123"}}}
}

// ask runs a call that needs confirmation and returns the request state
// the server asked with.
func ask(t *testing.T, h pipeline.Handler, c *pipeline.Call) string {
	t.Helper()
	o := h(modern(), c)
	if o.Decision != pipeline.Pending || o.Result == nil || !o.Result.NeedsInput() {
		t.Fatalf("not asked: %+v", o)
	}
	req := o.Result.InputRequests[inputID]
	if req.Elicitation == nil || !strings.Contains(req.Elicitation.Message, `"ops"`) || !strings.Contains(req.Elicitation.Message, "meeting 123") {
		t.Fatalf("question: %+v", req.Elicitation)
	}
	return o.Result.RequestState
}

func answer(state string, accept, tick bool) mcp.MultiRoundTripParams {
	r := mcp.ElicitationResult{}
	r.Action = mcp.ElicitationResponseActionDecline
	if accept {
		r.Action = mcp.ElicitationResponseActionAccept
		r.Content = map[string]any{field: tick}
	}
	return mcp.MultiRoundTripParams{RequestState: state, InputResponses: mcp.InputResponses{inputID: mcp.NewElicitationInputResponse(r)}}
}

func TestAnswerBoundToTheCall(t *testing.T) {
	ran := 0
	cf := New(always(true), func(string) bool { return true })
	h := cf.Middleware()(func(context.Context, *pipeline.Call) pipeline.Outcome {
		ran++
		return pipeline.Outcome{Decision: pipeline.Allowed}
	})
	state := ask(t, h, newCall(123))

	// The same answer for other arguments is refused.
	other := newCall(456)
	other.Input = answer(state, true, true)
	if o := h(modern(), other); o.Decision != pipeline.Declined || !strings.Contains(o.Error.Message, "arguments changed") {
		t.Errorf("changed arguments: %+v", o.Error)
	}
	// A forged state is refused.
	forged := newCall(123)
	forged.Input = answer(state[:len(state)-2]+"xx", true, true)
	if o := h(modern(), forged); o.Decision != pipeline.Declined {
		t.Errorf("forged state: %+v", o)
	}
	if ran != 0 {
		t.Fatalf("the call ran %d times without a valid confirmation", ran)
	}
	// The real answer runs the call once, and only once.
	c := newCall(123)
	c.Input = answer(state, true, true)
	if o := h(modern(), c); o.Decision != pipeline.Confirmed || ran != 1 {
		t.Errorf("accepted: %+v, ran %d", o, ran)
	}
	again := newCall(123)
	again.Input = answer(state, true, true)
	if o := h(modern(), again); o.Decision != pipeline.Declined || !strings.Contains(o.Error.Message, "already used") || ran != 1 {
		t.Errorf("replayed: %+v, ran %d", o.Error, ran)
	}
}

func TestAnswerExpires(t *testing.T) {
	cf := New(always(true), func(string) bool { return true })
	now := time.Now()
	cf.now = func() time.Time { return now }
	h := cf.Middleware()(func(context.Context, *pipeline.Call) pipeline.Outcome {
		return pipeline.Outcome{Decision: pipeline.Allowed}
	})
	state := ask(t, h, newCall(123))
	now = now.Add(ttl + time.Second)
	c := newCall(123)
	c.Input = answer(state, true, true)
	if o := h(modern(), c); o.Decision != pipeline.Declined || !strings.Contains(o.Error.Message, "expired") {
		t.Errorf("expired: %+v", o.Error)
	}
}

func TestNoConfirmationNeeded(t *testing.T) {
	ran := 0
	h := New(always(false), func(string) bool { return true }).Middleware()(func(context.Context, *pipeline.Call) pipeline.Outcome {
		ran++
		return pipeline.Outcome{Decision: pipeline.Allowed}
	})
	if o := h(context.Background(), newCall(1)); o.Decision != pipeline.Allowed || ran != 1 {
		t.Errorf("%+v", o)
	}
}

func TestClientWithoutElicitation(t *testing.T) {
	h := New(always(true), func(string) bool { return true }).Middleware()(func(context.Context, *pipeline.Call) pipeline.Outcome {
		t.Fatal("the call ran")
		return pipeline.Outcome{}
	})
	ctx := server.WithRequestProtocolInfo(context.Background(), &server.RequestProtocolInfo{Modern: true, ProtocolVersion: "2026-07-28", ClientCapabilities: &mcp.ClientCapabilities{}})
	for _, ctx := range []context.Context{ctx, context.Background()} {
		if o := h(ctx, newCall(1)); o.Decision != pipeline.Declined || !strings.Contains(o.Error.Message, "cannot ask") {
			t.Errorf("%+v", o.Error)
		}
	}
}
