package mcpserver

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"

	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/pipeline"
)

// Authenticator maps an agent's API key to the agent.
type Authenticator interface {
	Authenticate(key string) (pipeline.Agent, bool)
}

// sessions binds MCP session IDs to the agent that opened them: an ID is
// random bytes and an HMAC of them with the agent's name, so that no
// state is kept and a session ID presented with another agent's key is
// recognised as not its own.
type sessions struct{ key []byte }

func newSessions() *sessions {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return &sessions{key: k}
}

const sessionPrefix = "zs_"

func (s *sessions) mac(agent, id string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(agent + "\x00" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

func (s *sessions) generate(agent string) string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	return sessionPrefix + id + "." + s.mac(agent, id)
}

// owns reports whether sid was issued to agent.
func (s *sessions) owns(agent, sid string) bool {
	rest, ok := strings.CutPrefix(sid, sessionPrefix)
	if !ok {
		return false
	}
	id, sig, ok := strings.Cut(rest, ".")
	return ok && hmac.Equal([]byte(sig), []byte(s.mac(agent, id)))
}

// ResolveSessionIdManager implements server.SessionIdManagerResolver: a
// new session's ID is bound to the agent of the request that opened it.
func (s *sessions) ResolveSessionIdManager(r *http.Request) server.SessionIdManager {
	agent := ""
	if r != nil {
		if a, ok := pipeline.AgentFrom(r.Context()); ok {
			agent = a.Name
		}
	}
	return sessionManager{s: s, agent: agent}
}

type sessionManager struct {
	s     *sessions
	agent string
}

func (m sessionManager) Generate() string { return m.s.generate(m.agent) }

// Validate leaves the agent check to the HTTP middleware, which answers
// with a message; here only the shape is checked (the sweeper has no
// request).
func (m sessionManager) Validate(sid string) (bool, error) {
	if !strings.HasPrefix(sid, sessionPrefix) || !strings.Contains(sid, ".") {
		return false, errInvalidSession
	}
	return false, nil
}

func (m sessionManager) Terminate(string) (bool, error) { return false, nil }

type sessionError string

func (e sessionError) Error() string { return string(e) }

const errInvalidSession = sessionError("invalid session ID")

// authenticate puts the calling agent into the request context. With an
// Authenticator, a request must carry "Authorization: Bearer <key>" of a
// defined agent (401 with WWW-Authenticate otherwise), and a session ID
// must be one issued to that agent (403). Without one, every request is
// the local agent's.
func authenticate(auth Authenticator, local pipeline.Agent, ss *sessions, logger *slog.Logger, next http.Handler) http.Handler {
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
		if sid := r.Header.Get(server.HeaderKeySessionID); sid != "" && !ss.owns(agent.Name, sid) {
			logger.Warn("refused a session ID that belongs to another agent or to no one", "agent", agent.Name, "remote", r.RemoteAddr)
			writeJSONError(w, http.StatusForbidden, "session_not_yours",
				"This MCP session was not opened with this agent key. Open a new session (initialize) with your own key.")
			return
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

// agentContext is the stdio context function: every request is the one
// agent's.
func agentContext(a pipeline.Agent) server.StdioContextFunc {
	return func(ctx context.Context) context.Context { return pipeline.WithAgent(ctx, a) }
}
