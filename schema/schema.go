// Package schema generates the JSON Schemas of tool inputs and outputs from
// Go structs, with one configured invopop/jsonschema reflector.
//
// Field descriptions live beside the fields, in
// `jsonschema_description:"..."` tags; enums, bounds and defaults in
// `jsonschema:"..."` tags. A field is required only when tagged
// `jsonschema:"required"`. Objects accept no properties they do not declare.
package schema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"github.com/invopop/jsonschema"
)

// reflector is the one reflector of the project.
var reflector = &jsonschema.Reflector{
	Anonymous:                  true,
	DoNotReference:             true,
	ExpandedStruct:             true,
	RequiredFromJSONSchemaTags: true,
	AllowAdditionalProperties:  false,
	Mapper: func(t reflect.Type) *jsonschema.Schema {
		if t == reflect.TypeFor[time.Time]() {
			return &jsonschema.Schema{Type: "string", Format: "date-time"}
		}
		return nil
	},
}

// For returns the JSON Schema of T, which must be a struct: an object schema
// without "$schema" or "$id", ready to be a tool's input or output schema.
// It panics on a type it cannot describe, so a bad schema fails at start-up,
// never at call time.
func For[T any]() json.RawMessage {
	raw, err := Of(reflect.TypeFor[T]())
	if err != nil {
		panic(err)
	}
	return raw
}

// Of is For for a reflect.Type.
func Of(t reflect.Type) (json.RawMessage, error) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil, fmt.Errorf("schema: %v is not a struct; tool schemas must be objects", t)
	}
	s := reflector.ReflectFromType(t)
	s.Version, s.ID = "", ""
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("schema: %v: %w", t, err)
	}
	return raw, nil
}
