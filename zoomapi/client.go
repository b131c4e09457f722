// Package zoomapi is a typed client for the Zoom REST API v2: one service
// per area, typed errors, pagination, and pacing inside Zoom's rate limits.
//
// Every call is declared once in the Endpoints table, which carries its
// scopes and rate-limit label; the client, the tools and the simulator all
// derive from it.
package zoomapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/google/go-querystring/query"
	"golang.org/x/oauth2"

	"github.com/zoommcp/zoom-mcp/auth"
	"github.com/zoommcp/zoom-mcp/limits"
)

// DefaultBaseURL is the Zoom REST API v2 base URL.
const DefaultBaseURL = "https://api.zoom.us/v2"

const userAgent = "zoom-mcp"

// Client talks to the Zoom REST API. It is safe for concurrent use.
type Client struct {
	baseURL *url.URL
	http    *http.Client
	tokens  auth.TokenSource
	// limiter paces calls per account and category; nil paces nothing
	// (WithoutPacing, PlanUnlimited). counter counts Zoom's daily limits
	// before calls are sent; nil counts nothing.
	limiter  limits.Limiter
	counter  limits.Counter
	account  string // the limiter's and counter's account (see WithLimiter)
	plan     Plan
	noPacing bool
	observer Observer
	now      func() time.Time
	// maxRetryWait bounds how long a call waits on a per-second rate limit
	// before retrying it; longer waits are returned as *RateLimitError.
	maxRetryWait time.Duration
	maxRetries   int
	// readAttempts is how many times in all a read is tried when Zoom
	// fails (see WithReadRetry); the backoff between tries starts at
	// retryBase and doubles up to retryMax.
	readAttempts        int
	retryBase, retryMax time.Duration
	maxQueue            int      // see WithMaxQueue
	secrets             []string // scrubbed from every error (see WithSecrets)

	Meetings   *MeetingsService
	Webinars   *WebinarsService
	Users      *UsersService
	Recordings *RecordingsService
	Reports    *ReportsService
}

type service struct{ client *Client }

// Option configures a Client.
type Option func(*Client) error

// WithBaseURL points the client at another Zoom-compatible API, such as
// ZoomGov or the simulator. The URL includes the version path ("/v2").
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		u, err := url.Parse(strings.TrimRight(raw, "/"))
		if err != nil || u.Scheme == "" || u.Host == "" {
			return fmt.Errorf("invalid Zoom API base URL %q: want an absolute URL such as %s", raw, DefaultBaseURL)
		}
		c.baseURL = u
		return nil
	}
}

// WithHTTPClient sets the HTTP client for API calls.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error { c.http = hc; return nil }
}

// WithTokenSource sets where access tokens come from. It is required.
func WithTokenSource(ts auth.TokenSource) Option {
	return func(c *Client) error { c.tokens = ts; return nil }
}

// WithPlan sets the Zoom plan whose published limits are the limiter's
// starting rates and the daily counters' caps. The default is PlanPro;
// PlanUnlimited paces and counts nothing.
func WithPlan(p Plan) Option {
	return func(c *Client) error {
		if _, ok := planLimits[p]; !ok && p != PlanUnlimited {
			return fmt.Errorf("unknown Zoom plan %q: want free, pro, business or unlimited", p)
		}
		c.plan = p
		return nil
	}
}

// WithoutPacing turns off the per-second limiter (Zoom's limits still
// apply, and the daily counters still count).
func WithoutPacing() Option {
	return func(c *Client) error { c.noPacing = true; return nil }
}

// WithLimiter sets the rate limiter, such as a limits.Redis shared by
// replicas, and the account its keys are under (replicas of one Zoom
// account must use the same). The default is a limits.Memory of this
// client alone.
func WithLimiter(l limits.Limiter, account string) Option {
	return func(c *Client) error { c.limiter, c.account = l, account; return nil }
}

// WithCounter sets the daily counters, such as a limits.RedisCounter
// shared by replicas. The default is a limits.MemoryCounter.
func WithCounter(ctr limits.Counter) Option {
	return func(c *Client) error { c.counter = ctr; return nil }
}

// WithRetryOnRateLimit sets how often, and for how long at most, a call that
// hit a per-second rate limit is retried. Zero retries disables it.
func WithRetryOnRateLimit(retries int, maxWait time.Duration) Option {
	return func(c *Client) error { c.maxRetries, c.maxRetryWait = retries, maxWait; return nil }
}

