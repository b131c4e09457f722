package events

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// MeetingID is a meeting's or webinar's numeric ID. Zoom sends it as a JSON
// number in some events (meeting.created) and as a string in others
// (meeting.started); it decodes from either, keeping every digit, and
// encodes as a string.
type MeetingID string

// UnmarshalJSON accepts a number, a string or null.
func (m *MeetingID) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	switch {
	case len(b) == 0:
		return errors.New("events: empty meeting id")
	case string(b) == "null":
		*m = ""
		return nil
	case b[0] == '"':
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		*m = MeetingID(s)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return fmt.Errorf("events: meeting id is neither a number nor a string: %w", err)
	}
	s := n.String()
	if i, err := strconv.ParseInt(s, 10, 64); err == nil {
		s = strconv.FormatInt(i, 10)
	}
	*m = MeetingID(s)
	return nil
}

// String returns the ID's digits.
func (m MeetingID) String() string { return string(m) }

// Envelope is Zoom's webhook body around every event.
type Envelope struct {
	Event   string          `json:"event"`
	EventTS int64           `json:"event_ts"`
	Payload json.RawMessage `json:"payload"`
	// DownloadToken comes with recording.* events: a short-lived token for
	// the recording files. It is not stored (it is not part of Payload).
	DownloadToken string `json:"download_token,omitempty"`
}

// Decode builds an Event from one of Zoom's webhook bodies. ID is a hash of
// the event's name, event_ts and payload (Zoom's retries of a delivery
// carry the same three), so a retry gets the same ID. Source and Received
// are left for the caller; Seq for the store. Types this package does not
// know are kept raw: only MeetingID and UUID are read from payload.object.
func Decode(raw []byte) (Event, error) {
	var env Envelope
	if err := json.Unmarshal(raw, &env); err != nil {
		return Event{}, fmt.Errorf("events: malformed event: %w", err)
	}
	if env.Event == "" {
		return Event{}, errors.New(`events: malformed event: no "event"`)
	}
	payload := bytes.TrimSpace(env.Payload)
	if len(payload) == 0 || payload[0] != '{' {
		return Event{}, errors.New(`events: malformed event: "payload" is not an object`)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, payload); err != nil {
		return Event{}, fmt.Errorf("events: malformed payload: %w", err)
	}
	var ids struct {
		Object *struct {
			ID   MeetingID `json:"id"`
			UUID string    `json:"uuid"`
		} `json:"object"`
	}
	if err := json.Unmarshal(compact.Bytes(), &ids); err != nil {
		// A known type must decode; an unknown one is kept as it is.
		if _, known := payloadTypes[env.Event]; known {
			return Event{}, fmt.Errorf("events: malformed %s payload: %w", env.Event, err)
		}
	}
	if f, known := payloadTypes[env.Event]; known {
		if err := json.Unmarshal(compact.Bytes(), f()); err != nil {
			return Event{}, fmt.Errorf("events: malformed %s payload: %w", env.Event, err)
		}
	}
	e := Event{
		ID:      DeliveryID(env.Event, env.EventTS, compact.Bytes()),
		Type:    env.Event,
		Toolset: ToolsetOf(env.Event),
		Payload: json.RawMessage(compact.Bytes()),
	}
	if env.EventTS != 0 {
		e.Time = time.UnixMilli(env.EventTS).UTC()
	}
	if ids.Object != nil {
		e.MeetingID = string(ids.Object.ID)
		e.UUID = ids.Object.UUID
	}
	return e, nil
}

// DeliveryID is the ID Decode gives an event: "h" and the first 128 bits,
// in hex, of SHA-256(event "\n" event_ts "\n" compacted payload).
func DeliveryID(event string, eventTS int64, compactPayload []byte) string {
	h := sha256.New()
	h.Write([]byte(event))
	h.Write([]byte{'\n'})
	h.Write([]byte(strconv.FormatInt(eventTS, 10)))
	h.Write([]byte{'\n'})
	h.Write(compactPayload)
	return "h" + hex.EncodeToString(h.Sum(nil)[:16])
}

// ToolsetOf returns the toolset whose read access shows events of type t:
// meeting.registration_* "meeting_registrants", other meeting.* "meetings",
// webinar.* "webinars", recording.* "recordings", user.* "users", and the
// part before the first dot otherwise.
func ToolsetOf(t string) string {
	prefix, _, _ := strings.Cut(t, ".")
	switch {
	case strings.HasPrefix(t, "meeting.registration_"):
		return "meeting_registrants"
	case prefix == "meeting":
		return "meetings"
	case prefix == "webinar":
		return "webinars"
	case prefix == "recording":
		return "recordings"
	case prefix == "user":
		return "users"
	}
	return prefix
}

// payloadTypes maps the event types this package knows to a new value of
// their payload's Go type.
var payloadTypes = map[string]func() any{
	"meeting.created":              func() any { return new(MeetingCreated) },
	"meeting.updated":              func() any { return new(MeetingUpdated) },
	"meeting.deleted":              func() any { return new(MeetingDeleted) },
	"meeting.started":              func() any { return new(MeetingStarted) },
	"meeting.ended":                func() any { return new(MeetingEnded) },
	"meeting.participant_joined":   func() any { return new(ParticipantJoined) },
	"meeting.participant_left":     func() any { return new(ParticipantLeft) },
	"meeting.registration_created": func() any { return new(RegistrationCreated) },
	"recording.completed":          func() any { return new(RecordingCompleted) },
}

// KnownTypes are the event types whose payloads Typed decodes.
var KnownTypes = []string{"meeting.created", "meeting.updated", "meeting.deleted", "meeting.started",
	"meeting.ended", "meeting.participant_joined", "meeting.participant_left",
	"meeting.registration_created", "recording.completed"}

// Typed decodes e.Payload into its type's struct (e.g. *MeetingStarted for
// "meeting.started"); nil, nil for types this package does not know.
func (e Event) Typed() (any, error) {
	f, ok := payloadTypes[e.Type]
	if !ok {
		return nil, nil
	}
	v := f()
	if err := json.Unmarshal(e.Payload, v); err != nil {
		return nil, fmt.Errorf("events: %s payload: %w", e.Type, err)
	}
	return v, nil
}
