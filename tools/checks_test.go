package tools

import (
	"strings"
	"testing"
)

// TestWritesNameTheirCheck: every tool that writes names the read tool
// that tells whether a write of unknown outcome happened, and that tool
// exists and only reads.
func TestWritesNameTheirCheck(t *testing.T) {
	byName := map[string]Tool{}
	for _, tl := range All() {
		byName[tl.Name()] = tl
	}
	for _, tl := range All() {
		check, ok := checkWith[tl.Name()]
		if ok != tl.Effect.Writes() {
			t.Errorf("%s: writes %v, has a check %v", tl.Name(), tl.Effect.Writes(), ok)
			continue
		}
		if !ok {
			continue
		}
		name, _, _ := strings.Cut(check, " ")
		if r, exists := byName[name]; !exists || !r.ReadOnly() {
			t.Errorf("%s: check %q is not a read tool", tl.Name(), check)
		}
	}
	if len(checkWith) != 12 {
		t.Errorf("%d checks for 12 write tools", len(checkWith))
	}
}
