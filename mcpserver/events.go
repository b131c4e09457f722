package mcpserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/zoommcp/zoom-mcp/events"
	"github.com/zoommcp/zoom-mcp/pipeline"
)

// The event resources: the recent events an agent may see, and those of
// one meeting or webinar. A client subscribed to one (resources/subscribe)
// is told with notifications/resources/updated when an event it may see
// arrives.
const (
	EventsURI         = "zoom://events"
	MeetingEventsURI  = "zoom://meetings/{id}/events"
	meetingEventsPath = "zoom://meetings/"
	recentEvents      = 50
)

// EventOptions configures the event resources.
type EventOptions struct {
	Store events.Store
	// Visible reports whether agent may see the events of toolset (read
	// access to it).
	Visible func(agent, toolset string) bool
	Logger  *slog.Logger

	notify func(context.Context) // set by New
}

// Notify tells subscribed sessions of new events until ctx ends; run it
// in a goroutine once the server is built with these options.
func (o *EventOptions) Notify(ctx context.Context) {
	if o.notify != nil {
		o.notify(ctx)
	}
}

// eventResources serves the resources and their subscriptions.
type eventResources struct {
	opts EventOptions
	srv  *server.MCPServer

	mu sync.Mutex
	// watchers are the sessions subscribed with resources/subscribe
	// (keyed "session:ID") and the subscriptions/listen streams of
	// 2026-07-28 that named an event resource ("listen:ID").
	watchers map[string]*watcher
}

// watcher is one subscriber: its agent, the event resources it named, and
// how an update reaches it.
type watcher struct {
	agent string
	uris  map[string]bool
	send  func(uri string)
}

// AddEventResources registers the event resources on s and returns the
// hooks that track subscriptions (to add to the server's hooks) and a
// function that notifies subscribers of new events until ctx ends.
func AddEventResources(s *server.MCPServer, hooks *server.Hooks, opts EventOptions) func(ctx context.Context) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	er := &eventResources{opts: opts, srv: s, watchers: map[string]*watcher{}}
	s.AddResource(mcp.NewResource(EventsURI, "Recent Zoom events",
		mcp.WithResourceDescription("The last Zoom events this agent may see (webhooks and Zoom's event WebSocket), newest last. Subscribe to be told of new ones."),
		mcp.WithMIMEType("application/json")), er.readAll)
	s.AddResourceTemplate(mcp.NewResourceTemplate(MeetingEventsURI, "A meeting's Zoom events",
		mcp.WithTemplateDescription("The Zoom events of one meeting or webinar (numeric ID), newest last."),
		mcp.WithTemplateMIMEType("application/json")), er.readMeeting)
	hooks.AddAfterSubscribe(func(ctx context.Context, _ any, req *mcp.SubscribeRequest, _ *mcp.EmptyResult) {
		er.subscribe(ctx, req.Params.URI, true)
	})
	hooks.AddAfterUnsubscribe(func(ctx context.Context, _ any, req *mcp.UnsubscribeRequest, _ *mcp.EmptyResult) {
		er.subscribe(ctx, req.Params.URI, false)
	})
	// The 2026-07-28 protocol names the resources in subscriptions/listen,
	// whose stream lasts as long as the request.
	hooks.AddBeforeAny(func(ctx context.Context, id any, method mcp.MCPMethod, message any) {
		if method != mcp.MethodSubscriptionsListen {
			return
		}
		req, ok := message.(*mcp.SubscriptionsListenRequest)
		cs := server.ClientSessionFromContext(ctx)
		if !ok || cs == nil || len(req.Params.Notifications.ResourceSubscriptions) == 0 {
			return
		}
		agent, _ := pipeline.AgentFrom(ctx)
		w := &watcher{agent: agent.Name, uris: map[string]bool{}, send: er.onStream(cs, id, agent.Name)}
		for _, uri := range req.Params.Notifications.ResourceSubscriptions {
			w.uris[uri] = true
		}
		er.mu.Lock()
		er.watchers["listen:"+fmt.Sprint(id)] = w
		er.mu.Unlock()
	})
	endListen := func(id any, method mcp.MCPMethod) {
		if method == mcp.MethodSubscriptionsListen {
			er.mu.Lock()
			delete(er.watchers, "listen:"+fmt.Sprint(id))
			er.mu.Unlock()
		}
	}
	hooks.AddOnSuccess(func(_ context.Context, id any, method mcp.MCPMethod, _ any, _ any) { endListen(id, method) })
	hooks.AddOnError(func(_ context.Context, id any, method mcp.MCPMethod, _ any, _ error) { endListen(id, method) })
	hooks.AddOnUnregisterSession(func(_ context.Context, cs server.ClientSession) {
		er.mu.Lock()
		delete(er.watchers, "session:"+cs.SessionID())
		er.mu.Unlock()
	})
	return er.notify
}

