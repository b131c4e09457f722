package policy

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/zoommcp/zoom-mcp/pipeline"
	"github.com/zoommcp/zoom-mcp/zoomapi"
)

// User is a Zoom user as limits.users compares them: by ID, whatever name
// (ID, email or "me") a rule or a call used.
type User struct {
	ID    string
	Email string
}

// UserResolver resolves a user ID, email or "me" to the Zoom user, in the
// context of a call (whose Zoom identity "me" is).
type UserResolver interface {
	ResolveUser(ctx context.Context, c *pipeline.Call, idOrEmail string) (User, error)
}

// HostResolver finds who hosts a meeting or webinar, so that limits.users
// also covers calls that name only the meeting.
type HostResolver interface {
	Host(ctx context.Context, c *pipeline.Call, kind string, id int64) (User, error)
}

// userAllowed reports whether target names one of the allowed users. A
// literal match (case-insensitive) needs no lookup; otherwise both sides
// are resolved through Zoom, so that "me", an email and a user ID of the
// same person match each other and nothing else does.
func (p *Policy) userAllowed(ctx context.Context, c *pipeline.Call, allowed []string, target string) (bool, error) {
	if contains(allowed, target) {
		return true, nil
	}
	if p.resolver == nil {
		return false, nil
	}
	t, err := p.resolver.ResolveUser(ctx, c, target)
	if err != nil {
		if isNotFound(err) {
			return false, nil
		}
		return false, err
	}
	for _, a := range allowed {
		if strings.EqualFold(a, t.ID) || (t.Email != "" && strings.EqualFold(a, t.Email)) {
			return true, nil
		}
		u, err := p.resolver.ResolveUser(ctx, c, a)
		if err != nil {
			if isNotFound(err) {
				continue
			}
			return false, err
		}
		if u.ID != "" && u.ID == t.ID {
			return true, nil
		}
	}
	return false, nil
}

func isNotFound(err error) bool {
	var nf *zoomapi.NotFoundError
	return errors.As(err, &nf)
}

// ZoomUsers resolves users with GET /users/{userId} through the call's
// Zoom client, and remembers answers for ttl.
type ZoomUsers struct {
	Client pipeline.ClientFunc
	TTL    time.Duration
	Now    func() time.Time

	mu    sync.Mutex
	cache map[string]cachedUser
}

// maxCachedLookups bounds the lookups ZoomUsers remembers.
const maxCachedLookups = 4096

type cachedUser struct {
	u   User
	exp time.Time
}

// Host implements HostResolver with GET /meetings/{id} or
// GET /webinars/{id}, remembered like users.
func (z *ZoomUsers) Host(ctx context.Context, c *pipeline.Call, kind string, id int64) (User, error) {
	return z.cached(ctx, c, kind+":"+strconv.FormatInt(id, 10), func(ctx context.Context, client *zoomapi.Client) (User, error) {
		if kind == "webinar" {
			w, _, err := client.Webinars.Get(ctx, id, nil)
			if err != nil {
				return User{}, err
			}
			return User{ID: w.HostID, Email: strings.ToLower(w.HostEmail)}, nil
		}
		m, _, err := client.Meetings.Get(ctx, id, nil)
		if err != nil {
			return User{}, err
		}
		return User{ID: m.HostID, Email: strings.ToLower(m.HostEmail)}, nil
	})
}

// ResolveUser implements UserResolver.
func (z *ZoomUsers) ResolveUser(ctx context.Context, c *pipeline.Call, idOrEmail string) (User, error) {
	return z.cached(ctx, c, "user:"+strings.ToLower(idOrEmail), func(ctx context.Context, client *zoomapi.Client) (User, error) {
		u, _, err := client.Users.Get(ctx, idOrEmail, nil)
		if err != nil {
			return User{}, err
		}
		return User{ID: u.ID, Email: strings.ToLower(u.Email)}, nil
	})
}

// cached answers key from the cache, or looks it up through the call's
// Zoom client within 15 seconds and remembers the answer for TTL.
func (z *ZoomUsers) cached(ctx context.Context, c *pipeline.Call, key string, lookup func(context.Context, *zoomapi.Client) (User, error)) (User, error) {
	now := time.Now
	if z.Now != nil {
		now = z.Now
	}
	client, err := z.Client(ctx, c)
	if err != nil {
		return User{}, err
	}
	// "me" differs between Zoom identities: key the cache by the client.
	key += "\x00" + client.BaseURL()
	z.mu.Lock()
	if e, ok := z.cache[key]; ok && now().Before(e.exp) {
		z.mu.Unlock()
		return e.u, nil
	}
	z.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	out, err := lookup(ctx, client)
	if err != nil {
		return User{}, err
	}
	ttl := z.TTL
	if ttl <= 0 {
		ttl = 5 * time.Minute
	}
	z.mu.Lock()
	if z.cache == nil {
		z.cache = map[string]cachedUser{}
	}
	if len(z.cache) >= maxCachedLookups {
		// Bounded: drop what expired, and if that is not enough, start over.
		for k, e := range z.cache {
			if !now().Before(e.exp) {
				delete(z.cache, k)
			}
		}
		if len(z.cache) >= maxCachedLookups {
			clear(z.cache)
		}
	}
	z.cache[key] = cachedUser{u: out, exp: now().Add(ttl)}
	z.mu.Unlock()
	return out, nil
}
