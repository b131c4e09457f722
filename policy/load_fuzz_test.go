package policy

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v4"
)

// FuzzParse checks that Parse never panics, that every problem has a
// message and a place inside the file, and that a config it accepts loads
// again, unchanged, once written back as YAML.
func FuzzParse(f *testing.F) {
	seeds, err := filepath.Glob("testdata/*.yaml")
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range seeds {
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("agents: [{ name: a, access: { meetings: read } }]\n"))
	f.Add([]byte("agents:\n  - name: a\n    limits: { users: [*x] }\n"))
	f.Add([]byte("a: &a [*a]\nagents: *a\n"))
	f.Add([]byte("agents: [{<<: {name: a}, name: b}]\n---\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Parse(data, testCatalogue)
		if err != nil {
			var ce *ConfigError
			if !errors.As(err, &ce) || len(ce.Problems) == 0 {
				t.Fatalf("error %v, want a *ConfigError with problems", err)
			}
			// YAML breaks lines at \n, \r, and (in this parser) NEL, LS and PS.
			lines := 1
			for _, br := range []string{"\n", "\r", "\u0085", "\u2028", "\u2029"} {
				lines += strings.Count(string(data), br)
			}
			for _, p := range ce.Problems {
				if p.Message == "" || p.Line < 0 || p.Line > lines || p.Column < 0 {
					t.Fatalf("problem %+v of a file of %d lines", p, lines)
				}
			}
			return
		}
		if len(cfg.Agents) == 0 {
			t.Fatal("accepted a config without agents")
		}
		out, err := yaml.Marshal(cfg)
		if err != nil {
			t.Fatalf("marshal %+v: %v", cfg, err)
		}
		again, err := Parse(out, testCatalogue)
		if err != nil {
			t.Fatalf("the config written back does not load:\n%s\n%v", out, err)
		}
		if diff := cmp.Diff(cfg, again); diff != "" {
			t.Fatalf("the config changed on a round trip (-first +second):\n%s", diff)
		}
	})
}
