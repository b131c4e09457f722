// Package redisstate keeps in Redis the small pieces of state that
// replicas behind a load balancer must share to act as one server: the
// key that signs confirmations and sign-in links, and the confirmations
// already used. (The rate limiter, the daily counters, the tokens and the
// token store have their own Redis implementations beside their
// interfaces.)
package redisstate

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Prefix starts every key this package writes.
const Prefix = "zoom-mcp:"

// timeout bounds each Redis call.
const timeout = 3 * time.Second

// Secret returns the 32-byte key the replicas share, making it on first
// use: SET NX, so that every replica ends with the first one's key. It is
// kept without expiry; deleting it invalidates pending confirmations and
// sign-in links.
func Secret(ctx context.Context, c *redis.Client) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	if err := c.SetNX(ctx, Prefix+"secret", key, 0).Err(); err != nil {
		return nil, fmt.Errorf("the shared state (Redis) is unreachable: %w", err)
	}
	got, err := c.Get(ctx, Prefix+"secret").Bytes()
	if err != nil {
		return nil, fmt.Errorf("the shared state (Redis) is unreachable: %w", err)
	}
	if len(got) != 32 {
		return nil, fmt.Errorf("the shared key in Redis (%ssecret) is %d bytes, not 32: delete it and restart", Prefix, len(got))
	}
	return got, nil
}

// Nonces is a confirm.NonceStore in Redis: one key per used confirmation,
// expiring with it.
type Nonces struct{ C *redis.Client }

// Use marks nonce used until expires; SET NX makes the first use win on
// any replica.
func (n Nonces) Use(ctx context.Context, nonce string, expires time.Time) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ttl := time.Until(expires)
	if ttl < time.Second {
		ttl = time.Second
	}
	ok, err := n.C.SetNX(ctx, Prefix+"confirm:"+nonce, 1, ttl).Result()
	if err != nil {
		return false, fmt.Errorf("the shared state (Redis) is unreachable: %w", err)
	}
	return ok, nil
}

// Owners is a policy.Owners in Redis: a set per agent and kind of the IDs
// its calls created, for the "own" limits of every replica.
type Owners struct{ C *redis.Client }

func ownersKey(agent, kind string) string { return Prefix + "own:" + kind + ":" + agent }

// Own records that agent's call created kind/id.
func (o Owners) Own(ctx context.Context, agent, kind, id string) error {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := o.C.SAdd(ctx, ownersKey(agent, kind), id).Err(); err != nil {
		return fmt.Errorf("the shared state (Redis) is unreachable: %w", err)
	}
	return nil
}

// Owns reports whether agent's calls created kind/id.
func (o Owners) Owns(ctx context.Context, agent, kind, id string) (bool, error) {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	ok, err := o.C.SIsMember(ctx, ownersKey(agent, kind), id).Result()
	if err != nil {
		return false, fmt.Errorf("the shared state (Redis) is unreachable: %w", err)
	}
	return ok, nil
}
