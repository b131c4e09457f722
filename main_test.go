package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/zoommcp/zoom-mcp/internal/loadgen"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}
func (s *syncBuffer) String() string { s.mu.Lock(); defer s.mu.Unlock(); return s.b.String() }

func TestRunErrors(t *testing.T) {
	tests := []struct {
		name    string
		args    []string
		env     map[string]string
		wantErr string
	}{
		{"missing credentials", nil, nil, "no Zoom credentials: set ZOOM_ACCOUNT_ID, ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET of a Server-to-Server app, or sign in with a user-managed app"},
		{"one credential missing", nil, map[string]string{"ZOOM_ACCOUNT_ID": "a", "ZOOM_CLIENT_ID": "b"}, "set ZOOM_CLIENT_SECRET"},
		{"unknown flag", []string{"--bogus"}, nil, "flag provided but not defined: -bogus"},
		{"unknown toolset", []string{"--sandbox", "--toolsets", "meetings,calendar"}, nil, "unknown toolset calendar"},
		{"unknown tool", []string{"--sandbox", "--tools", "get_meetings"}, nil, "unknown tool get_meetings"},
		{"bad log level", []string{"--sandbox", "--log-level", "loud"}, nil, `invalid --log-level "loud"`},
		{"bad env bool", nil, map[string]string{"ZOOM_MCP_SANDBOX": "yes please"}, `invalid $ZOOM_MCP_SANDBOX "yes please"`},
		{"bad plan", nil, map[string]string{"ZOOM_ACCOUNT_ID": "a", "ZOOM_CLIENT_ID": "b", "ZOOM_CLIENT_SECRET": "c", "ZOOM_PLAN": "gold"}, `unknown Zoom plan "gold"`},
		{"stray argument", []string{"--sandbox", "serve"}, nil, `unexpected argument "serve"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			err := run(context.Background(), tt.args, env(tt.env), strings.NewReader(""), io.Discard, &stderr)
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("err = %v, want it to contain %q", err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "\n") {
				t.Errorf("error must be one line: %q", err)
			}
		})
	}
}

func TestHelpDocumentsEveryEnvVar(t *testing.T) {
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"--help"}, env(nil), strings.NewReader(""), &stdout, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Fatalf("err = %v", err)
	}
	for _, want := range []string{"ZOOM_MCP_HTTP", "ZOOM_MCP_SANDBOX", "ZOOM_MCP_READ_ONLY", "ZOOM_MCP_TOOLSETS", "ZOOM_MCP_TOOLS",
		"ZOOM_MCP_LOG_LEVEL", "ZOOM_MCP_LOG_FORMAT", "ZOOM_ACCOUNT_ID", "ZOOM_CLIENT_ID", "ZOOM_CLIENT_SECRET",
		"ZOOM_API_BASE_URL", "ZOOM_OAUTH_BASE_URL", "ZOOM_PLAN"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("--help does not mention %s", want)
		}
	}
	if stderr.Len() > 0 {
		t.Errorf("--help wrote to stderr: %s", stderr.String())
	}
}

// TestHelp: help, -h and --help print the usage, with every command, on
// stdout and end with flag.ErrHelp, on which main exits 0; a bad flag is one
// line on stderr, without the usage.
func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}, {"--sandbox", "-h"}, {"help", "simulator"}, {"simulator", "-h"}} {
		var stdout, stderr bytes.Buffer
		err := run(t.Context(), args, env(nil), strings.NewReader(""), &stdout, &stderr)
		if !errors.Is(err, flag.ErrHelp) {
			t.Errorf("%q: err = %v, want flag.ErrHelp", args, err)
		}
		if !strings.HasPrefix(stdout.String(), "Usage: zoom-mcp ") || stderr.Len() > 0 {
			t.Errorf("%q: stdout %.40q, stderr %q; want the usage on stdout only", args, stdout.String(), stderr.String())
		}
		if args[len(args)-1] == "simulator" || args[0] == "simulator" {
			continue
		}
		for _, cmd := range []string{"simulator", "config validate", "config schema", "agent add", "audit verify", "audit tail", "version", "help"} {
			if !strings.Contains(stdout.String(), "\n  "+cmd+" ") {
				t.Errorf("%q: the usage does not list %q", args, cmd)
			}
		}
	}
	var stdout bytes.Buffer
	err := run(t.Context(), []string{"--no-such-flag"}, env(nil), strings.NewReader(""), &stdout, io.Discard)
	if err == nil || errors.Is(err, flag.ErrHelp) || !strings.Contains(err.Error(), "no-such-flag") || stdout.Len() > 0 {
		t.Errorf("bad flag: err = %v, stdout %q", err, stdout.String())
	}
}

// TestStdioSandbox drives the server over stdio with mcp-go's client: the
// protocol owns stdout, logs go to stderr.
func TestStdioSandbox(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	c, stderr, stop := stdioServer(ctx, t, []string{"--sandbox", "--read-only", "--log-level", "debug"}, env(nil))
	initialize(ctx, t, c)
	list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tools) != 17 {
		t.Errorf("--read-only offers %d tools, want 17", len(list.Tools))
	}
	for _, tl := range list.Tools {
		if tl.Annotations.ReadOnlyHint == nil || !*tl.Annotations.ReadOnlyHint {
			t.Errorf("--read-only offers %s", tl.Name)
		}
	}
	res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "get_user", Arguments: map[string]any{}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError {
		t.Fatalf("get_user failed: %+v", res.Content)
	}
	if err := stop(); err != nil {
		t.Errorf("run: %v", err)
	}
	if !strings.Contains(stderr.String(), "serving MCP on stdio") || !strings.Contains(stderr.String(), "tool call") {
		t.Errorf("stderr log lacks the expected lines:\n%s", stderr.String())
	}
}

// TestHTTPSandbox serves streamable HTTP and checks /healthz, DNS-rebinding
// protection and a tool call through mcp-go's HTTP client.
func TestHTTPSandbox(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	addr := freeAddr(t)
	done, stderr := runInBackground(ctx, []string{"--sandbox", "--http", addr, "--toolsets", "meetings"})
	base := "http://" + addr
	waitHealthy(t, base+"/healthz")

	req, _ := http.NewRequest("POST", base+"/mcp", strings.NewReader(`{}`))
	req.Host = "evil.example.com"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("request with a foreign Host header: status %d, want 403", resp.StatusCode)
	}

	c, err := client.NewStreamableHttpClient(base + "/mcp")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	initialize(ctx, t, c)
	list, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if len(list.Tools) != 6 {
		t.Errorf("--toolsets meetings offers %d tools, want 6", len(list.Tools))
	}
	res, err := c.CallTool(ctx, mcp.CallToolRequest{Params: mcp.CallToolParams{Name: "list_meetings", Arguments: map[string]any{"page_size": 2}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.IsError || res.StructuredContent == nil {
		t.Fatalf("list_meetings: %+v", res)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("run: %v", err)
	}
	if !strings.Contains(stderr.String(), `"msg":"serving MCP over streamable HTTP"`) {
		t.Errorf("HTTP mode should log JSON to stderr:\n%s", stderr.String())
	}
}

// initialize starts c and performs the MCP handshake.
func initialize(ctx context.Context, t *testing.T, c *client.Client) {
	t.Helper()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Initialize(ctx, mcp.InitializeRequest{Params: mcp.InitializeParams{
		ProtocolVersion: mcp.LATEST_PROTOCOL_VERSION,
		ClientInfo:      mcp.Implementation{Name: "test", Version: "1"},
	}}); err != nil {
		t.Fatal(err)
	}
}

// stdioServer runs the server with args in this process on stdio pipes
// and returns an mcp-go client of it, not yet initialized; its log; and
// stop, which closes stdin and the client and returns run's error,
// failing the test if the server does not stop before ctx ends.
func stdioServer(ctx context.Context, t *testing.T, args []string, getenv func(string) string) (c *client.Client, stderr *syncBuffer, stop func() error) {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	stderr = &syncBuffer{}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, getenv, inR, outW, stderr)
		outW.Close()
	}()
	c = client.NewClient(transport.NewIO(outR, inW, io.NopCloser(strings.NewReader(""))))
	return c, stderr, func() error {
		inW.Close()
		c.Close()
		select {
		case err := <-done:
			return err
		case <-ctx.Done():
			t.Fatal("server did not stop when stdin closed")
			return nil
		}
	}
}

// freeAddr returns a loopback address with a port nothing listens on.
func freeAddr(t testing.TB) string {
	t.Helper()
	a, err := loadgen.FreeAddr()
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// runInBackground runs the command with args until ctx ends; its error
// arrives on done, and its log collects in stderr.
func runInBackground(ctx context.Context, args []string) (done <-chan error, stderr *syncBuffer) {
	errc := make(chan error, 1)
	stderr = &syncBuffer{}
	go func() {
		errc <- run(ctx, args, env(nil), strings.NewReader(""), io.Discard, stderr)
	}()
	return errc, stderr
}

func waitHealthy(t *testing.T, url string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		resp, err := http.Get(url)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode == 200 && strings.Contains(string(body), "ok") {
				return
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s never became healthy", url)
}

func TestListenAddr(t *testing.T) {
	tests := []struct {
		in     string
		want   string
		public bool
	}{
		{":8080", "127.0.0.1:8080", false},
		{"127.0.0.1:8080", "127.0.0.1:8080", false},
		{"localhost:8080", "localhost:8080", false},
		{"[::1]:8080", "[::1]:8080", false},
		{"0.0.0.0:8080", "0.0.0.0:8080", true},
		{"10.1.2.3:8080", "10.1.2.3:8080", true},
		{"mcp.internal:8080", "mcp.internal:8080", true},
	}
	for _, tt := range tests {
		got, public := listenAddr(tt.in)
		if got != tt.want || public != tt.public {
			t.Errorf("listenAddr(%q) = %q, %v; want %q, %v", tt.in, got, public, tt.want, tt.public)
		}
	}
}

// TestSimulatorSubcommand runs the standalone simulator and uses it as a
// Zoom client would: token, then an API call.
func TestSimulatorSubcommand(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	addr := freeAddr(t)
	done, stderr := runInBackground(ctx, []string{"simulator", "--addr", addr, "--plan", "business"})
	base := "http://" + addr
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	deadline := time.Now().Add(10 * time.Second)
	for tok.AccessToken == "" && time.Now().Before(deadline) {
		req, _ := http.NewRequest("POST", base+"/oauth/token?grant_type=account_credentials&account_id=sandbox-account", nil)
		req.SetBasicAuth("sandbox-client", "sandbox-secret")
		if resp, err := http.DefaultClient.Do(req); err == nil {
			json.NewDecoder(resp.Body).Decode(&tok)
			resp.Body.Close()
		} else {
			time.Sleep(20 * time.Millisecond)
		}
	}
	if tok.AccessToken == "" {
		t.Fatalf("no token from the simulator; log:\n%s", stderr.String())
	}
	req, _ := http.NewRequest("GET", base+"/v2/users/me", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var me struct{ Email string }
	json.NewDecoder(resp.Body).Decode(&me)
	resp.Body.Close()
	if me.Email == "" || resp.Header.Get("X-RateLimit-Limit") != "80" {
		t.Errorf("GET /users/me: %+v, X-RateLimit-Limit %q (business Light is 80)", me, resp.Header.Get("X-RateLimit-Limit"))
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("simulator: %v", err)
	}
	if !strings.Contains(stderr.String(), "Zoom simulator listening") {
		t.Errorf("log:\n%s", stderr.String())
	}
}

// listTools starts the server on stdio with args, lists its tools and
// returns their names and the server's stderr.
func listTools(t *testing.T, args []string, getenv func(string) string) ([]string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	in := strings.NewReader(initMsg + "\n" + initdMsg + "\n" + listMsg + "\n")
	var out, stderr syncBuffer
	if err := run(ctx, args, getenv, in, &out, &stderr); err != nil {
		t.Fatalf("run: %v\n%s", err, stderr.String())
	}
	for _, line := range strings.Split(out.String(), "\n") {
		var msg struct {
			ID     int `json:"id"`
			Result struct {
				Tools []struct{ Name string } `json:"tools"`
			} `json:"result"`
		}
		if json.Unmarshal([]byte(line), &msg) == nil && msg.ID == 2 {
			var names []string
			for _, tl := range msg.Result.Tools {
				names = append(names, tl.Name)
			}
			return names, stderr.String()
		}
	}
	t.Fatalf("no tools/list answer in %q", out.String())
	return nil, ""
}

// TestToolsWithoutScopesAreHidden: tools the Zoom app has no scope for are
// not offered, with a warning that names them, unless --all-tools.
func TestToolsWithoutScopesAreHidden(t *testing.T) {
	scopes := "meeting:read:meeting,user:read:user:admin,report:read:admin"
	names, stderr := listTools(t, []string{"--sandbox", "--sandbox-scopes", scopes}, env(nil))
	want := []string{"get_meeting", "get_meeting_report", "get_user", "list_meeting_participants", "list_past_meetings", "wait_for_event"}
	if strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("tools = %v, want %v", names, want)
	}
	if !strings.Contains(stderr, "not listing tools the Zoom app has no scope for") || !strings.Contains(stderr, "create_meeting") {
		t.Errorf("no warning naming the hidden tools:\n%s", stderr)
	}
	all, _ := listTools(t, []string{"--sandbox", "--sandbox-scopes", scopes, "--all-tools"}, env(nil))
	if len(all) != 29 {
		t.Errorf("--all-tools offers %d tools, want 29 (28 Zoom tools and wait_for_event)", len(all))
	}
}

// TestCredentialsCheckedAtStartup: credentials Zoom refuses stop the server
// with a one-line error that names what to check and never the secret; an
// unreachable Zoom only warns.
func TestCredentialsCheckedAtStartup(t *testing.T) {
	zoom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		io.WriteString(w, `{"reason":"Invalid client_id or client_secret","error":"invalid_client"}`)
	}))
	defer zoom.Close()
	const secret = "do-not-print-me"
	creds := map[string]string{"ZOOM_ACCOUNT_ID": "a", "ZOOM_CLIENT_ID": "b", "ZOOM_CLIENT_SECRET": secret,
		"ZOOM_OAUTH_BASE_URL": zoom.URL, "ZOOM_API_BASE_URL": zoom.URL + "/v2"}
	var stderr bytes.Buffer
	err := run(context.Background(), nil, env(creds), strings.NewReader(""), io.Discard, &stderr)
	if err == nil || !strings.Contains(err.Error(), "invalid_client") || !strings.Contains(err.Error(), "ZOOM_CLIENT_SECRET") {
		t.Fatalf("err = %v", err)
	}
	if strings.Contains(err.Error()+stderr.String(), secret) {
		t.Error("the client secret was printed")
	}

	dead := "http://" + freeAddr(t)
	creds["ZOOM_OAUTH_BASE_URL"], creds["ZOOM_API_BASE_URL"] = dead, dead+"/v2"
	// Every tool is kept; the local agent without --access sees the 17 that read (wait_for_event too).
	names, stderrText := listTools(t, nil, env(creds))
	if len(names) != 17 || !strings.Contains(stderrText, "cannot check the Zoom app's scopes") {
		t.Errorf("unreachable Zoom: %d tools, log:\n%s", len(names), stderrText)
	}
	if strings.Contains(stderrText, secret) {
		t.Error("the client secret was logged")
	}
}

// TestInitializeDuringScopeCheck: on stdio the client's initialize is
// answered while the start-up token fetch is still under way; tools/list
// waits for it and lists by the scopes it brought; and credentials Zoom
// refuses after initialize still stop the server with the error.
func TestInitializeDuringScopeCheck(t *testing.T) {
	for _, refuse := range []bool{false, true} {
		t.Run(map[bool]string{false: "granted", true: "refused"}[refuse], func(t *testing.T) {
			release := make(chan struct{})
			var tokens atomic.Int32
			zoom := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path != "/oauth/token" {
					http.NotFound(w, r)
					return
				}
				tokens.Add(1)
				<-release
				w.Header().Set("Content-Type", "application/json")
				if refuse {
					w.WriteHeader(http.StatusUnauthorized)
					io.WriteString(w, `{"reason":"Invalid client_id or client_secret","error":"invalid_client"}`)
					return
				}
				// Meetings only: the other toolsets are hidden.
				io.WriteString(w, `{"access_token":"t","token_type":"bearer","expires_in":3599,"scope":"meeting:read:list_meetings:admin meeting:read:meeting:admin"}`)
			}))
			defer zoom.Close()
			defer func() {
				select {
				case <-release:
				default:
					close(release)
				}
			}()
			getenv := env(map[string]string{"ZOOM_ACCOUNT_ID": "acct", "ZOOM_CLIENT_ID": "client", "ZOOM_CLIENT_SECRET": "a-long-secret",
				"ZOOM_OAUTH_BASE_URL": zoom.URL, "ZOOM_API_BASE_URL": zoom.URL + "/v2"})
			// OS pipes: a server that does not read does not block the
			// test's writes.
			inR, inW, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer inW.Close()
			outR, outW, err := os.Pipe()
			if err != nil {
				t.Fatal(err)
			}
			defer outR.Close()
			done := make(chan error, 1)
			go func() { done <- run(t.Context(), nil, getenv, inR, outW, io.Discard); outW.Close() }()
			lines := bufio.NewScanner(outR)
			lines.Buffer(nil, 1<<22)
			answer := func() string {
				t.Helper()
				got := make(chan string, 1)
				go func() {
					if lines.Scan() {
						got <- lines.Text()
					}
					close(got)
				}()
				select {
				case l := <-got:
					return l
				case <-time.After(10 * time.Second):
					t.Fatal("no answer within 10 s")
					return ""
				}
			}
			io.WriteString(inW, `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`+"\n")
			if l := answer(); !strings.Contains(l, `"id":1`) || !strings.Contains(l, `"serverInfo"`) {
				t.Fatalf("initialize: %s", l)
			}
			// The token endpoint answers nothing before release: the check
			// cannot have passed (its request may not even have left yet).
			if n := tokens.Load(); n > 1 {
				t.Fatalf("%d token requests when initialize was answered, want at most the one held", n)
			}
			close(release)
			if refuse {
				select {
				case err := <-done:
					if err == nil || !strings.Contains(err.Error(), "invalid_client") {
						t.Fatalf("run = %v, want the refused credentials", err)
					}
				case <-time.After(10 * time.Second):
					t.Fatal("the server went on serving with refused credentials")
				}
				return
			}
			io.WriteString(inW, `{"jsonrpc":"2.0","method":"notifications/initialized"}`+"\n"+`{"jsonrpc":"2.0","id":2,"method":"tools/list"}`+"\n")
			l := answer()
			if !strings.Contains(l, `"list_meetings"`) || strings.Contains(l, `"list_users"`) {
				t.Errorf("tools/list does not follow the granted scopes: %.300s", l)
			}
			inW.Close()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("run = %v", err)
				}
			case <-time.After(10 * time.Second):
				t.Error("the server did not stop within 10 s of stdin closing")
			}
		})
	}
}
