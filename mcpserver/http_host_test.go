package mcpserver

import (
	"context"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/server"
)

// TestHostCheck: whatever address a request comes in on, its Host must be
// loopback or allowed.
func TestHostCheck(t *testing.T) {
	allowed := []string{"mcp.example.com", "api.example.com:8443"}
	for _, tc := range []struct {
		host    string
		allowed []string
		ok      bool
	}{
		{"localhost:8080", nil, true},
		{"127.0.0.1", nil, true},
		{"[::1]:9000", nil, true},
		{"localhost.", nil, true},
		{"mcp.example.com", nil, false},
		{"10.0.0.5:8080", nil, false},
		{"localhost.evil.example.com", nil, false},
		{"127.0.0.1.nip.io", nil, false},
		{"", nil, false},
		{"localhost:8080", allowed, true},
		{"mcp.example.com", allowed, true},
		{"MCP.Example.com:443", allowed, true},
		{"api.example.com:8443", allowed, true},
		{"api.example.com:9000", allowed, false},
		{"api.example.com", allowed, false},
		{"evil.example.com", allowed, false},
		{"example.com", allowed, false},
	} {
		h := Handler(server.NewMCPServer("t", "1"), HandlerOptions{AllowedHosts: tc.allowed})
		defer h.(*httpHandler).close()
		// From a public address: mcp-go checks only requests that arrive on
		// loopback.
		req := httptest.NewRequest(http.MethodPost, "http://x/mcp", strings.NewReader(initBody))
		req.RemoteAddr, req.Host = "192.0.2.7:41000", tc.host
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		var body map[string]string
		switch {
		case tc.ok && rec.Code != http.StatusOK:
			t.Errorf("Host %q (allowed %v): %d %s, want 200", tc.host, tc.allowed, rec.Code, rec.Body)
		case !tc.ok && (rec.Code != http.StatusForbidden || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body["error"] != "host_not_allowed" || !strings.Contains(body["message"], "--allowed-hosts")):
			t.Errorf("Host %q (allowed %v): %d %s, want 403 host_not_allowed", tc.host, tc.allowed, rec.Code, rec.Body)
		}
		// A health probe names the server by its address.
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://"+tc.host+"/healthz", nil))
		if tc.host != "" && rec.Code != http.StatusOK {
			t.Errorf("/healthz for Host %q: %d", tc.host, rec.Code)
		}
	}
}

// TestPublicNeedsAllowedHosts: listening beyond loopback without
// --allowed-hosts, or with a malformed entry or limit, does not start.
func TestPublicNeedsAllowedHosts(t *testing.T) {
	for _, tc := range []struct {
		opts HandlerOptions
		err  string
	}{
		{HandlerOptions{Public: true}, "listening beyond loopback needs --allowed-hosts"},
		{HandlerOptions{Public: true, AllowedHosts: []string{"https://mcp.example.com"}}, `invalid --allowed-hosts entry "https://mcp.example.com"`},
		{HandlerOptions{AllowedHosts: []string{"mcp.example.com:https"}}, `invalid --allowed-hosts entry`},
		{HandlerOptions{MaxSessions: -1}, "invalid --max-sessions -1"},
		{HandlerOptions{SessionIdleTimeout: -time.Second}, "invalid --session-idle-timeout -1s"},
		{HandlerOptions{Public: true, AllowedHosts: []string{"mcp.example.com", "[2001:db8::1]:8080"}}, ""},
		{HandlerOptions{}, ""},
	} {
		ctx, cancel := context.WithCancel(t.Context())
		started := false
		err := ServeHTTP(ctx, "127.0.0.1:0", Handler(server.NewMCPServer("t", "1"), tc.opts), discardLogger(),
			func(net.Addr) { started = true; cancel() })
		cancel()
		if tc.err == "" {
			if err != nil || !started {
				t.Errorf("%+v: %v, started %v", tc.opts, err, started)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.err) || strings.Contains(err.Error(), "\n") || started {
			t.Errorf("%+v: %v, started %v; want one line with %q", tc.opts, err, started, tc.err)
		}
	}
}
