package auth

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zoommcp/zoom-mcp/internal/redistest"
)

var (
	_ TokenStore    = (*RedisStore)(nil)
	_ RefreshLocker = (*RedisStore)(nil)
	_ SharedTokens  = (*RedisSharedTokens)(nil)
)

func TestRedisStoreCRUD(t *testing.T) {
	srv := redistest.Start(t)
	s := NewRedisStore(srv.Client(t), RedisOptions{Prefix: "p1:"})
	other := NewRedisStore(srv.Client(t), RedisOptions{Prefix: "p2:"}) // another deployment
	ctx := t.Context()
	tok := func(at string) *StoredToken {
		return &StoredToken{AccessToken: at, RefreshToken: "rt-" + at, Expiry: time.Now().Add(time.Hour).Round(0).UTC(),
			Scopes: []string{"a", "b"}, Email: "j@example.com", ClientID: "cid", Saved: time.Now().Round(0).UTC()}
	}
	for _, tt := range []struct {
		name  string
		do    func() error
		load  string // connection to load after do
		want  string // its access token, "" for not connected
		names []string
	}{
		{"empty", func() error { return nil }, "zed", "", []string{}},
		{"save", func() error { return s.Save(ctx, "zed", tok("A1")) }, "zed", "A1", []string{"zed"}},
		{"save another", func() error { return s.Save(ctx, "amy", tok("B1")) }, "amy", "B1", []string{"amy", "zed"}},
		{"replace", func() error { return s.Save(ctx, "zed", tok("A2")) }, "zed", "A2", []string{"amy", "zed"}},
		{"odd name", func() error { return s.Save(ctx, "a b:{c}", tok("C1")) }, "a b:{c}", "C1", []string{"a b:{c}", "amy", "zed"}},
		{"delete", func() error { return s.Delete(ctx, "zed") }, "zed", "", []string{"a b:{c}", "amy"}},
		{"delete missing", func() error { return s.Delete(ctx, "zed") }, "amy", "B1", []string{"a b:{c}", "amy"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.do(); err != nil {
				t.Fatal(err)
			}
			got, err := s.Load(ctx, tt.load)
			switch {
			case tt.want == "" && !errors.Is(err, ErrNotConnected):
				t.Fatalf("Load(%q) = %+v, %v; want ErrNotConnected", tt.load, got, err)
			case tt.want != "" && (err != nil || got.AccessToken != tt.want || got.RefreshToken != "rt-"+tt.want ||
				!slices.Equal(got.Scopes, []string{"a", "b"}) || got.Email != "j@example.com" || got.Expiry.IsZero()):
				t.Fatalf("Load(%q) = %+v, %v; want %s", tt.load, got, err, tt.want)
			}
			names, err := s.List(ctx)
			if err != nil || !slices.Equal(names, tt.names) {
				t.Fatalf("List() = %q, %v; want %q", names, err, tt.names)
			}
			if names, _ := other.List(ctx); len(names) != 0 {
				t.Fatalf("another prefix sees %q", names)
			}
		})
	}
	// An unreadable entry is reported without its content.
	srv.Client(t).HSet(ctx, "p1:user:tokens", "bad", `{"access_token":"AT-leak",`)
	if _, err := s.Load(ctx, "bad"); err == nil || strings.Contains(err.Error(), "AT-leak") || !strings.Contains(err.Error(), "login") {
		t.Fatalf("Load(bad) = %v", err)
	}
}

// TestRedisStoreReplicasRefreshOnce: two replicas (each its own client and
// source) on one Redis, with an expired token and 50 concurrent callers,
// send one refresh request; the rotated refresh token is stored.
func TestRedisStoreReplicasRefreshOnce(t *testing.T) {
	srv := redistest.Start(t)
	fz := newFakeZoom(t)
	old := fz.stored(-time.Minute)
	save(t, NewRedisStore(srv.Client(t), RedisOptions{}), "jane", old)
	gate := make(chan struct{})
	fz.set(func(f *fakeZoom) { f.gate = gate })
	time.AfterFunc(200*time.Millisecond, func() { close(gate) }) // let both replicas queue
	var replicas []*UserTokenSource
	for range 2 {
		replicas = append(replicas, newUserSource(t, fz.config(), NewRedisStore(srv.Client(t), RedisOptions{}), "jane"))
	}
	got := concurrently(t, 50, replicas...)
	for i := range got {
		if got[i] != got[0] || got[i] == old.AccessToken {
			t.Fatalf("caller %d got %q, caller 0 %q, old %q", i, got[i], got[0], old.AccessToken)
		}
	}
	if r := fz.refreshes.Load(); r != 1 {
		t.Fatalf("%d refresh requests from 2 replicas, want 1", r)
	}
	st, err := NewRedisStore(srv.Client(t), RedisOptions{}).Load(t.Context(), "jane")
	if err != nil || st.AccessToken != got[0] || st.RefreshToken == old.RefreshToken || st.RefreshToken == "" {
		t.Fatalf("stored %+v, %v; want the new token and the rotated refresh token", st, err)
	}
	fz.mu.Lock()
	accepted := fz.refresh[st.RefreshToken]
	fz.mu.Unlock()
	if !accepted {
		t.Fatal("the stored refresh token is not the one Zoom now accepts")
	}
}

