package metrics

import (
	"runtime"
	"time"
)

// started is when the package was initialised: the process's start time
// where the platform does not tell it.
var started = time.Now()

// readRuntime reads the Go runtime metrics, with the names and help texts
// of client_golang's Go collector (go_gc_cycles_total is not one of its
// defaults).
func readRuntime() []sample {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	threads, _ := runtime.ThreadCreateProfile(nil)
	return []sample{
		{"go_goroutines", "Number of goroutines that currently exist.", "gauge", float64(runtime.NumGoroutine())},
		{"go_threads", "Number of OS threads created.", "gauge", float64(threads)},
		{"go_memstats_heap_alloc_bytes", "Number of heap bytes allocated and currently in use, same as go_memstats_alloc_bytes. Equals to /memory/classes/heap/objects:bytes.", "gauge", float64(ms.HeapAlloc)},
		{"go_memstats_heap_inuse_bytes", "Number of heap bytes that are in use. Equals to /memory/classes/heap/objects:bytes + /memory/classes/heap/unused:bytes", "gauge", float64(ms.HeapInuse)},
		{"go_memstats_sys_bytes", "Number of bytes obtained from system. Equals to /memory/classes/total:byte.", "gauge", float64(ms.Sys)},
		{"go_gc_cycles_total", "Number of completed garbage collection cycles.", "counter", float64(ms.NumGC)},
	}
}

// Help texts of the process metrics, as client_golang's process
// collector words them.
const (
	helpCPU       = "Total user and system CPU time spent in seconds."
	helpRSS       = "Resident memory size in bytes."
	helpVSize     = "Virtual memory size in bytes."
	helpOpenFDs   = "Number of open file descriptors."
	helpMaxFDs    = "Maximum number of open file descriptors."
	helpStartTime = "Start time of the process since unix epoch in seconds."
)

func startTimeSample(seconds float64) sample {
	return sample{"process_start_time_seconds", helpStartTime, "gauge", seconds}
}
