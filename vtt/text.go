package vtt

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// segment is the decoded text of a cue up to, between or after voice spans,
// with the speaker its voice span names.
type segment struct {
	speaker string
	text    string // tags removed, references decoded, lines not yet joined
}

// segments removes the tags of a cue's text, decodes its character
// references and splits it at each voice span. A '<' that starts no tag
// (see tagAt) is text.
func (p *parser) segments(payload string) []segment {
	p.segs = p.segs[:0]
	if strings.IndexByte(payload, '<') < 0 && strings.IndexByte(payload, '&') < 0 {
		p.segs = append(p.segs, segment{text: payload})
		return p.segs
	}
	p.buf = p.buf[:0]
	var cur segment
	noClose := 0 // no tag closes before this offset: each '<' before it is text
	for i := 0; i < len(payload); {
		switch payload[i] {
		case '<':
			if i < noClose {
				break
			}
			n, lineEnd := tagAt(payload[i:])
			if n == 0 {
				noClose = i + lineEnd
				break
			}
			if speaker, ok := voice(payload[i+1 : i+n-1]); ok {
				cur.text = string(p.buf)
				p.segs = append(p.segs, cur)
				p.buf = p.buf[:0]
				cur = segment{speaker: speaker}
			}
			i += n
			continue
		case '&':
			if r, n := reference(payload[i:]); n > 0 {
				p.buf = utf8.AppendRune(p.buf, r)
				i += n
				continue
			}
		}
		p.buf = append(p.buf, payload[i])
		i++
	}
	cur.text = string(p.buf)
	p.segs = append(p.segs, cur)
	return p.segs
}

// tagAt returns the length of the tag at the start of s, or 0 when its '<'
// is text. A start or end tag ("<b>", "</v>") must close on its line; when it
// does not, lineEnd is the offset of the line's end, before which no '<'
// starts a tag. A timestamp tag ("<00:00:01.000>") must hold only digits,
// colons and dots, so that "2<3 and 4>1" stays text.
func tagAt(s string) (n, lineEnd int) {
	if len(s) < 2 {
		return 0, 0
	}
	switch c := s[1]; {
	case '0' <= c && c <= '9':
		for i := 2; i < len(s); i++ {
			switch c := s[i]; {
			case c == '>':
				return i + 1, 0
			case '0' <= c && c <= '9' || c == ':' || c == '.':
			default:
				return 0, 0
			}
		}
	case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '/':
		switch end := strings.IndexAny(s, ">\r\n"); {
		case end < 0:
			return 0, len(s)
		case s[end] != '>':
			return 0, end
		default:
			return end + 1, 0
		}
	}
	return 0, 0
}

// voice reports whether tag, the text between '<' and '>', is a voice start
// tag, and returns the speaker it names.
func voice(tag string) (speaker string, ok bool) {
	head, annotation := tag, ""
	if i := strings.IndexAny(tag, " \t\f"); i >= 0 {
		head, annotation = tag[:i], tag[i+1:]
	}
	name, _, _ := strings.Cut(head, ".")
	if name != "v" {
		return "", false
	}
	return collapseSpace(decodeReferences(annotation)), true
}

// decodeReferences decodes the character references in s.
func decodeReferences(s string) string {
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	var b []byte
	for i := 0; i < len(s); {
		if r, n := reference(s[i:]); n > 0 {
			b = utf8.AppendRune(b, r)
			i += n
			continue
		}
		b = append(b, s[i])
		i++
	}
	return string(b)
}

var named = map[string]rune{
	"amp": '&', "lt": '<', "gt": '>', "quot": '"', "apos": '\'',
	"nbsp": '\u00A0', "lrm": '\u200E', "rlm": '\u200F',
}

// reference decodes the character reference at the start of s, "&amp;",
// "&#38;" or "&#x26;", and returns the rune and its length, or 0 for none.
func reference(s string) (rune, int) {
	const longest = len("&#x10FFFF;")
	end := strings.IndexByte(s[:min(len(s), longest)], ';')
	if end < 2 || s[0] != '&' {
		return 0, 0
	}
	name := s[1:end]
	if r, ok := named[name]; ok {
		return r, end + 1
	}
	num, ok := strings.CutPrefix(name, "#")
	if !ok {
		return 0, 0
	}
	base := 10
	if num != "" && (num[0] == 'x' || num[0] == 'X') {
		num, base = num[1:], 16
	}
	if num == "" || num[0] == '+' || num[0] == '-' {
		return 0, 0
	}
	v, err := strconv.ParseUint(num, base, 32)
	if err != nil {
		return 0, 0
	}
	if v == 0 || v > unicode.MaxRune || 0xD800 <= v && v <= 0xDFFF {
		return utf8.RuneError, end + 1
	}
	return rune(v), end + 1
}

// clean trims the lines of seg and joins the non-empty ones with a space,
// taking the speaker from a "Name: " prefix when seg has none.
func (p *parser) clean(seg segment) (speaker, text string) {
	speaker = seg.speaker
	rest := seg.text
	n, first := 0, ""
	var joined []byte
	for rest != "" {
		line := rest
		if i := strings.IndexAny(rest, "\r\n"); i >= 0 {
			line, rest = rest[:i], rest[i+1:]
		} else {
			rest = ""
		}
		if line = strings.TrimSpace(line); line == "" {
			continue
		}
		if n == 0 && speaker == "" {
			if name, after, ok := speakerPrefix(line); ok {
				speaker = name
				if line = after; line == "" {
					continue
				}
			}
		}
		switch n {
		case 0:
			first = line
		case 1:
			joined = append(append(append(p.buf[:0], first...), ' '), line...)
		default:
			joined = append(append(joined, ' '), line...)
		}
		n++
	}
	if n > 1 {
		p.buf = joined[:0]
		return speaker, string(joined)
	}
	return speaker, first
}

// maxSpeaker is the longest speaker prefix, in characters.
const maxSpeaker = 64

// speakerPrefix splits a leading "Name: " from line (see the package
// documentation for the rule).
func speakerPrefix(line string) (name, rest string, ok bool) {
	i := strings.IndexByte(line, ':')
	if i < 0 {
		return "", "", false
	}
	rest = line[i+1:]
	if r, _ := utf8.DecodeRuneInString(rest); rest != "" && !unicode.IsSpace(r) {
		return "", "", false
	}
	name = collapseSpace(line[:i])
	if !isName(name) {
		return "", "", false
	}
	return name, strings.TrimSpace(rest), true
}

func isName(s string) bool {
	if s == "" || utf8.RuneCountInString(s) > maxSpeaker {
		return false
	}
	phone, digits := true, 0
	for _, r := range s {
		switch {
		case unicode.IsLetter(r):
			return true
		case '0' <= r && r <= '9' || r == '*':
			digits++
		case !strings.ContainsRune(" +-()", r):
			phone = false
		}
	}
	return phone && digits >= 7
}

// collapseSpace trims s and replaces each run of white space in it with one
// space.
func collapseSpace(s string) string {
	prevSpace := true // a leading space takes the slow path
	for _, r := range s {
		space := unicode.IsSpace(r)
		if space && (prevSpace || r != ' ') {
			return strings.Join(strings.Fields(s), " ")
		}
		prevSpace = space
	}
	if prevSpace { // a trailing space, or s == ""
		return strings.TrimSpace(s)
	}
	return s
}
