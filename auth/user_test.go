package auth

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

func newUserSource(t *testing.T, cfg UserConfig, store TokenStore, conn string) *UserTokenSource {
	t.Helper()
	s, err := NewUserTokenSource(cfg, store, conn)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func tempStore(t *testing.T) *FileStore {
	return NewFileStore(filepath.Join(t.TempDir(), "zoom-mcp", "tokens.json"))
}

func save(t *testing.T, store TokenStore, conn string, st *StoredToken) {
	t.Helper()
	if err := store.Save(context.Background(), conn, st); err != nil {
		t.Fatal(err)
	}
}

func TestUserConfigValidateAndOAuth2(t *testing.T) {
	err := UserConfig{}.Validate()
	if !errors.Is(err, ErrMissingUserCredentials) || !errors.Is(err, ErrMissingCredentials) ||
		!strings.Contains(err.Error(), "ZOOM_CLIENT_ID, ZOOM_CLIENT_SECRET") {
		t.Fatalf("Validate() = %v", err)
	}
	if err := (UserConfig{ClientID: "a"}).Validate(); err == nil || strings.Contains(err.Error(), "ZOOM_CLIENT_ID") || !strings.Contains(err.Error(), "ZOOM_CLIENT_SECRET") {
		t.Fatalf("Validate() = %v", err)
	}
	if err := (UserConfig{ClientID: "a", ClientSecret: "b"}).Validate(); err != nil {
		t.Fatal(err)
	}
	oc := UserConfig{ClientID: "a", ClientSecret: "b"}.OAuth2("http://127.0.0.1:1/callback")
	if oc.Endpoint.AuthURL != "https://zoom.us/oauth/authorize" || oc.Endpoint.TokenURL != "https://zoom.us/oauth/token" ||
		oc.Endpoint.AuthStyle != oauth2.AuthStyleInHeader || oc.RedirectURL != "http://127.0.0.1:1/callback" {
		t.Fatalf("OAuth2() = %+v", oc)
	}
	if got := (UserConfig{OAuthBaseURL: "http://x/"}).OAuth2("").Endpoint.TokenURL; got != "http://x/oauth/token" {
		t.Fatal(got)
	}
	if got := (UserConfig{}).apiBase(); got != "https://api.zoom.us/v2" {
		t.Fatal(got)
	}
	if _, err := NewUserTokenSource(UserConfig{}, tempStore(t), "x"); err == nil {
		t.Fatal("NewUserTokenSource accepted an empty config")
	}
}

// TestUserRestartResumesFromStore: a new source on the same file uses the
// stored token without asking Zoom, and hands out its scopes but not its
// refresh token.
func TestUserRestartResumesFromStore(t *testing.T) {
	fz := newFakeZoom(t)
	path := filepath.Join(t.TempDir(), "tokens.json")
	st := fz.stored(time.Hour)
	save(t, NewFileStore(path), "jane", st)

	s := newUserSource(t, fz.config(), NewFileStore(path), "jane") // "restart"
	tok, err := s.Token(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if tok.AccessToken != st.AccessToken || tok.RefreshToken != "" {
		t.Fatalf("Token() = %q (refresh %q), want the stored token without refresh token", tok.AccessToken, tok.RefreshToken)
	}
	if got := GrantedScopes(tok); len(got) != 1 || got[0] != "meeting:read:meeting" {
		t.Fatalf("GrantedScopes = %v", got)
	}
	if s.Refreshes() != 0 || fz.refreshes.Load() != 0 {
		t.Fatalf("refreshed %d/%d times, want 0", s.Refreshes(), fz.refreshes.Load())
	}
	got, err := s.Stored(context.Background())
	if err != nil || got.Email != "jane@example.com" || got.UserID != "u1" {
		t.Fatalf("Stored() = %+v, %v", got, err)
	}
}

// TestUserConcurrentRefreshOnce: 50 callers with an expired token cause
// one refresh; all get the new token; the store holds the rotated refresh
// token.
//
// It runs with the file store, whose refresh lock also serializes
// renewals, and with a plain store, where the single flight alone must.
func TestUserConcurrentRefreshOnce(t *testing.T) {
	t.Run("file store", func(t *testing.T) { testConcurrentRefreshOnce(t, false) })
	t.Run("plain store", func(t *testing.T) { testConcurrentRefreshOnce(t, true) })
}

// plainStore hides the file store's RefreshLocker.
type plainStore struct{ TokenStore }

func testConcurrentRefreshOnce(t *testing.T, plain bool) {
	fz := newFakeZoom(t)
	store := tempStore(t)
	old := fz.stored(-time.Minute) // expired
	save(t, store, "jane", old)
	gate := make(chan struct{})
	fz.set(func(f *fakeZoom) { f.gate = gate })
	var ts TokenStore = store
	if plain {
		ts = plainStore{store}
	}
	s := newUserSource(t, fz.config(), ts, "jane")

	const n = 50
	var wg sync.WaitGroup
	toks := make([]*oauth2.Token, n)
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			toks[i], errs[i] = s.Token(context.Background())
		}()
	}
	waitFor(t, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.waiting == n })
	time.Sleep(20 * time.Millisecond) // let any extra refresh reach Zoom
	close(gate)
	wg.Wait()

	if got := fz.refreshes.Load(); got != 1 {
		t.Fatalf("Zoom saw %d refresh requests, want 1", got)
	}
	if s.Refreshes() != 1 {
		t.Fatalf("Refreshes() = %d, want 1", s.Refreshes())
	}
	for i := range n {
		if errs[i] != nil {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if toks[i].AccessToken != toks[0].AccessToken || toks[i].AccessToken == old.AccessToken {
			t.Fatalf("caller %d got %q, caller 0 %q (old %q)", i, toks[i].AccessToken, toks[0].AccessToken, old.AccessToken)
		}
	}
	st, err := store.Load(context.Background(), "jane")
	if err != nil {
		t.Fatal(err)
	}
	fz.mu.Lock()
	valid := fz.refresh[st.RefreshToken]
	fz.mu.Unlock()
	if st.RefreshToken == old.RefreshToken || !valid {
		t.Fatalf("store holds refresh token %q; want the rotated one", st.RefreshToken)
	}
	if st.AccessToken != toks[0].AccessToken || st.Email != "jane@example.com" || st.ClientID != userCID {
		t.Fatalf("stored %+v", st)
	}
	// A restart uses the renewed token.
	s2 := newUserSource(t, fz.config(), NewFileStore(store.Path()), "jane")
	if tok, err := s2.Token(context.Background()); err != nil || tok.AccessToken != toks[0].AccessToken {
		t.Fatalf("after restart: %v, %v", tok, err)
	}
	if fz.refreshes.Load() != 1 {
		t.Fatal("restart refreshed again")
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting")
		}
		time.Sleep(time.Millisecond)
	}
}

