package metrics

import (
	"os"
	"testing"
)

// TestFromStat reads a /proc/self/stat line whose command holds spaces
// and parentheses.
func TestFromStat(t *testing.T) {
	// Fields 3 to 24 of proc(5): utime 250, stime 50 (ticks), starttime
	// 1000 ticks, vsize 4096000, rss 10 pages.
	stat := "1234 (zoom mcp) (x)) S 1 1234 1234 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 8 0 1000 4096000 10 18446744073709551615"
	got := map[string]float64{}
	for _, s := range fromStat([]byte(stat)) {
		got[s.name] = s.value
	}
	if got["process_cpu_seconds_total"] != 3 {
		t.Errorf("cpu seconds %v, want 3", got["process_cpu_seconds_total"])
	}
	if got["process_virtual_memory_bytes"] != 4096000 {
		t.Errorf("vsize %v", got["process_virtual_memory_bytes"])
	}
	if want := float64(10 * os.Getpagesize()); got["process_resident_memory_bytes"] != want {
		t.Errorf("rss %v, want %v", got["process_resident_memory_bytes"], want)
	}
	if boot, ok := bootTime(); ok && got["process_start_time_seconds"] != float64(boot)+10 {
		t.Errorf("start time %v, want %v", got["process_start_time_seconds"], float64(boot)+10)
	}

	n, ok := maxOpenFiles([]byte("Limit                     Soft Limit           Hard Limit           Units     \nMax open files            1024                 524288               files     \n"))
	if !ok || n != 1024 {
		t.Errorf("max open files %v %v, want 1024", n, ok)
	}
	if _, ok := maxOpenFiles([]byte("Max open files            unlimited            unlimited            files     \n")); ok {
		t.Error("an unlimited max open files gave a value")
	}
}
