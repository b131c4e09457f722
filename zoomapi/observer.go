package zoomapi

import "time"

// Observer is told what the client does, for metrics. Every method must
// be cheap and safe for concurrent use; the client calls them inline.
// WithObserver sets one; the default observes nothing.
type Observer interface {
	// Request is one attempt sent to Zoom: the endpoint's operation ID,
	// the HTTP status (0 when no answer came) and how long it took.
	Request(op string, status int, d time.Duration)
	// Waited is time a call spent waiting for the rate limiter before an
	// attempt, by rate-limit category.
	Waited(category RateLimit, d time.Duration)
	// RateLimited is a 429 from Zoom; daily tells a daily limit from a
	// per-second one, surfaced whether it reached the caller (it was not
	// retried).
	RateLimited(category RateLimit, daily, surfaced bool)
	// Retried is an attempt repeated: reason is "rate_limit", "token" or
	// "fault".
	Retried(op, reason string)
	// Refused is a call refused before it was sent, by the client's own
	// bookkeeping: reason is "queue_full", "daily_limit" or "user_daily_limit".
	Refused(op, reason string)
}

// TokenObserver is told of each access token fetched from Zoom's OAuth
// endpoint, by kind ("s2s" or "user") and outcome ("ok" or "error").
type TokenObserver interface {
	TokenFetched(kind, outcome string)
}

// nopObserver observes nothing.
type nopObserver struct{}

func (nopObserver) Request(string, int, time.Duration) {}
func (nopObserver) Waited(RateLimit, time.Duration)    {}
func (nopObserver) RateLimited(RateLimit, bool, bool)  {}
func (nopObserver) Retried(string, string)             {}
func (nopObserver) Refused(string, string)             {}
func (nopObserver) TokenFetched(kind, outcome string)  {}

// WithObserver sets the observer told of every attempt, wait, 429, retry
// and refusal.
func WithObserver(o Observer) Option {
	return func(c *Client) error {
		if o == nil {
			o = nopObserver{}
		}
		c.observer = o
		return nil
	}
}
