//go:build !linux

package metrics

// readProcess gives the process metrics this platform can tell without
// cgo: only the start time, as the package's initialisation saw it.
func readProcess() []sample {
	return []sample{startTimeSample(float64(started.UnixNano()) / 1e9)}
}
