package tools

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"testing"
)

var updateSchemas = flag.Bool("update-schemas", false, "write schemas.json from the Go types")

// TestGeneratedSchemas reflects every tool's schemas from its Go types and
// compares them with schemas.json, which the server reads instead of
// reflecting at start-up. Run go generate ./tools after changing a tool's
// argument or result types.
func TestGeneratedSchemas(t *testing.T) {
	reflectAlways = true
	all := All()
	reflectAlways = false

	want := map[string]toolSchemas{}
	for _, tl := range all {
		want[tl.Name()] = tl.schemas
	}
	data := schemasFile(t, all)
	if *updateSchemas {
		if err := os.WriteFile("schemas.json", data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if !bytes.Equal(data, schemasJSON) {
		for name, w := range want {
			g, ok := generated()[name]
			switch {
			case !ok:
				t.Errorf("%s: not in schemas.json", name)
			case !bytes.Equal(g.Input, w.Input) || !bytes.Equal(g.Published, w.Published) || !bytes.Equal(g.Output, w.Output):
				t.Errorf("%s: schemas.json differs from the Go types", name)
			}
		}
		t.Fatalf("schemas.json is stale: run go generate ./tools")
	}
	// The tools the server builds use the file, and get what reflection gives.
	for _, tl := range All() {
		if !bytes.Equal(tl.Definition.RawInputSchema, want[tl.Name()].Published) {
			t.Errorf("%s: the published input schema is not the generated one", tl.Name())
		}
	}
}

// schemasFile writes the tools' schemas as one JSON object with a line per
// schema, compact, so that a change reads well in a diff.
func schemasFile(t *testing.T, all []Tool) []byte {
	var b bytes.Buffer
	b.WriteString("{\n")
	for i, tl := range all {
		name, _ := json.Marshal(tl.Name())
		fmt.Fprintf(&b, "%s: {\n", name)
		fmt.Fprintf(&b, "\t\"input\": %s,\n\t\"published\": %s,\n\t\"output\": %s\n}", tl.schemas.Input, tl.schemas.Published, tl.schemas.Output)
		if i < len(all)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("}\n")
	if !json.Valid(b.Bytes()) {
		t.Fatal("schemas.json: not valid JSON")
	}
	return b.Bytes()
}
