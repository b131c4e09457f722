package auth

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/zoommcp/zoom-mcp/internal/redistest"
)

// replicaSet is n S2S token sources ("replicas"), each with its own Redis
// client, sharing one Redis server and one fake token endpoint.
type replicaSet struct {
	t       *testing.T
	redis   *redistest.Server
	ts      *tokenServer
	url     string
	delay   time.Duration // each token request takes this long
	onFetch atomic.Int64  // OnFetch("s2s", "ok") calls
	onError atomic.Int64  // OnFetch("s2s", "error") calls
}

func newReplicaSet(t *testing.T, delay time.Duration) *replicaSet {
	rs := &replicaSet{t: t, redis: redistest.Start(t), ts: &tokenServer{ttl: 3600}, delay: delay}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(rs.delay)
		rs.ts.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	rs.url = srv.URL
	return rs
}

// replica starts another replica.
func (rs *replicaSet) replica() *S2STokenSource {
	rs.t.Helper()
	cfg := good()
	cfg.OAuthBaseURL = rs.url
	cfg.Shared = NewRedisSharedTokens(rs.redis.Client(rs.t), RedisOptions{OpTimeout: time.Second})
	cfg.OnFetch = func(kind, outcome string) {
		switch {
		case kind == "s2s" && outcome == "ok":
			rs.onFetch.Add(1)
		case kind == "s2s" && outcome == "error":
			rs.onError.Add(1)
		default:
			rs.t.Errorf("OnFetch(%q, %q)", kind, outcome)
		}
	}
	s, err := NewS2STokenSource(cfg)
	if err != nil {
		rs.t.Fatal(err)
	}
	return s
}

// tokenSource is what the S2S and user token sources share.
type tokenSource interface {
	Token(context.Context) (*oauth2.Token, error)
}

// concurrently calls Token n times spread over replicas and returns the
// tokens.
func concurrently[S tokenSource](t *testing.T, n int, replicas ...S) []string {
	t.Helper()
	got := make([]string, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			tok, err := replicas[i%len(replicas)].Token(ctx)
			if err == nil {
				got[i] = tok.AccessToken
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("caller %d: %v", i, err)
		}
	}
	return got
}

func allEqual(t *testing.T, got []string, want string) {
	t.Helper()
	for i, g := range got {
		if g != want {
			t.Fatalf("caller %d got %q, want %q", i, g, want)
		}
	}
}

// TestSharedS2SReplicasFetchOnce: 50 concurrent callers on 3 replicas
// cause one token request; after one replica's 124 (Invalidate), one more;
// a slow replica invalidating the old token does not throw away the new
// one.
func TestSharedS2SReplicasFetchOnce(t *testing.T) {
	rs := newReplicaSet(t, 50*time.Millisecond)
	a, b, c := rs.replica(), rs.replica(), rs.replica()

	got := concurrently(t, 50, a, b, c)
	if n := rs.ts.fetches.Load(); n != 1 {
		t.Fatalf("%d token requests for 50 callers on 3 replicas, want 1", n)
	}
	allEqual(t, got, "tok-1")
	if n := a.Fetches() + b.Fetches() + c.Fetches(); n != 1 || rs.onFetch.Load() != 1 || rs.onError.Load() != 0 {
		t.Fatalf("Fetches() sum %d, OnFetch ok %d, error %d; want 1, 1, 0", n, rs.onFetch.Load(), rs.onError.Load())
	}

	// Zoom answers 124 to replica a: it invalidates tok-1, and all
	// replicas, asked at once, share one new token.
	a.Invalidate(&oauth2.Token{AccessToken: "tok-1"})
	got = concurrently(t, 30, a)
	allEqual(t, got, "tok-2")
	b.Invalidate(&oauth2.Token{AccessToken: "tok-1"}) // b got 124 too
	got = concurrently(t, 30, a, b)
	allEqual(t, got, "tok-2")
	// c is slow: its 124 for tok-1 comes after tok-2 was shared.
	c.Invalidate(&oauth2.Token{AccessToken: "tok-1"})
	got = concurrently(t, 30, a, b, c, rs.replica())
	allEqual(t, got, "tok-2")
	if n := rs.ts.fetches.Load(); n != 2 {
		t.Fatalf("%d token requests, want 2: one for the first token, one after the 124", n)
	}
	if n := rs.onFetch.Load(); n != 2 {
		t.Fatalf("OnFetch called %d times, want 2", n)
	}
}

