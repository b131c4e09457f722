package auth

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/oauth2"
)

// RedisOptions configure RedisSharedTokens and RedisStore.
type RedisOptions struct {
	// Prefix starts every key; "" means DefaultRedisPrefix. Replicas that
	// share state use the same prefix; deployments that share a Redis
	// server but not their tokens use different ones.
	Prefix string
	// OpTimeout bounds each Redis call; zero means DefaultRedisOpTimeout.
	OpTimeout time.Duration
	// Where names the server in errors; "" means "Redis at <address>".
	Where string
}

// DefaultRedisPrefix is the default key prefix.
const DefaultRedisPrefix = "zoom-mcp:"

// DefaultRedisOpTimeout bounds a Redis call unless RedisOptions.OpTimeout
// is set.
const DefaultRedisOpTimeout = 3 * time.Second

func (o RedisOptions) withDefaults(c redis.UniversalClient) RedisOptions {
	if o.Prefix == "" {
		o.Prefix = DefaultRedisPrefix
	}
	if o.OpTimeout <= 0 {
		o.OpTimeout = DefaultRedisOpTimeout
	}
	if o.Where == "" {
		o.Where = "Redis at " + redisAddr(c)
	}
	return o
}

// redisAddr is the server a client talks to, without credentials.
func redisAddr(c redis.UniversalClient) string {
	switch c := c.(type) {
	case *redis.Client:
		return c.Options().Addr
	case *redis.ClusterClient:
		return strings.Join(c.Options().Addrs, ",")
	case *redis.Ring:
		var addrs []string
		for _, a := range c.Options().Addrs {
			addrs = append(addrs, a)
		}
		return strings.Join(addrs, ",")
	}
	return "(unknown address)"
}

// redisBase is what both Redis types share: the client, the options and
// the lock scripts.
type redisBase struct {
	c    redis.UniversalClient
	opts RedisOptions
}

// op runs fn under the call deadline and turns its failure into a
// *SharedStateError. redis.Nil is passed through.
func (b *redisBase) op(ctx context.Context, what string, afterZoom bool, fn func(ctx context.Context) error) error {
	octx, cancel := context.WithTimeout(ctx, b.opts.OpTimeout)
	defer cancel()
	err := fn(octx)
	if err == nil || errors.Is(err, redis.Nil) {
		return err
	}
	if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
		err = fmt.Errorf("no answer within %s: %w", b.opts.OpTimeout, err)
	}
	return &SharedStateError{Where: b.opts.Where, Op: what, AfterZoom: afterZoom, Err: err}
}

