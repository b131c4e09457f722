package policy

import (
	"bytes"
	"encoding/base64"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestHashKey(t *testing.T) {
	// sha256("test"), as sha256sum prints it.
	if got, want := HashKey("test"), "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"; got != want {
		t.Errorf("HashKey = %s, want %s", got, want)
	}
}

func TestParseAccess(t *testing.T) {
	tests := []struct {
		in      string
		want    map[string]Level
		wantErr string
	}{
		{in: "", want: nil},
		{in: "meetings=full", want: map[string]Level{"meetings": Full}},
		{in: "meetings=full,webinars=read", want: map[string]Level{"meetings": Full, "webinars": Read}},
		{in: " meetings = FULL , reports=Read, ", want: map[string]Level{"meetings": Full, "reports": Read}},
		{in: "users=off", want: map[string]Level{"users": Off}},
		{in: "meetings", wantErr: `access "meetings": want TOOLSET=LEVEL, e.g. meetings=full`},
		{in: "meetngs=full", wantErr: `access "meetngs=full": unknown toolset "meetngs"; did you mean "meetings"?; toolsets: meetings, meeting_registrants, webinars, users, recordings, reports, events`},
		{in: "zoom=read", wantErr: `access "zoom=read": unknown toolset "zoom"; toolsets: meetings, meeting_registrants, webinars, users, recordings, reports, events`},
		{in: "meetings=write", wantErr: `access "meetings=write": unknown level "write"; levels: off, read, full`},
		{in: "meetings=ful", wantErr: `access "meetings=ful": unknown level "ful"; did you mean "full"?; levels: off, read, full`},
		{in: "meetings=", wantErr: `access "meetings=": unknown level ""; levels: off, read, full`},
		{in: "meetings=read,meetings=full", wantErr: `access "meetings=full": meetings is given twice`},
	}
	for _, tt := range tests {
		got, err := ParseAccess(tt.in)
		switch {
		case tt.wantErr != "":
			if err == nil || err.Error() != tt.wantErr {
				t.Errorf("ParseAccess(%q) error = %v, want %s", tt.in, err, tt.wantErr)
			}
		case err != nil:
			t.Errorf("ParseAccess(%q): %v", tt.in, err)
		default:
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseAccess(%q) (-want +got):\n%s", tt.in, diff)
			}
		}
	}
}

func TestAgentAddCommand(t *testing.T) {
	random := bytes.Repeat([]byte{0xfb}, 32)
	for _, args := range [][]string{
		{"scheduler", "--access", "meetings=full,reports=read"},
		{"--access=meetings=full,reports=read", "scheduler"},
	} {
		var stdout, stderr bytes.Buffer
		if err := AgentAddCommand(args, &stdout, &stderr, bytes.NewReader(random)); err != nil {
			t.Fatalf("%q: %v (stderr %s)", args, err, stderr.String())
		}
		out := stdout.String()
		key := KeyPrefix + base64.RawURLEncoding.EncodeToString(random)
		if len(key) != len(KeyPrefix)+43 {
			t.Fatalf("key %q is not %d characters", key, len(KeyPrefix)+43)
		}
		if n := strings.Count(out+stderr.String(), key); n != 1 {
			t.Errorf("%q: the key is printed %d times, want once:\n%s", args, n, out)
		}
		if !strings.Contains(out, "will not be shown again") {
			t.Errorf("%q: no warning that the key is shown once:\n%s", args, out)
		}
		printed := regexp.MustCompile(`\b` + KeyPrefix + `[A-Za-z0-9_-]{43}\b`).FindString(out)
		hash := regexp.MustCompile(`key_sha256: ([0-9a-f]{64})`).FindStringSubmatch(out)
		if printed != key || hash == nil || hash[1] != HashKey(printed) {
			t.Errorf("%q: printed key %q, hash %q; want key %q and its hash %s", args, printed, hash, key, HashKey(key))
		}

		// The lines to paste make a valid policy file under agents:.
		_, paste, _ := strings.Cut(out, "under agents:\n\n")
		cfg, err := Parse([]byte("agents:\n"+paste), testCatalogue)
		if err != nil {
			t.Fatalf("the printed lines do not load:\n%s\n%v", paste, err)
		}
		want := []AgentConfig{{Name: "scheduler", KeySHA256: HashKey(key), Access: map[string]Level{"meetings": Full, "reports": Read}}}
		if diff := cmp.Diff(want, cfg.Agents); diff != "" {
			t.Errorf("pasted agent (-want +got):\n%s", diff)
		}
	}
}