// WithReadRetry sets how a read (GET) is retried when Zoom fails: a 5xx
// answer, a connection reset, a timeout of the attempt, a truncated or
// unparseable 2xx body. attempts counts the first try (1 disables retries);
// the waits between tries are jittered and grow from base, doubling, up to
// maxWait, and never reach past the context's deadline. Writes are never
// retried on such faults: Zoom may have applied them. The default is 4
// attempts, 100 ms, 2 s.
func WithReadRetry(attempts int, base, maxWait time.Duration) Option {
	return func(c *Client) error {
		if attempts < 1 || (attempts > 1 && (base <= 0 || maxWait < base)) {
			return fmt.Errorf("zoomapi: WithReadRetry(%d, %v, %v): want attempts >= 1 and 0 < base <= maxWait", attempts, base, maxWait)
		}
		c.readAttempts, c.retryBase, c.retryMax = attempts, base, maxWait
		return nil
	}
}

// WithMaxQueue bounds how many calls may wait in the rate limiter for one
// rate-limit label (Light, Medium, Heavy) of the account; past it a call is
// refused at once with *QueueFullError instead of queueing without end. The
// default is DefaultMaxQueue.
func WithMaxQueue(n int) Option {
	return func(c *Client) error {
		if n < 1 {
			return fmt.Errorf("zoomapi: WithMaxQueue(%d): want at least 1", n)
		}
		c.maxQueue = n
		return nil
	}
}

// WithSecrets names strings, such as the OAuth client secret, that must
// never appear in an error the client returns: they are replaced with
// "[redacted]" in Zoom's error text, as are the access token of the call
// and anything that looks like a credential (see Scrub). NewS2SClient
// passes the client secret.
func WithSecrets(secrets ...string) Option {
	return func(c *Client) error {
		for _, s := range secrets {
			if s != "" {
				c.secrets = append(c.secrets, s)
			}
		}
		return nil
	}
}

// WithClock sets the clock used for rate-limit arithmetic (tests).
func WithClock(now func() time.Time) Option {
	return func(c *Client) error { c.now = now; return nil }
}

// NewClient returns a client. WithTokenSource is required.
func NewClient(opts ...Option) (*Client, error) {
	base, _ := url.Parse(DefaultBaseURL)
	c := &Client{
		baseURL:      base,
		http:         &http.Client{Timeout: 60 * time.Second},
		plan:         PlanPro,
		observer:     nopObserver{},
		now:          time.Now,
		maxRetries:   5,
		maxRetryWait: 30 * time.Second,
		readAttempts: 4,
		retryBase:    100 * time.Millisecond,
		retryMax:     2 * time.Second,
		maxQueue:     DefaultMaxQueue,
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if c.tokens == nil {
		return nil, errors.New("zoomapi: no token source: use WithTokenSource")
	}
	switch {
	case c.plan == PlanUnlimited:
		c.limiter, c.counter = nil, nil
	case c.noPacing:
		c.limiter = nil
	case c.limiter == nil:
		c.limiter = limits.NewMemory()
	}
	if c.counter == nil && c.plan != PlanUnlimited {
		c.counter = limits.NewMemoryCounter()
	}
	s := service{c}
	c.Meetings = (*MeetingsService)(&s)
	c.Webinars = (*WebinarsService)(&s)
	c.Users = (*UsersService)(&s)
	c.Recordings = (*RecordingsService)(&s)
	c.Reports = (*ReportsService)(&s)
	return c, nil
}

// GrantedScopes returns the scopes Zoom granted with the access token,
// fetching a token if there is none yet. An empty list means Zoom did not
// say.
func (c *Client) GrantedScopes(ctx context.Context) ([]string, error) {
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return nil, err
	}
	return auth.GrantedScopes(tok), nil
}

// AccessToken returns the client's current access token, fetching one if
// needed: for connections Zoom authenticates with it outside the REST API
// (the event WebSocket). It must never be logged.
func (c *Client) AccessToken(ctx context.Context) (string, error) {
	tok, err := c.tokens.Token(ctx)
	if err != nil {
		return "", err
	}
	return tok.AccessToken, nil
}

// BaseURL returns the API base URL.
func (c *Client) BaseURL() string { return c.baseURL.String() }

