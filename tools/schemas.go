package tools

import (
	"encoding/json"
	"fmt"

	"github.com/zoommcp/zoom-mcp/schema"
)

// toolSchemas are a tool's three schemas.
type toolSchemas struct {
	// Input is the full input schema, which arguments are checked against.
	Input json.RawMessage
	// Published is the input schema tools/list carries (see published).
	Published json.RawMessage
	// Output is the output schema tools/list carries (see outline).
	Output json.RawMessage
}

// Reflecting 56 Go types into schemas cost 7 to 13 ms of every start-up,
// so it is done at build time: schemas_gen.go holds every tool's schemas as
// reflectSchemas makes them, as Go string constants that cost nothing to
// load (decoding the same schemas from an embedded JSON file cost a
// millisecond and 300 KB of allocations at every start), and
// TestGeneratedSchemas fails when it is stale (go generate ./tools writes
// it again).
//
//go:generate go test -run TestGeneratedSchemas -update-schemas .

// reflectAlways makes schemasOf reflect instead of reading schemas_gen.go;
// the test that checks the file sets it.
var reflectAlways = false

// schemasOf returns the schemas of the tool s with input In and output
// Out: from schemas_gen.go, or reflected when the file has no entry for
// the tool (a tool added since it was written; the test fails until it is).
func schemasOf[In, Out any](s spec) toolSchemas {
	if g, ok := generatedSchemas(s.name); ok && !reflectAlways {
		return toolSchemas{Input: json.RawMessage(g[0]), Published: json.RawMessage(g[1]), Output: json.RawMessage(g[2])}
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
