// Package zoomspec finds and loads Zoom's official OpenAPI documents for
// tests that check the client and the simulator against them.
//
// The documents are not part of the repository (Zoom does not license them
// for redistribution). They live in shared/zoom-spec, a sibling of the
// repository root, or in the directory named by $ZOOM_SPEC_DIR. When they
// are missing, tests skip, except under CI (env CI set), where they fail.
package zoomspec

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// EnvDir names a directory holding the documents, overriding the search.
const EnvDir = "ZOOM_SPEC_DIR"

// Names of the documents.
const (
	Extract      = "extract-25-endpoints.json"
	MeetingsAPI  = "zoom-meetings-api.endpoints.json"
	UsersAPI     = "zoom-users-api.endpoints.json"
	relativePath = "shared/zoom-spec"
)

// Find returns the documents' directory: $ZOOM_SPEC_DIR, or the first
// shared/zoom-spec found walking up from the working directory.
func Find() (string, bool) {
	if d := os.Getenv(EnvDir); d != "" {
		return d, isDir(d)
	}
	wd, err := os.Getwd()
	if err != nil {
		return "", false
	}
	for d := wd; ; {
		cand := filepath.Join(d, filepath.FromSlash(relativePath))
		if isDir(cand) {
			return cand, true
		}
		parent := filepath.Dir(d)
		if parent == d {
			return filepath.Join(wd, "..", filepath.FromSlash(relativePath)), false
		}
		d = parent
	}
}

func isDir(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// Dir returns the documents' directory, or skips t when they are missing
// (fails it when env CI is set).
func Dir(t testing.TB) string {
	t.Helper()
	d, ok := Find()
	if !ok {
		msg := "Zoom spec not found at " + d + " (set " + EnvDir + " or add " + relativePath +
			" beside the repository root); see the Development section of README.md"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return d
}

var cache sync.Map // file path -> loaded

type loaded struct {
	once sync.Once
	doc  map[string]any
	err  error
}

// Load parses the document name (e.g. Extract) once per process. The
// result is shared: callers must not modify it.
func Load(t testing.TB, name string) map[string]any {
	t.Helper()
	p := filepath.Join(Dir(t), name)
	v, _ := cache.LoadOrStore(p, &loaded{})
	l := v.(*loaded)
	l.once.Do(func() {
		b, err := os.ReadFile(p)
		if err != nil {
			l.err = err
			return
		}
		l.err = json.Unmarshal(b, &l.doc)
	})
	if l.err != nil {
		t.Fatalf("zoomspec: %s: %v", name, l.err)
	}
	return l.doc
}

// Endpoint returns the extract entry of the endpoint with Zoom's
// operationId id: method, path, scopes, rate_limit_label, parameters,
// request_body_schema, success_responses and error_codes.
func Endpoint(t testing.TB, id string) map[string]any {
	t.Helper()
	eps, _ := Load(t, Extract)["endpoints"].([]any)
	for _, e := range eps {
		if m, ok := e.(map[string]any); ok && m["operationId"] == id {
			return m
		}
	}
	t.Fatalf("zoomspec: no endpoint %q in %s", id, Extract)
	return nil
}

// Operation returns the full OpenAPI operation object of id from the
// Meetings or Users document, with its examples and descriptions.
func Operation(t testing.TB, id string) map[string]any {
	t.Helper()
	for _, name := range []string{MeetingsAPI, UsersAPI} {
		paths, _ := Load(t, name)["paths"].(map[string]any)
		for _, item := range paths {
			ops, _ := item.(map[string]any)
			for _, op := range ops {
				if o, ok := op.(map[string]any); ok && o["operationId"] == id {
					return o
				}
			}
		}
	}
	t.Fatalf("zoomspec: no operation %q", id)
	return nil
}
