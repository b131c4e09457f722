package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// SharedTokens shares the Server-to-Server token of an app among the
// replicas of the server, so that they behave as one client toward Zoom:
// one token request for all of them, not one each (a new token can
// invalidate the previous one). RedisSharedTokens implements it.
//
// app identifies the Zoom app; S2STokenSource passes "<account ID>:<client
// ID>" (each query-escaped). Every method fails, with an error wrapping
// ErrSharedStateUnavailable, rather than wait without bound.
type SharedTokens interface {
	// Load returns app's shared token, or nil (and no error) if there is
	// none.
	Load(ctx context.Context, app string) (*SharedToken, error)
	// TryLock takes app's fetch lock for ttl if it is free, or returns a
	// nil lock (and no error) if another replica holds it. The lock
	// expires after ttl, so that a replica that dies holding it does not
	// block the others for longer.
	TryLock(ctx context.Context, app string, ttl time.Duration) (SharedLock, error)
	// Invalidate deletes app's shared token if it is still accessToken
	// (compare-and-delete): a replica holding an older token cannot throw
	// away a newer one.
	Invalidate(ctx context.Context, app, accessToken string) error
}

// SharedLock is a fetch lock held by this replica.
type SharedLock interface {
	// Store saves tok as the app's shared token, until its expiry, if the
	// lock is still held (not expired and taken by another replica); it
	// reports whether it stored.
	Store(ctx context.Context, tok *SharedToken) (bool, error)
	// Unlock releases the lock if it is still held by this replica
	// (compare-and-delete).
	Unlock(ctx context.Context) error
}

// SharedToken is a token in the shared state and when it was fetched
// (which sets when it is renewed, as on a single server).
type SharedToken struct {
	Token   *oauth2.Token
	Fetched time.Time
}

// ErrSharedStateUnavailable is wrapped by the errors of token requests
// that could not use the shared state (Redis). Replicas that share state
// fail closed: none falls back to asking Zoom on its own.
var ErrSharedStateUnavailable = errors.New("the shared state is unreachable")

// SharedStateError is a failed call to the shared state. errors.Is(err,
// ErrSharedStateUnavailable) is true. Its text names the server (never a
// password or a token) and whether anything was sent to Zoom.
type SharedStateError struct {
	Where string // "Redis at host:port"
	Op    string // what failed, e.g. "reading the shared token"
	// AfterZoom is set when the failure came after Zoom answered (saving
	// a token Zoom issued), so "nothing was sent to Zoom" would be false.
	AfterZoom bool
	Err       error
}

func (e *SharedStateError) Error() string {
	msg := "the shared state (" + e.Where + ") is unreachable"
	if e.AfterZoom {
		msg += "; the token Zoom issued could not be shared"
	} else {
		msg += "; nothing was sent to Zoom"
	}
	var why []string
	if e.Op != "" {
		why = append(why, e.Op)
	}
	if e.Err != nil {
		why = append(why, e.Err.Error())
	}
	if len(why) > 0 {
		msg += " (" + strings.Join(why, ": ") + ")"
	}
	return Scrub(msg)
}

func (e *SharedStateError) Unwrap() error { return e.Err }

func (e *SharedStateError) Is(target error) bool { return target == ErrSharedStateUnavailable }
