package policy

// The generic part of the loader: walking YAML nodes, scalars of each
// type, and the hints of problems.

import (
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"go.yaml.in/yaml/v4"
)

// fields decode the values of a mapping's keys; the function of a key
// gets its value node and path.
type fields map[string]func(v *yaml.Node, path string)

// object decodes mapping n key by key; null is an empty mapping. A key
// fs lacks is reported with the closest one it has or, from homes, the
// mapping where it belongs. It returns false when n is no mapping.
func (d *decoder) object(n *yaml.Node, path string, fs fields, homes map[string]string) bool {
	if isNull(n) {
		return true
	}
	if n.Kind != yaml.MappingNode {
		d.problem(n, path, "want a mapping (key: value), got %s", describe(n))
		return false
	}
	for _, e := range d.entries(n, path, 0) {
		key := e.key.Value
		p := keyPath(path, key)
		set, known := fs[key]
		if !known {
			d.problem(e.key, p, "unknown key %q%s", key, keyHint(key, fs, homes))
			continue
		}
		if v, ok := d.visit(e.val); ok {
			set(v, p)
		}
	}
	return true
}

// entry is a key and its value, the key resolved.
type entry struct{ key, val *yaml.Node }

// entries returns the keys and values of mapping n, with merge keys (<<)
// expanded: keys of n win over merged ones, and earlier merges over later
// ones. A key given twice, or a key that is not text, is reported.
func (d *decoder) entries(n *yaml.Node, path string, depth int) []entry {
	var out []entry
	var merges []*yaml.Node
	seen := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, ok := d.visit(n.Content[i])
		if !ok {
			return out
		}
		switch {
		case k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge":
			merges = append(merges, n.Content[i+1])
		case k.Kind != yaml.ScalarNode:
			d.problem(k, path, "want a name as key, got %s", describe(k))
		case seen[k.Value] != nil:
			d.problem(k, keyPath(path, k.Value), "%s is already set on line %d", k.Value, seen[k.Value].Line)
		default:
			seen[k.Value] = k
			out = append(out, entry{k, n.Content[i+1]})
		}
	}
	for _, m := range merges {
		m, ok := d.visit(m)
		if !ok {
			return out
		}
		sources := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			sources = m.Content
		}
		for _, src := range sources {
			src, ok := d.visit(src)
			if !ok {
				return out
			}
			if src.Kind != yaml.MappingNode {
				d.problem(src, path, "<< merges a mapping or a list of mappings, not %s", describe(src))
				continue
			}
			if depth == maxMergeDepth {
				d.problem(src, path, "merges (<<) nest more than %d deep", maxMergeDepth)
				continue
			}
			for _, e := range d.entries(src, path, depth+1) {
				if seen[e.key.Value] == nil {
					seen[e.key.Value] = e.key
					out = append(out, e)
				}
			}
		}
	}
	return out
}

// list calls each for the items of sequence n; null is an empty list.
// example shows a list in the problem when n is no list. It returns false
// when n is no list.
func (d *decoder) list(n *yaml.Node, path, example string, each func(item *yaml.Node, path string)) bool {
	if isNull(n) {
		return true
	}
	if n.Kind != yaml.SequenceNode {
		d.problem(n, path, "want a list, e.g. %s, got %s", example, describe(n))
		return false
	}
	for i, item := range n.Content {
		item, ok := d.visit(item)
		if !ok {
			return true
		}
		each(item, fmt.Sprintf("%s[%d]", path, i))
	}
	return true
}

// texts decodes a list of text entries with entry, keeping the good ones;
// nil when there are none.
func (d *decoder) texts(n *yaml.Node, path, example string, entry func(*yaml.Node, string) (string, bool)) []string {
	var out []string
	d.list(n, path, example, func(item *yaml.Node, p string) {
		if s, ok := entry(item, p); ok {
			out = append(out, s)
		}
	})
	return out
}

// text returns the text of a scalar; null is empty. Numbers are taken as
// written, so that a hash or an ID of digits only needs no quotes; true
// and false are not text.
func (d *decoder) text(n *yaml.Node, path string) (string, bool) {
	switch {
	case isNull(n):
		return "", true
	case n.Kind != yaml.ScalarNode:
		d.problem(n, path, "want text, got %s", describe(n))
		return "", false
	case n.ShortTag() == "!!bool":
		d.problem(n, path, "want text, got %s; quote it if you mean the word", n.Value)
		return "", false
	case !utf8.ValidString(n.Value):
		d.problem(n, path, "the text is not valid UTF-8")
		return "", false
	}
	return n.Value, true
}

// intRange is the range of an integer setting; 0 means unset.
type intRange struct{ min, max int64 }

func (d *decoder) integer(n *yaml.Node, path string, r intRange) int {
	if isNull(n) {
		return 0
	}
	var i int64
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || n.Decode(&i) != nil {
		d.problem(n, path, "want a whole number from %d to %d, got %s", r.min, r.max, describe(n))
		return 0
	}
	if i < r.min || i > r.max {
		unset := ""
		if i == 0 {
			unset = "; leave it out for no cap"
		}
		d.problem(n, path, "want a whole number from %d to %d, got %d%s", r.min, r.max, i, unset)
		return 0
	}
	return int(i)
}

