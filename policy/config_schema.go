package policy

import (
	"bytes"
	_ "embed"
)

// SchemaURL is where the published schema, policy/config.schema.json, is
// served. A policy file names it on its first line so that editors check
// and complete it:
//
//	# yaml-language-server: $schema=https://raw.githubusercontent.com/zoommcp/zoom-mcp/main/policy/config.schema.json
const SchemaURL = "https://raw.githubusercontent.com/zoommcp/zoom-mcp/main/policy/config.schema.json"

// The schema is generated from Config at build time, by generateSchema
// (config_schema_gen_test.go) under go generate ./policy, and
// TestConfigSchema fails when config.schema.json is stale. Generating it at run time linked invopop/jsonschema, with go/parser
// and go/doc, into the binary, whose initialisation and size every start
// paid.
//
//go:generate go test -run TestConfigSchema -update-schema .

//go:embed config.schema.json
var configSchema []byte

// Schema returns the JSON Schema of the policy file, generated from Config
// (indented, ending in a newline): policy/config.schema.json.
func Schema() []byte { return bytes.Clone(configSchema) }
