package mcpserver

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/pipeline"
)

// Defaults of HandlerOptions.
const (
	DefaultMaxSessions        = 1000
	DefaultSessionIdleTimeout = 30 * time.Minute
)

// ErrTooManySessions is what SessionStore.Open returns at its limit.
var ErrTooManySessions = errors.New("too many MCP sessions")

// SessionStore keeps the live MCP sessions of the streamable HTTP
// transport (protocol versions before 2026-07-28, which have sessions).
// The one Handler makes by default keeps them in memory, for one process;
// replicas behind a load balancer would share one (Redis, say), and the
// key that signs session IDs as well.
type SessionStore interface {
	// Open records a new session, with its opening request running,
	// unless limit sessions are live: then it returns ErrTooManySessions.
	Open(id string, limit int, now time.Time) error
	// Begin marks a request of session id as running and reports whether
	// the session is live.
	Begin(id string, now time.Time) bool
	// End marks a request that Begin or Open started as done.
	End(id string, now time.Time)
	// Close ends session id, if live.
	Close(id string)
	// Expire ends the sessions idle since before (no request running,
	// none started or done since) and returns their IDs.
	Expire(before time.Time) []string
}

// memSessions is a SessionStore in memory.
type memSessions struct {
	mu sync.Mutex
	m  map[string]memSession
}

type memSession struct {
	running int32
	last    int64 // Unix nanoseconds: when a request last started or ended
}

func newMemSessions() *memSessions { return &memSessions{m: map[string]memSession{}} }

func (s *memSessions) Open(id string, limit int, now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= limit {
		return ErrTooManySessions
	}
	s.m[id] = memSession{running: 1, last: now.UnixNano()}
	return nil
}

func (s *memSessions) Begin(id string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss, ok := s.m[id]
	if ok {
		s.m[id] = memSession{running: ss.running + 1, last: now.UnixNano()}
	}
	return ok
}

func (s *memSessions) End(id string, now time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ss, ok := s.m[id]; ok {
		s.m[id] = memSession{running: ss.running - 1, last: now.UnixNano()}
	}
}

func (s *memSessions) Close(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

func (s *memSessions) Expire(before time.Time) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []string
	for id, ss := range s.m {
		if ss.running <= 0 && ss.last < before.UnixNano() {
			ids = append(ids, id)
			delete(s.m, id)
		}
	}
	if len(s.m) == 0 && len(ids) > 0 {
		s.m = map[string]memSession{} // a map keeps its buckets when emptied
	}
	return ids
}

// sessionIDs binds MCP session IDs to the agent that opened them: an ID is
// random bytes and an HMAC of them with the agent's name, so that a
// session ID presented with another agent's key is recognised as not its
// own without asking the store.
type sessionIDs struct{ key []byte }

func newSessionIDs() *sessionIDs {
	k := make([]byte, 32)
	if _, err := rand.Read(k); err != nil {
		panic(err)
	}
	return &sessionIDs{key: k}
}

const sessionPrefix = "zs_"

