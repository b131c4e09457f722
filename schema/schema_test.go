package schema

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"
)

type sample struct {
	ID       int64     `json:"id" jsonschema:"required,minimum=1" jsonschema_description:"The meeting ID."`
	Size     int       `json:"page_size,omitempty" jsonschema:"minimum=1,maximum=300,default=30"`
	Kind     string    `json:"kind,omitempty" jsonschema:"enum=a,enum=b"`
	When     time.Time `json:"when,omitzero"`
	Nested   *nested   `json:"nested,omitempty"`
	Internal string    `json:"-"`
}

type nested struct {
	Flag bool `json:"flag"`
}

func TestForObjectSchema(t *testing.T) {
	var got map[string]any
	if err := json.Unmarshal(For[sample](), &got); err != nil {
		t.Fatal(err)
	}
	if got["type"] != "object" || got["additionalProperties"] != false {
		t.Errorf("want a closed object, got %v", got)
	}
	if _, ok := got["$schema"]; ok {
		t.Error("$schema should be dropped")
	}
	if req, _ := got["required"].([]any); len(req) != 1 || req[0] != "id" {
		t.Errorf("required = %v, want [id]", got["required"])
	}
	props := got["properties"].(map[string]any)
	if len(props) != 5 {
		t.Errorf("properties = %v", props)
	}
	id := props["id"].(map[string]any)
	if id["description"] != "The meeting ID." || id["minimum"] != 1.0 {
		t.Errorf("id = %v", id)
	}
	if w := props["when"].(map[string]any); w["format"] != "date-time" {
		t.Errorf("when = %v", w)
	}
	if n := props["nested"].(map[string]any); n["additionalProperties"] != false {
		t.Errorf("nested objects must be closed: %v", n)
	}
}

func TestOfRejectsNonStruct(t *testing.T) {
	if _, err := Of(reflectTypeOf[[]string]()); err == nil {
		t.Fatal("want an error for a slice")
	}
}

func reflectTypeOf[T any]() reflect.Type { return reflect.TypeFor[T]() }
