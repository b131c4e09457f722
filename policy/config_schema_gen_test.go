package policy

// The generation of config.schema.json, which Schema embeds: test code, so
// that the binary does not link invopop/jsonschema. TestConfigSchema
// (config_schema_test.go) compares the file with generateSchema.

import (
	"bytes"
	"encoding/json"
	"slices"

	"github.com/invopop/jsonschema"

	"github.com/zoommcp/zoom-mcp/schema"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// generateSchema returns the JSON Schema of the policy file, reflected from
// Config (indented, ending in a newline): what policy/config.schema.json
// must hold, and Schema returns.
func generateSchema() []byte {
	// schema.For leaves out $schema and $id, which a published schema
	// needs; put them first.
	head, err := json.Marshal(struct {
		Schema string `json:"$schema"`
		ID     string `json:"$id"`
	}{jsonschema.Version, SchemaURL})
	if err != nil {
		panic(err)
	}
	body := schema.For[Config]()
	raw := append(head[:len(head)-1], ',') // {"$schema":...,"$id":...,
	raw = append(raw, body[1:]...)
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		panic(err)
	}
	out.WriteByte('\n')
	return out.Bytes()
}

// JSONSchema describes a level: off, read or full.
func (Level) JSONSchema() *jsonschema.Schema {
	return &jsonschema.Schema{Type: "string", Enum: []any{string(Off), string(Read), string(Full)}}
}

// JSONSchemaExtend titles the schema and requires at least one agent.
func (Config) JSONSchemaExtend(s *jsonschema.Schema) {
	s.Title = "zoom-mcp access policy"
	if !slices.Contains(s.Required, "agents") {
		s.Required = append(s.Required, "agents")
	}
	agents := property(s, "agents")
	one := uint64(1)
	agents.MinItems = &one
}

// JSONSchemaExtend lists the toolsets under access, so that editors
// complete them and flag a typo.
func (AgentConfig) JSONSchemaExtend(s *jsonschema.Schema) {
	access := property(s, "access")
	access.Properties = jsonschema.NewProperties()
	for _, g := range zoomapi.Groups {
		lv := Level("").JSONSchema()
		lv.Description = "off, read (its read-only tools) or full (all its tools) for the " + string(g) + " toolset."
		access.Properties.Set(string(g), lv)
	}
	access.AdditionalProperties = jsonschema.FalseSchema
	one := uint64(1)
	property(s, "confirm").Items = &jsonschema.Schema{Type: "string", MinLength: &one,
		Description: "A tool name, or destructive for every destructive tool."}
}

// JSONSchemaExtend describes the entries of the lists of limits.
func (Limits) JSONSchemaExtend(s *jsonschema.Schema) {
	one := uint64(1)
	property(s, "users").Items = &jsonschema.Schema{Type: "string", MinLength: &one}
	for _, name := range []string{"meetings", "webinars"} {
		property(s, name).Items = &jsonschema.Schema{AnyOf: []*jsonschema.Schema{
			{Type: "string", Pattern: `^(own|[1-9][0-9]*)$`},
			{Type: "integer", Minimum: "1"},
		}}
	}
	actions := make([]any, len(registrantActionNames))
	for i, a := range registrantActionNames {
		actions[i] = a
	}
	property(s, "registrant_actions").Items = &jsonschema.Schema{Type: "string", Enum: actions}
}

// property returns a property of s; it panics when there is none, which
// the schema test catches.
func property(s *jsonschema.Schema, name string) *jsonschema.Schema {
	p, ok := s.Properties.Get(name)
	if !ok {
		panic("policy: the schema has no property " + name)
	}
	return p
}