// Response is a Zoom API response: the HTTP response and the rate-limit
// state Zoom reported with it. The body has been read and closed.
type Response struct {
	*http.Response
	Rate Rate
}

// call describes one request to an endpoint of the table.
type call struct {
	op    string   // operation ID in Endpoints
	path  []string // path parameter values, in order, already escaped (see PathEscape)
	query any      // struct with `url` tags, url.Values, or nil
	body  any      // JSON request body, or nil
}

// do sends a request to an endpoint of the table and decodes a 2xx JSON
// answer into out (if non-nil). Under a dry run, a request that is not a
// read is returned as a *DryRunError instead of being sent.
func (c *Client) do(ctx context.Context, r call, out any) (*Response, error) {
	ep := MustEndpoint(r.op)
	u, err := c.url(ep, r)
	if err != nil {
		return nil, err
	}
	var body []byte
	if r.body != nil {
		if body, err = json.Marshal(r.body); err != nil {
			return nil, fmt.Errorf("zoomapi: encoding %s body: %w", ep.ID, err)
		}
	}
	if isDryRun(ctx) && ep.Method != http.MethodGet {
		return nil, plan(ep, u, body)
	}
	return c.run(ctx, &request{ep: ep, url: u, path: relPath(u), body: body,
		accept: "application/json", read: readJSON(ep, out), user: dailyUser(ep, r.path)})
}

// request is one logical request, sent once or more by run.
type request struct {
	ep     Endpoint // its method, its ID for errors, its rate-limit label for pacing
	url    string
	path   string // for the trace: no query, nothing secret
	body   []byte // JSON, or nil
	accept string
	// read reads a 2xx answer; secrets are to be scrubbed from its errors.
	read func(ctx context.Context, hr *http.Response, secrets []string) error
	// http sends it; nil means the client's.
	http *http.Client
	// secrets are scrubbed from errors besides the client's and the token.
	secrets []string
	// user is the user whose per-user daily limit the call counts against
	// (DailyUserLimit), "" if none or unknown.
	user string
}

// maxTokenRenewals bounds how often one call replaces a token Zoom refused
// (code 124) before returning the *InvalidTokenError.
const maxTokenRenewals = 3

