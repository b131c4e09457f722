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
	"net/url"
	"reflect"
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
	}
	for _, o := range opts {
		if err := o(c); err != nil {
			return nil, err
		}
	}
	if c.tokens == nil {
		return nil, errors.New("zoomapi: no token source: use WithTokenSource")
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

// do sends a request and decodes a 2xx JSON answer into out (if non-nil).
// An expired or invalid token (code 124) is replaced and the call retried
// once; a per-second rate limit is waited out and retried within bounds.
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
	retriedToken := false
	for attempt := 0; ; attempt++ {
		if err := c.pacer.wait(ctx, ep.RateLimit); err != nil {
			return nil, err
		}
		tok, err := c.tokens.Token(ctx)
		if err != nil {
			return nil, err
		}
		resp, err := c.send(ctx, ep, u, body, tok, out)
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		record(ctx, ep, u, status, err)
		if err == nil {
			return resp, nil
		}
		var ite *InvalidTokenError
		if errors.As(err, &ite) && !retriedToken {
			retriedToken = true
			c.tokens.Invalidate(tok)
			continue
		}
		var rle *RateLimitError
		if errors.As(err, &rle) && !rle.Daily && attempt < c.maxRetries {
			wait := rle.RetryAfter(c.now())
			if wait <= c.maxRetryWait {
				if err := sleep(ctx, wait); err != nil {
					return resp, err
				}
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

func (c *Client) send(ctx context.Context, ep Endpoint, u string, body []byte, tok *oauth2.Token, out any) (*Response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, ep.Method, u, rd)
	if err != nil {
		return nil, fmt.Errorf("zoomapi: building %s request: %w", ep.ID, err)
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", userAgent)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	hr, err := c.http.Do(req)
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, ctxErr
		}
		return nil, &TransportError{Endpoint: ep.ID, Err: redactURLError(err)}
	}
	defer hr.Body.Close()
	resp := &Response{Response: hr, Rate: parseRate(hr.Header)}
	if err := checkResponse(ep, hr, c.now()); err != nil {
		return resp, err
	}
	if out == nil || hr.StatusCode == http.StatusNoContent {
		_, _ = io.Copy(io.Discard, io.LimitReader(hr.Body, maxErrorBody))
		return resp, nil
	}
	data, err := io.ReadAll(io.LimitReader(hr.Body, maxBody+1))
	if err != nil {
		return resp, &TransportError{Endpoint: ep.ID, Err: err}
	}
	if len(data) > maxBody {
		return resp, &DecodeError{Endpoint: ep.ID, StatusCode: hr.StatusCode, Reason: fmt.Sprintf("response larger than %d bytes", maxBody)}
	}
	if err := json.Unmarshal(data, out); err != nil {
		return resp, &DecodeError{Endpoint: ep.ID, StatusCode: hr.StatusCode, Reason: describeBody(hr.Header.Get("Content-Type"), data, err)}
	}
	return resp, nil
}

// maxBody caps a success body; maxErrorBody caps an error body.
const (
	maxBody      = 32 << 20
	maxErrorBody = 64 << 10
)

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