func TestAgentAddCommandDefaults(t *testing.T) {
	// Without --access every toolset is listed at off, ready to edit; a
	// name YAML would read as a boolean is quoted.
	var stdout, stderr bytes.Buffer
	if err := AgentAddCommand([]string{"true"}, &stdout, &stderr, bytes.NewReader(make([]byte, 32))); err != nil {
		t.Fatal(err)
	}
	_, paste, _ := strings.Cut(stdout.String(), "under agents:\n\n")
	cfg, err := Parse([]byte("agents:\n"+paste), testCatalogue)
	if err != nil {
		t.Fatalf("the printed lines do not load:\n%s\n%v", paste, err)
	}
	a := cfg.Agents[0]
	if a.Name != "true" || len(a.Access) != len(toolsetNames) || a.Access["meetings"] != Off {
		t.Errorf("agent = %+v", a)
	}
}

func TestAgentAddCommandErrors(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, "want one NAME"},
		{[]string{"a", "b"}, "want one NAME"},
		{[]string{"my agent"}, "invalid name"},
		{[]string{"a", "--access", "meetngs=full"}, `did you mean "meetings"?`},
		{[]string{"a", "--nope"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		var stdout, stderr bytes.Buffer
		err := AgentAddCommand(tt.args, &stdout, &stderr, bytes.NewReader(make([]byte, 32)))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want %q", tt.args, err, tt.want)
		}
		if strings.Contains(stdout.String(), KeyPrefix) {
			t.Errorf("%q: a key was printed despite the error", tt.args)
		}
	}
	// Too little randomness is an error, not a weak key.
	var stdout, stderr bytes.Buffer
	if err := AgentAddCommand([]string{"a"}, &stdout, &stderr, bytes.NewReader(make([]byte, 31))); err == nil || stdout.Len() > 0 {
		t.Errorf("short random: error %v, output %q", err, stdout.String())
	}
}

func TestValidateCommand(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := ValidateCommand([]string{"testdata/example.yaml"}, testCatalogue, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	if got, want := stdout.String(), "testdata/example.yaml: ok, 3 agents\n"; got != want {
		t.Errorf("stdout = %q, want %q", got, want)
	}

	bad := filepath.Join(t.TempDir(), "bad.yaml")
	src := doc("agents:", "  - name: a", "    access: { meetngs: read }", "    limits: { daily_writes: 0 }")
	if err := os.WriteFile(bad, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	stderr.Reset()
	err := ValidateCommand([]string{bad}, testCatalogue, &stdout, &stderr)
	if err == nil || strings.Contains(err.Error(), "\n") {
		t.Errorf("error = %v, want one line", err)
	}
	want := bad + `:3:15: agents[0].access.meetngs: unknown toolset "meetngs"; did you mean "meetings"?` + "\n" +
		bad + `:4:29: agents[0].limits.daily_writes: want a whole number from 1 to 100, got 0; leave it out for no cap` + "\n"
	if diff := cmp.Diff(want, stderr.String()); diff != "" {
		t.Errorf("stderr (-want +got):\n%s", diff)
	}
	if stdout.Len() > 0 {
		t.Errorf("stdout = %q, want nothing", stdout.String())
	}

	if err := ValidateCommand(nil, testCatalogue, &stdout, &stderr); err == nil {
		t.Error("no FILE: want an error")
	}
	if err := ValidateCommand([]string{filepath.Join(t.TempDir(), "missing.yaml")}, testCatalogue, &stdout, &stderr); err == nil {
		t.Error("missing FILE: want an error")
	}
}

func TestSchemaCommand(t *testing.T) {
	var stdout bytes.Buffer
	if err := SchemaCommand(&stdout); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stdout.Bytes(), Schema()) {
		t.Error("SchemaCommand does not print Schema()")
	}
}
