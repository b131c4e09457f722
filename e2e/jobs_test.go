package e2e

import "testing"

// TestAgentJobs: agent-jobs.mjs, through the official SDK client over stdio
// (it spawns `zoom-mcp --sandbox` itself), does five jobs an agent would do
// from the tool descriptions alone, each in the fewest calls, asserting the
// count; then 20 mistaken calls, each an isError result whose structured
// error has the right kind and a message naming the argument and the fix.
// It prints the bytes of tools/list and of every result as TAP comments.
func TestAgentJobs(t *testing.T) {
	t.Parallel()
	requireDeps(t)
	runScript(t, node(t), "agent-jobs.mjs", "ZOOM_MCP_BIN="+serverBin)
}
