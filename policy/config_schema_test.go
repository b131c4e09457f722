package policy

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	jsv "github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v4"
)

var updateSchema = flag.Bool("update-schema", false, "rewrite policy/config.schema.json")

// TestConfigSchema keeps the published schema, which Schema embeds, in
// step with Config: it reflects the schema from Config and compares it with
// the file. Run go generate ./policy (go test ./policy -run TestConfigSchema
// -update-schema) to accept a change; a missing file is written, except
// under CI, where it fails.
func TestConfigSchema(t *testing.T) {
	const path = "config.schema.json"
	got := generateSchema()
	want, err := os.ReadFile(path)
	switch {
	case *updateSchema || (os.IsNotExist(err) && os.Getenv("CI") == ""):
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	case err != nil:
		t.Fatalf("no %s (run go generate ./policy): %v", path, err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s is stale; run go generate ./policy (-file +generated):\n%s", path, diff)
	}
	if !bytes.Equal(Schema(), want) {
		t.Errorf("Schema() is not %s", path)
	}
}

// compileSchema compiles Schema() as an editor would.
func compileSchema(t *testing.T) *jsv.Schema {
	t.Helper()
	doc, err := jsv.UnmarshalJSON(bytes.NewReader(Schema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsv.NewCompiler()
	if err := c.AddResource(SchemaURL, doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile(SchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// yamlInstance turns a YAML document into a JSON Schema instance.
func yamlInstance(t *testing.T, src []byte) any {
	t.Helper()
	var v any
	if err := yaml.Unmarshal(src, &v); err != nil {
		t.Fatal(err)
	}
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsv.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// TestConfigSchemaAgrees checks the schema against the loader: it accepts
// the example and rejects what an editor should flag.
func TestConfigSchemaAgrees(t *testing.T) {
	s := compileSchema(t)
	example, err := os.ReadFile("testdata/example.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Validate(yamlInstance(t, example)); err != nil {
		t.Errorf("the schema rejects example.yaml: %v", err)
	}
	if first, _, _ := strings.Cut(string(example), "\n"); first != "# yaml-language-server: $schema="+SchemaURL {
		t.Errorf("example.yaml does not name the schema on its first line: %q", first)
	}
	bad := []string{
		"agents: []",
		"audit: { path: a.jsonl }",
		"agents: [{ access: { meetings: read } }]",
		"agents: [{ name: a, access: { meetngs: read } }]",
		"agents: [{ name: a, access: { meetings: write } }]",
		"agents: [{ name: 'my agent' }]",
		"agents: [{ name: a, key_sha256: zmcp_abc }]",
		"agents: [{ name: a, limits: { meetings: [0] } }]",
		"agents: [{ name: a, limits: { webinars: [mine] } }]",
		"agents: [{ name: a, limits: { registrant_actions: [refund] } }]",
		"agents: [{ name: a, limits: { max_page_size: 301 } }]",
		"agents: [{ name: a, limits: { users: [''] } }]",
		"agents: [{ name: a, acess: {} }]",
		"agents: [{ name: a }]\nextra: 1",
	}
	for _, src := range bad {
		if err := s.Validate(yamlInstance(t, []byte(src))); err == nil {
			t.Errorf("the schema accepts %q", src)
		}
		if _, err := Parse([]byte(src), testCatalogue); err == nil {
			t.Errorf("Parse accepts %q", src)
		}
	}
}