// TestSharedS2SRenewalSharedToo: a token due for renewal is renewed once
// for all replicas, which agree on when it is due (the shared fetch time).
func TestSharedS2SRenewalSharedToo(t *testing.T) {
	rs := newReplicaSet(t, 20*time.Millisecond)
	clk := &clock{t: time.Now()}
	mk := func() *S2STokenSource { s := rs.replica(); s.cfg.Now = clk.Now; return s }
	a, b := mk(), mk()
	allEqual(t, concurrently(t, 10, a, b), "tok-1")
	clk.Add(56 * time.Minute) // within EarlyRefresh of the expiry
	allEqual(t, concurrently(t, 50, a, b, mk()), "tok-2")
	if n := rs.ts.fetches.Load(); n != 2 {
		t.Fatalf("%d token requests, want 2", n)
	}
}

// TestSharedS2SLockHolderDies: a replica that took the fetch lock and died
// (it never stores a token nor unlocks) blocks the others only until the
// lock's TTL; then one of them fetches.
func TestSharedS2SLockHolderDies(t *testing.T) {
	rs := newReplicaSet(t, 0)
	b, c := rs.replica(), rs.replica()
	const ttl = 400 * time.Millisecond
	dead, err := b.cfg.Shared.TryLock(t.Context(), b.app, ttl)
	if err != nil || dead == nil {
		t.Fatalf("TryLock = %v, %v", dead, err)
	}
	start := time.Now()
	allEqual(t, concurrently(t, 20, b, c), "tok-1")
	if took := time.Since(start); took < ttl-50*time.Millisecond {
		t.Fatalf("a replica fetched after %v, while the dead holder's lock (TTL %v) was held", took, ttl)
	}
	if n := rs.ts.fetches.Load(); n != 1 {
		t.Fatalf("%d token requests, want 1", n)
	}
	// The dead holder's late unlock and store change nothing.
	if err := dead.Unlock(t.Context()); err != nil {
		t.Fatal(err)
	}
	if ok, err := dead.Store(t.Context(), &SharedToken{Token: &oauth2.Token{AccessToken: "zombie", Expiry: time.Now().Add(time.Hour)}, Fetched: time.Now()}); ok || err != nil {
		t.Fatalf("Store with an expired lock = %v, %v; want false", ok, err)
	}
	allEqual(t, concurrently(t, 5, rs.replica()), "tok-1")
}

// TestSharedS2SCallerGivesUpMidFetch: the caller whose call started the
// fetch cancels its context mid-fetch; the fetch still completes and is
// shared: the other replica does not fetch again.
func TestSharedS2SCallerGivesUpMidFetch(t *testing.T) {
	rs := newReplicaSet(t, 200*time.Millisecond)
	a, b := rs.replica(), rs.replica()
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	if _, err := a.Token(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the caller's deadline", err)
	}
	allEqual(t, concurrently(t, 10, a, b), "tok-1")
	if n := rs.ts.fetches.Load(); n != 1 {
		t.Fatalf("%d token requests, want 1", n)
	}
}

// TestSharedS2SLockSemantics: the fetch lock is exclusive, released only
// by its holder, and a token is stored only under a held lock;
// Invalidate deletes only the token it names.
func TestSharedS2SLockSemantics(t *testing.T) {
	srv := redistest.Start(t)
	sh := NewRedisSharedTokens(srv.Client(t), RedisOptions{Prefix: "test:"})
	ctx := t.Context()
	tok := func(at string) *SharedToken {
		return &SharedToken{Token: (&oauth2.Token{AccessToken: at, Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "a b"}), Fetched: time.Now()}
	}
	l1, err := sh.TryLock(ctx, "app", time.Minute)
	if err != nil || l1 == nil {
		t.Fatalf("TryLock = %v, %v", l1, err)
	}
	if l2, err := sh.TryLock(ctx, "app", time.Minute); l2 != nil || err != nil {
		t.Fatalf("second TryLock = %v, %v; want busy", l2, err)
	}
	if l, err := sh.TryLock(ctx, "other-app", time.Minute); l == nil || err != nil {
		t.Fatalf("TryLock of another app = %v, %v; want its own lock", l, err)
	}
	if ok, err := l1.Store(ctx, tok("T1")); !ok || err != nil {
		t.Fatalf("Store = %v, %v", ok, err)
	}
	st, err := sh.Load(ctx, "app")
	if err != nil || st == nil || st.Token.AccessToken != "T1" || strings.Join(GrantedScopes(st.Token), ",") != "a,b" {
		t.Fatalf("Load = %+v, %v", st, err)
	}
	if ttl := srv.Client(t).PTTL(ctx, "test:s2s:{app}:token").Val(); ttl < 59*time.Minute || ttl > time.Hour {
		t.Fatalf("token TTL %v, want the token's lifetime", ttl)
	}
	if err := l1.Unlock(ctx); err != nil {
		t.Fatal(err)
	}
	l3, _ := sh.TryLock(ctx, "app", time.Minute)
	if l3 == nil {
		t.Fatal("lock not released by Unlock")
	}
	_ = l1.Unlock(ctx) // a stale holder: must not release l3
	if l, _ := sh.TryLock(ctx, "app", time.Minute); l != nil {
		t.Fatal("a stale Unlock released another holder's lock")
	}
	if ok, _ := l1.Store(ctx, tok("T0")); ok {
		t.Fatal("Store without the lock succeeded")
	}
	for _, tt := range []struct {
		invalidate string
		want       string // token left, "" for none
	}{
		{"T0", "T1"}, {"", "T1"}, {"T1", ""},
	} {
		if err := sh.Invalidate(ctx, "app", tt.invalidate); err != nil {
			t.Fatal(err)
		}
		st, err := sh.Load(ctx, "app")
		got := ""
		if st != nil {
			got = st.Token.AccessToken
		}
		if err != nil || got != tt.want {
			t.Fatalf("after Invalidate(%q): Load = %q, %v; want %q", tt.invalidate, got, err, tt.want)
		}
	}
}