func (s *sessionIDs) mac(agent, id string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(agent + "\x00" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

func (s *sessionIDs) generate(agent string) string {
	b := make([]byte, 18)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	id := base64.RawURLEncoding.EncodeToString(b)
	return sessionPrefix + id + "." + s.mac(agent, id)
}

// owns reports whether sid was issued to agent.
func (s *sessionIDs) owns(agent, sid string) bool {
	rest, ok := strings.CutPrefix(sid, sessionPrefix)
	if !ok {
		return false
	}
	id, sig, ok := strings.Cut(rest, ".")
	return ok && hmac.Equal([]byte(sig), []byte(s.mac(agent, id)))
}

// sessionGate admits MCP requests to their sessions. A legacy initialize
// opens a session, unless the server has its maximum (503 with
// Retry-After). Every other request of a legacy client names its session:
// a missing one is 400, and one that is not the agent's, was ended with
// DELETE or idled out is 404, after which the MCP specification has the
// client start again with initialize. Requests of protocol 2026-07-28 and
// later have no sessions and pass.
//
// It is also mcp-go's SessionIdManagerResolver, so that the sessions it
// opens and ends are the ones the store knows.
type sessionGate struct {
	ids    *sessionIDs
	store  SessionStore
	max    int
	idle   time.Duration
	every  time.Duration // how often idle sessions are reaped
	now    func() time.Time
	logger *slog.Logger
	// transport is mcp-go's streamable HTTP server, which the gate
	// forwards to and whose per-session state it drops.
	transport *server.StreamableHTTPServer
	// stateless serves every request on its own, with no MCP session
	// (see HandlerOptions.Stateless).
	stateless bool
}

func newSessionGate(store SessionStore, limit int, idle time.Duration, logger *slog.Logger) *sessionGate {
	if store == nil {
		store = newMemSessions()
	}
	return &sessionGate{
		ids: newSessionIDs(), store: store, max: limit, idle: idle, logger: logger,
		every: min(max(idle/4, 50*time.Millisecond), time.Minute), now: time.Now,
	}
}

// newSessionKey carries the ID of the session an initialize opens, from
// the gate to Generate.
type newSessionKey struct{}

func (g *sessionGate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	agent, _ := pipeline.AgentFrom(r.Context())
	sid := r.Header.Get(server.HeaderKeySessionID)
	modern := mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion))
	parsed := true
	if r.Method == http.MethodPost {
		msg, err := peek(r)
		if err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				writeJSONError(w, http.StatusRequestEntityTooLarge, "body_too_large", fmt.Sprintf("An MCP message may have at most %d bytes.", tooBig.Limit))
				return
			}
			writeJSONError(w, http.StatusBadRequest, "bad_body", "The request body could not be read.")
			return
		}
		if msg.refusal != nil {
			g.logger.Warn("refused an HTTP message", "reason", msg.refusal.Error.Message)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			_ = json.NewEncoder(w).Encode(msg.refusal)
			return
		}
		parsed = msg.parsed
		modern = modern || mcp.IsModernProtocol(msg.Params.Meta.ProtocolVersion())
		if g.stateless {
			// Every request stands alone, on whichever replica it reaches:
			// no session is opened, and a session ID is ignored.
			g.transport.ServeHTTP(w, r)
			return
		}
		if msg.Method == string(mcp.MethodInitialize) && !modern {
			g.open(w, r, agent.Name)
			return
		}
	}
	if g.stateless {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", "POST")
			writeJSONError(w, http.StatusMethodNotAllowed, "stateless",
				"This server runs without MCP sessions (several replicas behind a load balancer): send each request as a POST; there is no stream to GET and no session to DELETE.")
			return
		}
		g.transport.ServeHTTP(w, r)
		return
	}
	if sid == "" {
		// A body that is not JSON-RPC gets mcp-go's parse error; HEAD and
		// the like its answer.
		sessionMethod := r.Method == http.MethodPost || r.Method == http.MethodGet || r.Method == http.MethodDelete
		if modern || !parsed || !sessionMethod {
			g.transport.ServeHTTP(w, r)
			return
		}
		writeJSONError(w, http.StatusBadRequest, "session_required",
			"This request needs the Mcp-Session-Id header of an MCP session. Start one with initialize; its answer carries the header.")
		return
	}
	if !g.ids.owns(agent.Name, sid) {
		g.logger.Warn("refused a session ID that belongs to another agent or to no one", "agent", agent.Name, "remote", r.RemoteAddr)
		writeJSONError(w, http.StatusNotFound, "session_not_found",
			"This server opened no MCP session with this ID for this agent key: it belongs to another agent, or predates a restart of the server. Start a new session with your own key: send initialize without an Mcp-Session-Id header.")
		return
	}
	if !g.store.Begin(sid, g.now()) {
		g.logger.Info("refused a session that has ended", "agent", agent.Name)
		writeJSONError(w, http.StatusNotFound, "session_not_found",
			fmt.Sprintf("This MCP session has ended: the client ended it (DELETE), or it was unused for %v. Start a new session: send initialize without an Mcp-Session-Id header.", g.idle))
		return
	}
	defer func() { g.store.End(sid, g.now()) }()
	g.transport.ServeHTTP(w, r)
}

// open serves an initialize in a new session.
func (g *sessionGate) open(w http.ResponseWriter, r *http.Request, agent string) {
	id := g.ids.generate(agent)
	if err := g.store.Open(id, g.max, g.now()); err != nil {
		retry := int(math.Ceil(g.every.Seconds()))
		w.Header().Set("Retry-After", strconv.Itoa(retry))
		if errors.Is(err, ErrTooManySessions) {
			g.logger.Warn("refused a new MCP session: the server has its maximum", "agent", agent, "max", g.max)
			writeJSONError(w, http.StatusServiceUnavailable, "too_many_sessions",
				fmt.Sprintf("The server has %d open MCP sessions, its maximum (--max-sessions). Retry in %d s: sessions unused for %v end. A client should end the sessions it no longer needs with DELETE.", g.max, retry, g.idle))
			return
		}
		g.logger.Error("cannot open an MCP session", "agent", agent, "err", err)
		writeJSONError(w, http.StatusServiceUnavailable, "session_store_unavailable", "The server cannot open a session now. Retry later.")
		return
	}
	g.transport.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), newSessionKey{}, id)))
	if w.Header().Get(server.HeaderKeySessionID) == id {
		g.store.End(id, g.now())
		return
	}
	// The initialize failed: the client never learnt the ID.
	g.store.Close(id)
	g.drop(id)
}

