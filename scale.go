package main

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/zoommcp/zoom-mcp/auth"
	"github.com/zoommcp/zoom-mcp/confirm"
	"github.com/zoommcp/zoom-mcp/events"
	"github.com/zoommcp/zoom-mcp/internal/httpserve"
	"github.com/zoommcp/zoom-mcp/internal/redisconn"
	"github.com/zoommcp/zoom-mcp/limits"
	"github.com/zoommcp/zoom-mcp/metrics"
	"github.com/zoommcp/zoom-mcp/policy"
	"github.com/zoommcp/zoom-mcp/redisstate"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// shared is the state replicas share through Redis (--redis), or this
// process's own without it, and the metrics (with --metrics).
type shared struct {
	redis   *redis.Client // nil without --redis
	key     []byte        // signs confirmations and sign-in links; nil: each makes its own
	nonces  confirm.NonceStore
	tokens  auth.SharedTokens // the Server-to-Server token; nil: this process's own
	store   auth.TokenStore   // user connections' tokens in Redis; nil: the token file
	metrics *metrics.Metrics
	// limiter and counter pace and count every Zoom client of the server
	// (Zoom's limits are per account, whichever identity calls), and the
	// counter also holds the agents' daily write budgets.
	limiter limits.Limiter
	counter limits.Counter
	owners  policy.Owners
	// events is the event store, when the server takes in events.
	events events.Store
}

// openShared connects to Redis when --redis is given. Without Redis the
// server keeps its state in memory, as one process; with it, an
// unreachable Redis stops the start, and later fails calls closed.
func openShared(ctx context.Context, cfg config, logger *slog.Logger) (*shared, error) {
	s := &shared{limiter: limits.NewMemory(), counter: limits.NewMemoryCounter(), owners: policy.NewMemoryLedger()}
	if cfg.metricsAddr != "" {
		// Only when served: building the registry costs a millisecond of
		// every start-up.
		s.metrics = metrics.New()
	}
	if cfg.redis == "" {
		return s, nil
	}
	// go-redis logs (failed dials while Redis is down) go to the server's
	// log, not straight to stderr.
	redis.SetLogger(redisLog{logger})
	c, err := redisconn.Open(ctx, cfg.redis)
	if err != nil {
		return nil, fmt.Errorf("--redis: %w", err)
	}
	s.redis = c
	if s.key, err = redisstate.Secret(ctx, c); err != nil {
		c.Close()
		return nil, fmt.Errorf("--redis: %w", err)
	}
	where := redisconn.Host(cfg.redis)
	s.nonces = redisstate.Nonces{C: c}
	s.tokens = auth.NewRedisSharedTokens(c, auth.RedisOptions{Where: where})
	s.store = auth.NewRedisStore(c, auth.RedisOptions{Where: where})
	s.limiter, s.counter, s.owners = limits.NewRedis(c), limits.NewRedisCounter(c), redisstate.Owners{C: c}
	logger.Info("sharing state with other replicas through Redis", "redis", where)
	return s, nil
}

// Close closes the Redis client.
func (s *shared) Close() {
	if s.redis != nil {
		_ = s.redis.Close()
	}
}

// clientOptions are the options every Zoom client of this server gets:
// the metrics observer, and the limiter and counters of the account (in
// memory, or shared by the replicas through Redis).
func (s *shared) clientOptions(account string) []zoomapi.Option {
	if s == nil {
		return nil
	}
	var opts []zoomapi.Option
	if s.metrics != nil {
		opts = append(opts, zoomapi.WithObserver(s.metrics))
	}
	if s.limiter != nil {
		opts = append(opts, zoomapi.WithLimiter(s.limiter, account), zoomapi.WithCounter(s.counter))
	}
	return opts
}

// ledger is the policy's ledger on the shared counters.
func (s *shared) ledger() policy.CounterLedger {
	if s.counter == nil { // a gate built without shared state (tests)
		return policy.CounterLedger{Counter: limits.NewMemoryCounter(), Owners: policy.NewMemoryLedger()}
	}
	return policy.CounterLedger{Counter: s.counter, Owners: s.owners}
}

// serveMetrics serves /metrics on addr (--metrics) until ctx ends: on its
// own listener, so that the MCP port does not expose it.
func serveMetrics(ctx context.Context, addr string, m *metrics.Metrics, logger *slog.Logger) {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", m.Handler())
	go func() {
		err := httpserve.Run(ctx, addr, mux, httpserve.Options{ReadHeaderTimeout: 5 * time.Second, Ready: func(a net.Addr) {
			logger.Info("serving Prometheus metrics", "url", "http://"+a.String()+"/metrics")
		}})
		if err != nil && ctx.Err() == nil {
			logger.Error("the metrics listener stopped", "err", err)
		}
	}()
}

// redisLog passes go-redis's own messages to the server's log.
type redisLog struct{ l *slog.Logger }

func (r redisLog) Printf(_ context.Context, format string, v ...any) {
	r.l.Warn("redis client", "msg", fmt.Sprintf(format, v...))
}

// onFetch is the token-fetch hook of the metrics, or nil.
func (s *shared) onFetch() func(kind, outcome string) {
	if s == nil || s.metrics == nil {
		return nil
	}
	return s.metrics.OnFetch
}
