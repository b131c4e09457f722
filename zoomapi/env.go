package zoomapi

import (
	"net/http"

	"github.com/zoommcp/zoom-mcp/auth"
)

// Environment variables the client reads.
const (
	EnvAPIBaseURL   = "ZOOM_API_BASE_URL"
	EnvOAuthBaseURL = "ZOOM_OAUTH_BASE_URL"
	EnvAccountID    = "ZOOM_ACCOUNT_ID"
	EnvClientID     = "ZOOM_CLIENT_ID"
	EnvClientSecret = "ZOOM_CLIENT_SECRET"
	EnvPlan         = "ZOOM_PLAN"
)

// Config is what a Server-to-Server OAuth client needs.
type Config struct {
	APIBaseURL   string // default DefaultBaseURL
	OAuthBaseURL string // default auth.DefaultOAuthBaseURL
	AccountID    string
	ClientID     string
	ClientSecret string
	Plan         Plan // default PlanPro
	// SharedToken, if set, shares the access token among replicas (one
	// fetch for all; see auth.S2SConfig.Shared).
	SharedToken auth.SharedTokens
	// OnTokenFetch, if set, is told of each token request sent to Zoom.
	OnTokenFetch func(kind, outcome string)
}

// ConfigFromEnv reads Config from the environment through getenv
// (os.Getenv in production).
func ConfigFromEnv(getenv func(string) string) Config {
	return Config{
		APIBaseURL:   getenv(EnvAPIBaseURL),
		OAuthBaseURL: getenv(EnvOAuthBaseURL),
		AccountID:    getenv(EnvAccountID),
		ClientID:     getenv(EnvClientID),
		ClientSecret: getenv(EnvClientSecret),
		Plan:         Plan(getenv(EnvPlan)),
	}
}

// NewS2SClient builds a client with a shared Server-to-Server OAuth token
// source from cfg. The token source is returned too, for its granted scopes.
func NewS2SClient(cfg Config, hc *http.Client, opts ...Option) (*Client, *auth.S2STokenSource, error) {
	ts, err := auth.NewS2STokenSource(auth.S2SConfig{
		AccountID:    cfg.AccountID,
		ClientID:     cfg.ClientID,
		ClientSecret: cfg.ClientSecret,
		OAuthBaseURL: cfg.OAuthBaseURL,
		HTTPClient:   hc,
		Shared:       cfg.SharedToken,
		OnFetch:      cfg.OnTokenFetch,
	})
	if err != nil {
		return nil, nil, err
	}
	base := []Option{WithTokenSource(ts), WithSecrets(cfg.ClientSecret)}
	if cfg.APIBaseURL != "" {
		base = append(base, WithBaseURL(cfg.APIBaseURL))
	}
	if cfg.Plan != "" {
		base = append(base, WithPlan(cfg.Plan))
	}
	if hc != nil {
		base = append(base, WithHTTPClient(hc))
	}
	c, err := NewClient(append(base, opts...)...)
	if err != nil {
		return nil, nil, err
	}
	return c, ts, nil
}