// message is what the gate needs of a JSON-RPC message.
type message struct {
	Method string `json:"method"`
	Params struct {
		Meta *mcp.Meta `json:"_meta"`
	} `json:"params"`
	parsed bool
	// refusal is set for a message the stdio filter would refuse too
	// (checkMessage: a key twice in one object, a request whose id is
	// null), which mcp-go must not read.
	refusal *rpcRefusal
}

// peek decodes r's body and leaves it to be read again.
func peek(r *http.Request) (message, error) {
	var msg message
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return msg, err
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	if trimmed := bytes.TrimSpace(body); len(trimmed) > 0 && trimmed[0] == '{' {
		msg.refusal = checkMessage(trimmed)
	}
	if json.Unmarshal(body, &msg) == nil {
		msg.parsed = true
	} else {
		// Params of another shape do not hide the method.
		var m struct{ Method string }
		msg.parsed = json.Unmarshal(body, &m) == nil
		msg.Method = m.Method
	}
	return msg, nil
}

// reap ends the sessions unused for the idle timeout.
func (g *sessionGate) reap() int {
	ids := g.store.Expire(g.now().Add(-g.idle))
	for _, id := range ids {
		g.drop(id)
	}
	if len(ids) > 0 {
		g.logger.Info("ended idle MCP sessions", "sessions", len(ids), "idle", g.idle)
	}
	return len(ids)
}

// reapEvery reaps idle sessions periodically until stop closes.
func (g *sessionGate) reapEvery(stop <-chan struct{}) {
	t := time.NewTicker(g.every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			g.reap()
		}
	}
}

// drop removes mcp-go's state of session id. mcp-go keeps each session
// (its ClientSession, with buffered channels, registered with the
// MCPServer and with the transport) until the client sends DELETE, or
// until its own idle sweeper (WithSessionIdleTTL) ends it; we leave that
// off, because it counts only POSTs as use and would end a session whose
// GET stream is open, and keep one notion of idleness, the store's. A
// DELETE through Handle, mcp-go's transport-agnostic entry, is its one
// way to drop the state of one session: it calls Terminate, then cleans up.
func (g *sessionGate) drop(id string) {
	w := &statusWriter{h: http.Header{}}
	g.transport.Handle(w, &server.HTTPRequest{
		Method:  http.MethodDelete,
		Header:  http.Header{server.HeaderKeySessionID: {id}},
		Context: context.Background(),
	})
	if w.status != http.StatusOK {
		g.logger.Warn("mcp-go did not drop an ended session", "status", w.status)
	}
}

// statusWriter is a server.HTTPResponseWriter that keeps only the status.
type statusWriter struct {
	h      http.Header
	status int
}

func (w *statusWriter) Header() http.Header { return w.h }
func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *statusWriter) Write(p []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(p), nil
}
func (w *statusWriter) Flush()          {}
func (w *statusWriter) CanStream() bool { return false }

// ResolveSessionIdManager implements server.SessionIdManagerResolver.
func (g *sessionGate) ResolveSessionIdManager(r *http.Request) server.SessionIdManager {
	if g.stateless {
		return &server.StatelessSessionIdManager{}
	}
	m := sessionManager{g: g}
	if r != nil {
		m.id, _ = r.Context().Value(newSessionKey{}).(string)
		if a, ok := pipeline.AgentFrom(r.Context()); ok {
			m.agent = a.Name
		}
	}
	return m
}

type sessionManager struct {
	g     *sessionGate
	id    string // the session the gate opened for this initialize
	agent string
}

// Generate hands mcp-go the session the gate opened. mcp-go asks only for
// an initialize, or for a GET without a session, which the gate refuses;
// should anything else ask, it gets an ID no store knows, whose use is a
// 404.
func (m sessionManager) Generate() string {
	if m.id != "" {
		return m.id
	}
	return m.g.ids.generate(m.agent)
}

// Validate checks the shape only: the gate has checked the agent and the
// store before mcp-go asks.
func (m sessionManager) Validate(sid string) (bool, error) {
	if !strings.HasPrefix(sid, sessionPrefix) || !strings.Contains(sid, ".") {
		return false, errInvalidSession
	}
	return false, nil
}

// Terminate ends a session: on DELETE, when mcp-go closes its sessions at
// shutdown, and when the gate drops one.
func (m sessionManager) Terminate(sid string) (bool, error) {
	m.g.store.Close(sid)
	return false, nil
}

type sessionError string

func (e sessionError) Error() string { return string(e) }

const errInvalidSession = sessionError("invalid session ID")
