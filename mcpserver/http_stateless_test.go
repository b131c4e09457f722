package mcpserver

import (
	"net/http"
	"strings"
	"testing"
)

// TestStateless: with Stateless, two replicas (two handlers on one
// policy) serve an agent without sticky sessions: initialize on one,
// tools/list on the other, no session ID given out; an unauthenticated
// request is still refused; GET and DELETE have nothing to act on.
func TestStateless(t *testing.T) {
	a := newSessionServer(t, HandlerOptions{Stateless: true})
	b := newSessionServer(t, HandlerOptions{Stateless: true})
	res, body := a.do("POST", "key-a", "", initBody)
	if res.StatusCode != http.StatusOK || res.Header.Get("Mcp-Session-Id") != "" {
		t.Fatalf("initialize on replica a: %d, session %q: %s", res.StatusCode, res.Header.Get("Mcp-Session-Id"), body)
	}
	const ping = `{"jsonrpc":"2.0","id":3,"method":"ping"}`
	if res, body := b.do("POST", "key-a", "", ping); res.StatusCode != http.StatusOK || !strings.Contains(body, `"result"`) {
		t.Errorf("ping on replica b: %d %s", res.StatusCode, body)
	}
	if res, body := b.do("POST", "key-a", "some-old-session", ping); res.StatusCode != http.StatusOK || !strings.Contains(body, `"result"`) {
		t.Errorf("a stale session ID: %d %s", res.StatusCode, body)
	}
	if res, _ := b.do("POST", "wrong-key", "", ping); res.StatusCode != http.StatusUnauthorized {
		t.Errorf("a bad key: %d", res.StatusCode)
	}
	if res, _ := b.do("GET", "key-a", "", ""); res.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET: %d", res.StatusCode)
	}
	if a.registered.Load() != 0 || b.registered.Load() != 0 {
		t.Errorf("sessions registered: %d, %d", a.registered.Load(), b.registered.Load())
	}
}
