package zoomapi_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/auth"
	"github.com/zoommcp/zoom-mcp/internal/inproc"
	"github.com/zoommcp/zoom-mcp/internal/sandbox"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// TestIntegrationTokenExpiredMidRun expires every token between two calls:
// the second call is answered 124 once, fetches one new token and succeeds.
func TestIntegrationTokenExpiredMidRun(t *testing.T) {
	e := newEnv(t, zoomfake.Options{}, nil)
	ctx := t.Context()
	_, _, err := e.c.Meetings.Get(ctx, zoomfake.SeedRegistrationMeetingID, nil)
	mustOK(t, err)
	if n := e.sim.TokenRequests(); n != 1 {
		t.Fatalf("token requests = %d, want 1", n)
	}
	e.sim.ExpireTokens()
	m, _, err := e.c.Meetings.Get(ctx, zoomfake.SeedRegistrationMeetingID, nil)
	mustOK(t, err)
	if m.ID != zoomfake.SeedRegistrationMeetingID {
		t.Errorf("id = %d", m.ID)
	}
	if tr, r := e.sim.TokenRequests(), e.sim.Requests(); tr != 2 || r != 3 {
		t.Errorf("token requests %d, API requests %d; want 2 and 3 (one 124 retried)", tr, r)
	}
	// The new token serves the following calls.
	_, _, err = e.c.Users.Get(ctx, "me", nil)
	mustOK(t, err)
	if n := e.sim.TokenRequests(); n != 2 {
		t.Errorf("token requests = %d after one more call, want 2", n)
	}
}

// TestIntegrationTokenRenewedBeforeExpiry gives tokens ten minutes: once
// the cached token is within its refresh margin, the token source renews
// it before Zoom would refuse it, so no call is answered 124.
//
// sandbox.New cannot pass a clock to the token source (NewS2SClient has no
// option for auth.S2SConfig.Now), and oauth2 stamps Expiry with the real
// clock, so the token source is built here on a clock that starts at the
// real time.
func TestIntegrationTokenRenewedBeforeExpiry(t *testing.T) {
	clk := runningClock(time.Now().UTC())
	sim := zoomfake.New(zoomfake.Options{TokenTTL: 10 * time.Minute, Now: clk.Now})
	hc := inproc.Client(sim)
	ts, err := auth.NewS2STokenSource(auth.S2SConfig{
		AccountID: zoomfake.DefaultAccountID, ClientID: zoomfake.DefaultClientID, ClientSecret: zoomfake.DefaultClientSecret,
		OAuthBaseURL: sandbox.Host, HTTPClient: hc, Now: clk.Now,
	})
	mustOK(t, err)
	c, err := zoomapi.NewClient(zoomapi.WithTokenSource(ts), zoomapi.WithBaseURL(sandbox.Host+"/v2"), zoomapi.WithHTTPClient(hc), zoomapi.WithClock(clk.Now))
	mustOK(t, err)
	ctx := t.Context()
	for i, step := range []time.Duration{0, 2 * time.Minute, 4 * time.Minute, 3 * time.Minute, 4 * time.Minute} {
		clk.Advance(step)
		if _, _, err := c.Users.Get(ctx, "me", nil); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	// Calls at minutes 0, 2, 6, 9 and 13 of ten-minute tokens need at
	// least two renewals; the exact count is not asserted because oauth2
	// stamps Expiry with the real clock, so a token fetched at a faked
	// minute looks shorter-lived and is renewed earlier. What matters: no
	// call was answered 124 (five calls, five requests).
	if tr, r := sim.TokenRequests(), sim.Requests(); tr < 3 || r != 5 {
		t.Errorf("token requests %d, API requests %d; want >= 3 and 5 (no 124)", tr, r)
	}
}

// TestIntegrationWrongCredentials checks a refused token request becomes an
// *auth.TokenError that names the settings to check and never the secret.
func TestIntegrationWrongCredentials(t *testing.T) {
	const secret = "wrong-s3cret-value-42"
	for _, tc := range []struct {
		name string
		cfg  zoomapi.Config
	}{
		{"secret", zoomapi.Config{AccountID: zoomfake.DefaultAccountID, ClientID: zoomfake.DefaultClientID, ClientSecret: secret}},
		{"client_id", zoomapi.Config{AccountID: zoomfake.DefaultAccountID, ClientID: "someone-else", ClientSecret: zoomfake.DefaultClientSecret}},
		{"account_id", zoomapi.Config{AccountID: "other-account", ClientID: zoomfake.DefaultClientID, ClientSecret: zoomfake.DefaultClientSecret}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sim := zoomfake.New(zoomfake.Options{})
			tc.cfg.APIBaseURL, tc.cfg.OAuthBaseURL = sandbox.Host+"/v2", sandbox.Host
			c, _, err := zoomapi.NewS2SClient(tc.cfg, inproc.Client(sim))
			mustOK(t, err)
			_, _, err = c.Meetings.List(t.Context(), "me", nil)
			var te *auth.TokenError
			if !errors.As(err, &te) {
				t.Fatalf("err = %T %v, want *auth.TokenError", err, err)
			}
			msg := err.Error()
			for _, v := range []string{"ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET"} {
				if !strings.Contains(msg, v) {
					t.Errorf("error %q does not name %s", msg, v)
				}
			}
			if strings.Contains(msg, tc.cfg.ClientSecret) {
				t.Errorf("error %q contains the client secret", msg)
			}
			if sim.Requests() != 0 {
				t.Errorf("an API request was sent without a token")
			}
		})
	}
}

// TestIntegrationInvalidatePrevious runs concurrent callers against an app
// whose every new token revokes the previous ones: the client must share
// one token, fetched once, and again once after expiry.
func TestIntegrationInvalidatePrevious(t *testing.T) {
	e := newEnv(t, zoomfake.Options{InvalidatePrevious: true}, nil)
	ctx := t.Context()
	burst := func() {
		t.Helper()
		var wg sync.WaitGroup
		errs := make(chan error, 20)
		for i := range 20 {
			wg.Go(func() {
				var err error
				if i%2 == 0 {
					_, _, err = e.c.Meetings.Get(ctx, zoomfake.SeedRegistrationMeetingID, nil)
				} else {
					_, _, err = e.c.Users.Get(ctx, "me", nil)
				}
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			mustOK(t, err)
		}
	}
	burst()
	if n := e.sim.TokenRequests(); n != 1 {
		t.Errorf("token requests = %d after the first burst, want 1", n)
	}
	e.sim.ExpireTokens()
	burst()
	if n := e.sim.TokenRequests(); n != 2 {
		t.Errorf("token requests = %d after expiry, want 2", n)
	}
}
