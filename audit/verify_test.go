package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"strings"
	"testing"
)

func TestVerifyFindsTheFirstBadLine(t *testing.T) {
	path := writeLog(t, 5)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	orig := strings.SplitAfter(string(data), "\n")
	orig = orig[:len(orig)-1] // after the last newline

	for _, tc := range []struct {
		name   string
		tamper func(lines []string) []string
		line   int
		reason string
	}{
		{"intact", func(l []string) []string { return l }, 0, ""},
		{"empty", func([]string) []string { return nil }, 0, ""},
		{"edit a field", func(l []string) []string {
			l[1] = strings.Replace(l[1], `"decision":"denied"`, `"decision":"allowed"`, 1)
			return l
		}, 2, "the line was edited"},
		{"edit the hash too", func(l []string) []string {
			// A consistent rewrite of one record shows at the next.
			edited := strings.Replace(l[1], `"decision":"denied"`, `"decision":"allowed"`, 1)
			l[1] = rehash(t, edited)
			return l
		}, 3, "prev is not the hash of the record before"},
		{"remove a line", func(l []string) []string { return append(l[:2], l[3:]...) }, 3, "record 3 is missing"},
		{"remove the first line", func(l []string) []string { return l[1:] }, 1, "record 1 is missing"},
		{"remove two lines", func(l []string) []string { return append(l[:1], l[3:]...) }, 2, "records 2 to 3 are missing"},
		{"insert a copied line", func(l []string) []string {
			return append(l[:4], append([]string{l[1]}, l[4:]...)...)
		}, 5, "seq 2 follows seq 4: the record was inserted"},
		{"duplicate a line", func(l []string) []string {
			return append(l[:3], append([]string{l[2]}, l[3:]...)...)
		}, 4, "seq 3 follows seq 3"},
		{"swap two lines", func(l []string) []string { l[2], l[3] = l[3], l[2]; return l }, 3, "record 3 is missing"},
		{"truncate the last line", func(l []string) []string { l[4] = l[4][:len(l[4])/2]; return l }, 5, "no newline"},
		{"drop the last newline", func(l []string) []string { l[4] = strings.TrimSuffix(l[4], "\n"); return l }, 5, "no newline"},
		{"append garbage", func(l []string) []string { return append(l, "garbage\n") }, 6, "not a JSON record"},
		{"append an empty line", func(l []string) []string { return append(l, "\n") }, 6, "not a JSON record"},
		{"remove the hash", func(l []string) []string {
			i := strings.LastIndex(l[0], `,"hash":`)
			l[0] = l[0][:i] + "}\n"
			return l
		}, 1, `no "hash"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := tc.tamper(append([]string(nil), orig...))
			text := strings.Join(lines, "")
			err := Verify(strings.NewReader(text))
			if tc.line == 0 {
				if err != nil {
					t.Fatalf("Verify = %v, want nil", err)
				}
				return
			}
			ve, ok := errors.AsType[*VerifyError](err)
			if !ok {
				t.Fatalf("Verify = %v, want a *VerifyError", err)
			}
			if ve.Line != tc.line || !strings.Contains(ve.Reason, tc.reason) {
				t.Errorf("Verify = line %d: %s; want line %d: ...%s...", ve.Line, ve.Reason, tc.line, tc.reason)
			}

			// Open refuses the file and names the line; VerifyFile
			// counts the records before it.
			if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
				t.Fatal(err)
			}
			if l, err := Open(path, Options{}); err == nil {
				l.Close()
				t.Fatal("Open accepted a tampered log")
			} else if ve, ok := errors.AsType[*VerifyError](err); !ok || ve.Line != tc.line {
				t.Errorf("Open = %v, want the error at line %d", err, tc.line)
			}
			if n, _ := VerifyFile(path); n != tc.line-1 {
				t.Errorf("VerifyFile counted %d good records, want %d", n, tc.line-1)
			}
		})
	}
}

// rehash recomputes the hash of a record line after an edit, as someone
// covering their tracks would.
func rehash(t *testing.T, line string) string {
	t.Helper()
	body := []byte(strings.TrimSuffix(line, "\n"))
	hash, ok := splitHash(body)
	if !ok {
		t.Fatalf("no hash in %s", line)
	}
	sum := sha256.Sum256(append(body[:len(body)-hashTail:len(body)-hashTail], '}'))
	return strings.Replace(line, hash, hex.EncodeToString(sum[:]), 1)
}

func TestVerifyLongLine(t *testing.T) {
	long := strings.Repeat("x", maxLine+10) + "\n"
	err := Verify(strings.NewReader(long))
	if ve, ok := errors.AsType[*VerifyError](err); !ok || ve.Line != 1 {
		t.Errorf("Verify = %v", err)
	}
}
