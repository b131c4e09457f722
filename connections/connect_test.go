package connections

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/auth"
)

// TestSignInLinks: a link signs in the connection it names, until it
// expires; a link changed in any part is refused, before Zoom is involved.
func TestSignInLinks(t *testing.T) {
	now := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	c, get := signInPages(t, func() time.Time { return now })
	link := c.Link("jane")
	if rec := get(link); rec.Code != http.StatusFound || !strings.HasPrefix(rec.Header().Get("Location"), "https://zoom.example/oauth/authorize?") ||
		!strings.Contains(rec.Header().Get("Location"), "code_challenge_method=S256") {
		t.Fatalf("a valid link: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	u, _ := url.Parse(link)
	q := u.Query()
	for name, change := range map[string]func(url.Values){
		"other connection": func(v url.Values) { v.Set("connection", "john") },
		"other token":      func(v url.Values) { v.Set("t", v.Get("t")[:len(v.Get("t"))-2]+"AA") },
		"longer expiry":    func(v url.Values) { _, sig, _ := strings.Cut(v.Get("t"), "."); v.Set("t", "zzzzzz."+sig) },
		"no token":         func(v url.Values) { v.Del("t") },
		"s2s":              func(v url.Values) { v.Set("connection", S2S) },
	} {
		v := url.Values{}
		for k, vs := range q {
			v[k] = append([]string(nil), vs...)
		}
		change(v)
		u2 := *u
		u2.RawQuery = v.Encode()
		if rec := get(u2.String()); rec.Code != http.StatusForbidden {
			t.Errorf("%s: %d", name, rec.Code)
		}
	}
	now = now.Add(LinkTTL + time.Second)
	if rec := get(link); rec.Code != http.StatusForbidden {
		t.Errorf("an expired link: %d", rec.Code)
	}
	if rec := get("http://127.0.0.1:8080/connect/zoom/callback?state=forged&code=x"); rec.Code != http.StatusBadRequest {
		t.Errorf("a callback of no sign-in under way: %d", rec.Code)
	}
}

// TestSignInPageEscapes: what Zoom's redirect carries back (here an
// error parameter an attacker chose) reaches the page as text, never as
// markup.
func TestSignInPageEscapes(t *testing.T) {
	c, get := signInPages(t, nil)
	loc, _ := url.Parse(get(c.Link("jane")).Header().Get("Location"))
	state := loc.Query().Get("state")
	rec := get("/connect/zoom/callback?" + url.Values{"state": {state}, "error": {`<script>alert("x")</script>&`}}.Encode())
	body := rec.Body.String()
	if rec.Code != http.StatusOK || !strings.Contains(body, "<h1") {
		t.Fatalf("%d %s", rec.Code, body)
	}
	if strings.Contains(body, "<script>") || !strings.Contains(body, "(&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;)") {
		t.Errorf("the error parameter is not escaped:\n%s", body)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
}

// signInPages serves a user-managed app's sign-in pages on the clock now
// (nil: time.Now); get requests a link (or a path) from them.
func signInPages(t *testing.T, now func() time.Time) (c *Connect, get func(link string) *httptest.ResponseRecorder) {
	t.Helper()
	reg := New(Options{Store: auth.NewFileStore(t.TempDir() + "/t.json"), User: auth.UserConfig{ClientID: "id", ClientSecret: "s", OAuthBaseURL: "https://zoom.example"},
		Now: now})
	c, err := NewConnect(reg, "http://127.0.0.1:8080", "/connect/zoom", nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	return c, func(link string) *httptest.ResponseRecorder {
		u, _ := url.Parse(link)
		rec := httptest.NewRecorder()
		c.ServeHTTP(rec, httptest.NewRequest("GET", u.RequestURI(), nil))
		return rec
	}
}
