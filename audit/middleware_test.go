package audit

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

type createArgs struct {
	UserID string `json:"user_id"`
	Topic  string `json:"topic"`
	Secret string `json:"password"`
}

type meetingOut struct {
	ID    int64  `json:"id"`
	Topic string `json:"topic"`
}

var (
	createMeeting = pipeline.Tool{Name: "create_meeting", Toolset: "meetings", Effect: pipeline.Create}
	getMeeting    = pipeline.Tool{Name: "get_meeting", Toolset: "meetings", Effect: pipeline.Read}
)

func createCall() *pipeline.Call {
	return &pipeline.Call{
		Agent:   pipeline.Agent{Name: "scheduler"},
		Tool:    createMeeting,
		Args:    &createArgs{UserID: "jane.doe@example.com", Topic: "Q3 review", Secret: "hunter2"},
		Targets: pipeline.Targets{Users: []string{"jane.doe@example.com"}},
	}
}

func getCall() *pipeline.Call {
	return &pipeline.Call{
		Agent:   pipeline.Agent{Name: "reader"},
		Tool:    getMeeting,
		Args:    &struct{ MeetingID int64 }{123},
		Targets: pipeline.Targets{Meetings: []string{"123"}},
	}
}

// returning is a handler that counts its calls and returns o.
func returning(o pipeline.Outcome, calls *atomic.Int64) pipeline.Handler {
	return func(context.Context, *pipeline.Call) pipeline.Outcome {
		calls.Add(1)
		return o
	}
}

func TestMiddlewareRecords(t *testing.T) {
	created := []zoomapi.TracedRequest{{Method: "POST", Path: "/users/jane.doe@example.com/meetings", Status: 201}}
	for _, tc := range []struct {
		name string
		call *pipeline.Call
		out  pipeline.Outcome
		want Record // without seq, time, duration, prev, hash
	}{
		{
			name: "created",
			call: createCall(),
			out: pipeline.Outcome{Decision: pipeline.Allowed, Rule: "meetings=full", Value: &meetingOut{ID: 85746065, Topic: "Q3 review"}, Requests: created,
				Created: pipeline.Targets{Meetings: []string{"85746065"}}},
			want: Record{
				Agent: "scheduler", Tool: "create_meeting", Toolset: "meetings", Effect: pipeline.Create, Decision: pipeline.Allowed, Rule: "meetings=full",
				Method: "POST", Path: "/users/j***@example.com/meetings", Status: 201,
				Requests: []zoomapi.TracedRequest{{Method: "POST", Path: "/users/j***@example.com/meetings", Status: 201}},
				Targets:  pipeline.Targets{Users: []string{"j***@example.com"}}, Created: "85746065",
				Text: `scheduler created meeting 85746065 "Q3 review" for j***@example.com: allowed by meetings=full`,
			},
		},
		{
			name: "dry run: the planned request is the main one",
			call: createCall(),
			out: pipeline.Outcome{Decision: pipeline.DryRun, Rule: "meetings=full",
				Requests: []zoomapi.TracedRequest{{Method: "GET", Path: "/users/me", Status: 200}},
				Planned:  &zoomapi.PlannedRequest{Method: "POST", Path: "/users/me/meetings"}},
			want: Record{
				Agent: "scheduler", Tool: "create_meeting", Toolset: "meetings", Effect: pipeline.Create, Decision: pipeline.DryRun, Rule: "meetings=full",
				Method: "POST", Path: "/users/me/meetings",
				Requests: []zoomapi.TracedRequest{{Method: "GET", Path: "/users/me", Status: 200}},
				Targets:  pipeline.Targets{Users: []string{"j***@example.com"}},
				Text:     `scheduler would have created a meeting "Q3 review" for j***@example.com (dry run): allowed by meetings=full`,
			},
		},
		{
			name: "failed after a retry: the last request is the main one",
			call: getCall(),
			out: pipeline.Outcome{Decision: pipeline.Failed, Rule: "meetings=read",
				Error: &pipeline.ErrorInfo{Kind: pipeline.KindNotFound, ZoomCode: 3001},
				Requests: []zoomapi.TracedRequest{
					{Method: "GET", Path: "/meetings/123", Status: 429},
					{Method: "GET", Path: "/meetings/123", Status: 404, Code: 3001},
				}},
			want: Record{
				Agent: "reader", Tool: "get_meeting", Toolset: "meetings", Effect: pipeline.Read, Decision: pipeline.Failed, Rule: "meetings=read",
				Method: "GET", Path: "/meetings/123", Status: 404, Code: 3001, Kind: pipeline.KindNotFound,
				Requests: []zoomapi.TracedRequest{
					{Method: "GET", Path: "/meetings/123", Status: 429},
					{Method: "GET", Path: "/meetings/123", Status: 404, Code: 3001},
				},
				Targets: pipeline.Targets{Meetings: []string{"123"}},
				Text:    `reader tried to read meeting 123: failed, Zoom answered 404 (code 3001)`,
			},
		},
		{
			name: "a programming fault is a failure",
			call: getCall(),
			out:  pipeline.Outcome{Decision: pipeline.Allowed, Rule: "meetings=read", Err: errors.New("bug")},
			want: Record{
				Agent: "reader", Tool: "get_meeting", Toolset: "meetings", Effect: pipeline.Read, Decision: pipeline.Failed, Rule: "meetings=read", Kind: "internal",
				Targets: pipeline.Targets{Meetings: []string{"123"}},
				Text:    `reader tried to read meeting 123: failed: an internal error`,
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			l := New(&buf, Options{})
			var calls atomic.Int64
			h := Middleware(l, nil)(returning(tc.out, &calls))
			got := h(context.Background(), tc.call)
			if got.Decision != tc.out.Decision || got.Value != tc.out.Value || calls.Load() != 1 {
				t.Errorf("outcome changed: %+v", got)
			}
			if strings.Contains(buf.String(), "hunter2") {
				t.Error("an argument that is not audited reached the log")
			}
			recs := parse(t, &buf)
			if len(recs) != 1 {
				t.Fatalf("%d records, want 1", len(recs))
			}
			ignore := cmpopts.IgnoreFields(Record{}, "Seq", "Time", "DurationMS", "Prev", "Hash")
			if diff := cmp.Diff(tc.want, recs[0], ignore); diff != "" {
				t.Errorf("record (-want +got):\n%s", diff)
			}
		})
	}
}

