package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/zoommcp/zoom-mcp/connections"
	"github.com/zoommcp/zoom-mcp/events"
	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/policy"
)

// Environment variables of the event intake.
const (
	envWebhookSecret  = "ZOOM_WEBHOOK_SECRET_TOKEN"
	envWSSubscription = "ZOOM_EVENTS_WEBSOCKET_SUBSCRIPTION_ID"
	envWSURL          = "ZOOM_EVENTS_WEBSOCKET_URL"
	envEventsFile     = "ZOOM_MCP_EVENTS_FILE"
)

// eventIntake is where Zoom's events come in and are kept.
type eventIntake struct {
	store   events.Store
	webhook http.Handler // nil unless a webhook secret is set
	ws      *events.WebSocketOptions
}

// openEvents opens the event store and its intakes: webhooks
// (ZOOM_WEBHOOK_SECRET_TOKEN, over HTTP) and Zoom's event WebSocket
// (ZOOM_EVENTS_WEBSOCKET_SUBSCRIPTION_ID). Without either it returns nil:
// the server takes in no events. With --redis the store is a Redis stream
// all replicas share; otherwise a bounded file that survives a restart.
func openEvents(cfg config, getenv func(string) string, sh *shared, reg *connections.Registry, logger *slog.Logger) (*eventIntake, error) {
	secret, sub := getenv(envWebhookSecret), getenv(envWSSubscription)
	if secret == "" && sub == "" {
		return nil, nil
	}
	in := &eventIntake{}
	var err error
	if sh.redis != nil {
		if in.store, err = events.NewRedisStore(sh.redis, events.RedisOptions{}); err != nil {
			return nil, fmt.Errorf("events in Redis: %w", err)
		}
	} else {
		path := getenv(envEventsFile)
		if path == "" {
			dir, err := os.UserConfigDir()
			if err != nil {
				return nil, fmt.Errorf("no place for the event log (%v): set %s", err, envEventsFile)
			}
			path = filepath.Join(dir, "zoom-mcp", "events.jsonl")
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("the event log: %w", err)
		}
		if in.store, err = events.OpenFile(path, 1000); err != nil {
			return nil, fmt.Errorf("the event log %s: %w", path, err)
		}
	}
	if secret != "" {
		if cfg.httpAddr == "" {
			logger.Warn("ZOOM_WEBHOOK_SECRET_TOKEN is set but webhooks need --http (a URL Zoom can reach); use ZOOM_EVENTS_WEBSOCKET_SUBSCRIPTION_ID on stdio")
		}
		in.webhook = events.NewWebhook(secret, in.store, events.WebhookOptions{Logger: logger})
	}
	if sub != "" {
		in.ws = &events.WebSocketOptions{
			URL: getenv(envWSURL), SubscriptionID: sub, Logger: logger,
			Token: func(ctx context.Context) (string, error) {
				c, err := reg.Client(connections.S2S)
				if err != nil {
					return "", err
				}
				return c.AccessToken(ctx)
			},
			Deliver: func(ctx context.Context, raw []byte, trackingID string) error {
				e, err := events.Decode(raw)
				if err != nil {
					return err
				}
				e.Source, e.Received = "websocket", time.Now().UTC()
				if trackingID != "" {
					e.ID = "t" + trackingID
				}
				_, err = in.store.Append(ctx, e)
				return err
			},
		}
	}
	logger.Info("taking in Zoom events", "webhook", secret != "", "websocket", sub != "", "shared", sh.redis != nil)
	return in, nil
}

// run starts the WebSocket intake until ctx ends.
func (in *eventIntake) run(ctx context.Context, logger *slog.Logger) {
	if in == nil || in.ws == nil {
		return
	}
	go func() {
		if err := events.RunWebSocket(ctx, *in.ws); err != nil && ctx.Err() == nil {
			logger.Error("the Zoom event WebSocket stopped", "err", err)
		}
	}()
}

// visible reports whether an agent may see a toolset's events: read
// access to it.
func eventsVisible(p *policy.Policy) func(agent, toolset string) bool {
	return func(agent, toolset string) bool {
		lv := p.Level(agent, toolset)
		return lv == policy.Read || lv == policy.Full
	}
}

// readerMiddleware gives each call what it may read of the events (for
// wait_for_event).
func readerMiddleware(store events.Store, visible func(agent, toolset string) bool) pipeline.Middleware {
	return func(next pipeline.Handler) pipeline.Handler {
		return func(ctx context.Context, c *pipeline.Call) pipeline.Outcome {
			agent := c.Agent.Name
			ctx = events.WithReader(ctx, events.Reader{Store: store, Visible: func(ts string) bool { return visible(agent, ts) }})
			return next(ctx, c)
		}
	}
}
