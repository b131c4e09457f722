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
)

// DefaultBaseURL is the Zoom REST API v2 base URL.
const DefaultBaseURL = "https://api.zoom.us/v2"

const userAgent = "zoom-mcp"

// Client talks to the Zoom REST API. It is safe for concurrent use.
type Client struct {
	baseURL *url.URL
	http    *http.Client
	tokens  auth.TokenSource
	pacer   *pacer
	now     func() time.Time
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

// WithPlan paces requests inside the per-second limits of a Zoom plan.
// The default is PlanPro.
func WithPlan(p Plan) Option {
	return func(c *Client) error {
		if _, ok := planLimits[p]; !ok {
			return fmt.Errorf("unknown Zoom plan %q: want free, pro or business", p)
		}
		c.pacer = newPacer(p)
		return nil
	}
}

// WithoutPacing turns off client-side pacing (Zoom's limits still apply).
func WithoutPacing() Option {
	return func(c *Client) error { c.pacer = nil; return nil }
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

// WithMaxQueue bounds how many calls may wait in the client's pacer for one
// rate-limit label (Light, Medium, Heavy); past it a call is refused at once
// with *QueueFullError instead of queueing without end. The default is
// DefaultMaxQueue.
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
		pacer:        newPacer(PlanPro),
		now:          time.Now,
		maxRetries:   2,
		maxRetryWait: 5 * time.Second,
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
	c.pacer.setMaxQueue(c.maxQueue)
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
		accept: "application/json", read: readJSON(ep, out)})
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
}

// maxTokenRenewals bounds how often one call replaces a token Zoom refused
// (code 124) before returning the *InvalidTokenError.
const maxTokenRenewals = 3

// run sends r, paced, with a fresh token, and retries it:
//   - an expired or invalid token (code 124) is replaced and the call
//     retried, as long as the token source hands out a token other than the
//     one just refused, up to maxTokenRenewals times;
//   - a per-second rate limit is waited out and retried within the
//     WithRetryOnRateLimit bounds;
//   - a read (GET) that met a fault (see retryable) is retried with jittered
//     exponential backoff, within WithReadRetry bounds. A write is not: Zoom
//     may have applied it.
//
// Each attempt is paced like a first one and recorded in the context's
// trace. No wait reaches past the context's deadline: the error in hand is
// returned instead. A context that ends stops the call at once, and a call
// whose context ended while it waited for the pacer or a token is not sent.
func (c *Client) run(ctx context.Context, r *request) (*Response, error) {
	ep := r.ep
	var (
		renewals, rateRetries, faults int
		refused                       *oauth2.Token // the token Zoom just refused
		last                          *Response     // and the answer it came with
		lastErr                       error
	)
	for {
		if err := c.pacer.wait(ctx, ep.RateLimit); err != nil {
			return nil, err
		}
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return nil, err
		}
		if refused != nil && tok.AccessToken == refused.AccessToken {
			// The source has no other token: retrying is pointless.
			return last, lastErr
		}
		// The wait may have outlived the caller: send nothing then.
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		resp, err := c.send(ctx, r, tok)
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		record(ctx, ep.Method, r.path, status, err)
		if err == nil {
			return resp, nil
		}
		refused = nil
		var (
			ite *InvalidTokenError
			rle *RateLimitError
		)
		switch {
		case errors.As(err, &ite):
			if renewals < maxTokenRenewals {
				renewals++
				refused, last, lastErr = tok, resp, err
				c.tokens.Invalidate(tok)
				continue
			}
		case errors.As(err, &rle):
			if !rle.Daily && rateRetries < c.maxRetries {
				wait := rle.RetryAfter(c.now())
				if wait <= c.maxRetryWait && fitsDeadline(ctx, wait) {
					if err := sleep(ctx, wait); err != nil {
						return resp, err
					}
					rateRetries++
					continue
				}
			}
		case ep.Method == http.MethodGet && retryable(err) && faults+1 < c.readAttempts:
			wait := backoff(c.retryBase, c.retryMax, faults)
			if fitsDeadline(ctx, wait) {
				if err := sleep(ctx, wait); err != nil {
					return resp, err
				}
				faults++
				continue
			}
		}
		return resp, err
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

// sleep waits d, or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

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
