// Package tools turns the Zoom client into MCP tools: one file per toolset,
// one constructor per tool, and one registry (All) from which filters, docs
// and checks derive.
package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	jsv "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/zoommcp/zoom-mcp/schema"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Tool is one tool of the catalogue: its MCP definition and handler, the
// toolset it belongs to and the Zoom endpoint it calls (whose entry in the
// client's table gives the scopes it needs).
type Tool struct {
	Definition mcp.Tool
	Handler    server.ToolHandlerFunc
	Toolset    zoomapi.Group
	Endpoint   zoomapi.Endpoint
}

// Name returns the tool's name.
func (t Tool) Name() string { return t.Definition.Name }

// ReadOnly reports whether the tool only reads. It is derived from the
// ReadOnlyHint annotation alone, and a missing hint counts as not read-only.
func (t Tool) ReadOnly() bool {
	h := t.Definition.Annotations.ReadOnlyHint
	return h != nil && *h
}

// Scopes returns the Zoom scopes the tool needs: any one of them suffices.
func (t Tool) Scopes() []string { return t.Endpoint.Scopes() }

// ServerTool returns the tool in the form mcp-go registers.
func (t Tool) ServerTool() server.ServerTool {
	return server.ServerTool{Tool: t.Definition, Handler: t.Handler}
}

// Keys of each tool's _meta: its toolset, and the Zoom scopes of which any
// one lets it run (granular first, then classic).
const (
	MetaToolset = "io.github.zoommcp/toolset"
	MetaScopes  = "io.github.zoommcp/scopes"
)

// effect classifies what a tool does; its annotation hints follow from it.
type effect int

const (
	reads   effect = iota // read-only
	creates               // adds something: neither destructive nor idempotent
	changes               // updates, status changes, deletes: destructive, idempotent
)

func (e effect) annotations(title string) mcp.ToolAnnotation {
	b := mcp.ToBoolPtr
	a := mcp.ToolAnnotation{Title: title, OpenWorldHint: b(true)}
	switch e {
	case reads:
		a.ReadOnlyHint, a.DestructiveHint, a.IdempotentHint = b(true), b(false), b(true)
	case creates:
		a.ReadOnlyHint, a.DestructiveHint, a.IdempotentHint = b(false), b(false), b(false)
	case changes:
		a.ReadOnlyHint, a.DestructiveHint, a.IdempotentHint = b(false), b(true), b(true)
	}
	return a
}

// spec is everything a tool constructor declares.
type spec struct {
	name, title, description string
	op                       string // operation ID in zoomapi.Endpoints
	effect                   effect
}

// newTool builds a tool from a typed handler. The input schema is reflected
// from In and the output schema from Out once, at start-up (a bad schema
// panics there). At call time the arguments are checked against the input
// schema, with unknown keys rejected and numbers or booleans sent as strings
// accepted; the result becomes structuredContent plus the same JSON as text.
func newTool[In, Out any](s spec, handler func(ctx context.Context, in In) (*Out, error)) Tool {
	ep := zoomapi.MustEndpoint(s.op)
	inSchema := schema.For[In]()
	outSchema := withErrorProperty(s.name, schema.For[Out]())
	validator := mustCompile(s.name, inSchema)
	fields := jsonFields(reflect.TypeFor[In]())

	def := mcp.NewToolWithRawSchema(s.name, s.description, inSchema)
	def.Title = s.title
	def.RawOutputSchema = outSchema
	def.Annotations = s.effect.annotations(s.title)
	def.Meta = mcp.NewMetaFromMap(map[string]any{
		MetaToolset: string(ep.Group),
		MetaScopes:  ep.Scopes(),
	})

	h := func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		in, bad := decodeArgs[In](req.Params.Arguments, fields, validator)
		if bad != nil {
			return errorResult(bad), nil
		}
		out, err := handler(ctx, in)
		if err != nil {
			return toolError(ep, err, idArgs(req.Params.Arguments))
		}
		return structuredResult(out)
	}
	return Tool{Definition: def, Handler: h, Toolset: ep.Group, Endpoint: ep}
}

// errorSchema describes the "error" property of a failed result.
var errorSchema = func() map[string]any {
	var m map[string]any
	if err := json.Unmarshal(schema.For[ErrorInfo](), &m); err != nil {
		panic(err)
	}
	m["description"] = "Set only on a failed call (isError): what went wrong and what to do."
	return m
}()

// withErrorProperty adds the optional "error" property to an output schema.
// A failed call answers {"error": {...}} as structuredContent, and clients
// such as the TypeScript SDK check that against the outputSchema even when
// isError is set. So the schema admits it, and, with no required
// properties, an error-only object is valid.
func withErrorProperty(name string, raw json.RawMessage) json.RawMessage {
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		panic(fmt.Sprintf("tools: %s: output schema: %v", name, err))
	}
	props, _ := m["properties"].(map[string]any)
	if _, clash := props["error"]; clash || m["required"] != nil {
		panic(fmt.Sprintf("tools: %s: an output type may have neither an \"error\" field nor required fields", name))
	}
	props["error"] = errorSchema
	out, err := json.Marshal(m)
	if err != nil {
		panic(err)
	}
	return out
}

func mustCompile(name string, raw json.RawMessage) *jsv.Schema {
	doc, err := jsv.UnmarshalJSON(strings.NewReader(string(raw)))
	if err != nil {
		panic(fmt.Sprintf("tools: %s: input schema: %v", name, err))
	}
	c := jsv.NewCompiler()
	url := "mem://" + name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		panic(fmt.Sprintf("tools: %s: input schema: %v", name, err))
	}
	sch, err := c.Compile(url)
	if err != nil {
		panic(fmt.Sprintf("tools: %s: input schema: %v", name, err))
	}
	return sch
}

