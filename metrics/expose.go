package metrics

import (
	"bytes"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
)

// contentType is the Prometheus text exposition format, version 0.0.4.
const contentType = "text/plain; version=0.0.4; charset=utf-8"

// maxLabels is the most labels a vector here has; a series is keyed by
// an array of this many values, which costs no allocation to look up.
const maxLabels = 3

type labelValues [maxLabels]string

// vec is what counter and histogram vectors share: the family's name,
// help and label names, and its series by label values.
type vec[S any] struct {
	name, help string
	labels     []string
	order      []int // indices of labels, by label name: the written order

	mu     sync.RWMutex
	series map[labelValues]*S
	newS   func() *S
}

func newVec[S any](name, help string, labels []string, newS func() *S) vec[S] {
	if len(labels) > maxLabels {
		panic("metrics: " + name + " has more than " + strconv.Itoa(maxLabels) + " labels")
	}
	order := make([]int, len(labels))
	for i := range order {
		order[i] = i
	}
	sort.Slice(order, func(a, b int) bool { return labels[order[a]] < labels[order[b]] })
	return vec[S]{name: name, help: help, labels: labels, order: order, series: map[labelValues]*S{}, newS: newS}
}

// with is the series for values (one per label), created on first use.
func (v *vec[S]) with(values ...string) *S {
	if len(values) != len(v.labels) {
		panic("metrics: " + v.name + " takes " + strconv.Itoa(len(v.labels)) + " label values, got " + strconv.Itoa(len(values)))
	}
	var k labelValues
	copy(k[:], values)
	v.mu.RLock()
	s, ok := v.series[k]
	v.mu.RUnlock()
	if ok {
		return s
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if s, ok = v.series[k]; !ok {
		s = v.newS()
		v.series[k] = s
	}
	return s
}

type entry[S any] struct {
	k labelValues
	s *S
}

// snapshot is the series, sorted by their label values in label-name
// order, for a stable exposition.
func (v *vec[S]) snapshot() []entry[S] {
	v.mu.RLock()
	out := make([]entry[S], 0, len(v.series))
	for k, s := range v.series {
		out = append(out, entry[S]{k, s})
	}
	v.mu.RUnlock()
	slices.SortFunc(out, func(a, b entry[S]) int {
		for _, i := range v.order {
			if c := strings.Compare(a.k[i], b.k[i]); c != 0 {
				return c
			}
		}
		return 0
	})
	return out
}

// writeLabels writes {name="value",...} for k, then le="…" when le is
// not empty; nothing when there is no label at all.
func (v *vec[S]) writeLabels(b *bytes.Buffer, k labelValues, le string) {
	if len(v.labels) == 0 && le == "" {
		return
	}
	b.WriteByte('{')
	for n, i := range v.order {
		if n > 0 {
			b.WriteByte(',')
		}
		b.WriteString(v.labels[i])
		b.WriteString(`="`)
		writeEscaped(b, k[i], true)
		b.WriteByte('"')
	}
	if le != "" {
		if len(v.labels) > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`le="`)
		b.WriteString(le)
		b.WriteByte('"')
	}
	b.WriteByte('}')
}

// counterVec is a counter family with labels.
type counterVec struct{ vec[counter] }

type counter struct{ n atomic.Uint64 }

func newCounterVec(name, help string, labels ...string) *counterVec {
	return &counterVec{newVec(name, help, labels, func() *counter { return new(counter) })}
}

// inc adds one to the series for values.
func (c *counterVec) inc(values ...string) { c.with(values...).n.Add(1) }

func (c *counterVec) write(b *bytes.Buffer) {
	series := c.snapshot()
	if len(series) == 0 {
		return
	}
	writeHeader(b, c.name, c.help, "counter")
	for _, e := range series {
		b.WriteString(c.name)
		c.writeLabels(b, e.k, "")
		b.WriteByte(' ')
		writeFloat(b, float64(e.s.n.Load()))
		b.WriteByte('\n')
	}
}

// histogramVec is a histogram family with labels.
type histogramVec struct {
	vec[histogram]
	upper []float64 // the buckets' upper bounds, ascending, without +Inf
}

type histogram struct {
	mu     sync.Mutex
	counts []uint64 // per bucket, not cumulative; the last is +Inf's own
	sum    float64
}

