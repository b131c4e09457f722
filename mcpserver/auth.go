package mcpserver

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"github.com/zoommcp/zoom-mcp/pipeline"
)

// Authenticator maps an agent's API key to the agent.
type Authenticator interface {
	Authenticate(key string) (pipeline.Agent, bool)
}

// authenticate puts the calling agent into the request context. With an
// Authenticator, a request must carry "Authorization: Bearer <key>" of a
// defined agent (401 with WWW-Authenticate otherwise); that its session is
// the agent's is the session gate's check. Without one, every request is
// the local agent's.
func authenticate(auth Authenticator, local pipeline.Agent, logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		agent := local
		if auth != nil {
			key, ok := bearer(r.Header.Get("Authorization"))
			if !ok {
				unauthorized(w, `Bearer realm="zoom-mcp"`, "missing_token",
					"This server needs an agent key: send the header Authorization: Bearer <key>. An operator creates keys with `zoom-mcp agent add NAME`.")
				return
			}
			if agent, ok = auth.Authenticate(key); !ok {
				logger.Warn("refused a request with an unknown agent key", "remote", r.RemoteAddr)
				unauthorized(w, `Bearer realm="zoom-mcp", error="invalid_token", error_description="unknown agent key"`, "invalid_token",
					"The agent key in the Authorization header is not one this server knows. Check the key; an operator can list agents in the config.")
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(pipeline.WithAgent(r.Context(), agent)))
	})
}

func bearer(h string) (string, bool) {
	scheme, key, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	key = strings.TrimSpace(key)
	return key, key != ""
}

func unauthorized(w http.ResponseWriter, challenge, code, msg string) {
	w.Header().Set("WWW-Authenticate", challenge)
	writeJSONError(w, http.StatusUnauthorized, code, msg)
}

func writeJSONError(w http.ResponseWriter, status int, code, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code, "message": msg})
}
