package auth

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
)

// Revoke asks Zoom to revoke token (an access or refresh token of cfg's
// app), which ends the user's authorization of the app: POST
// {OAuthBaseURL}/oauth/revoke with the client credentials as HTTP Basic.
// Errors never contain the token or the client secret.
func Revoke(ctx context.Context, cfg UserConfig, token string) error {
	if err := cfg.Validate(); err != nil {
		return err
	}
	if token == "" {
		return fmt.Errorf("revoking the Zoom token: no token")
	}
	form := url.Values{"token": {token}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, cfg.oauthBase()+"/oauth/revoke", strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("revoking the Zoom token: %s", Scrub(err.Error(), cfg.ClientSecret, token))
	}
	req.SetBasicAuth(url.QueryEscape(cfg.ClientID), url.QueryEscape(cfg.ClientSecret))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	resp, err := cfg.httpClient().Do(req)
	if err != nil {
		return fmt.Errorf("revoking the Zoom token: %s", Scrub(err.Error(), cfg.ClientSecret, token))
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode/100 == 2 {
		return nil
	}
	body = []byte(Scrub(string(body), cfg.ClientSecret, token))
	var why string
	if reason, ok := zoomReason(body); ok {
		why = reason
		if code := errorCode(body); code != "" {
			why = code + ": " + reason
		}
	} else {
		why = describeBody(resp.Header.Get("Content-Type"), body, cfg.ClientSecret)
	}
	return fmt.Errorf("revoking the Zoom token failed (HTTP %d): %s", resp.StatusCode, truncate(Scrub(why, cfg.ClientSecret, token), 200))
}

// errorCode is the OAuth "error" field of a JSON body, if any.
func errorCode(body []byte) string {
	var v struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &v) != nil {
		return ""
	}
	return truncate(v.Error, 64)
}