// TestUserRefusedRefreshToken: Zoom refusing the refresh token gives one
// ErrLoginRequired naming the connection, remembered without asking Zoom
// again, until someone logs in again.
func TestUserRefusedRefreshToken(t *testing.T) {
	fz := newFakeZoom(t)
	store := tempStore(t)
	st := fz.stored(-time.Minute)
	fz.set(func(f *fakeZoom) { delete(f.refresh, st.RefreshToken) }) // revoked
	save(t, store, "jane", st)
	s := newUserSource(t, fz.config(), store, "jane")

	_, err := s.Token(context.Background())
	if !errors.Is(err, ErrLoginRequired) {
		t.Fatalf("Token() = %v, want ErrLoginRequired", err)
	}
	want := `Zoom refused the stored sign-in for connection "jane"`
	if !strings.Contains(err.Error(), want) || !strings.HasSuffix(err.Error(), "run zoom-mcp login --connection jane") {
		t.Fatalf("error %q, want %q ... run zoom-mcp login --connection jane", err, want)
	}
	var lr *LoginRequiredError
	if !errors.As(err, &lr) || lr.Connection != "jane" {
		t.Fatalf("error %T", err)
	}
	if fz.refreshes.Load() != 1 {
		t.Fatalf("Zoom saw %d refreshes", fz.refreshes.Load())
	}
	for range 3 {
		_, err2 := s.Token(context.Background())
		if err2 == nil || err2.Error() != err.Error() {
			t.Fatalf("second call: %v", err2)
		}
	}
	if fz.refreshes.Load() != 1 || s.Refreshes() != 1 {
		t.Fatalf("later calls asked Zoom again: %d", fz.refreshes.Load())
	}

	// A new login stores another refresh token: the source uses it.
	save(t, store, "jane", fz.stored(time.Hour))
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatalf("after a new login: %v", err)
	}
}

