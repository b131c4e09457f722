package auth

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// browser plays the user's browser: it opens the authorization URL and
// follows Zoom's redirect to the loopback callback.
type browser struct {
	mu     sync.Mutex
	status int
	page   string
	err    error
	// before, if set, runs before the real callback (e.g. a forged one).
	before func(authURL string)
	done   chan struct{} // closed when the page was read
}

func newBrowser() *browser { return &browser{done: make(chan struct{})} }

func (b *browser) open(authURL string) error {
	if b.before != nil {
		b.before(authURL)
	}
	resp, err := http.Get(authURL) // follows the redirect to /callback
	b.mu.Lock()
	defer b.mu.Unlock()
	defer close(b.done)
	if err != nil {
		b.err = err
		return nil
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	b.status, b.page = resp.StatusCode, string(body)
	return nil
}

func (b *browser) result() (int, string, error) {
	select {
	case <-b.done:
	case <-time.After(5 * time.Second):
		return 0, "", errors.New("the browser never got a page")
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.status, b.page, b.err
}

func loginOpts(fz *fakeZoom, store TokenStore, b *browser, prompt io.Writer) LoginOptions {
	o := LoginOptions{Config: fz.config(), Store: store, Connection: "jane", Prompt: prompt, Timeout: 10 * time.Second}
	if b != nil {
		o.OpenBrowser = b.open
	}
	return o
}

func TestLoginEndToEnd(t *testing.T) {
	fz := newFakeZoom(t)
	store := tempStore(t)
	var prompt bytes.Buffer
	b := newBrowser()
	st, err := Login(context.Background(), loginOpts(fz, store, b, &prompt))
	if err != nil {
		t.Fatal(err)
	}
	if !fz.pkceOK.Load() {
		t.Fatal("the exchange did not pass the PKCE check")
	}
	if st.UserID != "u1" || st.Email != "jane@example.com" || st.AccountID != "acc1" || st.ClientID != userCID ||
		st.RefreshToken == "" || st.AccessToken == "" || strings.Join(st.Scopes, " ") != "meeting:read:meeting user:read:user" ||
		st.Saved.IsZero() || st.Expiry.Before(time.Now()) {
		t.Fatalf("StoredToken = %+v", st)
	}
	got, err := store.Load(context.Background(), "jane")
	if err != nil || got.RefreshToken != st.RefreshToken || got.Email != st.Email {
		t.Fatalf("stored %+v, %v", got, err)
	}
	status, page, berr := b.result()
	if berr != nil || status != 200 || !strings.Contains(page, "jane@example.com") {
		t.Fatalf("browser: %d %q %v", status, page, berr)
	}
	// The URL is on a line of its own, after a sentence.
	lines := strings.Split(strings.TrimSpace(prompt.String()), "\n")
	if len(lines) < 2 || !strings.HasPrefix(lines[1], fz.srv.URL+"/oauth/authorize?") {
		t.Fatalf("prompt %q", prompt.String())
	}
	u, _ := url.Parse(lines[1])
	q := u.Query()
	redirect, _ := url.Parse(q.Get("redirect_uri"))
	if redirect.Hostname() != "127.0.0.1" || redirect.Path != "/callback" || redirect.Port() == "" ||
		q.Get("code_challenge_method") != "S256" || len(q.Get("state")) < 32 {
		t.Fatalf("authorization URL %s", lines[1])
	}
	// The loopback server is shut down.
	if _, err := http.Get(q.Get("redirect_uri")); err == nil {
		t.Fatal("the loopback server still answers")
	}
	// The login is usable by a token source, without a refresh.
	s := newUserSource(t, fz.config(), store, "jane")
	if tok, err := s.Token(context.Background()); err != nil || tok.AccessToken != st.AccessToken || s.Refreshes() != 0 {
		t.Fatalf("Token() = %v, %v", tok, err)
	}
}

// TestLoginStateMismatch: a callback with another state is answered 400
// and does not end the login; the real one then completes it.
func TestLoginStateMismatch(t *testing.T) {
	fz := newFakeZoom(t)
	var forged int
	b := newBrowser()
	b.before = func(authURL string) {
		u, _ := url.Parse(authURL)
		cb := u.Query().Get("redirect_uri") + "?code=FORGED&state=wrong"
		resp, err := http.Get(cb)
		if err != nil {
			t.Error(err)
			return
		}
		resp.Body.Close()
		forged = resp.StatusCode
		resp, err = http.Get(u.Query().Get("redirect_uri") + "?error=access_denied&state=wrong")
		if err == nil {
			resp.Body.Close()
		}
	}
	st, err := Login(context.Background(), loginOpts(fz, tempStore(t), b, nil))
	if err != nil {
		t.Fatalf("Login: %v", err)
	}
	if forged != http.StatusBadRequest {
		t.Fatalf("forged callback answered %d, want 400", forged)
	}
	if st.Email != "jane@example.com" {
		t.Fatal(st)
	}
	if fz.exchanges.Load() != 1 {
		t.Fatalf("%d exchanges: the forged code was used", fz.exchanges.Load())
	}
}

// TestLoginStateMismatchOnly: forged callbacks alone never end the login.
func TestLoginStateMismatchOnly(t *testing.T) {
	fz := newFakeZoom(t)
	opts := loginOpts(fz, tempStore(t), nil, nil)
	opts.Timeout = 300 * time.Millisecond
	opts.OpenBrowser = func(authURL string) error {
		u, _ := url.Parse(authURL)
		resp, err := http.Get(u.Query().Get("redirect_uri") + "?code=FORGED&state=" + u.Query().Get("state") + "x")
		if err == nil {
			resp.Body.Close()
		}
		return nil
	}
	_, err := Login(context.Background(), opts)
	if !errors.Is(err, ErrLoginFailed) || !strings.Contains(err.Error(), "timed out") {
		t.Fatalf("Login = %v, want a timeout", err)
	}
	if fz.exchanges.Load() != 0 {
		t.Fatal("a forged code was exchanged")
	}
}

func TestLoginAccessDenied(t *testing.T) {
	fz := newFakeZoom(t)
	fz.set(func(f *fakeZoom) { f.deny = true })
	store := tempStore(t)
	b := newBrowser()
	_, err := Login(context.Background(), loginOpts(fz, store, b, nil))
	if !errors.Is(err, ErrAccessDenied) || !errors.Is(err, ErrLoginFailed) || !strings.Contains(err.Error(), "declined") {
		t.Fatalf("Login = %v", err)
	}
	status, page, _ := b.result()
	if status != http.StatusBadRequest || !strings.Contains(page, "declined") {
		t.Fatalf("browser: %d %q", status, page)
	}
	if names, _ := store.List(context.Background()); len(names) != 0 {
		t.Fatal("something was saved")
	}
}

func TestLoginTimeoutAndCancel(t *testing.T) {
	fz := newFakeZoom(t)
	opts := loginOpts(fz, tempStore(t), nil, nil)
	opts.Timeout = 50 * time.Millisecond
	_, err := Login(context.Background(), opts)
	if !errors.Is(err, ErrLoginFailed) || !strings.Contains(err.Error(), "timed out after 50ms") {
		t.Fatalf("Login = %v", err)
	}

	opts.Timeout = time.Minute
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err = Login(ctx, opts)
	if !errors.Is(err, context.Canceled) || time.Since(start) > 10*time.Second {
		t.Fatalf("Login = %v after %v", err, time.Since(start))
	}
}

func TestLoginPortInUse(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	fz := newFakeZoom(t)
	opts := loginOpts(fz, tempStore(t), nil, nil)
	opts.Port = ln.Addr().(*net.TCPAddr).Port
	_, err = Login(context.Background(), opts)
	if !errors.Is(err, ErrPortInUse) || !strings.Contains(err.Error(), "--redirect-port") || !strings.Contains(err.Error(), strconv.Itoa(opts.Port)) {
		t.Fatalf("Login = %v", err)
	}
}

// TestLoginBrowserFailsToOpen: the user is told to open the URL by hand,
// and the login still completes.
func TestLoginBrowserFailsToOpen(t *testing.T) {
	fz := newFakeZoom(t)
	var prompt bytes.Buffer
	b := newBrowser()
	opts := loginOpts(fz, tempStore(t), nil, &prompt)
	opts.OpenBrowser = func(authURL string) error {
		go func() { time.Sleep(50 * time.Millisecond); _ = b.open(authURL) }()
		return errors.New("no display")
	}
	if _, err := Login(context.Background(), opts); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(prompt.String(), "Could not open a browser (no display); open the URL above by hand.") {
		t.Fatalf("prompt %q", prompt.String())
	}
}

// TestLoginUsersMeFails: nothing is saved when Zoom does not say who
// signed in.
func TestLoginUsersMeFails(t *testing.T) {
	fz := newFakeZoom(t)
	fz.set(func(f *fakeZoom) {
		f.meStatus, f.meBody = 400, `{"code":4711,"message":"Invalid access token, does not contain scopes:[user:read:user]."}`
	})
	store := tempStore(t)
	_, err := Login(context.Background(), loginOpts(fz, store, newBrowser(), nil))
	if !errors.Is(err, ErrLoginFailed) || !strings.Contains(err.Error(), "/users/me") || !strings.Contains(err.Error(), "4711") {
		t.Fatalf("Login = %v", err)
	}
	if names, _ := store.List(context.Background()); len(names) != 0 {
		t.Fatal("something was saved")
	}
}

func TestRevoke(t *testing.T) {
	fz := newFakeZoom(t)
	st := fz.stored(time.Hour)
	if err := Revoke(context.Background(), fz.config(), st.RefreshToken); err != nil {
		t.Fatal(err)
	}
	if len(fz.revoked) != 1 || fz.revoked[0] != st.RefreshToken {
		t.Fatalf("revoked %v", fz.revoked)
	}
	err := Revoke(context.Background(), fz.config(), st.RefreshToken) // already revoked
	if err == nil || !strings.Contains(err.Error(), "HTTP 400") || !strings.Contains(err.Error(), "Invalid Token!") {
		t.Fatalf("second Revoke = %v", err)
	}
}