// run sends r, paced, with a fresh token, and retries it:
//   - an expired or invalid token (code 124) is replaced and the call
//     retried, as long as the token source hands out a token other than the
//     one just refused, up to maxTokenRenewals times;
//   - a per-second rate limit (429) lowers the limiter's rate for the
//     category and is retried at Zoom's Retry-After, ahead of the calls
//     waiting, within the WithRetryOnRateLimit bounds; a daily one is not;
//   - a read (GET) that met a fault (see retryable) is retried with jittered
//     exponential backoff, within WithReadRetry bounds. A write is not: Zoom
//     may have applied it.
//
// Each attempt is admitted by the limiter (see limits.Limiter) and recorded
// in the context's trace and the observer; Zoom's rate headers and 429s are
// fed back to the limiter. Zoom's daily limits are counted before the
// first attempt: a call over one is refused with *RateLimitError{Daily}
// and never sent. No wait reaches past the context's deadline: a slot
// beyond it is refused at once (*QueueFullError), or the error in hand is
// returned. A context that ends stops the call at once, and a call whose
// context ended while it waited for the limiter or a token is not sent.
func (c *Client) run(ctx context.Context, r *request) (*Response, error) {
	ep := r.ep
	var (
		renewals, rateRetries, faults int
		refused                       *oauth2.Token // the token Zoom just refused
		last                          *Response     // and the answer it came with
		lastErr                       error
		pending                       *limits.Reservation // the slot of a 429's retry
		// renewed is the slot of a call whose token Zoom refused (124):
		// Zoom checks the token before its rate limit, so the retry with
		// a new token keeps the slot instead of queueing again at the back.
		renewed       *limits.Reservation
		counts        []dailyCount // taken before the first attempt
		counted, sent bool
	)
	unsent := func() {
		if !sent {
			c.uncount(ctx, counts)
		}
	}
	for {
		retrying429 := pending != nil
		var (
			res limits.Reservation
			err error
		)
		if renewed != nil {
			res, renewed = *renewed, nil
		} else {
			res, err = c.admit(ctx, ep, pending)
		}
		pending = nil
		if err != nil {
			unsent()
			if retrying429 && !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				// The retry's slot moved past the deadline: the 429 stands.
				return last, lastErr
			}
			return nil, err
		}
		if !counted {
			if counts, err = c.count(ctx, r); err != nil {
				c.release(ctx, res)
				return nil, err
			}
			counted = true
		}
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			c.release(ctx, res)
			unsent()
			return nil, err
		}
		if refused != nil && tok.AccessToken == refused.AccessToken {
			// The source has no other token: retrying is pointless.
			return last, lastErr
		}
		// The wait may have outlived the caller: send nothing then.
		if err := ctx.Err(); err != nil {
			c.release(ctx, res)
			unsent()
			return nil, err
		}
		start := time.Now()
		resp, err := c.send(ctx, r, tok)
		sent = true
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		c.observer.Request(ep.ID, status, time.Since(start))
		record(ctx, ep.Method, r.path, status, err)
		var rle *RateLimitError
		is429 := errors.As(err, &rle)
		next := c.feedback(ctx, ep, res, resp, rle)
		c.syncDaily(ctx, r, resp, rle, counts)
		if err == nil {
			return resp, nil
		}
		refused = nil
		var ite *InvalidTokenError
		switch {
		case errors.As(err, &ite):
			if renewals < maxTokenRenewals {
				renewals++
				refused, last, lastErr = tok, resp, err
				c.tokens.Invalidate(tok)
				c.observer.Retried(ep.ID, "token")
				renewed = &res
				continue
			}
		case is429:
			wait := rle.RetryAfter(c.now())
			if !rle.Daily && rateRetries < c.maxRetries && wait <= c.maxRetryWait {
				if c.limiter != nil && next != nil {
					// The limiter holds the retry's slot, at Retry-After.
					c.observer.RateLimited(ep.RateLimit, false, false)
					c.observer.Retried(ep.ID, "rate_limit")
					rateRetries++
					pending, last, lastErr = next, resp, err
					continue
				}
				if (c.limiter == nil || !c.paced(ep)) && fitsDeadline(ctx, wait) {
					c.observer.RateLimited(ep.RateLimit, false, false)
					if err := c.progressHooks(ctx, "Zoom answered 429 (per-second limit): waiting to retry").SleepFor(ctx, wait); err != nil {
						return resp, err
					}
					c.observer.Retried(ep.ID, "rate_limit")
					rateRetries++
					continue
				}
			}
			if next != nil {
				c.release(ctx, *next)
			}
			c.observer.RateLimited(ep.RateLimit, rle.Daily, true)
		case ep.Method == http.MethodGet && retryable(err) && faults+1 < c.readAttempts:
			wait := backoff(c.retryBase, c.retryMax, faults)
			if fitsDeadline(ctx, wait) {
				if err := limits.Sleep(ctx, wait); err != nil {
					return resp, err
				}
				faults++
				c.observer.Retried(ep.ID, "fault")
				continue
			}
		}
		return resp, err
	}
}

// paced reports whether the limiter paces ep's label.
func (c *Client) paced(ep Endpoint) bool {
	_, ok := limiterParams(c.plan, ep.RateLimit, c.maxQueue)
	return c.limiter != nil && ok
}

func (c *Client) key(label RateLimit) limits.Key {
	return limits.Key{Account: c.account, Category: string(label)}
}

// progressHooks reports the waits of ctx's calls to its ProgressFunc.
func (c *Client) progressHooks(ctx context.Context, reason string) limits.Hooks {
	var h limits.Hooks
	if fn := progressFrom(ctx); fn != nil {
		h.Progress = func(waited, expected time.Duration) { fn(waited, expected, reason) }
	}
	return h
}