// parse verifies buf and returns its records.
func parse(t *testing.T, buf *bytes.Buffer) []Record {
	t.Helper()
	var recs []Record
	if _, err := scan(bytes.NewReader(buf.Bytes()), func(r Record) error { recs = append(recs, r); return nil }); err != nil {
		t.Fatal(err)
	}
	return recs
}

func TestMiddlewarePendingIsNotRecorded(t *testing.T) {
	var buf bytes.Buffer
	var calls atomic.Int64
	h := Middleware(New(&buf, Options{}), nil)(returning(pipeline.Outcome{Decision: pipeline.Pending}, &calls))
	if got := h(context.Background(), getCall()); got.Decision != pipeline.Pending {
		t.Errorf("outcome: %+v", got)
	}
	if buf.Len() != 0 {
		t.Errorf("a pending call was recorded: %s", buf.String())
	}
}

func TestMiddlewareDurationFromStart(t *testing.T) {
	var buf bytes.Buffer
	var calls atomic.Int64
	h := Middleware(New(&buf, Options{}), nil)(returning(pipeline.Outcome{Decision: pipeline.Allowed}, &calls))
	c := getCall()
	c.Start = time.Now().Add(-1500 * time.Millisecond)
	h(context.Background(), c)
	if d := parse(t, &buf)[0].DurationMS; d < 1500 || d > 60000 {
		t.Errorf("duration_ms = %v, want about 1500", d)
	}
}

func TestMiddlewareFailsClosed(t *testing.T) {
	success := pipeline.Outcome{Decision: pipeline.Allowed, Rule: "meetings=full", Value: &meetingOut{ID: 1},
		Requests: []zoomapi.TracedRequest{{Method: "GET", Path: "/meetings/1", Status: 200}}}
	for _, tc := range []struct {
		name     string
		call     *pipeline.Call
		withheld bool // the first call's outcome is replaced by a refusal
	}{
		{name: "read", call: getCall(), withheld: true},
		{name: "write", call: createCall(), withheld: false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			logger := slog.New(slog.NewTextHandler(&logs, nil))
			l := New(&failingSink{}, Options{})
			var calls atomic.Int64
			h := Middleware(l, logger)(returning(success, &calls))

			// The log is ready, so the call runs, but its record fails.
			got := h(context.Background(), tc.call)
			if calls.Load() != 1 {
				t.Fatalf("inner handler called %d times, want 1", calls.Load())
			}
			if tc.withheld {
				if got.Decision != pipeline.Denied || got.Rule != "audit" || got.Value != nil ||
					got.Error == nil || got.Error.Kind != pipeline.KindUnavailable || !strings.Contains(got.Error.Message, "withheld") {
					t.Errorf("read whose record failed: %+v", got)
				}
				if len(got.Requests) != 1 {
					t.Errorf("the requests sent were dropped: %+v", got.Requests)
				}
			} else if got.Decision != pipeline.Allowed || got.Error != nil || got.Value == nil {
				t.Errorf("write whose record failed lost its true outcome: %+v", got)
			}
			if !strings.Contains(logs.String(), "level=ERROR") || !strings.Contains(logs.String(), "disk full") {
				t.Errorf("failure not logged: %s", logs.String())
			}

			// From now on every call is refused before it runs.
			for range 2 {
				got = h(context.Background(), tc.call)
				if calls.Load() != 1 {
					t.Fatalf("inner handler called after the log failed")
				}
				want := refusal(msgRefused)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("refusal (-want +got):\n%s", diff)
				}
			}
		})
	}
}

func TestMiddlewareConcurrentCalls(t *testing.T) {
	var buf bytes.Buffer
	l := New(&buf, Options{})
	var calls atomic.Int64
	h := Middleware(l, nil)(returning(pipeline.Outcome{Decision: pipeline.Allowed, Rule: "meetings=read"}, &calls))
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() { h(context.Background(), getCall()) })
	}
	wg.Wait()
	recs := parse(t, &buf)
	if len(recs) != 50 || calls.Load() != 50 {
		t.Errorf("%d records of %d calls, want 50", len(recs), calls.Load())
	}
	if seq, _ := l.Head(); seq != 50 {
		t.Errorf("head seq %d", seq)
	}
}

// BenchmarkMiddleware measures what auditing adds to a call, writing to a
// file as the server does (the budget is 50 µs a call).
func BenchmarkMiddleware(b *testing.B) {
	l, err := Open(b.TempDir()+"/audit.jsonl", Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	out := pipeline.Outcome{Decision: pipeline.Allowed, Rule: "meetings=full", Value: &meetingOut{ID: 85746065},
		Requests: []zoomapi.TracedRequest{{Method: "POST", Path: "/users/jane.doe@example.com/meetings", Status: 201}}}
	var calls atomic.Int64
	h := Middleware(l, nil)(returning(out, &calls))
	c := createCall()
	ctx := context.Background()
	for b.Loop() {
		h(ctx, c)
	}
}