var (
	// unlockScript deletes KEYS[1] if it still holds ARGV[1].
	unlockScript = sync.OnceValue(func() *redis.Script {
		return redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)
	})
	// renewScript extends KEYS[1] to ARGV[2] ms if it still holds ARGV[1].
	renewScript = sync.OnceValue(func() *redis.Script {
		return redis.NewScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then return redis.call("PEXPIRE", KEYS[1], ARGV[2]) end return 0`)
	})
	// storeScript: if the lock KEYS[1] still holds ARGV[1], replace the
	// hash KEYS[2] by {access_token: ARGV[2], token: ARGV[3]}, expiring in
	// ARGV[4] ms.
	storeScript = sync.OnceValue(func() *redis.Script {
		return redis.NewScript(`if redis.call("GET", KEYS[1]) ~= ARGV[1] then return 0 end
redis.call("DEL", KEYS[2])
redis.call("HSET", KEYS[2], "access_token", ARGV[2], "token", ARGV[3])
redis.call("PEXPIRE", KEYS[2], ARGV[4])
return 1`)
	})
	// invalidateScript deletes the hash KEYS[1] if its access_token is
	// ARGV[1].
	invalidateScript = sync.OnceValue(func() *redis.Script {
		return redis.NewScript(`if redis.call("HGET", KEYS[1], "access_token") == ARGV[1] then return redis.call("DEL", KEYS[1]) end return 0`)
	})
)

// lockValue is a random value that tells this holder from any other.
func lockValue() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return hex.EncodeToString(b)
}

// tryLock sets key to a new random value for ttl if it is unset (SET NX
// PX) and returns the value, or "" if the key is held.
func (b *redisBase) tryLock(ctx context.Context, key string, ttl time.Duration, what string) (string, error) {
	v := lockValue()
	var ok bool
	err := b.op(ctx, what, false, func(ctx context.Context) error {
		var err error
		ok, err = b.c.SetNX(ctx, key, v, ttl).Result()
		return err
	})
	if err != nil || !ok {
		return "", err
	}
	return v, nil
}

// unlock deletes key if it still holds v.
func (b *redisBase) unlock(ctx context.Context, key, v string) error {
	return b.op(context.WithoutCancel(ctx), "releasing a lock", false, func(ctx context.Context) error {
		return unlockScript().Run(ctx, b.c, []string{key}, v).Err()
	})
}

// RedisSharedTokens is SharedTokens in Redis. For app A (see
// SharedTokens) under prefix P, the keys are
//
//	P s2s:{A}:token   hash {access_token, token (JSON)}, expiring with the token
//	P s2s:{A}:lock    the fetch lock: a random value, SET NX PX
//
// ({A} is a Redis Cluster hash tag: both keys are in one slot.) The token
// is stored in clear: whoever can read the Redis server can use it.
type RedisSharedTokens struct{ redisBase }

// NewRedisSharedTokens returns the shared tokens kept by c. It does no
// I/O.
func NewRedisSharedTokens(c redis.UniversalClient, opts RedisOptions) *RedisSharedTokens {
	return &RedisSharedTokens{redisBase{c: c, opts: opts.withDefaults(c)}}
}

func (r *RedisSharedTokens) tokenKey(app string) string {
	return r.opts.Prefix + "s2s:{" + app + "}:token"
}
func (r *RedisSharedTokens) lockKey(app string) string {
	return r.opts.Prefix + "s2s:{" + app + "}:lock"
}

// sharedJSON is a token as stored.
type sharedJSON struct {
	AccessToken string    `json:"access_token"`
	TokenType   string    `json:"token_type,omitempty"`
	Expiry      time.Time `json:"expiry"`
	Scope       string    `json:"scope,omitempty"`
	Fetched     time.Time `json:"fetched"`
}

// Load implements SharedTokens.
func (r *RedisSharedTokens) Load(ctx context.Context, app string) (*SharedToken, error) {
	var raw string
	err := r.op(ctx, "reading the shared token", false, func(ctx context.Context) error {
		var err error
		raw, err = r.c.HGet(ctx, r.tokenKey(app), "token").Result()
		return err
	})
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var j sharedJSON
	if err := json.Unmarshal([]byte(raw), &j); err != nil || j.AccessToken == "" {
		return nil, nil // unreadable: as if absent, a fetch replaces it
	}
	tok := (&oauth2.Token{AccessToken: j.AccessToken, TokenType: j.TokenType, Expiry: j.Expiry}).
		WithExtra(map[string]any{"scope": j.Scope})
	return &SharedToken{Token: tok, Fetched: j.Fetched}, nil
}

// TryLock implements SharedTokens.
func (r *RedisSharedTokens) TryLock(ctx context.Context, app string, ttl time.Duration) (SharedLock, error) {
	v, err := r.tryLock(ctx, r.lockKey(app), ttl, "taking the token lock")
	if err != nil || v == "" {
		return nil, err
	}
	return &redisSharedLock{r: r, app: app, value: v}, nil
}

// Invalidate implements SharedTokens.
func (r *RedisSharedTokens) Invalidate(ctx context.Context, app, accessToken string) error {
	return r.op(ctx, "invalidating the shared token", false, func(ctx context.Context) error {
		return invalidateScript().Run(ctx, r.c, []string{r.tokenKey(app)}, accessToken).Err()
	})
}

type redisSharedLock struct {
	r     *RedisSharedTokens
	app   string
	value string
}

// sharedTokenTTL is how long a token without an expiry is kept.
const sharedTokenTTL = time.Hour

func (l *redisSharedLock) Store(ctx context.Context, st *SharedToken) (bool, error) {
	if st == nil || st.Token == nil || st.Token.AccessToken == "" {
		return false, errors.New("auth: storing an empty shared token")
	}
	ttl := sharedTokenTTL
	if !st.Token.Expiry.IsZero() {
		ttl = time.Until(st.Token.Expiry)
		if ttl < time.Millisecond {
			return false, nil // expired already: nothing to share
		}
	}
	scope, _ := st.Token.Extra("scope").(string)
	b, err := json.Marshal(sharedJSON{AccessToken: st.Token.AccessToken, TokenType: st.Token.TokenType,
		Expiry: st.Token.Expiry, Scope: scope, Fetched: st.Fetched})
	if err != nil {
		return false, err
	}
	var n int64
	err = l.r.op(ctx, "storing the shared token", true, func(ctx context.Context) error {
		var err error
		n, err = storeScript().Run(ctx, l.r.c, []string{l.r.lockKey(l.app), l.r.tokenKey(l.app)},
			l.value, st.Token.AccessToken, string(b), strconv.FormatInt(ttl.Milliseconds(), 10)).Int64()
		return err
	})
	return n == 1, err
}

func (l *redisSharedLock) Unlock(ctx context.Context) error {
	return l.r.unlock(ctx, l.r.lockKey(l.app), l.value)
}
