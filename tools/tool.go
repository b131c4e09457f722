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
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	jsv "github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Tool is one tool of the catalogue: its MCP definition, the toolset it
// belongs to, what it does (its effect) and the Zoom endpoint it is built
// on, whose entry in the client's table gives the scopes it needs. A tool
// has no Zoom client of its own: Bind runs it through a pipeline that
// resolves the client for each call.
type Tool struct {
	Definition mcp.Tool
	Toolset    zoomapi.Group
	Effect     pipeline.Effect
	Endpoint   zoomapi.Endpoint

	// decode checks raw arguments and returns the typed ones (a pointer to
	// the tool's argument struct) and whether dry_run was asked for.
	decode func(raw any) (args any, dryRun bool, bad *ErrorInfo)
	// run calls Zoom with typed arguments and returns the typed result.
	run func(ctx context.Context, c *zoomapi.Client, args any) (any, error)
	// readable reports whether the result's text content is written for
	// reading (see texter) rather than the JSON of structuredContent. It
	// is asked, not computed at start-up.
	readable func() bool
	// schemas are the tool's input and output schemas.
	schemas toolSchemas
}

// Name returns the tool's name.
func (t Tool) Name() string { return t.Definition.Name }

// ReadOnly reports whether the tool only reads. It is derived from the
// ReadOnlyHint annotation alone, and a missing hint counts as not read-only.
func (t Tool) ReadOnly() bool {
	h := t.Definition.Annotations.ReadOnlyHint
	return h != nil && *h
}

// Destructive reports whether the tool's DestructiveHint is set.
func (t Tool) Destructive() bool {
	h := t.Definition.Annotations.DestructiveHint
	return h == nil || *h
}

// Local reports whether the tool is the server's own: it calls no Zoom
// endpoint, needs no scope and gets no Zoom client.
func (t Tool) Local() bool { return t.Endpoint.ID == "" }

// Scopes returns the Zoom scopes the tool needs: any one of them suffices.
func (t Tool) Scopes() []string { return t.Endpoint.Scopes() }

// Info describes the tool to the pipeline.
func (t Tool) Info() pipeline.Tool {
	return pipeline.Tool{Name: t.Name(), Title: t.Definition.Title, Toolset: string(t.Toolset), Effect: t.Effect, Endpoint: t.Endpoint}
}

// ServerTool returns the tool bound to p, in the form mcp-go registers.
// The handler is bound (its middleware chain built) at the tool's first
// call rather than at start-up, where binding all of them stood between
// the server and its first answer; p is read now.
func (t Tool) ServerTool(p *pipeline.Pipeline) server.ServerTool {
	pp := *p
	bound := sync.OnceValue(func() server.ToolHandlerFunc { return t.Bind(&pp) })
	return server.ServerTool{Tool: t.Definition, Handler: func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return bound()(ctx, req)
	}}
}

// MetaToolset is the key of each tool's _meta that names its toolset.
const MetaToolset = "io.github.zoommcp/toolset"

// effect classifies what a tool does; its annotation hints follow from it.
type effect = pipeline.Effect

const (
	reads   = pipeline.Read   // read-only
	creates = pipeline.Create // adds something: neither destructive nor idempotent
	changes = pipeline.Change // updates, status changes, deletes: destructive, idempotent
)

// annotations states the hints that differ from the defaults the MCP
// specification gives (readOnlyHint false, destructiveHint true,
// idempotentHint false, openWorldHint true), which clients apply to a
// hint left out; the title is the tool's own. Repeating the defaults and
// the title cost 2.4 KB of every tools/list.
func annotations(e effect) mcp.ToolAnnotation {
	b := mcp.ToBoolPtr
	var a mcp.ToolAnnotation
	switch e {
	case reads:
		a.ReadOnlyHint = b(true) // destructive and idempotent apply to writes only
	case creates:
		a.DestructiveHint = b(false)
	default:
		a.IdempotentHint = b(true)
	}
	return a
}

// spec is everything a tool constructor declares.
type spec struct {
	name, title, description string
	op                       string // operation ID in zoomapi.Endpoints
	effect                   effect
	// group is the toolset of a tool of the server's own, which calls no
	// Zoom endpoint (op is empty).
	group zoomapi.Group
}

// newTool builds a tool from a typed handler. Its input and output
// schemas, reflected from In and Out at build time, come from
// schemas_gen.go (schemas.go). At call time the arguments are checked against the input
// schema, with unknown keys rejected and numbers or booleans sent as strings
// accepted; the call then passes the pipeline (see Bind), and the result
// becomes structuredContent plus the same JSON as text. A tool that writes
// also takes dry_run.
func newTool[In, Out any](s spec, handler func(ctx context.Context, c *zoomapi.Client, in In) (*Out, error)) Tool {
	t := define(s, reflect.TypeFor[In], reflect.TypeFor[Out])
	t.readable = isTexter[Out]
	// The validator is compiled, and the argument names read from In, at
	// the first call, not at start-up, where compiling 28 schemas cost
	// several milliseconds; TestToolGuards compiles every one, so a bad
	// schema still fails the build.
	inSchema := t.schemas.Input
	validator := sync.OnceValue(func() *jsv.Schema { return mustCompile(s.name, inSchema) })
	fieldsOf := sync.OnceValue(func() map[string]reflect.Type {
		fields := jsonFields(reflect.TypeFor[In]())
		if s.effect.Writes() {
			fields[dryRunArg] = reflect.TypeFor[bool]()
		}
		return fields
	})
	t.decode = func(raw any) (any, bool, *ErrorInfo) {
		in, dry, bad := decodeArgs[In](raw, fieldsOf(), validator())
		if bad != nil {
			return nil, false, bad
		}
		return &in, dry, nil
	}
	t.run = func(ctx context.Context, c *zoomapi.Client, args any) (any, error) {
		return handler(ctx, c, *args.(*In))
	}
	return t
}

