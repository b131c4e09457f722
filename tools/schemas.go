package tools

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/zoommcp/zoom-mcp/schema"
)

// toolSchemas are a tool's three schemas.
type toolSchemas struct {
	// Input is the full input schema, which arguments are checked against.
	Input json.RawMessage `json:"input"`
	// Published is the input schema tools/list carries (see published).
	Published json.RawMessage `json:"published"`
	// Output is the output schema tools/list carries (see outline).
	Output json.RawMessage `json:"output"`
}

// Reflecting 56 Go types into schemas cost 7 to 13 ms of every start-up,
// so it is done at build time: schemas.json holds every tool's schemas as
// reflectSchemas makes them, and TestGeneratedSchemas fails when it is
// stale (go generate ./tools writes it again).
//
//go:generate go test -run TestGeneratedSchemas -update-schemas .
//go:embed schemas.json
var schemasJSON []byte

var generated = sync.OnceValue(func() map[string]toolSchemas {
	var m map[string]toolSchemas
	if err := json.Unmarshal(schemasJSON, &m); err != nil {
		panic(fmt.Sprintf("tools: schemas.json: %v (go generate ./tools writes it again)", err))
	}
	return m
})

// reflectAlways makes schemasOf reflect instead of reading schemas.json;
// the test that checks the file sets it.
var reflectAlways = false

// schemasOf returns the schemas of the tool s with input In and output
// Out: from schemas.json, or reflected when the file has no entry for the
// tool (a tool added since it was written; the test fails until it is).
func schemasOf[In, Out any](s spec) toolSchemas {
	if g, ok := generated()[s.name]; ok && !reflectAlways {
		return g
	}
	return reflectSchemas[In, Out](s)
}

// reflectSchemas builds a tool's schemas from its Go types: the input with
// dry_run for a tool that writes, and the output with the error property
// (and a dry run's fields for a tool that writes).
func reflectSchemas[In, Out any](s spec) toolSchemas {
	in := schema.For[In]()
	if s.effect.Writes() {
		in = withDryRunArg(s.name, in)
	}
	return toolSchemas{
		Input:     in,
		Published: published(s.name, in),
		Output:    withErrorProperty(s.name, outline(s.name, schema.For[Out]()), s.effect.Writes()),
	}
}

// What tools/list carries costs context in every session, so the schemas
// published there are the lean forms of the ones the code works with.

// published returns the input schema a model reads: the reflected one
// without "additionalProperties": false. Arguments are still checked
// against the full schema, and an unknown argument is refused with the
// list of the accepted ones, so the 40 copies of that keyword (1 KB of
// every tools/list) told a model nothing the refusal does not.
func published(name string, raw json.RawMessage) json.RawMessage {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		panic(fmt.Sprintf("tools: %s: input schema: %v", name, err))
	}
	var strip func(v any)
	strip = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			if ap, ok := x["additionalProperties"].(bool); ok && !ap {
				delete(x, "additionalProperties")
			}
			if props, ok := x["properties"].(map[string]any); ok {
				for _, p := range props {
					strip(p)
				}
			}
			strip(x["items"])
		}
	}
	strip(m)
	return mustMarshal(m)
}

// outline returns the shape of an output schema: types, properties and
// items, at every depth, and nothing else. A result is JSON whose field
// names say what they hold; the descriptions, bounds and enums of the
// reflected schema (each output schema repeated the input's) doubled
// tools/list, and bounds and enums in an output schema could only make a
// client refuse a value Zoom returned.
func outline(name string, raw json.RawMessage) json.RawMessage {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		panic(fmt.Sprintf("tools: %s: output schema: %v", name, err))
	}
	var shape func(v any) any
	shape = func(v any) any {
		x, ok := v.(map[string]any)
		if !ok {
			return v // a boolean schema: true admits anything
		}
		out := map[string]any{}
		if t, ok := x["type"]; ok {
			out["type"] = t
		}
		if props, ok := x["properties"].(map[string]any); ok {
			p := make(map[string]any, len(props))
			for k, s := range props {
				p[k] = shape(s)
			}
			out["properties"] = p
		}
		if items, ok := x["items"]; ok {
			out["items"] = shape(items)
		}
		return out
	}
	return mustMarshal(shape(m))
}

func mustMarshal(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