// TestRedisStoreRefreshLock: the lock is exclusive per connection, kept
// while its holder runs past the TTL, released by unlock, and bounded for
// a holder that never unlocks.
func TestRedisStoreRefreshLock(t *testing.T) {
	srv := redistest.Start(t)
	newStore := func() *RedisStore {
		s := NewRedisStore(srv.Client(t), RedisOptions{})
		s.lockTTL, s.maxHold = 150*time.Millisecond, 600*time.Millisecond
		return s
	}
	a, b := newStore(), newStore()
	try := func(s *RedisStore, conn string, wait time.Duration) (func(), error) {
		ctx, cancel := context.WithTimeout(t.Context(), wait)
		defer cancel()
		return s.LockRefresh(ctx, conn)
	}
	unlock, err := try(a, "jane", time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if u, err := try(b, "joe", 100*time.Millisecond); err != nil {
		t.Fatalf("another connection's lock: %v", err)
	} else {
		u()
	}
	// Held for 3 TTLs by a live holder: still held.
	if _, err := try(b, "jane", 450*time.Millisecond); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second holder got the lock (err %v) while the first renews it", err)
	}
	unlock()
	unlock() // twice is harmless
	u2, err := try(b, "jane", 100*time.Millisecond)
	if err != nil {
		t.Fatalf("lock not released: %v", err)
	}
	// u2's holder hangs: after maxHold plus a TTL, another gets it.
	start := time.Now()
	u3, err := try(a, "jane", 2*time.Second)
	if err != nil {
		t.Fatalf("a hung holder kept the lock: %v", err)
	}
	if took := time.Since(start); took < 500*time.Millisecond {
		t.Fatalf("lock taken after %v, before maxHold", took)
	}
	u2() // the hung holder's late unlock must not release u3
	if _, err := try(b, "jane", 100*time.Millisecond); err == nil {
		t.Fatal("a stale unlock released another holder's lock")
	}
	u3()
}

// TestRedisStoreDown: with Redis stopped, a renewal fails with
// ErrSharedStateUnavailable and nothing is sent to Zoom; no secret in the
// error.
func TestRedisStoreDown(t *testing.T) {
	srv := redistest.Start(t)
	fz := newFakeZoom(t)
	store := NewRedisStore(srv.Client(t), RedisOptions{OpTimeout: time.Second})
	old := fz.stored(-time.Minute)
	save(t, store, "jane", old)
	_ = srv.Client(t).ShutdownNoSave(t.Context()).Err()
	s := newUserSource(t, fz.config(), store, "jane")
	start := time.Now()
	_, err := s.Token(t.Context())
	if !errors.Is(err, ErrSharedStateUnavailable) || !strings.Contains(err.Error(), "Redis at "+srv.Addr) ||
		!strings.Contains(err.Error(), "nothing was sent to Zoom") {
		t.Fatalf("Token() err = %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Fatalf("failed after %v", took)
	}
	if r := fz.refreshes.Load(); r != 0 {
		t.Fatalf("%d refresh requests without the shared state, want 0", r)
	}
	for _, sec := range []string{old.AccessToken, old.RefreshToken, userSecret} {
		if strings.Contains(err.Error(), sec) {
			t.Fatalf("error %q holds a secret", err)
		}
	}
	for _, op := range []func() error{
		func() error { _, err := store.List(t.Context()); return err },
		func() error { return store.Save(t.Context(), "x", old) },
		func() error { return store.Delete(t.Context(), "x") },
	} {
		if err := op(); !errors.Is(err, ErrSharedStateUnavailable) || strings.Contains(err.Error(), old.RefreshToken) {
			t.Fatalf("err = %v", err)
		}
	}
}
