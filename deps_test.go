package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestBinaryDeps keeps out of the binary what every start of the server
// paid for in package initialisation and size, though it is not needed
// at run time. Tests and generators may import these.
func TestBinaryDeps(t *testing.T) {
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command:", err)
	}
	out, err := exec.Command(goCmd, "list", "-deps", "github.com/zoommcp/zoom-mcp").Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("go list -deps: %v\n%s", err, stderr)
	}
	const (
		prometheus = "the Prometheus client and what it brings cost about 3 ms of every start, --metrics or not; package metrics writes the exposition itself"
		reflector  = "the JSON Schemas are generated at build time (go generate ./tools ./policy); reflect in tests and generators only (tools/schemas_test.go, policy/config_schema_gen_test.go)"
	)
	banned := []struct{ prefix, why string }{
		{"github.com/prometheus/", prometheus},
		{"google.golang.org/protobuf", prometheus},
		{"runtime/metrics", prometheus},
		{"expvar", prometheus},
		{"github.com/zoommcp/zoom-mcp/schema", reflector},
		{"github.com/invopop/jsonschema", reflector},
		{"go/parser", reflector},
		{"go/doc", reflector},
		{"go/token", reflector},
	}
	for _, dep := range strings.Fields(string(out)) {
		for _, b := range banned {
			if dep == b.prefix || strings.HasPrefix(dep, b.prefix+"/") || strings.HasSuffix(b.prefix, "/") && strings.HasPrefix(dep, b.prefix) {
				t.Errorf("the binary links %s: %s", dep, b.why)
			}
		}
	}
}
