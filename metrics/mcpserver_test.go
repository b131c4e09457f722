package metrics_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/zoommcp/zoom-mcp/mcpserver"
	"github.com/zoommcp/zoom-mcp/metrics"
)

// TestServedByMCPServer checks that mcpserver serves the handler at
// GET /metrics, behind its Host check.
func TestServedByMCPServer(t *testing.T) {
	m := metrics.New()
	m.OnFetch("s2s", "ok")
	h := mcpserver.Handler(mcpserver.New(mcpserver.Options{}), mcpserver.HandlerOptions{
		Metrics: m.Handler(), AllowedHosts: []string{"zoom-mcp.internal"},
	})
	tests := []struct {
		method, host string
		want         int
	}{
		{http.MethodGet, "127.0.0.1:8080", http.StatusOK},
		{http.MethodGet, "zoom-mcp.internal", http.StatusOK},
		{http.MethodGet, "evil.example", http.StatusForbidden},
		{http.MethodPost, "127.0.0.1:8080", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, "/metrics", nil)
		r.Host = tt.host
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != tt.want {
			t.Errorf("%s /metrics for %s: status %d, want %d", tt.method, tt.host, rec.Code, tt.want)
			continue
		}
		if tt.want == http.StatusOK && !strings.Contains(rec.Body.String(), `zoom_mcp_zoom_token_fetches_total{kind="s2s",outcome="ok"} 1`) {
			t.Errorf("GET /metrics for %s: no token fetch count in\n%s", tt.host, rec.Body.String())
		}
	}

	// Without the option, there is no /metrics.
	h = mcpserver.Handler(mcpserver.New(mcpserver.Options{}), mcpserver.HandlerOptions{})
	r := httptest.NewRequest(http.MethodGet, "/metrics", nil)
	r.Host = "127.0.0.1"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != http.StatusNotFound {
		t.Errorf("GET /metrics without Metrics: status %d, want 404", rec.Code)
	}
}
