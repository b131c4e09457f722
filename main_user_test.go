package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/auth"
	"github.com/zoommcp/zoom-mcp/policy"
	"github.com/zoommcp/zoom-mcp/zoomapi"
	"github.com/zoommcp/zoom-mcp/zoomapi/zoomfake"
)

// userWorld is a simulator on loopback HTTP with a user-managed app, and
// the environment of a server that signs users in to it.
type userWorld struct {
	sim       *zoomfake.Server
	url       string
	tokenFile string
	getenv    func(string) string
	admin     *zoomapi.Client // the account's Server-to-Server view, to check at the simulator
}

func newUserWorld(t *testing.T) *userWorld {
	t.Helper()
	sim := zoomfake.New(zoomfake.Options{NoRateLimit: true})
	ts := httptest.NewServer(sim)
	t.Cleanup(ts.Close)
	w := &userWorld{sim: sim, url: ts.URL, tokenFile: filepath.Join(t.TempDir(), "zoom-mcp", "tokens.json")}
	w.getenv = env(map[string]string{
		"ZOOM_CLIENT_ID": zoomfake.DefaultUserClientID, "ZOOM_CLIENT_SECRET": zoomfake.DefaultUserClientSecret,
		"ZOOM_OAUTH_BASE_URL": ts.URL, "ZOOM_API_BASE_URL": ts.URL + "/v2", "ZOOM_MCP_TOKEN_FILE": w.tokenFile,
	})
	admin, _, err := zoomapi.NewS2SClient(zoomapi.Config{APIBaseURL: ts.URL + "/v2", OAuthBaseURL: ts.URL,
		AccountID: zoomfake.DefaultAccountID, ClientID: zoomfake.DefaultClientID, ClientSecret: zoomfake.DefaultClientSecret}, nil)
	if err != nil {
		t.Fatal(err)
	}
	w.admin = admin
	return w
}

// login runs zoom-mcp login --no-browser for connection and plays the
// browser: it reads the URL from stderr, opens it as user (the
// simulator's stand-in for who signs in) and follows Zoom's redirect to
// the loopback callback. It returns what login wrote to stderr.
func (w *userWorld) login(t *testing.T, connection, user string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	port := strings.TrimPrefix(freeAddr(t), "127.0.0.1:")
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"login", "--connection", connection, "--no-browser", "--redirect-port", port}, w.getenv, nil, io.Discard, pw)
		pw.Close()
	}()
	var log strings.Builder
	sc := bufio.NewScanner(pr)
	var authURL string
	for authURL == "" && sc.Scan() {
		line := sc.Text()
		log.WriteString(line + "\n")
		if strings.HasPrefix(line, w.url+"/oauth/authorize?") {
			authURL = line
		}
	}
	if authURL == "" {
		t.Fatalf("login printed no authorization URL on a line of its own:\n%s", log.String())
	}
	rest := make(chan string)
	go func() {
		b, _ := io.ReadAll(pr)
		rest <- string(b)
	}()
	resp, err := http.Get(authURL + "&user=" + url.QueryEscape(user))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Request.URL.Host != "127.0.0.1:"+port {
		t.Fatalf("the browser ended at %s with %d: %s", resp.Request.URL, resp.StatusCode, body)
	}
	if err := <-done; err != nil {
		t.Fatalf("login: %v\n%s", err, log.String())
	}
	log.WriteString(<-rest)
	return log.String()
}

// stored returns the token file's entries.
func (w *userWorld) stored(t *testing.T) map[string]auth.StoredToken {
	t.Helper()
	data, err := os.ReadFile(w.tokenFile)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]auth.StoredToken
	if err := json.Unmarshal(data, &m); err != nil {
		t.Fatalf("token file: %v", err)
	}
	return m
}

