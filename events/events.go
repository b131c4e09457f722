// Package events brings Zoom's events to agents: webhooks and Zoom's event
// WebSocket feed one store, which the MCP resources and the wait_for_event
// tool read.
package events

import (
	"context"
	"encoding/json"
	"errors"
	"time"
)

// Event is one Zoom event as stored: what identifies and routes it, its
// raw JSON, and, for the types this package knows, its decoded payload.
type Event struct {
	// ID identifies a delivery: Zoom's retries of one event carry the same
	// one, so a delivery stored twice is stored once.
	ID string `json:"id"`
	// Seq orders the events of a store (assigned by Append); readers
	// resume after a Seq.
	Seq int64 `json:"seq"`
	// Type is Zoom's event name, e.g. "meeting.started".
	Type string `json:"type"`
	// Time is Zoom's event_ts.
	Time time.Time `json:"time"`
	// Received is when this server took it in.
	Received time.Time `json:"received"`
	// Source is "webhook" or "websocket".
	Source string `json:"source"`
	// MeetingID is the meeting's or webinar's numeric ID as a string
	// (Zoom sends a number in some events and a string in others), ""
	// if the event has none; UUID the instance's.
	MeetingID string `json:"meeting_id,omitempty"`
	UUID      string `json:"uuid,omitempty"`
	// Toolset is the toolset whose read access lets an agent see the
	// event ("meetings", "webinars", "recordings", "meeting_registrants",
	// ...), from its type.
	Toolset string `json:"toolset"`
	// Payload is the event's "payload" object as Zoom sent it.
	Payload json.RawMessage `json:"payload"`
}

// Filter selects events.
type Filter struct {
	Types     []string // any of these types; empty: any
	MeetingID string   // this meeting or webinar only; empty: any
	// Toolsets the reader may see; nil: all.
	Toolsets func(toolset string) bool
	After    int64 // Seq strictly greater than this
}

// Match reports whether e passes f.
func (f Filter) Match(e Event) bool {
	if e.Seq <= f.After {
		return false
	}
	if f.MeetingID != "" && e.MeetingID != f.MeetingID {
		return false
	}
	if f.Toolsets != nil && !f.Toolsets(e.Toolset) {
		return false
	}
	if len(f.Types) == 0 {
		return true
	}
	for _, t := range f.Types {
		if t == e.Type {
			return true
		}
	}
	return false
}

// Store keeps a bounded history of events that survives a restart, and
// wakes waiters. Implementations: a file log (one server) and a Redis
// stream (replicas: an event taken in by any replica reaches the waiters of
// every replica).
type Store interface {
	// Append stores e (assigning Seq) unless an event of the same ID is
	// stored already; it reports whether it stored it. An acknowledged
	// delivery (Append returned nil) is never lost.
	Append(ctx context.Context, e Event) (stored bool, err error)
	// Recent returns at most limit events matching f, newest last.
	Recent(ctx context.Context, f Filter, limit int) ([]Event, error)
	// Wait returns the first event matching f stored after the call began
	// or with Seq > f.After, or ctx's error when ctx ends first.
	Wait(ctx context.Context, f Filter) (Event, error)
	// Last returns the highest Seq stored (0 if none).
	Last(ctx context.Context) (int64, error)
	Close() error
}

// ErrClosed is returned by a closed store.
var ErrClosed = errors.New("events: store closed")