// onStream sends an update on a subscriptions/listen stream, tagged with
// its subscription ID, without blocking on a stream that does not keep up.
func (er *eventResources) onStream(cs server.ClientSession, id any, agent string) func(uri string) {
	return func(uri string) {
		n := mcp.JSONRPCNotification{JSONRPC: mcp.JSONRPC_VERSION, Notification: mcp.Notification{
			Method: mcp.MethodNotificationResourceUpdated,
			Params: mcp.NotificationParams{Meta: map[string]any{mcp.MetaKeySubscriptionID: id}, AdditionalFields: map[string]any{"uri": uri}},
		}}
		select {
		case cs.NotificationChannel() <- n:
		default: // a stream that does not keep up misses an update, never blocks the others
			er.opts.Logger.Warn("a subscription stream is not keeping up; an event update was not sent", "agent", agent)
		}
	}
}

func (er *eventResources) subscribe(ctx context.Context, uri string, on bool) {
	cs := server.ClientSessionFromContext(ctx)
	if cs == nil {
		return
	}
	agent, _ := pipeline.AgentFrom(ctx)
	er.mu.Lock()
	defer er.mu.Unlock()
	sid := cs.SessionID()
	sub := er.watchers["session:"+sid]
	if sub == nil {
		if !on {
			return
		}
		sub = &watcher{agent: agent.Name, uris: map[string]bool{}, send: func(uri string) {
			_ = er.srv.SendNotificationToSpecificClient(sid, mcp.MethodNotificationResourceUpdated, map[string]any{"uri": uri})
		}}
		er.watchers["session:"+sid] = sub
	}
	if on {
		sub.uris[uri] = true
	} else {
		delete(sub.uris, uri)
	}
}

func (er *eventResources) filter(ctx context.Context) events.Filter {
	agent, _ := pipeline.AgentFrom(ctx)
	return events.Filter{Toolsets: func(ts string) bool { return er.opts.Visible(agent.Name, ts) }}
}

func (er *eventResources) readAll(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	return er.read(ctx, req.Params.URI, er.filter(ctx))
}

func (er *eventResources) readMeeting(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	id, ok := meetingOf(req.Params.URI)
	if !ok {
		return nil, fmt.Errorf("%s: want %s with a numeric meeting or webinar ID", req.Params.URI, MeetingEventsURI)
	}
	f := er.filter(ctx)
	f.MeetingID = id
	return er.read(ctx, req.Params.URI, f)
}

func meetingOf(uri string) (string, bool) {
	rest, ok := strings.CutPrefix(uri, meetingEventsPath)
	if !ok {
		return "", false
	}
	id, ok := strings.CutSuffix(rest, "/events")
	if !ok || id == "" || strings.Trim(id, "0123456789") != "" {
		return "", false
	}
	return id, true
}

func (er *eventResources) read(ctx context.Context, uri string, f events.Filter) ([]mcp.ResourceContents, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	list, err := er.opts.Store.Recent(ctx, f, recentEvents)
	if err != nil {
		return nil, fmt.Errorf("the events cannot be read now: %w", err)
	}
	if list == nil {
		list = []events.Event{}
	}
	data, err := json.Marshal(map[string]any{"events": list})
	if err != nil {
		return nil, err
	}
	return []mcp.ResourceContents{mcp.TextResourceContents{URI: uri, MIMEType: "application/json", Text: string(data)}}, nil
}

// notify tells subscribed sessions of each new event they may see, until
// ctx ends.
func (er *eventResources) notify(ctx context.Context) {
	last, err := er.opts.Store.Last(ctx)
	if err != nil {
		er.opts.Logger.Warn("event notifications: cannot read the store", "err", err)
	}
	for ctx.Err() == nil {
		e, err := er.opts.Store.Wait(ctx, events.Filter{After: last})
		switch {
		case ctx.Err() != nil:
			return
		case errors.Is(err, events.ErrClosed):
			return
		case err != nil:
			er.opts.Logger.Warn("event notifications: waiting failed; retrying", "err", err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(time.Second):
			}
			continue
		}
		last = e.Seq
		er.fanOut(e)
	}
}

func (er *eventResources) fanOut(e events.Event) {
	meetingURI := ""
	if e.MeetingID != "" {
		meetingURI = meetingEventsPath + e.MeetingID + "/events"
	}
	var sends []func()
	er.mu.Lock()
	for _, w := range er.watchers {
		if !er.opts.Visible(w.agent, e.Toolset) {
			continue
		}
		for uri := range w.uris {
			if uri == EventsURI || (meetingURI != "" && uri == meetingURI) {
				send, uri := w.send, uri
				sends = append(sends, func() { send(uri) })
			}
		}
	}
	er.mu.Unlock()
	for _, send := range sends {
		send()
	}
}
