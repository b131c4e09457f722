// Package sandbox connects a Zoom client to an in-process Zoom simulator:
// the server's --sandbox mode, and the fixture of the tool tests.
package sandbox

import (
	"github.com/zoommcp/zoom-mcp/internal/inproc"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// Host names the in-process simulator; no request leaves the process.
const Host = "http://sandbox.zoom.invalid"

// New starts a simulator with opts and returns a client wired to it through
// the simulator's OAuth endpoint, as a real deployment is wired to Zoom.
func New(opts zoomfake.Options, clientOpts ...zoomapi.Option) (*zoomapi.Client, *zoomfake.Server, error) {
	return NewWithTokenHook(opts, nil, clientOpts...)
}

// NewWithTokenHook is New with a hook told of each token request (for
// metrics; nil for none).
func NewWithTokenHook(opts zoomfake.Options, onFetch func(kind, outcome string), clientOpts ...zoomapi.Option) (*zoomapi.Client, *zoomfake.Server, error) {
	if opts.AccountID == "" {
		opts.AccountID = zoomfake.DefaultAccountID
	}
	if opts.ClientID == "" {
		opts.ClientID = zoomfake.DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = zoomfake.DefaultClientSecret
	}
	sim := zoomfake.New(opts)
	c, _, err := zoomapi.NewS2SClient(zoomapi.Config{
		APIBaseURL:   Host + "/v2",
		OAuthBaseURL: Host,
		AccountID:    opts.AccountID,
		ClientID:     opts.ClientID,
		ClientSecret: opts.ClientSecret,
		Plan:         zoomapi.Plan(opts.Plan),
		OnTokenFetch: onFetch,
	}, inproc.Client(sim), clientOpts...)
	if err != nil {
		return nil, nil, err
	}
	return c, sim, nil
}