// TestUserConnections: two users sign in with zoom-mcp login (PKCE against
// the simulator, no browser); one HTTP server acts as each for the agent
// bound to it; user-level scopes keep each to its own user; an agent whose
// connection is not signed in gets a link that signs it in from a
// browser; refreshes under 50 concurrent calls rotate the refresh token
// once; a restart resumes; logout revokes. No secret reaches a log.
func TestUserConnections(t *testing.T) {
	w := newUserWorld(t)
	users := zoomfake.SeedUserEmails()
	carla, dan := users[0], users[1]
	var outputs strings.Builder
	outputs.WriteString(w.login(t, "carla", carla))
	outputs.WriteString(w.login(t, "dan", dan))

	fi, err := os.Stat(w.tokenFile)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("token file: %v, mode %v; want 0600", err, fi.Mode())
	}
	st := w.stored(t)
	if st["carla"].Email != carla || st["dan"].Email != dan || st["carla"].RefreshToken == "" {
		t.Fatalf("stored: %+v", st)
	}

	// whoami: masked unless --full.
	var who strings.Builder
	if err := run(context.Background(), []string{"whoami", "--connection", "carla"}, w.getenv, nil, &who, io.Discard); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(who.String(), "c***@example.com") || strings.Contains(who.String(), carla) || !strings.Contains(who.String(), "meeting:read:meeting") {
		t.Errorf("whoami:\n%s", who.String())
	}
	var full strings.Builder
	if err := run(context.Background(), []string{"whoami", "--connection", "carla", "--full"}, w.getenv, nil, &full, io.Discard); err != nil || !strings.Contains(full.String(), carla) {
		t.Errorf("whoami --full: %v\n%s", err, full.String())
	}
	outputs.WriteString(who.String())

	cfg := writeFile(t, "policy.yaml", fmt.Sprintf(`agents:
  - name: a
    key_sha256: %s
    zoom: carla
    access: { meetings: full, users: read }
  - name: b
    key_sha256: %s
    zoom: dan
    access: { meetings: full }
  - name: c
    key_sha256: %s
    zoom: erin
    access: { meetings: read }
`, policy.HashKey("zmcp_a"), policy.HashKey("zmcp_b"), policy.HashKey("zmcp_c")))

	serve := func() (stop func() string, base string) {
		addr := freeAddr(t)
		ctx, cancel := context.WithCancel(context.Background())
		errc := make(chan error, 1)
		var stderr syncBuffer
		go func() {
			errc <- run(ctx, []string{"--http", addr, "--config", cfg, "--auth", "user"}, w.getenv, strings.NewReader(""), io.Discard, &stderr)
		}()
		waitHealthy(t, "http://"+addr+"/healthz")
		return func() string {
			cancel()
			if err := <-errc; err != nil {
				t.Errorf("server: %v", err)
			}
			return stderr.String()
		}, "http://" + addr
	}
	stop, base := serve()
	connect := func(key string) *client.Client {
		c, err := client.NewStreamableHttpClient(base+"/mcp", transport.WithHTTPHeaders(map[string]string{"Authorization": "Bearer " + key}))
		if err != nil {
			t.Fatal(err)
		}
		initialize(context.Background(), t, c)
		t.Cleanup(func() { c.Close() })
		return c
	}
	call := func(c *client.Client, name string, args map[string]any) (map[string]any, bool) {
		t.Helper()
		res, err := c.CallTool(context.Background(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: name, Arguments: args}})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		data, _ := json.Marshal(res.StructuredContent)
		outputs.Write(data)
		var m map[string]any
		_ = json.Unmarshal(data, &m)
		return m, res.IsError
	}
	a, b, c := connect("zmcp_a"), connect("zmcp_b"), connect("zmcp_c")

	// Each agent acts as its user: the meetings they create are hosted
	// by them, as the simulator sees it.
	for _, tc := range []struct {
		agent *client.Client
		email string
	}{{a, carla}, {b, dan}} {
		m, isErr := call(tc.agent, "create_meeting", map[string]any{"topic": "Mine", "start_time": time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)})
		if isErr {
			t.Fatalf("create_meeting as %s: %v", tc.email, m)
		}
		got, _, err := w.admin.Meetings.Get(context.Background(), int64(m["id"].(float64)), nil)
		if err != nil || !strings.EqualFold(got.HostEmail, tc.email) {
			t.Errorf("meeting %v is hosted by %q, want %s (%v)", m["id"], got.HostEmail, tc.email, err)
		}
	}

	// The tool list follows the connection's scopes: list_users needs :admin.
	list, err := a.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, tl := range list.Tools {
		names[tl.Name] = true
	}
	if !names["get_user"] || names["list_users"] || !names["create_meeting"] {
		t.Errorf("agent a's tools: %v", names)
	}
	if m, isErr := call(a, "list_users", nil); !isErr || m["error"].(map[string]any)["kind"] != "missing_scope" {
		t.Errorf("list_users, hidden: %v", m)
	}

	// Another user, with user-level scopes: refused before Zoom is asked.
	before := w.sim.Requests()
	m, isErr := call(a, "list_meetings", map[string]any{"user_id": dan})
	e, _ := m["error"].(map[string]any)
	if !isErr || e["kind"] != "missing_scope" || !strings.Contains(fmt.Sprint(e["message"]), ":admin") {
		t.Errorf("list_meetings of another user: %v", m)
	}
	if w.sim.Requests() != before {
		t.Errorf("the refused call reached the simulator")
	}

	// An agent whose connection nobody signed in: a link, which signs it
	// in from a browser; then its calls work.
	m, isErr = call(c, "list_meetings", nil)
	e, _ = m["error"].(map[string]any)
	msg := fmt.Sprint(e["message"])
	if !isErr || e["kind"] != "not_connected" || !strings.Contains(msg, base+"/connect/zoom/?") {
		t.Fatalf("a connection not signed in: %v", m)
	}
	link := msg[strings.Index(msg, base+"/connect/zoom/?"):]
	link = link[:strings.IndexAny(link, " \n")]
	browser := &http.Client{CheckRedirect: func(r *http.Request, _ []*http.Request) error {
		if r.URL.Path == "/oauth/authorize" {
			q := r.URL.Query()
			q.Set("user", carla)
			r.URL.RawQuery = q.Encode()
		}
		return nil
	}}
	resp, err := browser.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), "Signed in") {
		t.Fatalf("the sign-in link ended with %d: %s", resp.StatusCode, page)
	}
	if m, isErr := call(c, "list_meetings", nil); isErr {
		t.Errorf("after signing in from the browser: %v", m)
	}
	if resp, err := http.Get(link); err == nil {
		resp.Body.Close()
		if resp.StatusCode == 200 {
			// a link is good until it expires, but its flow is single use
		}
	}
	forged := strings.Replace(link, "connection=erin", "connection=mallory", 1)
	if resp, err := http.Get(forged); err != nil || resp.StatusCode != http.StatusForbidden {
		t.Errorf("a link for another connection: %v %v", resp.StatusCode, err)
	}

	// Expired access tokens: 50 concurrent calls, one refresh, rotated.
	oldRefresh := w.stored(t)["carla"].RefreshToken
	tokens := w.sim.RequestsFor("oauth.token")
	w.sim.ExpireTokens()
	var wg sync.WaitGroup
	errs := make(chan string, 50)
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, err := a.CallTool(context.Background(), mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "get_user", Arguments: map[string]any{}}})
			if err != nil || res.IsError {
				errs <- fmt.Sprint(err, res)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Errorf("a call during the refresh failed: %s", e)
	}
	refreshes := w.sim.RequestsFor("oauth.token") - tokens
	if newRefresh := w.stored(t)["carla"].RefreshToken; refreshes < 1 || newRefresh == oldRefresh {
		t.Errorf("%d token requests; refresh token rotated: %v", refreshes, newRefresh != oldRefresh)
	}
	// carla's and erin's connections refresh once each at most (erin is
	// carla signed in again), dan's not at all.
	if refreshes > 2 {
		t.Errorf("%d refreshes for 50 calls of one connection", refreshes)
	}

	// A restart resumes from the token file: carla's fresh access token is
	// used as it is; dan's, which the simulator expired, is renewed with
	// the stored refresh token. Nobody signs in again.
	log := stop()
	tokens, authorizations := w.sim.RequestsFor("oauth.token"), w.sim.RequestsFor("oauth.authorize")
	stop, base = serve()
	a, b = connect("zmcp_a"), connect("zmcp_b")
	if m, isErr := call(a, "get_user", map[string]any{}); isErr {
		t.Errorf("after a restart: %v", m)
	}
	if n := w.sim.RequestsFor("oauth.token") - tokens; n != 0 {
		t.Errorf("a restart made %d token requests for a fresh token", n)
	}
	if m, isErr := call(b, "list_meetings", map[string]any{}); isErr {
		t.Errorf("after a restart: %v", m)
	}
	if n := w.sim.RequestsFor("oauth.token") - tokens; n != 1 {
		t.Errorf("%d token requests to renew an expired token after a restart, want 1", n)
	}
	if w.sim.RequestsFor("oauth.authorize") != authorizations {
		t.Errorf("a restart needed a new sign-in")
	}

	// Logout revokes at Zoom and deletes the tokens; the agent then gets the link.
	if err := run(context.Background(), []string{"logout", "--connection", "dan"}, w.getenv, nil, io.Discard, io.Discard); err != nil {
		t.Fatal(err)
	}
	if w.sim.RequestsFor("oauth.revoke") != 1 {
		t.Errorf("logout sent %d revocations", w.sim.RequestsFor("oauth.revoke"))
	}
	if _, ok := w.stored(t)["dan"]; ok {
		t.Errorf("dan's tokens are still stored")
	}
	if m, isErr := call(b, "list_meetings", map[string]any{}); !isErr || m["error"].(map[string]any)["kind"] != "not_connected" {
		t.Errorf("after logout: %v", m)
	}
	log += stop()

	// No secret in any log, output or result.
	all := log + outputs.String()
	secrets := []string{zoomfake.DefaultUserClientSecret}
	for name, tok := range w.stored(t) {
		secrets = append(secrets, tok.AccessToken, tok.RefreshToken)
		_ = name
	}
	secrets = append(secrets, st["carla"].AccessToken, st["carla"].RefreshToken, st["dan"].AccessToken, st["dan"].RefreshToken)
	for _, s := range secrets {
		if s != "" && strings.Contains(all, s) {
			t.Errorf("a secret (%.6s…) appears in the logs or results", s)
		}
	}
}
