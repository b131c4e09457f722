package mcpserver

import (
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strings"
)

// checkHost refuses a request whose Host header is neither a loopback name
// nor one of allowed (403 with a JSON body). A page that rebinds its own
// DNS name to this server reaches it under that name, which no one lists.
// It replaces mcp-go's check, which looks at the Host only of requests
// that arrive on a loopback address: this one looks at every request.
func checkHost(allowed []string, logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hostAllowed(r.Host, allowed) {
			next.ServeHTTP(w, r)
			return
		}
		host := clip(r.Host, 100)
		logger.Warn("refused a request for a host that is not allowed", "host", host, "remote", r.RemoteAddr)
		writeJSONError(w, http.StatusForbidden, "host_not_allowed",
			fmt.Sprintf("This server does not answer for the host %q. An operator lists the names clients reach it by in --allowed-hosts.", host))
	})
}

// hostAllowed reports whether host (a Host header: name or name:port) is
// loopback or allowed. An allowed entry without a port allows every port.
func hostAllowed(host string, allowed []string) bool {
	name, port := splitHost(host)
	if isLoopbackName(name) {
		return true
	}
	for _, a := range allowed {
		an, ap := splitHost(a)
		if an != "" && strings.EqualFold(an, name) && (ap == "" || ap == port) {
			return true
		}
	}
	return false
}

func splitHost(s string) (name, port string) {
	name, port, err := net.SplitHostPort(s)
	if err != nil {
		name, port = strings.Trim(s, "[]"), ""
	}
	return strings.TrimSuffix(name, "."), port
}

func isLoopbackName(name string) bool {
	if strings.EqualFold(name, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(name)
	return err == nil && ip.IsLoopback()
}

// checkAllowedHosts checks the --allowed-hosts entries, and that a server
// listening beyond loopback has some.
func checkAllowedHosts(hosts []string, public bool) error {
	if public && len(hosts) == 0 {
		return fmt.Errorf("listening beyond loopback needs --allowed-hosts: the host names (or host:port) clients reach this server by, e.g. --allowed-hosts mcp.example.com")
	}
	for _, h := range hosts {
		name, port := splitHost(h)
		if name == "" || strings.ContainsAny(h, "/@?# ") || (port != "" && strings.Trim(port, "0123456789") != "") {
			return fmt.Errorf("invalid --allowed-hosts entry %q: want a host name or host:port, e.g. mcp.example.com or mcp.example.com:8443", h)
		}
	}
	return nil
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}
