package tools

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/internal/sandbox"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// BenchmarkResultSizes reports what one page of 30 rows of each list tool
// costs a model's context on the seeded account: bytes of text content per
// page, and the mean and largest row's JSON. The time per call is a
// by-product.
func BenchmarkResultSizes(b *testing.B) {
	c, _, err := sandbox.New(zoomfake.Options{NoRateLimit: true}, zoomapi.WithoutPacing())
	if err != nil {
		b.Fatal(err)
	}
	p := &pipeline.Pipeline{Client: pipeline.Static(c)}
	day := func(d int) string { return time.Now().UTC().AddDate(0, 0, d).Format(dateLayout) }
	lists := []struct {
		tool, rows string
		args       map[string]any
	}{
		{"list_meetings", "meetings", map[string]any{"type": "upcoming_meetings"}},
		{"list_meeting_registrants", "registrants", map[string]any{"meeting_id": float64(zoomfake.SeedRegistrationMeetingID)}},
		{"list_webinars", "webinars", map[string]any{}},
		{"list_webinar_registrants", "registrants", map[string]any{"webinar_id": float64(zoomfake.SeedWebinarID)}},
		{"list_users", "users", map[string]any{}},
		{"list_recordings", "recordings", map[string]any{"from": day(-29), "to": day(0)}},
		{"list_past_meetings", "meetings", map[string]any{"from": day(-29), "to": day(0)}},
		{"list_meeting_participants", "participants", map[string]any{"meeting_id": zoomfake.SeedPastUUID}},
		{"list_meeting_summaries", "summaries", map[string]any{}},
	}
	tools := map[string]Tool{}
	for _, tl := range All() {
		tools[tl.Name()] = tl
	}
	ctx := context.Background()
	for _, l := range lists {
		b.Run(l.tool, func(b *testing.B) {
			tl, ok := tools[l.tool]
			if !ok {
				b.Fatalf("no tool %s", l.tool)
			}
			handler := tl.Bind(p)
			l.args["page_size"] = float64(30)
			req := mcp.CallToolRequest{Params: mcp.CallToolParams{Name: l.tool, Arguments: l.args}}
			var text string
			for b.Loop() {
				res, err := handler(ctx, req)
				if err != nil || res.IsError {
					b.Fatal(err, res)
				}
				text = res.Content[0].(mcp.TextContent).Text
			}
			var page map[string]json.RawMessage
			if err := json.Unmarshal([]byte(text), &page); err != nil {
				b.Fatal(err)
			}
			var rows []json.RawMessage
			if err := json.Unmarshal(page[l.rows], &rows); err != nil || len(rows) == 0 {
				b.Fatalf("%s: no %s in %.200s", l.tool, l.rows, text)
			}
			sum, largest := 0, 0
			for _, r := range rows {
				sum += len(r)
				largest = max(largest, len(r))
			}
			b.ReportMetric(float64(len(text)), "B/page")
			b.ReportMetric(float64(len(rows)), "rows")
			b.ReportMetric(float64(sum)/float64(len(rows)), "B/row")
			b.ReportMetric(float64(largest), "maxB/row")
			if mean := float64(sum) / float64(len(rows)); mean > rowBudget {
				b.Errorf("%s: %.1f bytes a row, over the budget of %d", l.tool, mean, rowBudget)
			}
			if l.tool == "list_meetings" && (len(rows) != 30 || len(text) > meetingsPageBudget) {
				b.Errorf("list_meetings: %d rows in %d bytes; want 30 rows in at most %d", len(rows), len(text), meetingsPageBudget)
			}
		})
	}
}

// Budgets of what results and tools/list cost a model's context: a list
// row, a 30-row list_meetings page, and tools/list for every tool (the
// part a model reads, and the whole of it, output schemas included).
const (
	rowBudget          = 150
	meetingsPageBudget = 4096
	modelListBudget    = 20_000
	wireListBudget     = 40_000
)

// BenchmarkToolsListSize measures tools/list for the whole catalogue, as
// a client receives it with every toolset granted: the bytes a model
// reads (name, title, description, input schema) and the whole result on
// the wire (output schemas, annotations and _meta included). It fails
// over the budgets; -v logs each tool's share.
func BenchmarkToolsListSize(b *testing.B) {
	all := All()
	defs := make([]mcp.Tool, 0, len(all))
	for _, tl := range all {
		defs = append(defs, tl.Definition)
	}
	var model, wire int
	for b.Loop() {
		model = 0
		for _, tl := range all {
			model += contextBytes(tl)
		}
		data, err := json.Marshal(mcp.ListToolsResult{Tools: defs})
		if err != nil {
			b.Fatal(err)
		}
		wire = len(data)
	}
	for _, tl := range all {
		whole, _ := json.Marshal(tl.Definition)
		b.Logf("%-34s %5d model, %5d whole", tl.Name(), contextBytes(tl), len(whole))
	}
	b.ReportMetric(float64(len(all)), "tools")
	b.ReportMetric(float64(model), "model-B")
	b.ReportMetric(float64(wire), "wire-B")
	if model > modelListBudget {
		b.Errorf("tools/list: %d bytes a model reads, over the budget of %d", model, modelListBudget)
	}
	if wire > wireListBudget {
		b.Errorf("tools/list: %d bytes with output schemas, over the budget of %d", wire, wireListBudget)
	}
}

// contextBytes is what a model reads of one tool: its name, title,
// description and input schema as compact JSON.
func contextBytes(tl Tool) int {
	b, err := json.Marshal(struct {
		Name        string          `json:"name"`
		Title       string          `json:"title"`
		Description string          `json:"description"`
		InputSchema json.RawMessage `json:"inputSchema"`
	}{tl.Name(), tl.Definition.Title, tl.Definition.Description, tl.Definition.RawInputSchema})
	if err != nil {
		panic(err)
	}
	return len(b)
}
