package pipeline

import (
	"reflect"
	"strconv"
	"strings"
)

// Arguments are read by their JSON names from the decoded struct, so that
// a rule sees what the handler will use ("123" and 123 alike, after
// decoding), including fields of embedded structs.

// field finds the argument named name in the struct c.Args points to.
func (c *Call) field(name string) (reflect.Value, bool) {
	if c == nil || c.Args == nil {
		return reflect.Value{}, false
	}
	v := reflect.ValueOf(c.Args)
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return reflect.Value{}, false
		}
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return reflect.Value{}, false
	}
	return findField(v, name)
}

func findField(v reflect.Value, name string) (reflect.Value, bool) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		n, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && tag == "" && f.Type.Kind() == reflect.Struct {
			if fv, ok := findField(v.Field(i), name); ok {
				return fv, true
			}
			continue
		}
		if n == "" {
			n = f.Name
		}
		if n == name && n != "-" {
			return v.Field(i), true
		}
	}
	return reflect.Value{}, false
}

// Has reports whether the tool has an argument named name.
func (c *Call) Has(name string) bool {
	_, ok := c.field(name)
	return ok
}

// Int returns an integer argument; ok is false if the tool has no such
// argument or it was not given (a nil pointer or a zero value).
func (c *Call) Int(name string) (n int64, ok bool) {
	v, found := c.field(name)
	if !found {
		return 0, false
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return 0, false
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return v.Int(), !v.IsZero()
	case reflect.String:
		n, err := strconv.ParseInt(v.String(), 10, 64)
		return n, err == nil
	}
	return 0, false
}

// String returns a string argument, or an integer one in decimal; ok is
// false if the tool has no such argument or it was not given.
func (c *Call) String(name string) (s string, ok bool) {
	v, found := c.field(name)
	if !found {
		return "", false
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return "", false
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.String:
		return v.String(), v.String() != ""
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return strconv.FormatInt(v.Int(), 10), !v.IsZero()
	}
	return "", false
}

// Strings returns the string values of the field name of each element of
// the slice argument list (e.g. "email" of "registrants").
func (c *Call) Strings(list, name string) []string {
	v, found := c.field(list)
	if !found || v.Kind() != reflect.Slice {
		return nil
	}
	var out []string
	for i := range v.Len() {
		e := v.Index(i)
		for e.Kind() == reflect.Pointer {
			e = e.Elem()
		}
		if e.Kind() != reflect.Struct {
			continue
		}
		if f, ok := findField(e, name); ok && f.Kind() == reflect.String && f.String() != "" {
			out = append(out, f.String())
		}
	}
	return out
}

// List returns the elements of the string slice argument name (e.g.
// wait_for_event's "types"); nil if the tool has no such argument.
func (c *Call) List(name string) []string {
	v, found := c.field(name)
	if !found || v.Kind() != reflect.Slice || v.Type().Elem().Kind() != reflect.String {
		return nil
	}
	out := make([]string, 0, v.Len())
	for i := range v.Len() {
		out = append(out, v.Index(i).String())
	}
	return out
}

// SetInt sets an integer argument; it reports whether the tool has one.
func (c *Call) SetInt(name string, n int64) bool {
	v, found := c.field(name)
	if !found || !v.CanSet() {
		return false
	}
	if v.Kind() == reflect.Pointer {
		p := reflect.New(v.Type().Elem())
		v.Set(p)
		v = p.Elem()
	}
	switch v.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(n)
		return true
	}
	return false
}
