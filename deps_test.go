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

// TestNoReflectMethodCalls keeps out of the binary the code that calls a
// method found by reflection (text/template and html/template do when they
// execute a template). Where it is reachable, the linker keeps every
// exported method of every type stored in an interface, since any could
// be called: executing one sign-in page template made the binary 33 MB
// instead of 21 MB, and every start about 2 ms slower.
func TestNoReflectMethodCalls(t *testing.T) {
	out, err := exec.Command("go", "tool", "nm", binary(t)).Output()
	if err != nil {
		t.Fatalf("go tool nm: %v", err)
	}
	for _, line := range strings.Split(string(out), "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[1] != "T" {
			continue
		}
		switch f[2] {
		case "reflect.Value.Method", "reflect.Value.MethodByName", "reflect.(*rtype).Method", "reflect.(*rtype).MethodByName":
			t.Errorf("the binary calls %s: find the caller with go build -ldflags=-dumpdep . 2>&1 | grep -- '-> %s$'", f[2], f[2])
		}
	}
}
