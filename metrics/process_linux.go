package metrics

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"sync"
)

// userHZ is the unit of the clock ticks in /proc/self/stat (USER_HZ,
// 100 on every Linux platform Go supports; procfs assumes it too).
const userHZ = 100

// readProcess reads the process metrics from /proc; a metric that cannot
// be read is left out.
func readProcess() []sample {
	var out []sample
	if stat, err := os.ReadFile("/proc/self/stat"); err == nil {
		out = append(out, fromStat(stat)...)
	}
	if fds, err := os.ReadDir("/proc/self/fd"); err == nil {
		out = append(out, sample{"process_open_fds", helpOpenFDs, "gauge", float64(len(fds))})
	}
	if limits, err := os.ReadFile("/proc/self/limits"); err == nil {
		if n, ok := maxOpenFiles(limits); ok {
			out = append(out, sample{"process_max_fds", helpMaxFDs, "gauge", n})
		}
	}
	return out
}

// fromStat reads CPU time, memory sizes and the start time from the
// contents of /proc/self/stat.
func fromStat(stat []byte) []sample {
	// The command, in parentheses, may hold spaces and parentheses
	// itself: the fields follow the last ')'.
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return nil
	}
	f := strings.Fields(string(stat[i+1:]))
	// f[0] is field 3 of proc(5), the state.
	field := func(n int) (uint64, bool) {
		if n-3 >= len(f) {
			return 0, false
		}
		v, err := strconv.ParseUint(f[n-3], 10, 64)
		return v, err == nil
	}
	var out []sample
	utime, ok1 := field(14)
	stime, ok2 := field(15)
	if ok1 && ok2 {
		out = append(out, sample{"process_cpu_seconds_total", helpCPU, "counter", float64(utime+stime) / userHZ})
	}
	if v, ok := field(23); ok {
		out = append(out, sample{"process_virtual_memory_bytes", helpVSize, "gauge", float64(v)})
	}
	if v, ok := field(24); ok {
		out = append(out, sample{"process_resident_memory_bytes", helpRSS, "gauge", float64(v) * float64(os.Getpagesize())})
	}
	start := float64(started.UnixNano()) / 1e9
	if ticks, ok := field(22); ok {
		if boot, ok := bootTime(); ok {
			start = float64(boot) + float64(ticks)/userHZ
		}
	}
	return append(out, startTimeSample(start))
}

// bootTime is the btime line of /proc/stat: the boot time in seconds
// since the epoch. It does not change, so it is read once, not at every
// scrape.
var bootTime = sync.OnceValues(readBootTime)

func readBootTime() (uint64, bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, false
	}
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "btime "); ok {
			n, err := strconv.ParseUint(strings.TrimSpace(v), 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// maxOpenFiles is the soft limit of "Max open files" in the contents of
// /proc/self/limits; not ok when it is unlimited or unreadable.
func maxOpenFiles(limits []byte) (float64, bool) {
	for line := range strings.Lines(string(limits)) {
		rest, ok := strings.CutPrefix(line, "Max open files")
		if !ok {
			continue
		}
		f := strings.Fields(rest)
		if len(f) == 0 {
			return 0, false
		}
		n, err := strconv.ParseUint(f[0], 10, 64)
		return float64(n), err == nil
	}
	return 0, false
}