func newHistogramVec(name, help string, buckets []float64, labels ...string) *histogramVec {
	if !slices.IsSorted(buckets) || slices.Contains(buckets, math.Inf(1)) {
		panic("metrics: " + name + ": buckets must ascend and leave out +Inf")
	}
	n := len(buckets) + 1
	return &histogramVec{
		vec:   newVec(name, help, labels, func() *histogram { return &histogram{counts: make([]uint64, n)} }),
		upper: slices.Clone(buckets),
	}
}

// observe records v in the series for values.
func (h *histogramVec) observe(v float64, values ...string) {
	i := sort.SearchFloat64s(h.upper, v) // the first bucket with v <= its bound
	s := h.with(values...)
	s.mu.Lock()
	s.counts[i]++
	s.sum += v
	s.mu.Unlock()
}

func (h *histogramVec) write(b *bytes.Buffer) {
	series := h.snapshot()
	if len(series) == 0 {
		return
	}
	writeHeader(b, h.name, h.help, "histogram")
	counts := make([]uint64, len(h.upper)+1)
	for _, e := range series {
		e.s.mu.Lock()
		copy(counts, e.s.counts)
		sum := e.s.sum
		e.s.mu.Unlock()
		var cum uint64
		for i, n := range counts {
			cum += n
			le := "+Inf"
			if i < len(h.upper) {
				le = formatFloat(h.upper[i])
			}
			b.WriteString(h.name)
			b.WriteString("_bucket")
			h.writeLabels(b, e.k, le)
			b.WriteByte(' ')
			writeFloat(b, float64(cum))
			b.WriteByte('\n')
		}
		b.WriteString(h.name)
		b.WriteString("_sum")
		h.writeLabels(b, e.k, "")
		b.WriteByte(' ')
		writeFloat(b, sum)
		b.WriteByte('\n')
		b.WriteString(h.name)
		b.WriteString("_count")
		h.writeLabels(b, e.k, "")
		b.WriteByte(' ')
		writeFloat(b, float64(cum))
		b.WriteByte('\n')
	}
}

// sample is a metric without labels, read at scrape time: the process
// and Go runtime metrics.
type sample struct {
	name, help, typ string // typ: "gauge" or "counter"
	value           float64
}

func (s sample) write(b *bytes.Buffer) {
	writeHeader(b, s.name, s.help, s.typ)
	b.WriteString(s.name)
	b.WriteByte(' ')
	writeFloat(b, s.value)
	b.WriteByte('\n')
}

func writeHeader(b *bytes.Buffer, name, help, typ string) {
	b.WriteString("# HELP ")
	b.WriteString(name)
	b.WriteByte(' ')
	writeEscaped(b, help, false)
	b.WriteString("\n# TYPE ")
	b.WriteString(name)
	b.WriteByte(' ')
	b.WriteString(typ)
	b.WriteByte('\n')
}

// writeEscaped writes s with backslash and newline escaped, and double
// quotes too in a label value.
func writeEscaped(b *bytes.Buffer, s string, quote bool) {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '"' && quote:
			b.WriteString(`\"`)
		default:
			b.WriteByte(c)
		}
	}
}

// formatFloat spells f as the Prometheus client libraries do.
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

func writeFloat(b *bytes.Buffer, f float64) {
	var buf [32]byte
	switch {
	case math.IsNaN(f), math.IsInf(f, 0):
		b.WriteString(formatFloat(f))
	default:
		b.Write(strconv.AppendFloat(buf[:0], f, 'g', -1, 64))
	}
}

// family is one metric family of the exposition.
type family interface{ write(*bytes.Buffer) }

type named struct {
	name string
	f    family
}

// expose writes every family with a series, sorted by name.
func (m *Metrics) expose(b *bytes.Buffer) {
	fams := make([]named, 0, len(m.vecs)+16)
	for _, v := range m.vecs {
		fams = append(fams, v)
	}
	for _, s := range readRuntime() {
		fams = append(fams, named{s.name, s})
	}
	for _, s := range readProcess() {
		fams = append(fams, named{s.name, s})
	}
	slices.SortFunc(fams, func(a, b named) int { return strings.Compare(a.name, b.name) })
	for _, f := range fams {
		f.f.write(b)
	}
}

// serveHTTP answers GET and HEAD with the exposition.
func (m *Metrics) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	var b bytes.Buffer
	m.expose(&b)
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Length", strconv.Itoa(b.Len()))
	if r.Method == http.MethodHead {
		return
	}
	_, _ = w.Write(b.Bytes())
}
