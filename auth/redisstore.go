package auth

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisStore is a TokenStore (and RefreshLocker) in Redis, shared by the
// replicas of the server. Under prefix P the keys are
//
//	P user:tokens            hash: connection name -> StoredToken as JSON
//	P user:lock:<connection> the refresh lock: a random value, SET NX PX
//
// Save is one HSET (atomic); List is HKEYS, sorted. Every call has a
// deadline (RedisOptions.OpTimeout) and fails with an error wrapping
// ErrSharedStateUnavailable when Redis does not answer. Tokens are stored
// in clear: whoever can read the Redis server can use them.
//
// The refresh lock expires after RefreshLockTTL; while its holder runs, it
// is renewed every third of that, for at most RefreshLockMaxHold, so that
// a renewal that outlasts the TTL keeps the lock and a holder that dies or
// hangs releases it within a bounded time.
type RedisStore struct {
	redisBase
	lockTTL  time.Duration
	maxHold  time.Duration
	lockPoll time.Duration
}

// Refresh lock defaults.
const (
	RefreshLockTTL     = 15 * time.Second
	RefreshLockMaxHold = 2 * time.Minute
)

// NewRedisStore returns the store kept by c. It does no I/O.
func NewRedisStore(c redis.UniversalClient, opts RedisOptions) *RedisStore {
	return &RedisStore{redisBase: redisBase{c: c, opts: opts.withDefaults(c)},
		lockTTL: RefreshLockTTL, maxHold: RefreshLockMaxHold, lockPoll: 25 * time.Millisecond}
}

func (s *RedisStore) hashKey() string { return s.opts.Prefix + "user:tokens" }
func (s *RedisStore) lockKey(connection string) string {
	return s.opts.Prefix + "user:lock:" + connection
}

// Load implements TokenStore.
func (s *RedisStore) Load(ctx context.Context, connection string) (*StoredToken, error) {
	var raw string
	err := s.op(ctx, "reading the stored Zoom sign-in", false, func(ctx context.Context) error {
		var err error
		raw, err = s.c.HGet(ctx, s.hashKey(), connection).Result()
		return err
	})
	if errors.Is(err, redis.Nil) {
		return nil, fmt.Errorf("%w: no token for connection %q in %s", ErrNotConnected, connection, s.opts.Where)
	}
	if err != nil {
		return nil, err
	}
	var t StoredToken
	if err := json.Unmarshal([]byte(raw), &t); err != nil {
		// The JSON error names an offset or a type, never the content.
		return nil, fmt.Errorf("the stored Zoom sign-in of connection %q in %s cannot be read (%s); run %s",
			connection, s.opts.Where, err, LoginCommand(connection))
	}
	return &t, nil
}

// Save implements TokenStore: one HSET replaces the entry.
func (s *RedisStore) Save(ctx context.Context, connection string, tok *StoredToken) error {
	if tok == nil {
		return errors.New("auth: RedisStore.Save of a nil token")
	}
	b, err := json.Marshal(tok)
	if err != nil {
		return fmt.Errorf("encoding the token: %w", err)
	}
	return s.op(ctx, "saving the Zoom sign-in", true, func(ctx context.Context) error {
		return s.c.HSet(ctx, s.hashKey(), connection, b).Err()
	})
}

// Delete implements TokenStore.
func (s *RedisStore) Delete(ctx context.Context, connection string) error {
	return s.op(ctx, "deleting the Zoom sign-in", false, func(ctx context.Context) error {
		return s.c.HDel(ctx, s.hashKey(), connection).Err()
	})
}

// List implements TokenStore.
func (s *RedisStore) List(ctx context.Context) ([]string, error) {
	var names []string
	err := s.op(ctx, "listing the Zoom sign-ins", false, func(ctx context.Context) error {
		var err error
		names, err = s.c.HKeys(ctx, s.hashKey()).Result()
		return err
	})
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	return names, nil
}

// LockRefresh implements RefreshLocker with a Redis lock per connection
// (see RedisStore). It polls until the lock is free or ctx ends.
func (s *RedisStore) LockRefresh(ctx context.Context, connection string) (func(), error) {
	key := s.lockKey(connection)
	for {
		v, err := s.tryLock(ctx, key, s.lockTTL, "taking the refresh lock")
		if err != nil {
			return nil, err
		}
		if v != "" {
			return s.holdLock(key, v), nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("waiting for another replica to renew the Zoom token of connection %q: %w", connection, ctx.Err())
		case <-time.After(s.lockPoll):
		}
	}
}

// holdLock renews the lock key (holding v) until the returned unlock is
// called or maxHold has passed, and returns unlock.
func (s *RedisStore) holdLock(key, v string) func() {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		deadline := time.NewTimer(s.maxHold)
		defer deadline.Stop()
		tick := time.NewTicker(s.lockTTL / 3)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-deadline.C:
				return // let it expire: the holder hangs
			case <-tick.C:
				// Extends the lock only if this holder still has it; a
				// failure (Redis unreachable) is retried on the next tick.
				_ = s.op(context.Background(), "renewing the refresh lock", false, func(ctx context.Context) error {
					return renewScript().Run(ctx, s.c, []string{key}, v, s.lockTTL.Milliseconds()).Err()
				})
			}
		}
	})
	var once sync.Once
	return func() {
		once.Do(func() {
			close(stop)
			wg.Wait()
			_ = s.unlock(context.Background(), key, v)
		})
	}
}
