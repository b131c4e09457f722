package tools

import (
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Toolset is a group of tools granted together: the unit of the access
// policy (off, read or full per toolset) and of --toolsets. A tool's Zoom
// scopes come from the endpoint table; its toolset is declared here, so a
// tool need not be one REST endpoint.
type Toolset struct {
	Name        zoomapi.Group
	Description string
	tools       func() []Tool
}

// toolsets are the toolsets in display order, each with the constructors
// of its file.
var toolsets = []Toolset{
	{zoomapi.GroupMeetings, "Meetings: list, read, schedule, change, delete, end.", meetingTools},
	{zoomapi.GroupMeetingRegistrants, "Meeting registrants: list, register, approve, deny, cancel.", meetingRegistrantTools},
	{zoomapi.GroupWebinars, "Webinars and their registrants.", webinarTools},
	{zoomapi.GroupUsers, "The account's users.", userTools},
	{zoomapi.GroupRecordings, "Cloud recordings and their files.", recordingTools},
	{zoomapi.GroupReports, "Reports of past meetings and their participants.", reportTools},
	{zoomapi.GroupEvents, "Zoom's events as they happen: wait for one (webhooks or Zoom's event WebSocket).", eventTools},
}

// All returns every tool, grouped by toolset in display order. It is the
// one list from which the server, the filters, the access policy, the
// README tables and the guard tests derive.
func All() []Tool {
	all := make([]Tool, 0, 32) // a Tool is large: growing the slice twice cost 40 KB at every start
	for _, ts := range toolsets {
		for _, t := range ts.tools() {
			t.Toolset = ts.Name
			t.Definition.Meta.AdditionalFields[MetaToolset] = string(ts.Name)
			all = append(all, t)
		}
	}
	return all
}

// Toolsets returns the toolsets in display order.
func Toolsets() []Toolset { return slices.Clone(toolsets) }

// Filter narrows the tool list. Toolsets and Tools add up (a tool is kept
// if its toolset or its name is listed); with neither, every tool is kept.
// ReadOnly then drops every tool that is not read-only.
type Filter struct {
	ReadOnly bool     // only read-only tools; wins over Tools
	Toolsets []string // toolset names (zoomapi.Group)
	Tools    []string // tool names
}

// Select applies f to tools. Unknown toolset or tool names are an error that
// lists the valid ones, so a typo in a flag fails loudly.
func Select(tools []Tool, f Filter) ([]Tool, error) {
	known := map[string]bool{}
	sets := map[string]bool{}
	for _, t := range tools {
		known[t.Name()] = true
		sets[string(t.Toolset)] = true
	}
	if err := checkNames("toolset", f.Toolsets, sets); err != nil {
		return nil, err
	}
	if err := checkNames("tool", f.Tools, known); err != nil {
		return nil, err
	}
	all := len(f.Toolsets) == 0 && len(f.Tools) == 0
	out := make([]Tool, 0, len(tools))
	for _, t := range tools {
		listed := all || slices.Contains(f.Toolsets, string(t.Toolset)) || slices.Contains(f.Tools, t.Name())
		if listed && (!f.ReadOnly || t.ReadOnly()) {
			out = append(out, t)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no tools left to offer: --read-only keeps only the read-only tools of the toolsets and tools named")
	}
	return out, nil
}

// Authorized splits tools into those that one of the granted scopes lets
// run and those it does not.
func Authorized(tools []Tool, granted []string) (ok, missing []Tool) {
	for _, t := range tools {
		if t.Endpoint.Authorized(granted) {
			ok = append(ok, t)
		} else {
			missing = append(missing, t)
		}
	}
	return ok, missing
}

func checkNames(kind string, names []string, valid map[string]bool) error {
	var bad []string
	for _, n := range names {
		if !valid[n] {
			bad = append(bad, n)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	list := make([]string, 0, len(valid))
	for n := range valid {
		list = append(list, n)
	}
	sort.Strings(list)
	return fmt.Errorf("unknown %s %s; valid: %s", kind, strings.Join(bad, ", "), strings.Join(list, ", "))
}
