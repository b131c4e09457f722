package policy

import (
	"bytes"
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/zoommcp/zoom-mcp/audit"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// Hygiene returns the middleware that cleans results for the agent that
// asked: emails masked and meeting passcodes withheld where its policy
// says so, and download links stripped of any token unless it has
// recordings=full. It works on the result's JSON, so it covers every tool
// and every field of that name at any depth.
func (p *Policy) Hygiene() pipeline.Middleware {
	return func(next pipeline.Handler) pipeline.Handler {
		return func(ctx context.Context, c *pipeline.Call) pipeline.Outcome {
			o := next(ctx, c)
			// A dry run shows the agent's own request exactly as it would go.
			if o.Value == nil || o.Error != nil || o.Result != nil || o.Decision == pipeline.DryRun {
				return o
			}
			r := p.ResultsFor(c.Agent.Name)
			clean := cleaner{
				changes:       new(int),
				maskEmails:    r.MaskEmails,
				withhold:      r.WithholdPasscodes,
				keepURLTokens: p.Level(c.Agent.Name, string(zoomapi.GroupRecordings)) == Full,
			}
			if !clean.needed() {
				return o
			}
			data, err := json.Marshal(o.Value)
			if err != nil {
				o.Err = err
				return o
			}
			if !clean.maskEmails && !clean.withhold && !hasTokenParam(data) {
				return o // nothing to strip: keep the typed value
			}
			var v any
			if err := json.Unmarshal(data, &v); err != nil {
				o.Err = err
				return o
			}
			out, err := json.Marshal(clean.walk("", v))
			if err != nil {
				o.Err = err
				return o
			}
			if *clean.changes == 0 {
				return o // nothing changed: keep the typed value (and its text)
			}
			o.Value = json.RawMessage(out)
			return o
		}
	}
}

type cleaner struct {
	maskEmails, withhold, keepURLTokens bool
	changes                             *int // how many values walk changed
}

func (c cleaner) needed() bool { return c.maskEmails || c.withhold || !c.keepURLTokens }

// passcodeKeys are the result fields that hold a meeting passcode.
var passcodeKeys = map[string]bool{
	"password": true, "h323_password": true, "pstn_password": true, "encrypted_password": true, "passcode": true,
}

// tokenParams are URL query parameters that carry a credential.
var tokenParams = []string{"access_token", "token", "tk", "zak"}

func (c cleaner) walk(key string, v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if c.withhold && passcodeKeys[k] {
				delete(x, k)
				*c.changes++
				continue
			}
			x[k] = c.walk(k, e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = c.walk(key, e)
		}
		return x
	case string:
		out := x
		switch {
		case c.maskEmails && strings.HasSuffix(key, "email"):
			out = maskEmail(x)
		case c.maskEmails && key == "alternative_hosts":
			parts := strings.Split(x, ";")
			for i, p := range parts {
				parts[i] = maskEmail(strings.TrimSpace(p))
			}
			out = strings.Join(parts, ";")
		case strings.Contains(x, "://") && strings.Contains(x, "?"):
			out = c.cleanURL(x)
		}
		if out != x {
			*c.changes++
		}
		return out
	}
	return v
}

// hasTokenParam reports whether JSON text may hold a URL with a token
// parameter.
func hasTokenParam(data []byte) bool {
	for _, t := range tokenParams {
		if bytes.Contains(data, []byte("?"+t+"=")) || bytes.Contains(data, []byte("&"+t+"=")) ||
			bytes.Contains(data, []byte(`\u0026`+t+"=")) {
			return true
		}
	}
	return false
}

func (c cleaner) cleanURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	q := u.Query()
	changed := false
	if c.withhold && q.Has("pwd") {
		q.Del("pwd")
		changed = true
	}
	if !c.keepURLTokens {
		for _, t := range tokenParams {
			if q.Has(t) {
				q.Del(t)
				changed = true
			}
		}
	}
	if !changed {
		return s
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// maskEmail masks an address as the audit log does (j***@example.com,
// first character kept whole); a value of an email field that is not an
// address is withheld entirely.
func maskEmail(s string) string {
	if s == "" {
		return s
	}
	if m := audit.MaskEmail(s); m != s {
		return m
	}
	return "***"
}
