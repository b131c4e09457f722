package main

import (
	"runtime"
	"runtime/debug"
)

// startingHeap lets the first GC cycle wait for an 8 MB heap instead of
// the runtime's 4 MB, then gives the heap back to the configured GOGC, as
// the Go compiler does for its own start (cmd/compile's
// base.AdjustStartingHeap). A start-up allocates about 3.5 MB before it
// answers its first tools/list, half of it the JSON Schema metaschemas
// that mcp-go's validator compiles at package init, so the first cycle
// began while that answer was being written and cost about 4 ms of it
// (BenchmarkStartupVsFloor). With GOGC in the environment, the operator's
// setting applies from the start.
func startingHeap(getenv func(string) string) {
	if getenv("GOGC") != "" {
		return
	}
	prev := debug.SetGCPercent(200) // a first goal of 2 × 4 MB
	// The cleanup runs after the first cycle that finds the sentinel
	// unreachable: the first cycle.
	sentinel := new(startSentinel)
	runtime.AddCleanup(sentinel, func(prev int) { debug.SetGCPercent(prev) }, prev)
}

// startSentinel is large enough to have an allocation of its own (a tiny
// one can share a block that outlives it, delaying its cleanup).
type startSentinel struct{ _ [32]byte }
