package events

import (
	"context"
	"errors"
)

// Reader is what a call may read of the events: the store, and which
// toolsets' events its agent may see (read access to the toolset).
type Reader struct {
	Store   Store
	Visible func(toolset string) bool
}

type readerKey struct{}

// WithReader returns ctx carrying r, for the wait_for_event tool.
func WithReader(ctx context.Context, r Reader) context.Context {
	return context.WithValue(ctx, readerKey{}, r)
}

// ReaderFrom returns the reader of ctx, and false when the server takes in
// no events.
func ReaderFrom(ctx context.Context) (Reader, bool) {
	r, ok := ctx.Value(readerKey{}).(Reader)
	return r, ok && r.Store != nil
}

// ErrDisabled is a wait on a server that takes in no events.
var ErrDisabled = errors.New("this server takes in no Zoom events: its operator sets ZOOM_WEBHOOK_SECRET_TOKEN (webhooks, over HTTP) or ZOOM_EVENTS_WEBSOCKET_SUBSCRIPTION_ID (Zoom's event WebSocket)")
