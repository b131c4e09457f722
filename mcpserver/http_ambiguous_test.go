package mcpserver

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/zoommcp/zoom-mcp/policy"
)

// TestHTTPRefusesAmbiguousMessages: over HTTP as on stdio, a message with
// a key twice, or a request whose id is null, is refused before mcp-go
// reads it.
func TestHTTPRefusesAmbiguousMessages(t *testing.T) {
	g := newGated(t, &policy.Config{Agents: []policy.AgentConfig{{Name: "a", KeySHA256: policy.HashKey("zmcp_a"), Access: map[string]policy.Level{"users": policy.Read}}}})
	for _, body := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"initialize","method":"tools/list","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`,
		`{"jsonrpc":"2.0","id":null,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","name":"u","version":"1"}}}`,
	} {
		req, _ := http.NewRequest(http.MethodPost, g.url, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		req.Header.Set("Authorization", "Bearer zmcp_a")
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		out, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusBadRequest || !strings.Contains(string(out), "-32600") || res.Header.Get("Mcp-Session-Id") != "" {
			t.Errorf("%s: %d %s", body, res.StatusCode, out)
		}
	}
}