// jsonFields maps the JSON names of a struct's fields, including those of
// embedded structs, to their types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	m := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			for k, v := range jsonFields(f.Type) {
				m[k] = v
			}
			continue
		}
		if name == "-" || !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	return m
}

// decodeArgs checks raw arguments and decodes them into In. A non-nil
// *ErrorInfo says what is wrong in words a model can act on.
func decodeArgs[In any](raw any, fields map[string]reflect.Type, sch *jsv.Schema) (In, *ErrorInfo) {
	var in In
	args, ok := raw.(map[string]any)
	if raw != nil && !ok {
		return in, invalidArgs("arguments must be a JSON object", nil, fields)
	}
	// Work on a copy: the request's own map stays as the client sent it.
	args = maps.Clone(args)
	if args == nil {
		args = map[string]any{}
	}
	var unknown []string
	for k, v := range args {
		t, known := fields[k]
		if !known {
			unknown = append(unknown, k)
			continue
		}
		args[k] = coerce(v, t)
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return in, invalidArgs("unknown argument(s) "+strings.Join(unknown, ", "), nil, fields)
	}
	if err := sch.Validate(args); err != nil {
		return in, invalidArgs("invalid arguments", schemaFieldErrors(err), fields)
	}
	data, err := json.Marshal(args)
	if err == nil {
		err = json.Unmarshal(data, &in)
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		// Passes the schema, does not fit the Go type: a number too large.
		f := []zoomapi.FieldError{{Field: typeErr.Field, Message: "out of range for " + typeErr.Type.String()}}
		return in, invalidArgs("invalid arguments", f, fields)
	case err != nil:
		return in, invalidArgs("invalid arguments", []zoomapi.FieldError{{Field: "(arguments)", Message: "cannot be decoded"}}, fields)
	}
	return in, nil
}

// coerce converts what models commonly send ("42" for 42, "true" for true,
// 42.0 for an int) to the JSON type of the field.
func coerce(v any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s, isString := v.(string)
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if isString {
			if n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64); err == nil {
				return json.Number(strconv.FormatInt(n, 10))
			}
		}
		if f, ok := v.(float64); ok && f == float64(int64(f)) {
			return json.Number(strconv.FormatInt(int64(f), 10))
		}
	case reflect.Float32, reflect.Float64:
		if isString {
			if _, err := strconv.ParseFloat(strings.TrimSpace(s), 64); err == nil {
				return json.Number(strings.TrimSpace(s))
			}
		}
	case reflect.Bool:
		if isString {
			if b, err := strconv.ParseBool(strings.TrimSpace(s)); err == nil {
				return b
			}
		}
	}
	if f, ok := v.(float64); ok {
		// The validator wants json.Number or integers, not float64.
		return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
	}
	return normalizeNumbers(v)
}

// normalizeNumbers returns v with float64 values, at any depth, turned
// into json.Number, which is what the schema validator expects. Objects and
// arrays are copied, never changed in place.
func normalizeNumbers(v any) any {
	switch x := v.(type) {
	case float64:
		return json.Number(strconv.FormatFloat(x, 'f', -1, 64))
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalizeNumbers(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeNumbers(e)
		}
		return out
	}
	return v
}

func schemaFieldErrors(err error) []zoomapi.FieldError {
	var ve *jsv.ValidationError
	if !errors.As(err, &ve) {
		return []zoomapi.FieldError{{Field: "(arguments)", Message: err.Error()}}
	}
	var out []zoomapi.FieldError
	seen := map[string]bool{}
	for _, u := range ve.BasicOutput().Errors {
		if u.Error == nil {
			continue
		}
		msg := u.Error.String()
		if strings.HasPrefix(msg, "validation failed") || strings.HasPrefix(msg, "doesn't validate with") {
			continue
		}
		field := strings.TrimPrefix(strings.ReplaceAll(u.InstanceLocation, "/", "."), ".")
		if field == "" {
			field = "(arguments)"
		}
		if key := field + msg; !seen[key] {
			seen[key] = true
			out = append(out, zoomapi.FieldError{Field: field, Message: msg})
		}
	}
	return out
}

func invalidArgs(msg string, fieldErrs []zoomapi.FieldError, fields map[string]reflect.Type) *ErrorInfo {
	names := make([]string, 0, len(fields))
	for n := range fields {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString(msg)
	for i, f := range fieldErrs {
		if i == 0 {
			b.WriteString(": ")
		} else {
			b.WriteString("; ")
		}
		b.WriteString(f.Field + ": " + f.Message)
	}
	b.WriteString(". Fix the arguments and call again")
	if len(names) > 0 {
		b.WriteString("; this tool accepts: " + strings.Join(names, ", "))
	}
	b.WriteString(".")
	return &ErrorInfo{Kind: KindInvalidArgument, Message: b.String(), Fields: fieldErrs}
}

// idArgs names the IDs a call was about ("meeting_id=123"), for messages.
func idArgs(raw any) string {
	args, _ := raw.(map[string]any)
	var parts []string
	for _, k := range []string{"user_id", "meeting_id", "webinar_id"} {
		switch v := args[k].(type) {
		case nil:
		case float64: // JSON numbers: 85746065432, not 8.5746065432e+10
			parts = append(parts, k+"="+strconv.FormatFloat(v, 'f', -1, 64))
		default:
			parts = append(parts, fmt.Sprintf("%s=%v", k, v))
		}
	}
	return strings.Join(parts, ", ")
}

func structuredResult(out any) (*mcp.CallToolResult, error) {
	data, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encoding tool result: %w", err)
	}
	return &mcp.CallToolResult{
		Content:           []mcp.Content{mcp.NewTextContent(string(data))},
		StructuredContent: json.RawMessage(data),
	}, nil
}