// TestSharedS2SRedisDown: with Redis stopped, token requests fail with
// ErrSharedStateUnavailable, naming the server, and nothing is sent to
// Zoom; the error holds no token or secret.
func TestSharedS2SRedisDown(t *testing.T) {
	rs := newReplicaSet(t, 0)
	a, b := rs.replica(), rs.replica()
	allEqual(t, concurrently(t, 4, a, b), "tok-1")
	_ = rs.redis.Client(t).ShutdownNoSave(t.Context()).Err() // Redis stops
	a.Invalidate(&oauth2.Token{AccessToken: "tok-1"})        // Zoom said 124
	fresh := rs.replica()                                    // a replica that starts now
	for name, s := range map[string]*S2STokenSource{"invalidated": a, "new": fresh} {
		start := time.Now()
		tok, err := s.Token(t.Context())
		if !errors.Is(err, ErrSharedStateUnavailable) {
			t.Fatalf("%s replica: Token() = %v, %v; want ErrSharedStateUnavailable", name, tok, err)
		}
		msg := err.Error()
		if !strings.Contains(msg, "Redis at "+rs.redis.Addr) || !strings.Contains(msg, "nothing was sent to Zoom") {
			t.Errorf("%s replica: error %q does not name the server and say nothing was sent", name, msg)
		}
		for _, secret := range []string{"csecret", "tok-"} {
			if strings.Contains(msg, secret) {
				t.Errorf("%s replica: error %q holds %q", name, msg, secret)
			}
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("%s replica: failed after %v", name, took)
		}
	}
	if n := rs.ts.fetches.Load(); n != 1 {
		t.Fatalf("%d token requests, want 1: none without the shared state", n)
	}
	// b's token has not expired: it keeps working without Redis.
	if tok, err := b.Token(t.Context()); err != nil || tok.AccessToken != "tok-1" {
		t.Fatalf("b.Token() = %v, %v", tok, err)
	}
}

// TestSharedS2SFetchErrorNoSecret: a refused fetch through the shared
// state is a TokenError without the secret, reported to OnFetch.
func TestSharedS2SFetchErrorNoSecret(t *testing.T) {
	rs := newReplicaSet(t, 0)
	s := rs.replica()
	s.oauth.ClientSecret = "wrong-secret-x" // Zoom refuses it
	s.cfg.ClientSecret = "wrong-secret-x"
	_, err := s.Token(t.Context())
	var te *TokenError
	if !errors.As(err, &te) || !te.BadCredentials() || strings.Contains(err.Error(), "wrong-secret-x") {
		t.Fatalf("err = %v", err)
	}
	if rs.onError.Load() != 1 || rs.onFetch.Load() != 0 {
		t.Fatalf("OnFetch error %d ok %d; want 1, 0", rs.onError.Load(), rs.onFetch.Load())
	}
	// The lock was released: a good replica fetches at once.
	start := time.Now()
	allEqual(t, concurrently(t, 3, rs.replica()), "tok-1")
	if took := time.Since(start); took > time.Second {
		t.Fatalf("took %v: the failed fetch kept the lock", took)
	}
}
