package audit

import (
	"strings"
	"testing"

	"github.com/zoommcp/zoom-mcp/pipeline"
)

func TestSentence(t *testing.T) {
	meeting := pipeline.Targets{Meetings: []string{"123"}}
	me := pipeline.Targets{Users: []string{"me"}}
	for _, tc := range []struct {
		name    string
		r       Record
		topic   string
		created string
		want    string
	}{
		{
			name:    "created",
			r:       Record{Agent: "scheduler", Tool: "create_meeting", Effect: pipeline.Create, Decision: pipeline.Allowed, Rule: "meetings=full", Targets: pipeline.Targets{Users: []string{"jane.doe@example.com"}}},
			topic:   "Q3 review",
			created: "85746065",
			want:    `scheduler created meeting 85746065 "Q3 review" for jane.doe@example.com: allowed by meetings=full`,
		},
		{
			name: "denied a write by a read grant",
			r:    Record{Agent: "reader", Tool: "delete_meeting", Effect: pipeline.Change, Decision: pipeline.Denied, Rule: "meetings=read", Targets: meeting},
			want: `reader was denied delete_meeting on meeting 123: meetings=read allows only reads`,
		},
		{
			name: "denied by a limit",
			r:    Record{Agent: "reader", Tool: "get_meeting", Effect: pipeline.Read, Decision: pipeline.Denied, Rule: "limits.meetings", Targets: meeting},
			want: `reader was denied get_meeting on meeting 123: refused by limits.meetings`,
		},
		{
			name: "denied by an off toolset",
			r:    Record{Agent: "reader", Tool: "list_users", Effect: pipeline.Read, Decision: pipeline.Denied, Rule: "users=off"},
			want: `reader was denied list_users: users=off allows nothing`,
		},
		{
			name: "denied without a rule",
			r:    Record{Agent: "x", Tool: "list_meetings", Decision: pipeline.Denied, Targets: pipeline.Targets{Users: []string{"me"}, Meetings: []string{"1", "2"}}},
			want: `x was denied list_meetings on meetings 1, 2, user me: refused by the access policy`,
		},
		{
			name: "dry run",
			r:    Record{Agent: "scheduler", Tool: "delete_meeting", Effect: pipeline.Change, Decision: pipeline.DryRun, Rule: "meetings=full", Targets: meeting},
			want: `scheduler would have deleted meeting 123 (dry run): allowed by meetings=full`,
		},
		{
			name: "confirmed",
			r:    Record{Agent: "ops", Tool: "delete_meeting", Effect: pipeline.Change, Decision: pipeline.Confirmed, Rule: "meetings=full", Targets: meeting},
			want: `ops deleted meeting 123: confirmed by a person, allowed by meetings=full`,
		},
		{
			name: "declined",
			r:    Record{Agent: "ops", Tool: "end_meeting", Effect: pipeline.Change, Decision: pipeline.Declined, Rule: "confirm", Targets: meeting},
			want: `ops did not end meeting 123: a person declined or could not be asked`,
		},
		{
			name: "listed",
			r:    Record{Agent: "reader", Tool: "list_meetings", Effect: pipeline.Read, Decision: pipeline.Allowed, Rule: "meetings=read", Targets: me},
			want: `reader listed meetings of me: allowed by meetings=read`,
		},
		{
			name: "read a part of a meeting",
			r:    Record{Agent: "reader", Tool: "get_meeting_recordings", Decision: pipeline.Allowed, Rule: "recordings=read", Targets: meeting},
			want: `reader read meeting recordings of meeting 123: allowed by recordings=read`,
		},
		{
			name: "updated registrant status",
			r:    Record{Agent: "ops", Tool: "update_meeting_registrant_status", Effect: pipeline.Change, Decision: pipeline.Allowed, Rule: "meeting_registrants=full", Targets: meeting},
			want: `ops updated meeting registrant status of meeting 123: allowed by meeting_registrants=full`,
		},
		{
			name:    "added a registrant",
			r:       Record{Agent: "ops", Tool: "add_meeting_registrant", Effect: pipeline.Create, Decision: pipeline.Allowed, Rule: "meeting_registrants=full", Targets: meeting},
			created: "abc123",
			want:    `ops added meeting registrant abc123 to meeting 123: allowed by meeting_registrants=full`,
		},
		{
			name: "read a user",
			r:    Record{Agent: "hr", Tool: "get_user", Decision: pipeline.Allowed, Rule: "users=read", Targets: pipeline.Targets{Users: []string{"jane@example.com"}}},
			want: `hr read user jane@example.com: allowed by users=read`,
		},
		{
			name: "failed with Zoom's answer",
			r:    Record{Agent: "scheduler", Tool: "create_meeting", Effect: pipeline.Create, Decision: pipeline.Failed, Rule: "meetings=full", Targets: me, Status: 404, Code: 1001, Kind: pipeline.KindNotFound},
			want: `scheduler tried to create a meeting for me: failed, Zoom answered 404 (code 1001)`,
		},
		{
			name:  "failed with a status only",
			r:     Record{Agent: "scheduler", Tool: "update_webinar", Effect: pipeline.Change, Decision: pipeline.Failed, Targets: pipeline.Targets{Webinars: []string{"9"}}, Status: 503},
			topic: "Launch",
			want:  `scheduler tried to update webinar 9 "Launch": failed, Zoom answered 503`,
		},
		{
			name: "failed with a kind",
			r:    Record{Agent: "reader", Tool: "get_meeting", Decision: pipeline.Failed, Targets: meeting, Kind: pipeline.KindUnavailable},
			want: `reader tried to read meeting 123: failed: Zoom unavailable`,
		},
		{
			name: "failed with a 200 is not Zoom's refusal",
			r:    Record{Agent: "reader", Tool: "get_meeting", Decision: pipeline.Failed, Targets: meeting, Status: 200, Kind: "internal"},
			want: `reader tried to read meeting 123: failed: an internal error`,
		},
		{
			name:  "long topic",
			r:     Record{Agent: "s", Tool: "create_meeting", Decision: pipeline.Allowed, Rule: "meetings=full"},
			topic: strings.Repeat("é", 100),
			want:  `s created a meeting "` + strings.Repeat("é", 80) + `…": allowed by meetings=full`,
		},
		{
			name:  "topic that would break the line",
			r:     Record{Agent: "s", Tool: "create_meeting", Decision: pipeline.Allowed, Rule: "meetings=full"},
			topic: "a\nb \"c\"",
			want:  `s created a meeting "a\nb \"c\"": allowed by meetings=full`,
		},
		{
			name: "odd IDs are quoted",
			r:    Record{Agent: "s", Tool: "get_meeting", Decision: pipeline.Allowed, Rule: "meetings=read", Targets: pipeline.Targets{Meetings: []string{"a b,c"}}},
			want: `s read meeting "a b,c": allowed by meetings=read`,
		},
		{
			name: "unknown verb",
			r:    Record{Agent: "s", Tool: "frob_meeting", Decision: pipeline.Allowed, Targets: meeting},
			want: `s ran frob_meeting of meeting 123: allowed`,
		},
		{
			name: "unknown decision",
			r:    Record{Agent: "s", Tool: "get_meeting", Decision: "weird", Targets: meeting},
			want: `s called get_meeting on meeting 123: weird`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := sentence(&tc.r, tc.topic, tc.created)
			if got != tc.want {
				t.Errorf("sentence:\n got %s\nwant %s", got, tc.want)
			}
			if strings.ContainsAny(got, "\n\r") {
				t.Errorf("not one line: %q", got)
			}
		})
	}
}
