package main

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// TestStartingHeap: the first cycle's goal is doubled, and the configured
// GOGC is back once a cycle ran; with GOGC in the environment nothing
// changes.
func TestStartingHeap(t *testing.T) {
	prev := debug.SetGCPercent(100)
	defer debug.SetGCPercent(prev)

	startingHeap(func(string) string { return "" })
	if got := debug.SetGCPercent(200); got != 200 {
		t.Fatalf("GC percent at start = %d, want 200", got)
	}
	runtime.GC()
	deadline := time.Now().Add(10 * time.Second)
	for {
		got := debug.SetGCPercent(100)
		debug.SetGCPercent(got)
		if got == 100 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("GC percent after a cycle = %d, want the configured 100", got)
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}

	debug.SetGCPercent(50)
	startingHeap(func(k string) string {
		if k == "GOGC" {
			return "50"
		}
		return ""
	})
	if got := debug.SetGCPercent(100); got != 50 {
		t.Errorf("with GOGC=50 in the environment, GC percent = %d", got)
	}
}