// TestUserSaveFailure: a renewed token that cannot be saved is not used.
func TestUserSaveFailure(t *testing.T) {
	fz := newFakeZoom(t)
	fs := tempStore(t)
	st := fz.stored(-time.Minute)
	save(t, fs, "jane", st)
	store := &failingStore{TokenStore: fs, err: errors.New("disk full")}
	s := newUserSource(t, fz.config(), store, "jane")
	tok, err := s.Token(context.Background())
	if err == nil || tok != nil {
		t.Fatalf("Token() = %v, %v; want an error and no token", tok, err)
	}
	if !strings.Contains(err.Error(), "saving it failed (disk full)") || !strings.Contains(err.Error(), "was not used") {
		t.Fatalf("error %q", err)
	}
	if fz.refreshes.Load() != 1 {
		t.Fatal("no refresh happened")
	}
}

type failingStore struct {
	TokenStore
	err error
}

func (s *failingStore) Save(ctx context.Context, conn string, tok *StoredToken) error { return s.err }

// TestUserRetryableFailure: an outage is a TokenError that is not
// BadCredentials nor ErrLoginRequired, and is not remembered.
func TestUserRetryableFailure(t *testing.T) {
	fz := newFakeZoom(t)
	store := tempStore(t)
	save(t, store, "jane", fz.stored(-time.Minute))
	fz.set(func(f *fakeZoom) { f.status, f.body = 503, `{"error":"server_error","reason":"Internal error"}` })
	s := newUserSource(t, fz.config(), store, "jane")
	for i := range 2 {
		_, err := s.Token(context.Background())
		var te *TokenError
		if !errors.As(err, &te) || te.BadCredentials() || errors.Is(err, ErrLoginRequired) || te.StatusCode != 503 {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if fz.refreshes.Load() != 2 {
		t.Fatalf("Zoom saw %d refreshes, want 2 (failures not remembered)", fz.refreshes.Load())
	}
	fz.set(func(f *fakeZoom) { f.status = 0 })
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestUserRenewalFailureKeepsValidToken: an early renewal that fails for
// a passing reason hands out the still valid token.
func TestUserRenewalFailureKeepsValidToken(t *testing.T) {
	fz := newFakeZoom(t)
	store := tempStore(t)
	st := fz.stored(2 * time.Minute) // within the 5 minute margin
	save(t, store, "jane", st)
	fz.set(func(f *fakeZoom) { f.status, f.body = 500, `oops` })
	s := newUserSource(t, fz.config(), store, "jane")
	tok, err := s.Token(context.Background())
	if err != nil || tok.AccessToken != st.AccessToken {
		t.Fatalf("Token() = %v, %v", tok, err)
	}
}

// TestUserInvalidClient: a wrong client secret is the operator's problem,
// not a refused sign-in.
func TestUserInvalidClient(t *testing.T) {
	fz := newFakeZoom(t)
	store := tempStore(t)
	save(t, store, "jane", fz.stored(-time.Minute))
	cfg := fz.config()
	cfg.ClientSecret = "wrong-secret-1234"
	s := newUserSource(t, cfg, store, "jane")
	_, err := s.Token(context.Background())
	var te *TokenError
	if !errors.As(err, &te) || !te.BadCredentials() || errors.Is(err, ErrLoginRequired) {
		t.Fatalf("Token() = %v", err)
	}
	if !strings.Contains(err.Error(), "check ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET") || strings.Contains(err.Error(), "ZOOM_ACCOUNT_ID") {
		t.Fatalf("error %q", err)
	}
}

// TestUserOtherApp: a token of another OAuth app needs a new login, and
// Zoom is not asked.
func TestUserOtherApp(t *testing.T) {
	fz := newFakeZoom(t)
	store := tempStore(t)
	st := fz.stored(time.Hour)
	st.ClientID = "other-app"
	save(t, store, DefaultConnection, st)
	s := newUserSource(t, fz.config(), store, "")
	_, err := s.Token(context.Background())
	if !errors.Is(err, ErrLoginRequired) || !strings.Contains(err.Error(), "another OAuth app") || !strings.HasSuffix(err.Error(), "run zoom-mcp login") {
		t.Fatalf("Token() = %v", err)
	}
	if fz.refreshes.Load() != 0 {
		t.Fatal("asked Zoom")
	}
}

func TestUserNotConnected(t *testing.T) {
	fz := newFakeZoom(t)
	s := newUserSource(t, fz.config(), tempStore(t), "bob")
	_, err := s.Token(context.Background())
	if !errors.Is(err, ErrNotConnected) || !strings.Contains(err.Error(), `connection "bob"`) || !strings.Contains(err.Error(), "zoom-mcp login --connection bob") {
		t.Fatalf("Token() = %v", err)
	}
	if _, err := s.Stored(context.Background()); !errors.Is(err, ErrNotConnected) {
		t.Fatalf("Stored() = %v", err)
	}
}

// TestUserInvalidate: a token Zoom rejected is renewed; a stale
// Invalidate does not drop the newer token.
func TestUserInvalidate(t *testing.T) {
	fz := newFakeZoom(t)
	store := tempStore(t)
	st := fz.stored(time.Hour)
	save(t, store, "jane", st)
	s := newUserSource(t, fz.config(), store, "jane")
	ctx := context.Background()
	tok, _ := s.Token(ctx)
	s.Invalidate(tok)
	tok2, err := s.Token(ctx)
	if err != nil || tok2.AccessToken == tok.AccessToken || fz.refreshes.Load() != 1 {
		t.Fatalf("after Invalidate: %v, %v, %d refreshes", tok2, err, fz.refreshes.Load())
	}
	s.Invalidate(tok) // stale
	if tok3, _ := s.Token(ctx); tok3.AccessToken != tok2.AccessToken || fz.refreshes.Load() != 1 {
		t.Fatal("a stale Invalidate dropped the new token")
	}
}

// TestUserUsesNewerStoredToken: before refreshing, the source re-reads
// the store and uses a token another process stored.
func TestUserUsesNewerStoredToken(t *testing.T) {
	fz := newFakeZoom(t)
	store := tempStore(t)
	clk := &clock{t: time.Now()}
	cfg := fz.config()
	cfg.Now = clk.Now
	save(t, store, "jane", fz.stored(time.Hour))
	s := newUserSource(t, cfg, store, "jane")
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	clk.Add(2 * time.Hour) // the cached token expired
	newer := fz.stored(3 * time.Hour)
	save(t, NewFileStore(store.Path()), "jane", newer) // another process
	tok, err := s.Token(context.Background())
	if err != nil || tok.AccessToken != newer.AccessToken || fz.refreshes.Load() != 0 {
		t.Fatalf("Token() = %v, %v, %d refreshes", tok, err, fz.refreshes.Load())
	}
}

// TestUserWaiterHonoursContext: a caller whose context ends stops waiting;
// the refresh goes on for the others.
func TestUserWaiterHonoursContext(t *testing.T) {
	fz := newFakeZoom(t)
	store := tempStore(t)
	save(t, store, "jane", fz.stored(-time.Minute))
	gate := make(chan struct{})
	fz.set(func(f *fakeZoom) { f.gate = gate })
	s := newUserSource(t, fz.config(), store, "jane")
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := s.Token(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Token() = %v", err)
	}
	close(gate)
	if _, err := s.Token(context.Background()); err != nil {
		t.Fatal(err)
	}
	if fz.refreshes.Load() != 1 {
		t.Fatalf("%d refreshes, want 1 (the first one completed for the second caller)", fz.refreshes.Load())
	}
}

// TestUserTwoProcessesRefreshOnce: two sources on the same file (two
// processes) renew an expired token once: the second waits for the
// refresh lock, re-reads the store and uses the renewed token instead of
// spending the rotated refresh token.
func TestUserTwoProcessesRefreshOnce(t *testing.T) {
	fz := newFakeZoom(t)
	path := tempStore(t).Path()
	save(t, NewFileStore(path), "jane", fz.stored(-time.Minute))
	gate := make(chan struct{})
	fz.set(func(f *fakeZoom) { f.gate = gate })
	a := newUserSource(t, fz.config(), NewFileStore(path), "jane")
	b := newUserSource(t, fz.config(), NewFileStore(path), "jane")
	var wg sync.WaitGroup
	toks := make([]*oauth2.Token, 2)
	errs := make([]error, 2)
	for i, s := range []*UserTokenSource{a, b} {
		wg.Add(1)
		go func() { defer wg.Done(); toks[i], errs[i] = s.Token(context.Background()) }()
	}
	waitFor(t, func() bool { return fz.refreshes.Load() >= 1 })
	time.Sleep(50 * time.Millisecond) // let a second refresh reach Zoom, if any
	close(gate)
	wg.Wait()
	for i := range 2 {
		if errs[i] != nil {
			t.Fatalf("source %d: %v", i, errs[i])
		}
	}
	if fz.refreshes.Load() != 1 || toks[0].AccessToken != toks[1].AccessToken {
		t.Fatalf("%d refreshes; tokens %q and %q", fz.refreshes.Load(), toks[0].AccessToken, toks[1].AccessToken)
	}
}
