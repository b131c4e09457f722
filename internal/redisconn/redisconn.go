// Package redisconn opens the Redis connection that replicas share state
// through: it parses a redis:// or rediss:// URL, sets timeouts so that no
// call waits for long, and pings the server before the process goes on.
//
// Errors name the server (host:port) but never the URL's password.
package redisconn

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// Timeouts of the client Open returns, unless the URL sets its own
// (dial_timeout, read_timeout, write_timeout, pool_timeout).
const (
	DialTimeout  = 3 * time.Second
	ReadTimeout  = 2 * time.Second
	WriteTimeout = 2 * time.Second
	PoolTimeout  = 3 * time.Second
	// PingTimeout bounds the PING that Open sends.
	PingTimeout = 3 * time.Second
)

// ErrUnreachable is wrapped by the error of Open when the server does not
// answer the PING.
var ErrUnreachable = errors.New("redis is unreachable")

// Open parses rawURL (redis://[user:password@]host:port/db or rediss://
// for TLS), connects and sends a PING bounded by PingTimeout and ctx. The
// client has context deadlines enabled, so a caller's deadline also bounds
// each command.
func Open(ctx context.Context, rawURL string) (*redis.Client, error) {
	host := Host(rawURL)
	opts, err := redis.ParseURL(rawURL)
	if err != nil {
		return nil, fmt.Errorf("the Redis URL for %s is not valid: %s", host, describeParseError(err, rawURL))
	}
	q := query(rawURL)
	if !q.Has("dial_timeout") {
		opts.DialTimeout = DialTimeout
	}
	if !q.Has("read_timeout") {
		opts.ReadTimeout = ReadTimeout
	}
	if !q.Has("write_timeout") {
		opts.WriteTimeout = WriteTimeout
	}
	if !q.Has("pool_timeout") {
		opts.PoolTimeout = PoolTimeout
	}
	opts.ContextTimeoutEnabled = true
	c := redis.NewClient(opts)
	pctx, cancel := context.WithTimeout(ctx, PingTimeout)
	defer cancel()
	if err := c.Ping(pctx).Err(); err != nil {
		_ = c.Close()
		return nil, fmt.Errorf("%w: Redis at %s: PING failed (time limit %s): %s", ErrUnreachable, opts.Addr, PingTimeout, redact(err.Error(), rawURL))
	}
	return c, nil
}

// Host is the server named by rawURL, as host:port (the port defaults to
// 6379), or "(unparsable URL)": never the user name or password.
func Host(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.Host == "" {
		if err == nil && u.Scheme == "unix" {
			return u.Path
		}
		return "(unparsable URL)"
	}
	if u.Port() == "" {
		return u.Hostname() + ":6379"
	}
	return u.Host
}

func query(rawURL string) url.Values {
	u, err := url.Parse(rawURL)
	if err != nil {
		return url.Values{}
	}
	return u.Query()
}

// describeParseError is err without rawURL or its password: url.Parse
// errors quote the whole URL.
func describeParseError(err error, rawURL string) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return redact(err.Error(), rawURL)
}

// redact removes rawURL and its user information (user:password) from
// msg. It does not rely on url.Parse, which may be what failed.
func redact(msg, rawURL string) string {
	msg = strings.ReplaceAll(msg, rawURL, "(the Redis URL)")
	rest := rawURL
	if i := strings.Index(rest, "://"); i >= 0 {
		rest = rest[i+3:]
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if i := strings.LastIndex(rest, "@"); i >= 0 {
		userinfo := rest[:i]
		secrets := []string{userinfo}
		if _, pw, ok := strings.Cut(userinfo, ":"); ok {
			secrets = append(secrets, pw)
		}
		for _, s := range secrets {
			if s == "" {
				continue
			}
			msg = strings.ReplaceAll(msg, s, "[redacted]")
			if un, err := url.PathUnescape(s); err == nil && un != s && un != "" {
				msg = strings.ReplaceAll(msg, un, "[redacted]")
			}
		}
	}
	return msg
}
