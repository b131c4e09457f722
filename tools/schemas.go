package tools

import (
	"encoding/json"
	"fmt"
	"reflect"
)

// toolSchemas are a tool's three schemas.
type toolSchemas struct {
	// Input is the full input schema, which arguments are checked against.
	Input json.RawMessage
	// Published is the input schema tools/list carries (see published in
	// schemas_test.go).
	Published json.RawMessage
	// Output is the output schema tools/list carries (see outline in
	// schemas_test.go).
	Output json.RawMessage
}

// Reflecting 56 Go types into schemas cost 7 to 13 ms of every start-up,
// so it is done at build time: schemas_gen.go holds every tool's schemas as
// reflectToolSchemas (schemas_test.go) makes them, as Go string constants
// that cost nothing to load (decoding the same schemas from an embedded
// JSON file cost a millisecond and 300 KB of allocations at every start),
// and TestGeneratedSchemas fails when it is stale (go generate ./tools
// writes it again). The reflection lives in test code only, so the binary
// links neither the schema package nor invopop/jsonschema and its go/parser
// and go/doc, whose initialisation and size every start paid.
//
//go:generate go test -run TestGeneratedSchemas -update-schemas .

// reflectSchemas, set only by the test that writes and checks
// schemas_gen.go, makes schemasOf reflect a tool's schemas from its input
// and output types instead of reading the file.
var reflectSchemas func(s spec, in, out reflect.Type) toolSchemas

// schemasOf returns the schemas of the tool s with input type in() and
// output type out() from schemas_gen.go. A tool the file does not hold (one
// added or renamed since it was written) panics at start-up: run go
// generate ./tools.
func schemasOf(s spec, in, out func() reflect.Type) toolSchemas {
	if reflectSchemas != nil {
		return reflectSchemas(s, in(), out())
	}
	g, ok := generated(s.name)
	if !ok {
		panic(fmt.Sprintf("tools: %s: no schemas in schemas_gen.go; run go generate ./tools", s.name))
	}
	return g
}

// generatedSchema is one tool's entry in schemas_gen.go.
type generatedSchema struct {
	name                     string
	input, published, output []byte
}

// generated returns the schemas schemas_gen.go holds for the tool name.
// They are not copied (copying 100 KB of schemas from string constants
// was half a millisecond of every start, most of it faulting in fresh
// heap pages); nothing modifies a schema.
func generated(name string) (toolSchemas, bool) {
	for _, g := range generatedSchemas {
		if g.name == name {
			return toolSchemas{Input: g.input, Published: g.published, Output: g.output}, true
		}
	}
	return toolSchemas{}, false
}