// admit waits for the limiter to admit an attempt at ep: for pending, the
// slot Zoom's 429 left the retry, if set, else a new one. A slot beyond the
// deadline or the queue bound is refused with *QueueFullError, a limiter
// that failed with *LimiterUnavailableError.
func (c *Client) admit(ctx context.Context, ep Endpoint, pending *limits.Reservation) (limits.Reservation, error) {
	p, ok := limiterParams(c.plan, ep.RateLimit, c.maxQueue)
	if c.limiter == nil || !ok {
		return limits.Reservation{}, nil
	}
	reason := fmt.Sprintf("waiting for a slot under Zoom's %s rate limit", ep.RateLimit)
	if pending != nil {
		reason = "Zoom answered 429 (per-second limit): waiting to retry"
	}
	h := c.progressHooks(ctx, reason)
	var (
		res    limits.Reservation
		waited time.Duration
		err    error
	)
	if pending != nil {
		res, waited, err = limits.WaitFor(ctx, c.limiter, *pending, p, h)
	} else {
		res, waited, err = limits.Wait(ctx, c.limiter, c.key(ep.RateLimit), p, h)
	}
	c.observer.Waited(ep.RateLimit, waited)
	if err == nil {
		return res, nil
	}
	var (
		re *limits.RefusedError
		ue *limits.UnavailableError
	)
	switch {
	case errors.As(err, &re):
		c.observer.Refused(ep.ID, "queue_full")
		return res, &QueueFullError{Category: ep.RateLimit, Waiting: re.Ahead, RetryAfter: re.RetryAfter, BeyondDeadline: re.BeyondDeadline}
	case errors.As(err, &ue):
		return res, &LimiterUnavailableError{Endpoint: ep.ID, Err: err}
	}
	return res, err
}

// release gives back a slot that will not be used.
func (c *Client) release(ctx context.Context, res limits.Reservation) {
	if c.limiter != nil && res.Key != (limits.Key{}) {
		_ = c.limiter.Cancel(context.WithoutCancel(ctx), res)
	}
}

// feedback tells the limiter what Zoom answered, and returns the slot of
// the retry of a per-second 429, if the limiter has one within the
// deadline.
func (c *Client) feedback(ctx context.Context, ep Endpoint, res limits.Reservation, resp *Response, rle *RateLimitError) *limits.Reservation {
	p, ok := limiterParams(c.plan, ep.RateLimit, c.maxQueue)
	if c.limiter == nil || !ok || resp == nil {
		return nil
	}
	fb := limits.Feedback{Type: resp.Rate.Type, Limit: resp.Rate.Limit, Remaining: resp.Rate.Remaining, Epoch: res.Epoch, Slot: res.Slot}
	switch {
	case rle != nil && rle.Daily:
		return nil // counted, not paced
	case rle != nil:
		fb.TooMany, fb.RetryAfter = true, rle.RetryAfter(c.now())
	case !fb.QPS() || fb.Limit <= 0:
		return nil // nothing to learn
	}
	if dl, ok := ctx.Deadline(); ok {
		p.MaxWait = max(time.Until(dl), time.Nanosecond)
	}
	next, err := c.limiter.Observe(ctx, c.key(ep.RateLimit), p, fb)
	if err != nil {
		// The answer is in hand; the next admission reports the limiter.
		return nil
	}
	return next
}

// dailyCount is one daily counter a call was counted against.
type dailyCount struct {
	key     string
	limit   int
	perUser bool
	count   int // after the call was counted
}

func (c *Client) accountDailyKey(label RateLimit) string {
	return "zoom:" + c.account + ":" + string(dailyCategory(label))
}

func (c *Client) userDailyKey(user string) string { return "zoom-user:" + c.account + ":" + user }

// dailyUser is the user a DailyLimited call counts against: the userId of
// a create (the path's first value); updates name a meeting or webinar,
// whose host the client does not know, and are not counted here.
func dailyUser(ep Endpoint, path []string) string {
	if !ep.DailyLimited || !strings.HasPrefix(ep.Path, "/users/{userId}") || len(path) == 0 {
		return ""
	}
	u, err := url.PathUnescape(path[0])
	if err != nil {
		u = path[0]
	}
	return strings.ToLower(u)
}

// count counts r against Zoom's daily limits before it is sent: the
// account's quota of its category on the plan, and the user's meeting and
// webinar creates. A call over one is refused with *RateLimitError{Daily}.
func (c *Client) count(ctx context.Context, r *request) ([]dailyCount, error) {
	if c.counter == nil {
		return nil, nil
	}
	ep := r.ep
	var want []dailyCount
	if pl, ok := planLimits[c.plan][dailyCategory(ep.RateLimit)]; ok && pl.PerDay > 0 {
		want = append(want, dailyCount{key: c.accountDailyKey(ep.RateLimit), limit: pl.PerDay})
	}
	if r.user != "" {
		want = append(want, dailyCount{key: c.userDailyKey(r.user), limit: DailyUserLimit, perUser: true})
	}
	now := c.now()
	for i := range want {
		n, ok, err := c.counter.Incr(ctx, want[i].key, now, want[i].limit)
		if err == nil && ok {
			want[i].count = n
			continue
		}
		c.uncount(ctx, want[:i])
		if err != nil {
			var ue *limits.UnavailableError
			if errors.As(err, &ue) {
				return nil, &LimiterUnavailableError{Endpoint: ep.ID, Err: err}
			}
			return nil, err
		}
		return nil, c.dailyRefusal(ep, want[i], now)
	}
	return want, nil
}