// define is the part of newTool that does not depend on the tool's types
// (they are asked only when schemas are reflected, in tests): one copy of
// this code runs for the 29 tools at start-up, rather than 29 copies of
// newTool's.
func define(s spec, in, out func() reflect.Type) Tool {
	ep := zoomapi.Endpoint{Group: s.group}
	if s.op != "" {
		ep = zoomapi.MustEndpoint(s.op)
	}
	// The schemas were reflected from In and Out at build time (schemas.go).
	schemas := schemasOf(s, in, out)
	def := mcp.NewToolWithRawSchema(s.name, s.description, schemas.Published)
	def.Title = s.title
	def.RawOutputSchema = schemas.Output
	def.Annotations = annotations(s.effect)
	// The toolset is the endpoint's group until All sets the one declared.
	// The scopes are not repeated here (3.5 KB of every tools/list): the
	// README's table and `zoom-mcp scopes` give them.
	def.Meta = mcp.NewMetaFromMap(map[string]any{MetaToolset: string(ep.Group)})
	return Tool{Definition: def, Toolset: ep.Group, Effect: s.effect, Endpoint: ep, schemas: schemas}
}

func isTexter[Out any]() bool {
	_, ok := any(new(Out)).(texter)
	return ok
}

// dryRunArg is the argument every tool that writes takes.
const dryRunArg = "dry_run"

// dryRunOut is the result of a dry run.
type dryRunOut struct {
	DryRun      bool                    `json:"dry_run,omitempty" jsonschema_description:"Set on a dry run: nothing was sent."`
	ZoomRequest *zoomapi.PlannedRequest `json:"zoom_request,omitempty" jsonschema_description:"The request a dry run would send."`
}

// mustCompile compiles an input schema for decodeArgs. Formats are
// asserted, and ID arguments checked for Zoom's shapes (validate.go).
func mustCompile(name string, raw json.RawMessage) *jsv.Schema {
	doc, err := jsv.UnmarshalJSON(strings.NewReader(string(raw)))
	if err != nil {
		panic(fmt.Sprintf("tools: %s: input schema: %v", name, err))
	}
	withIDFormats(doc)
	c := jsv.NewCompiler()
	registerFormats(c)
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

// decodeArgs checks raw arguments and decodes them into In; dryRun reports
// whether dry_run: true was given (only tools that write accept it). A
// non-nil *ErrorInfo says what is wrong in words a model can act on.
func decodeArgs[In any](raw any, fields map[string]reflect.Type, sch *jsv.Schema) (in In, dryRun bool, bad *ErrorInfo) {
	args, ok := raw.(map[string]any)
	if raw != nil && !ok {
		return in, false, invalidArgs("arguments must be a JSON object", nil, fields)
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
		return in, false, invalidArgs("unknown argument(s) "+strings.Join(unknown, ", "), nil, fields)
	}
	if err := sch.Validate(args); err != nil {
		return in, false, invalidArgs("invalid arguments", schemaFieldErrors(err), fields)
	}
	dryRun, _ = args[dryRunArg].(bool)
	delete(args, dryRunArg)
	data, err := json.Marshal(args)
	if err == nil {
		err = json.Unmarshal(data, &in)
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, &typeErr):
		// Passes the schema, does not fit the Go type: a number too large.
		f := []zoomapi.FieldError{{Field: typeErr.Field, Message: "out of range for " + typeErr.Type.String()}}
		return in, false, invalidArgs("invalid arguments", f, fields)
	case err != nil:
		return in, false, invalidArgs("invalid arguments", []zoomapi.FieldError{{Field: "(arguments)", Message: "cannot be decoded"}}, fields)
	}
	return in, dryRun, nil
}

// coerce converts what models commonly send ("42" for 42, "true" for true,
// 42.0 for an int) to the JSON type of the field.
func coerce(v any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s, isString := v.(string)
	switch t.Kind() {
	case reflect.String:
		// A meeting ID as a number where the tool also takes a UUID (the
		// MCP Inspector and list results send numbers): its digits.
		if f, ok := v.(float64); ok && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
			return strconv.FormatInt(int64(f), 10)
		}
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
		if f, ok := u.Error.Kind.(*kind.Format); ok {
			if m := formatMessage(f.Want, f.Got, f.Err); m != "" {
				msg = m
			}
		}
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
