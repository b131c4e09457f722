package mcpserver

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
)

// refuseAmbiguous answers a POSTed JSON-RPC message the stdio filter would
// refuse (checkMessage: a key twice in one object, a request whose id is
// null) with HTTP 400 and the JSON-RPC error, before mcp-go reads it. Its
// body is already bounded by http.MaxBytesHandler.
func refuseAmbiguous(logger *slog.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost || r.Body == nil {
			next.ServeHTTP(w, r)
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			writeJSONError(w, http.StatusRequestEntityTooLarge, "body_too_large", "The request body is too large or could not be read.")
			return
		}
		if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' {
			if refusal := checkMessage(trimmed); refusal != nil {
				logger.Warn("refused an HTTP message", "reason", refusal.Error.Message)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusBadRequest)
				_ = json.NewEncoder(w).Encode(refusal)
				return
			}
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}