// dailyRefusal is the error of a call refused by a daily counter.
func (c *Client) dailyRefusal(ep Endpoint, d dailyCount, now time.Time) error {
	reset := nextUTCMidnight(now)
	msg := fmt.Sprintf("not sent: the account has used Zoom's daily limit of %d %s requests (counted by zoom-mcp); it resets at %s",
		d.limit, dailyCategory(ep.RateLimit), reset.Format(time.RFC3339))
	reason := "daily_limit"
	if d.perUser {
		reason = "user_daily_limit"
		msg = fmt.Sprintf("not sent: this user has made the %d meeting and webinar creates and updates Zoom allows a user a day (counted by zoom-mcp); the limit resets at %s",
			d.limit, reset.Format(time.RFC3339))
	}
	c.observer.Refused(ep.ID, reason)
	return &RateLimitError{
		ErrorResponse: &ErrorResponse{Endpoint: ep.ID, Method: ep.Method, StatusCode: http.StatusTooManyRequests, Code: 429, Message: msg},
		Category:      string(dailyCategory(ep.RateLimit)), Type: "Daily-limit", Limit: d.limit,
		Daily: true, PerUser: d.perUser, RetryAt: reset,
	}
}

// uncount takes back the counts of a call that was never sent.
func (c *Client) uncount(ctx context.Context, counts []dailyCount) {
	now := c.now()
	for _, d := range counts {
		_ = c.counter.Decr(context.WithoutCancel(ctx), d.key, now)
	}
}

// syncDaily raises the daily counters to what Zoom reported used: its
// X-RateLimit-Remaining of a daily limit, or a daily 429 (spent).
func (c *Client) syncDaily(ctx context.Context, r *request, resp *Response, rle *RateLimitError, counts []dailyCount) {
	if c.counter == nil || resp == nil {
		return
	}
	ctx = context.WithoutCancel(ctx)
	now := c.now()
	label := r.ep.RateLimit
	pl, hasDaily := planLimits[c.plan][dailyCategory(label)]
	switch {
	case rle != nil && rle.PerUser:
		if r.user != "" {
			_ = c.counter.Raise(ctx, c.userDailyKey(r.user), now, DailyUserLimit)
		}
	case rle != nil && rle.Daily:
		if hasDaily && pl.PerDay > 0 {
			_ = c.counter.Raise(ctx, c.accountDailyKey(label), now, pl.PerDay)
		}
	case rle == nil && strings.EqualFold(resp.Rate.Type, "Daily-limit") && resp.Rate.Limit > 0 && resp.Rate.Remaining >= 0:
		used := resp.Rate.Limit - resp.Rate.Remaining
		for _, d := range counts {
			if !d.perUser && d.count < used {
				_ = c.counter.Raise(ctx, d.key, now, used)
			}
		}
	}
}

// doJSON sends r and returns the decoded answer.
func doJSON[T any](ctx context.Context, c *Client, r call) (*T, *Response, error) {
	var out T
	resp, err := c.do(ctx, r, &out)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

func (c *Client) url(ep Endpoint, r call) (string, error) {
	p := ep.Path
	for _, v := range r.path {
		i := strings.IndexByte(p, '{')
		j := strings.IndexByte(p, '}')
		if i < 0 || j < i {
			return "", fmt.Errorf("zoomapi: too many path values for %s", ep.Path)
		}
		switch v {
		case "":
			return "", &ArgumentError{Arg: p[i+1 : j], Reason: "must not be empty"}
		case ".", "..":
			// Escaping leaves these alone, and a proxy would resolve them
			// into another endpoint's path.
			return "", &ArgumentError{Arg: p[i+1 : j], Reason: "must not be . or .."}
		}
		p = p[:i] + v + p[j+1:]
	}
	if strings.Contains(p, "{") {
		return "", fmt.Errorf("zoomapi: missing path values for %s", ep.Path)
	}
	u := c.baseURL.String() + p
	if r.query != nil {
		var q url.Values
		switch v := r.query.(type) {
		case url.Values:
			q = v
		default:
			if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
				break
			}
			var err error
			if q, err = query.Values(v); err != nil {
				return "", fmt.Errorf("zoomapi: encoding %s query: %w", ep.ID, err)
			}
		}
		if enc := q.Encode(); enc != "" {
			u += "?" + enc
		}
	}
	return u, nil
}

