// Package zoomfake simulates the part of Zoom's REST API v2 that the
// zoom-mcp client calls: Server-to-Server OAuth, meetings, registrants,
// webinars, users, cloud recordings and their files, transcripts, AI
// Companion meeting summaries and reports.
//
// A [Server] is an [http.Handler] with in-memory, concurrency-safe state. It
// answers like Zoom: the same status codes, JSON bodies, error codes and
// messages, scope checks, rate limits and pagination. Tests use it through
// httptest, the server's --sandbox mode in-process, and the simulator
// subcommand over a socket ([ListenAndServe]).
//
// The token endpoint is POST /oauth/token and the API lives under /v2, so a
// client uses "<base>/v2" as API base URL and "<base>" as OAuth base URL.
// Recording files are downloaded from the same host (see [DownloadPath]),
// with an access token in the Authorization header. Outside all of these,
// GET [StatsPath] answers the simulator's request counters, for tests that
// run it in another process.
package zoomfake

import (
	"context"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"path"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/zoommcp/zoom-mcp/internal/httpserve"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Plan is the account plan the simulator enforces rate limits for.
type Plan string

// The plans with distinct rate limits.
const (
	PlanFree     Plan = "free"
	PlanPro      Plan = "pro"
	PlanBusiness Plan = "business"
	// PlanUnlimited enforces no rate limit at all, not even the per-user
	// daily one: for benchmarks of a client or server, not of Zoom.
	PlanUnlimited Plan = "unlimited"
)

// Default credentials of the simulated Server-to-Server OAuth app.
const (
	DefaultAccountID    = "sandbox-account"
	DefaultClientID     = "sandbox-client"
	DefaultClientSecret = "sandbox-secret"
)

// Default credentials of the simulated user-managed OAuth app (see
// oauthuser.go): a second app of the account, of another type, whose
// tokens act for the user who authorized it.
const (
	DefaultUserClientID     = "sandbox-user-client"
	DefaultUserClientSecret = "sandbox-user-secret"
)

// DefaultTokenTTL is the lifetime of an access token, as on Zoom.
const DefaultTokenTTL = time.Hour

// maxBodyBytes caps a request body; Zoom's bodies are a few kilobytes.
const maxBodyBytes = 1 << 20

// Options configure a [Server]. The zero value is a seeded Pro account with
// the default credentials, every scope and real time.
type Options struct {
	// AccountID, ClientID and ClientSecret are the credentials the token
	// endpoint accepts. Defaults: DefaultAccountID, DefaultClientID and
	// DefaultClientSecret.
	AccountID, ClientID, ClientSecret string
	// Scopes are granted with each token. Default: every scope of every
	// endpoint the simulator serves (see [AllScopes]).
	Scopes []string
	// TokenTTL is how long an access token lives. Default: DefaultTokenTTL.
	TokenTTL time.Duration
	// InvalidatePrevious makes each new token invalidate the tokens issued
	// before it, as Zoom sometimes does for the same app.
	InvalidatePrevious bool
	// Plan selects the rate limits (see ratelimit.go). Default: PlanPro.
	Plan Plan
	// RateScale multiplies every per-second (and per-minute) limit: 0.2
	// makes them 5× stricter (Pro's Heavy 10/s becomes 2/s). Daily limits
	// are not scaled. 0 means 1.
	RateScale float64
	// Now is the clock. Default: time.Now. Tests inject a fake clock.
	Now func() time.Time
	// NoSeed starts with an empty account: only the account owner.
	NoSeed bool
	// SeedOnDemand fills the sample account (and builds the routes and
	// the default scopes) when first needed instead of in New, so that a
	// server starting on the sandbox does not pay for the sample account
	// (1 to 3 ms and a megabyte of allocations) before it can answer its
	// client: a Server-to-Server token request needs none of it. The
	// first request (or method) that reads or changes the account fills
	// it, once; concurrent requests wait for that one fill, and a request
	// whose context ends while it waits returns without an answer.
	// Without it, New seeds the account before it returns.
	SeedOnDemand bool
	// NoRateLimit disables the account's per-second and daily limits.
	NoRateLimit bool
	// NoUserDailyLimit disables the limit of 100 meeting and webinar
	// create and update requests a day per user.
	NoUserDailyLimit bool

	// UserClientID and UserClientSecret are the credentials of the
	// user-managed OAuth app (GET /oauth/authorize, the authorization_code
	// and refresh_token grants, POST /oauth/revoke). Defaults:
	// DefaultUserClientID and DefaultUserClientSecret.
	UserClientID, UserClientSecret string
	// UserScopes are granted with each token of the user-managed app.
	// Default: [DefaultUserScopes] of the server's scopes.
	UserScopes []string
	// RedirectURIs are the user-managed app's redirect URIs, besides the
	// http loopback ones (http://127.0.0.1:PORT/..., http://localhost:PORT/...
	// and http://[::1]:PORT/...) that are always accepted.
	RedirectURIs []string

	// WebhookURL, if set, receives the simulator's events by webhook, as
	// Zoom sends them (see webhook.go): signed with WebhookSecret
	// (default DefaultWebhookSecret), after an endpoint.url_validation
	// handshake, retried WebhookRetryDelays apart (default
	// DefaultWebhookRetryDelays; an empty non-nil list: no retry).
	WebhookURL, WebhookSecret string
	WebhookRetryDelays        []time.Duration
	// WebSocketSubscriptionID is the event subscription GET /ws serves
	// (see websocket.go). Default: DefaultWebSocketSubscriptionID.
	WebSocketSubscriptionID string
	// Logger logs event deliveries. Default: none.
	Logger *slog.Logger
}

// Server is the simulated Zoom API. It implements [http.Handler]. Create
// one with [New].
type Server struct {
	opts Options
	now  func() time.Time

	// mux is built by routes, once, in New or (with SeedOnDemand) at the
	// first request that reaches it.
	mux     *http.ServeMux
	muxOnce sync.Once

	// ready is closed once the account is seeded (see fill); filling is
	// set by the one caller that seeds it, and seeds counts the fills.
	ready   chan struct{}
	filling atomic.Bool
	seeds   atomic.Int32

	mu sync.Mutex
	// scopes are the Server-to-Server app's, set by scopesLocked when
	// first needed (scopesSet) unless Options.Scopes gives them.
	scopes    []string
	scopesSet bool

	tokens   map[string]*grant // access token -> what it allows until when
	counts   map[string]int64  // requests per operation ID, and per tokenOp
	requests int64
	limits   rateState
	pages    map[string]pageCursor
	seq      int64     // source of deterministic IDs
	oauth    userOAuth // the user-managed app's codes and grants
	hub      *hub      // event delivery (webhook.go)
	// base is the scheme and host the latest admin or event WebSocket
	// request reached: recording.completed's URLs point there.
	base string

	account
}

// tokenOp counts the token endpoint in Server.counts.
const tokenOp = "oauth.token"

// tokenPath is the token endpoint.
const tokenPath = "/oauth/token"

// New returns a simulator configured by opts.
func New(opts Options) *Server {
	if opts.AccountID == "" {
		opts.AccountID = DefaultAccountID
	}
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	if opts.UserClientID == "" {
		opts.UserClientID = DefaultUserClientID
	}
	if opts.UserClientSecret == "" {
		opts.UserClientSecret = DefaultUserClientSecret
	}
	if opts.TokenTTL <= 0 {
		opts.TokenTTL = DefaultTokenTTL
	}
	if opts.Plan == "" {
		opts.Plan = PlanPro
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.WebSocketSubscriptionID == "" {
		opts.WebSocketSubscriptionID = DefaultWebSocketSubscriptionID
	}
	s := &Server{
		hub:    newHub(opts),
		base:   "http://127.0.0.1",
		opts:   opts,
		now:    func() time.Time { return opts.Now().UTC() },
		tokens: make(map[string]*grant),
		counts: make(map[string]int64),
		pages:  make(map[string]pageCursor),
		oauth:  newUserOAuth(),
	}
	s.limits = newRateState()
	s.account = newAccount()
	s.ready = make(chan struct{})
	if opts.Scopes != nil {
		s.scopes, s.scopesSet = opts.Scopes, true
	}
	if !opts.SeedOnDemand {
		s.scopesLocked()
		s.seeded(context.Background())
		s.muxOnce.Do(s.routes)
	}
	return s
}

// scopesLocked returns the Server-to-Server app's scopes, computing the
// default (every scope) the first time. s.mu is held.
func (s *Server) scopesLocked() []string {
	if !s.scopesSet {
		s.scopes, s.scopesSet = AllScopes(), true
	}
	return s.scopes
}

// seeded waits until the account is seeded, seeding it if no one else
// is; it reports false if ctx ended first (the fill goes on). Every path
// that reads or changes the account goes through it first.
func (s *Server) seeded(ctx context.Context) bool {
	select {
	case <-s.ready:
		return true
	default:
	}
	if s.filling.CompareAndSwap(false, true) {
		s.fill()
		return true
	}
	select {
	case <-s.ready:
		return true
	case <-ctx.Done():
		return false
	}
}

// fill seeds the account and sets the user app's scopes, then closes
// s.ready. Only the caller that set s.filling runs it.
func (s *Server) fill() {
	defer close(s.ready)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.oauth.scopes = s.opts.UserScopes
	if s.oauth.scopes == nil {
		s.oauth.scopes = DefaultUserScopes(AllScopes())
	}
	s.seed(!s.opts.NoSeed)
	s.seeds.Add(1)
}

// AllScopes returns every scope of every endpoint the simulator serves,
// without duplicates: those of zoomapi.Endpoints in table order, then those
// of the operations the simulator declares itself (see specOperations).
func AllScopes() []string { return slices.Clone(allScopes()) }

var allScopes = sync.OnceValue(func() []string {
	seen := make(map[string]bool)
	var out []string
	for _, op := range operations() {
		for _, sc := range op.Scopes() {
			if !seen[sc] {
				seen[sc] = true
				out = append(out, sc)
			}
		}
	}
	return out
})

// SetScopes changes the scopes the app is granted. As on Zoom, a token
// carries the scopes it was issued with; so that a change shows at once,
// SetScopes also expires every token issued so far (they answer code 124,
// and a client's next token carries the new scopes). An empty list grants
// nothing.
func (s *Server) SetScopes(scopes []string) {
	s.seeded(context.Background())
	s.mu.Lock()
	defer s.mu.Unlock()
	s.scopes, s.scopesSet = append([]string(nil), scopes...), true
	s.expireTokensLocked()
}

// ExpireTokens makes every token issued so far answer code 124.
func (s *Server) ExpireTokens() {
	s.seeded(context.Background())
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expireTokensLocked()
}

func (s *Server) expireTokensLocked() {
	now := s.now()
	for _, g := range s.tokens {
		g.expires = now
	}
}

// Requests returns how many API requests and file downloads (token
// requests excluded) the simulator has received, rejected ones included.
func (s *Server) Requests() int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

// TokenRequests returns how many requests reached the token endpoint.
func (s *Server) TokenRequests() int64 {
	return s.RequestsFor(tokenOp)
}

// RequestsFor returns how many requests reached the endpoint with Zoom's
// operation ID op (see zoomapi.Op*), rejected ones included. File
// downloads count as [DownloadOp].
func (s *Server) RequestsFor(op string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[op]
}

// StatsPath is the simulator's own endpoint for tests, outside /v2 and so
// no Zoom endpoint: GET answers [Stats] as JSON, without a token, and is
// not counted itself. Tests of a simulator in another process use it to
// prove that a call reached Zoom, or did not.
const StatsPath = "/_simulator/stats"

// Stats are the simulator's request counters, as GET [StatsPath] answers
// them.
type Stats struct {
	// Requests is [Server.Requests]: API requests and file downloads, token
	// requests excluded.
	Requests int64 `json:"requests"`
	// ByOperation is [Server.RequestsFor] of every operation ID that was
	// requested at least once; the token endpoint counts as "oauth.token"
	// (its every grant), the user app's authorize and revoke endpoints as
	// "oauth.authorize" and "oauth.revoke",
	// file downloads as [DownloadOp].
	ByOperation map[string]int64 `json:"by_operation"`
	// RateLimited counts the 429s the simulator answered for its rate
	// limits; RateLimitedBy splits them by category and type, e.g.
	// "Heavy QPS", "Light Daily-limit", "Light User-daily-limit".
	RateLimited   int64            `json:"rate_limited"`
	RateLimitedBy map[string]int64 `json:"rate_limited_by,omitempty"`
	// Webhooks counts webhook deliveries when a webhook URL is set.
	Webhooks *WebhookStats `json:"webhooks,omitempty"`
}

// stats answers GET StatsPath.
func (s *Server) stats(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	st := Stats{Requests: s.requests, ByOperation: maps.Clone(s.counts), RateLimited: s.limits.total}
	if len(s.limits.limited) > 0 {
		st.RateLimitedBy = maps.Clone(s.limits.limited)
	}
	s.mu.Unlock()
	if s.opts.WebhookURL != "" {
		ws := s.WebhookStats()
		st.Webhooks = &ws
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, st)
}

// ServeHTTP answers one request like Zoom.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The token endpoint waits for the seed itself, for the grants that
	// need the account (see token): a Server-to-Server token needs none.
	if r.URL.Path != tokenPath && !s.seeded(r.Context()) {
		return
	}
	// ServeMux would redirect a path with "." or ".." segments or double
	// slashes; Zoom does not know such a route.
	if p := r.URL.EscapedPath(); p == "" || path.Clean(p) != p {
		writeError(w, notFound(codeNotFound, "Not Found"))
		return
	}
	if r.Method == http.MethodPost && r.URL.Path == tokenPath {
		// The one request of a server starting on the sandbox: it needs
		// neither the routes nor the account.
		s.token(w, r)
		return
	}
	s.muxOnce.Do(s.routes)
	s.mux.ServeHTTP(w, r)
}

// ListenAndServe serves a simulator configured by opts on addr until ctx is
// done, then shuts it down gracefully. ready, if not nil, is called with the
// listening address (useful with addr "127.0.0.1:0").
func ListenAndServe(ctx context.Context, addr string, opts Options, ready func(net.Addr)) error {
	s := New(opts)
	stop := context.AfterFunc(ctx, s.Close) // event WebSockets are hijacked: Shutdown does not end them
	defer stop()
	defer s.Close()
	return httpserve.Serve(ctx, addr, s, nil, ready)
}

// call is one authorized API request being answered.
type call struct {
	ep   zoomapi.Endpoint
	r    *http.Request
	body []byte
	now  time.Time
	// grant is what the request's access token allows, set once the token
	// is checked.
	grant *grant
}

// result is what a handler answers: a status and a body (nil: no body).
type result struct {
	status int
	body   any
}

type handler func(s *Server, c *call) (result, *apiError)

// handlers maps each operation ID of zoomapi.Endpoints to its handler.
// operations panics when an endpoint of the table has neither a handler
// nor a declaration of the simulator's own, so that the table and the
// simulator cannot drift apart.
var handlers = map[string]handler{
	zoomapi.OpListMeetings:              (*Server).listMeetings,
	zoomapi.OpCreateMeeting:             (*Server).createMeeting,
	zoomapi.OpGetMeeting:                (*Server).getMeeting,
	zoomapi.OpUpdateMeeting:             (*Server).updateMeeting,
	zoomapi.OpDeleteMeeting:             (*Server).deleteMeeting,
	zoomapi.OpUpdateMeetingStatus:       (*Server).updateMeetingStatus,
	zoomapi.OpListMeetingRegistrants:    (*Server).listMeetingRegistrants,
	zoomapi.OpAddMeetingRegistrant:      (*Server).addMeetingRegistrant,
	zoomapi.OpUpdateRegistrantStatus:    (*Server).updateRegistrantStatus,
	zoomapi.OpListWebinars:              (*Server).listWebinars,
	zoomapi.OpCreateWebinar:             (*Server).createWebinar,
	zoomapi.OpGetWebinar:                (*Server).getWebinar,
	zoomapi.OpUpdateWebinar:             (*Server).updateWebinar,
	zoomapi.OpDeleteWebinar:             (*Server).deleteWebinar,
	zoomapi.OpListWebinarRegistrants:    (*Server).listWebinarRegistrants,
	zoomapi.OpAddWebinarRegistrant:      (*Server).addWebinarRegistrant,
	zoomapi.OpListUsers:                 (*Server).listUsers,
	zoomapi.OpGetUser:                   (*Server).getUser,
	zoomapi.OpCreateUser:                (*Server).createUser,
	zoomapi.OpListRecordings:            (*Server).listRecordings,
	zoomapi.OpGetMeetingRecordings:      (*Server).getMeetingRecordings,
	zoomapi.OpDeleteMeetingRecordings:   (*Server).deleteMeetingRecordings,
	zoomapi.OpReportMeetings:            (*Server).reportMeetings,
	zoomapi.OpReportMeetingDetails:      (*Server).reportMeetingDetails,
	zoomapi.OpReportMeetingParticipants: (*Server).reportMeetingParticipants,
}

// operation is an endpoint the simulator answers, with its handler.
type operation struct {
	zoomapi.Endpoint
	h handler
}

// operations lists every endpoint the simulator serves: first its own
// declarations (specOperations), then the endpoints of zoomapi.Endpoints
// it does not declare itself. An operation the simulator declares wins
// over the table's entry of the same ID, so that the simulator answers as
// Zoom's documents say even where the client's table says otherwise.
func operations() []operation {
	ops := make([]operation, 0, len(specOperations)+len(zoomapi.Endpoints))
	own := make(map[string]bool, len(specOperations))
	for _, op := range specOperations {
		own[op.ID] = true
		ops = append(ops, op)
	}
	for _, ep := range zoomapi.Endpoints {
		if own[ep.ID] {
			continue
		}
		h, ok := handlers[ep.ID]
		if !ok {
			panic("zoomfake: no handler for endpoint " + ep.ID)
		}
		ops = append(ops, operation{Endpoint: ep, h: h})
	}
	return ops
}

func (s *Server) routes() {
	s.mux = http.NewServeMux()
	s.mux.HandleFunc("POST "+tokenPath, s.token)
	s.mux.HandleFunc("GET /oauth/authorize", s.authorizeCode)
	s.mux.HandleFunc("POST /oauth/revoke", s.revoke)
	s.mux.HandleFunc("GET "+StatsPath, s.stats)
	s.adminRoutes()
	s.mux.HandleFunc("GET "+WebSocketPath, s.serveWebSocket)
	for _, op := range operations() {
		s.mux.Handle(op.Method+" /v2"+op.Path, s.api(op.Endpoint, op.h))
	}
	for _, p := range filePaths {
		s.mux.HandleFunc("GET "+p+"{fileId}", s.download)
	}
	s.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests++
		s.mu.Unlock()
		writeError(w, notFound(codeNotFound, "Not Found"))
	})
}

// api wraps h with what every API request goes through: the bearer token,
// the scopes, and the account's rate limits.
func (s *Server) api(ep zoomapi.Endpoint, h handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the body before taking the lock: a slow client must not
		// stall the simulator.
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
		if err != nil {
			writeError(w, errBadJSON())
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		s.requests++
		s.counts[ep.ID]++
		s.base = baseURL(r)
		c := &call{ep: ep, r: r, body: body, now: s.now()}
		if e := s.authorize(c); e != nil {
			writeError(w, e)
			return
		}
		if e := s.limits.take(s, c, w.Header()); e != nil {
			writeError(w, e)
			return
		}
		res, e := h(s, c)
		if e != nil {
			writeError(w, e)
			return
		}
		if res.body == nil {
			w.WriteHeader(res.status)
			return
		}
		writeJSON(w, res.status, res.body)
	})
}