func (d *decoder) boolean(n *yaml.Node, path string) bool {
	if isNull(n) {
		return false
	}
	var b bool
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Decode(&b) != nil {
		d.problem(n, path, "want true or false, got %s", describe(n))
		return false
	}
	return b
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// describe names a node's value for a problem.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.DocumentNode, yaml.AliasNode:
		return "a document"
	}
	switch n.ShortTag() {
	case "!!null":
		return "nothing"
	case "!!bool":
		return n.Value
	case "!!int", "!!float":
		return "the number " + cut(n.Value)
	}
	return quoteShort(n.Value)
}

// cut shortens s to 40 characters, for a problem.
func cut(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// quoteShort quotes s, cut to 40 characters.
func quoteShort(s string) string { return strconv.Quote(cut(s)) }

func keyPath(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// keyHint completes the problem of an unknown key: the known key it is
// closest to, where it belongs, or the keys allowed here.
func keyHint(key string, fs fields, homes map[string]string) string {
	known := make([]string, 0, len(fs))
	for k := range fs {
		known = append(known, k)
	}
	sort.Strings(known)
	if s := suggestion(key, known); s != "" {
		return s
	}
	if home := homes[key]; home != "" {
		return "; it belongs " + home
	}
	return "; want one of " + strings.Join(known, ", ")
}

// hint is suggestion, or else the list of valid names.
func hint(s string, valid []string) string {
	if h := suggestion(s, valid); h != "" {
		return h
	}
	return "; want one of " + strings.Join(valid, ", ")
}

// suggestion returns `; did you mean "x"?` for the valid name closest to
// s, if one is close enough to be a typo; letter case does not count.
func suggestion(s string, valid []string) string {
	if len(s) > 64 {
		return ""
	}
	best, bestDist := "", 0
	limit := max(1, utf8.RuneCountInString(s)/3)
	for _, v := range valid {
		if d := editDistance(strings.ToLower(s), strings.ToLower(v)); d <= limit && (best == "" || d < bestDist) {
			best, bestDist = v, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// editDistance is the number of one-rune insertions, deletions,
// substitutions and swaps of neighbours that turn a into b.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	// Three rows of the optimal string alignment matrix.
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}

// Where keys misplaced one level up belong, for the problems of unknown
// keys.
// They are built at the first load, not at every start-up.
var (
	topHomes = sync.OnceValue(func() map[string]string {
		return homesOf(map[string][]string{"in an agent, under agents:": yamlKeys[AgentConfig](), "under audit:": yamlKeys[AuditConfig]()})
	})
	agentHomes = sync.OnceValue(func() map[string]string {
		return homesOf(map[string][]string{"under limits:": yamlKeys[Limits](), "under results:": yamlKeys[Results](), "under access:": toolsetNames})
	})
	limitsHomes = sync.OnceValue(func() map[string]string {
		return homesOf(map[string][]string{"under access:": toolsetNames, "under results:": yamlKeys[Results]()})
	})
)

func homesOf(keys map[string][]string) map[string]string {
	homes := map[string]string{}
	for home, ks := range keys {
		for _, k := range ks {
			if other := homes[k]; other != "" {
				a, b := min(other, home), max(other, home)
				homes[k] = a + " or " + strings.TrimPrefix(b, "under ")
				continue
			}
			homes[k] = home
		}
	}
	return homes
}

// yamlKeys lists the YAML keys of struct T.
func yamlKeys[T any]() []string {
	t := reflect.TypeFor[T]()
	var keys []string
	for i := range t.NumField() {
		if name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ","); name != "" && name != "-" {
			keys = append(keys, name)
		}
	}
	return keys
}

// tagValue returns a keyword's value in the jsonschema tag of a field of
// t, commas escaped as invopop/jsonschema escapes them. It panics when the
// field or keyword is missing: the loader and the schema must agree.
func tagValue(t reflect.Type, field, keyword string) string {
	f, ok := t.FieldByName(field)
	if !ok {
		panic(fmt.Sprintf("policy: %v has no field %s", t, field))
	}
	tag := f.Tag.Get("jsonschema")
	for len(tag) > 0 {
		var part string
		i := 0
		for i < len(tag) && (tag[i] != ',' || i > 0 && tag[i-1] == '\\') {
			i++
		}
		part, tag = tag[:i], strings.TrimPrefix(tag[i:], ",")
		if k, v, ok := strings.Cut(part, "="); ok && k == keyword {
			return strings.ReplaceAll(v, `\,`, ",")
		}
	}
	panic(fmt.Sprintf("policy: %v.%s has no jsonschema %s", t, field, keyword))
}

// tagRange returns the minimum and maximum of an integer field's tag.
func tagRange(t reflect.Type, field string) intRange {
	lo, err1 := strconv.ParseInt(tagValue(t, field, "minimum"), 10, 64)
	hi, err2 := strconv.ParseInt(tagValue(t, field, "maximum"), 10, 64)
	if err := errors.Join(err1, err2); err != nil {
		panic(fmt.Sprintf("policy: %v.%s: %v", t, field, err))
	}
	return intRange{lo, hi}
}