// send makes one attempt of r with tok. The returned *Response is nil when
// no answer came.
func (c *Client) send(ctx context.Context, r *request, tok *oauth2.Token) (*Response, error) {
	ep := r.ep
	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
	}
	var sent attempt
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, sent.trace()), ep.Method, r.url, rd)
	if err != nil {
		return nil, fmt.Errorf("zoomapi: building %s request: %w", ep.ID, redactURLError(err))
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Accept", r.accept)
	req.Header.Set("User-Agent", userAgent)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hc := r.http
	if hc == nil {
		hc = c.http
	}
	hr, err := hc.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		// A redirect the client refused: hr is the answer that asked for
		// it, its body already closed.
		var de *DownloadError
		if errors.As(err, &de) {
			if hr != nil {
				return &Response{Response: hr, Rate: parseRate(hr.Header)}, de
			}
			return nil, de
		}
		return nil, &TransportError{Endpoint: ep.ID, Err: redactURLError(err), NotSent: sent.notSent(err)}
	}
	defer hr.Body.Close()
	// Zoom's text may quote the request: scrub the token it carried too.
	secrets := append(append(slices.Clip(c.secrets), r.secrets...), tok.AccessToken)
	resp := &Response{Response: hr, Rate: parseRate(hr.Header)}
	if err := checkResponse(ep, hr, c.now(), secrets); err != nil {
		return resp, err
	}
	return resp, r.read(ctx, hr, secrets)
}

// readJSON reads a 2xx JSON answer of ep into out; a nil out, or a 204,
// discards the body.
func readJSON(ep Endpoint, out any) func(ctx context.Context, hr *http.Response, secrets []string) error {
	return func(ctx context.Context, hr *http.Response, secrets []string) error {
		if out == nil || hr.StatusCode == http.StatusNoContent {
			_, _ = io.Copy(io.Discard, io.LimitReader(hr.Body, maxErrorBody))
			return nil
		}
		data, err := io.ReadAll(io.LimitReader(hr.Body, maxBody+1))
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return ctxErr
			}
			// Zoom answered 2xx: the request was carried out, its answer lost.
			return &DecodeError{Endpoint: ep.ID, StatusCode: hr.StatusCode,
				Reason: "response body cut short: " + Scrub(err.Error(), secrets...), transient: true}
		}
		if len(data) > maxBody {
			return &DecodeError{Endpoint: ep.ID, StatusCode: hr.StatusCode, Reason: fmt.Sprintf("response larger than %d bytes", maxBody)}
		}
		if err := json.Unmarshal(data, out); err != nil {
			// A syntax error is a body cut short or not JSON at all (a
			// gateway's page), which another attempt may get right; JSON of
			// the wrong shape will not change.
			var se *json.SyntaxError
			return &DecodeError{Endpoint: ep.ID, StatusCode: hr.StatusCode,
				Reason: describeBody(hr.Header.Get("Content-Type"), data, err, secrets), transient: errors.As(err, &se)}
		}
		return nil
	}
}

// maxBody caps a success body; maxErrorBody caps an error body.
const (
	maxBody      = 32 << 20
	maxErrorBody = 64 << 10
)

// redactURLError drops the query string from a *url.Error: it never holds
// secrets today, but the error may be shown to a model.
func redactURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		if u, perr := url.Parse(ue.URL); perr == nil {
			u.RawQuery = ""
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
	}
	return err
}

// PathEscape escapes a path parameter such as a user ID or email.
func PathEscape(s string) string { return url.PathEscape(s) }

// MeetingPathID escapes a meeting ID or meeting UUID for a path. Zoom
// requires a UUID that starts with "/" or contains "//" to be URL-encoded
// twice; any other value is encoded once.
func MeetingPathID(idOrUUID string) string {
	if strings.HasPrefix(idOrUUID, "/") || strings.Contains(idOrUUID, "//") {
		return url.PathEscape(url.PathEscape(idOrUUID))
	}
	return url.PathEscape(idOrUUID)
}
