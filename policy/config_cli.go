package policy

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v4"
)

// KeyPrefix starts every API key that zoom-mcp agent add makes, so that a
// key is recognisable where it must not be, as in a policy file.
const KeyPrefix = "zmcp_"

// HashKey returns the hex SHA-256 of an API key: its key_sha256.
func HashKey(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

// newKey returns a new API key: KeyPrefix and 32 random bytes in
// base64url (43 characters).
func newKey(random io.Reader) (string, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(random, b); err != nil {
		return "", fmt.Errorf("agent add: no randomness for a key: %w", err)
	}
	return KeyPrefix + base64.RawURLEncoding.EncodeToString(b), nil
}

// ParseAccess parses grants written as TOOLSET=LEVEL,... (the --access
// flag), e.g. meetings=full,webinars=read. Levels may be in any case;
// empty items are skipped. An error names the valid toolsets or levels.
func ParseAccess(s string) (map[string]Level, error) {
	var out map[string]Level
	for item := range strings.SplitSeq(s, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		set, lv, ok := strings.Cut(item, "=")
		set, lv = strings.TrimSpace(set), strings.TrimSpace(lv)
		level := Level(strings.ToLower(lv))
		switch {
		case !ok:
			return nil, fmt.Errorf("access %q: want TOOLSET=LEVEL, e.g. meetings=full", item)
		case !isToolset(set):
			return nil, fmt.Errorf("access %q: unknown toolset %q%s; toolsets: %s",
				item, set, suggestion(set, toolsetNames), strings.Join(toolsetNames, ", "))
		case level != Off && level != Read && level != Full:
			return nil, fmt.Errorf("access %q: unknown level %q%s; levels: off, read, full",
				item, lv, suggestion(lv, levelNames))
		case out[set] != "":
			return nil, fmt.Errorf("access %q: %s is given twice", item, set)
		}
		if out == nil {
			out = map[string]Level{}
		}
		out[set] = level
	}
	return out, nil
}

// ValidateCommand is zoom-mcp config validate FILE: it checks a policy
// file and prints "FILE: ok, N agents" to stdout, or every problem, with
// its line, to stderr. Then it returns a one-line error, so that the
// process exits non-zero.
func ValidateCommand(args []string, cat Catalogue, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("config validate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: zoom-mcp config validate FILE\n\nChecks a policy file and prints every problem with its line.")
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return errors.New("config validate: want one FILE")
	}
	file := fs.Arg(0)
	cfg, err := LoadFile(file, cat)
	var ce *ConfigError
	if errors.As(err, &ce) {
		fmt.Fprintln(stderr, ce.Error())
		return fmt.Errorf("%s is not a valid policy file", file)
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s: ok, %s\n", file, nounCount(len(cfg.Agents), "agent"))
	return err
}

// SchemaCommand is zoom-mcp config schema: it prints the JSON Schema of
// the policy file.
func SchemaCommand(stdout io.Writer) error {
	_, err := stdout.Write(Schema())
	return err
}

// AgentAddCommand is zoom-mcp agent add NAME [--access meetings=full,...]:
// it makes a new API key from random (crypto/rand when nil), prints it
// once, and prints the lines of the agent to paste into the policy file,
// with the key's hash. NAME may come before or after the flags.
func AgentAddCommand(args []string, stdout, stderr io.Writer, random io.Reader) error {
	fs := flag.NewFlagSet("agent add", flag.ContinueOnError)
	fs.SetOutput(stderr)
	access := fs.String("access", "", "grants as TOOLSET=LEVEL,..., e.g. meetings=full,reports=read\n(toolsets: "+
		strings.Join(toolsetNames, ", ")+"; levels: off, read, full)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: zoom-mcp agent add NAME [--access meetings=full,...]\n\n"+
			"Makes a new API key for an agent and prints the lines to add to the policy file.")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return err
	}
	var name string
	if fs.NArg() > 0 {
		name = fs.Arg(0)
		if err := fs.Parse(fs.Args()[1:]); err != nil {
			return err
		}
	}
	if name == "" || fs.NArg() > 0 {
		fs.Usage()
		return errors.New("agent add: want one NAME")
	}
	if !namePattern().MatchString(name) {
		return fmt.Errorf("agent add: invalid name %q: it must match %s (a letter or digit, then letters, digits, '.', '_' or '-')", name, namePattern())
	}
	grants, err := ParseAccess(*access)
	if err != nil {
		return fmt.Errorf("agent add: %w", err)
	}
	if random == nil {
		random = rand.Reader
	}
	key, err := newKey(random)
	if err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "API key of agent %s (it will not be shown again; store it now, e.g. in a secret manager):\n\n", name)
	fmt.Fprintf(&b, "    %s\n\n", key)
	fmt.Fprintf(&b, "Add the agent to the policy file, under agents:\n\n")
	fmt.Fprintf(&b, "  - name: %s\n", yamlScalar(name))
	fmt.Fprintf(&b, "    key_sha256: %s\n", HashKey(key))
	fmt.Fprintf(&b, "    access: %s\n", accessYAML(grants))
	_, err = io.WriteString(stdout, b.String())
	return err
}

// accessYAML writes grants as a YAML flow mapping in toolset order; with
// none, every toolset at off, to edit.
func accessYAML(grants map[string]Level) string {
	var parts []string
	for _, set := range toolsetNames {
		switch lv, ok := grants[set]; {
		case ok:
			parts = append(parts, set+": "+string(lv))
		case len(grants) == 0:
			parts = append(parts, set+": "+string(Off))
		}
	}
	return "{ " + strings.Join(parts, ", ") + " }"
}

// yamlScalar writes s as a YAML scalar, quoted when plain text would read
// as something else (true, null, 1e3).
func yamlScalar(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil {
		return fmt.Sprintf("%q", s)
	}
	return strings.TrimSuffix(string(out), "\n")
}

// nounCount writes n and the noun, plural unless n is 1.
func nounCount(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
