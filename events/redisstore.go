package events

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// RedisOptions tune NewRedisStore; the zero value is usable.
type RedisOptions struct {
	// Prefix of the store's keys; "{zoom-mcp:events}:" if empty. Keep a
	// hash tag ({...}) so that the keys share a Redis Cluster slot.
	Prefix string
	// Max events kept (the stream is trimmed to about Max); 1000 if 0.
	Max int
	// DedupeTTL is how long an ID is remembered; 24h if 0 (Zoom retries
	// for about 2 hours).
	DedupeTTL time.Duration
	// Block is the XREAD BLOCK slice of the tailer; 1s if 0.
	Block time.Duration
}

// RedisStore is a Store in a Redis stream, shared by replicas: an event
// appended on one wakes the waiters of all. Entry IDs are "<Seq>-0", Seq
// from an INCR counter; the append (dedupe SET NX, INCR, XADD MAXLEN ~) is
// one Lua script, so it is atomic. Each store runs one tailer (XREAD BLOCK
// in slices) that wakes its local waiters, so waiters hold no connection
// and see ctx's end at once. Durability is Redis's (configure AOF).
type RedisStore struct {
	c                        redis.UniversalClient
	stream, counter, idPrefx string
	max                      int
	ttl                      time.Duration
	block                    time.Duration

	ctx    context.Context
	cancel context.CancelFunc
	quit   chan struct{}

	mu     sync.Mutex
	last   int64         // highest Seq the tailer has seen
	buf    []Event       // the tailer's recent events, Seq ascending
	notify chan struct{} // closed and replaced when last grows
	closed bool
}

var appendScript = sync.OnceValue(func() *redis.Script {
	return redis.NewScript(`
if not redis.call('SET', KEYS[3], '0', 'NX', 'PX', ARGV[1]) then
  return 0
end
local seq = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[3], seq, 'PX', ARGV[1])
redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], seq .. '-0', 'e', ARGV[3])
return seq
`)
})

const tailerBuf = 4096

// NewRedisStore returns a store in c. It starts a tailer goroutine, ended
// by Close (which does not close c).
func NewRedisStore(c redis.UniversalClient, opts RedisOptions) (*RedisStore, error) {
	if opts.Prefix == "" {
		opts.Prefix = "{zoom-mcp:events}:"
	}
	if opts.Max <= 0 {
		opts.Max = 1000
	}
	if opts.DedupeTTL <= 0 {
		opts.DedupeTTL = 24 * time.Hour
	}
	if opts.Block <= 0 {
		opts.Block = time.Second
	}
	s := &RedisStore{
		c: c, stream: opts.Prefix + "stream", counter: opts.Prefix + "seq", idPrefx: opts.Prefix + "id:",
		max: opts.Max, ttl: opts.DedupeTTL, block: opts.Block,
		quit: make(chan struct{}), notify: make(chan struct{}),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	last, err := s.lastStored(s.ctx)
	if err != nil {
		s.cancel()
		return nil, err
	}
	s.last = last
	go s.tail()
	return s, nil
}

func (s *RedisStore) lastStored(ctx context.Context) (int64, error) {
	v, err := s.c.Get(ctx, s.counter).Int64()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("events: redis: %w", err)
	}
	return v, nil
}

// tail follows the stream and wakes local waiters.
func (s *RedisStore) tail() {
	defer close(s.quit)
	for s.ctx.Err() == nil {
		s.mu.Lock()
		from := s.last
		s.mu.Unlock()
		res, err := s.c.XRead(s.ctx, &redis.XReadArgs{
			Streams: []string{s.stream, strconv.FormatInt(from, 10) + "-0"},
			Count:   512, Block: s.block,
		}).Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			if s.ctx.Err() != nil {
				return
			}
			select { // Redis down: retry soon
			case <-time.After(100 * time.Millisecond):
			case <-s.ctx.Done():
				return
			}
			continue
		}
		var got []Event
		for _, st := range res {
			for _, m := range st.Messages {
				if e, ok := decodeEntry(m); ok {
					got = append(got, e)
				}
			}
		}
		if len(got) == 0 {
			continue
		}
		s.mu.Lock()
		for _, e := range got {
			if e.Seq > s.last {
				s.buf = append(s.buf, e)
				s.last = e.Seq
			}
		}
		if len(s.buf) > 2*tailerBuf {
			s.buf = append([]Event(nil), s.buf[len(s.buf)-tailerBuf:]...)
		}
		close(s.notify)
		s.notify = make(chan struct{})
		s.mu.Unlock()
	}
}

func decodeEntry(m redis.XMessage) (Event, bool) {
	seqStr, _, _ := strings.Cut(m.ID, "-")
	seq, err := strconv.ParseInt(seqStr, 10, 64)
	if err != nil {
		return Event{}, false
	}
	raw, _ := m.Values["e"].(string)
	var e Event
	if json.Unmarshal([]byte(raw), &e) != nil {
		return Event{}, false
	}
	e.Seq = seq
	return e, true
}

func (s *RedisStore) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// Append implements Store.
func (s *RedisStore) Append(ctx context.Context, e Event) (bool, error) {
	if s.isClosed() {
		return false, ErrClosed
	}
	if e.ID == "" {
		return false, errors.New("events: event without ID")
	}
	e.Seq = 0
	b, err := json.Marshal(e)
	if err != nil {
		return false, fmt.Errorf("events: encoding event: %w", err)
	}
	seq, err := appendScript().Run(ctx, s.c, []string{s.stream, s.counter, s.idPrefx + e.ID},
		s.ttl.Milliseconds(), s.max, b).Int64()
	if err != nil {
		return false, fmt.Errorf("events: redis: %w", err)
	}
	return seq > 0, nil
}

// Recent implements Store.
func (s *RedisStore) Recent(ctx context.Context, f Filter, limit int) ([]Event, error) {
	if s.isClosed() {
		return nil, ErrClosed
	}
	var out []Event
	end := "+"
	scanned := 0
	for len(out) < limit && scanned < 2*s.max {
		page, err := s.c.XRevRangeN(ctx, s.stream, end, "-", 256).Result()
		if err != nil {
			return nil, fmt.Errorf("events: redis: %w", err)
		}
		for _, m := range page {
			e, ok := decodeEntry(m)
			if !ok {
				continue
			}
			if e.Seq <= f.After {
				reverse(out)
				return out, nil
			}
			if f.Match(e) {
				out = append(out, e)
				if len(out) == limit {
					break
				}
			}
			end = "(" + m.ID
		}
		scanned += len(page)
		if len(page) < 256 {
			break
		}
	}
	reverse(out)
	return out, nil
}

// Wait implements Store. With f.After 0 it waits for an event stored after
// the call began.
func (s *RedisStore) Wait(ctx context.Context, f Filter) (Event, error) {
	if f.After <= 0 {
		last, err := s.Last(ctx)
		if err != nil {
			return Event{}, err
		}
		f.After = last
	}
	for {
		s.mu.Lock()
		if s.closed {
			s.mu.Unlock()
			return Event{}, ErrClosed
		}
		last, ch := s.last, s.notify
		var covered bool
		var found *Event
		if f.After < last {
			// The tailer's buffer covers (After, last] if it starts at or
			// before After+1.
			if n := len(s.buf); n > 0 && s.buf[0].Seq <= f.After+1 {
				covered = true
				for i := range s.buf {
					if e := s.buf[i]; e.Seq > f.After && f.Match(e) {
						found = &e
						break
					}
				}
			}
		} else {
			covered = true
		}
		s.mu.Unlock()
		if found != nil {
			return *found, nil
		}
		if !covered {
			e, ok, err := s.scan(ctx, f, last)
			if err != nil || ok {
				return e, err
			}
		}
		if last > f.After {
			f.After = last
		}
		select {
		case <-ch:
		case <-s.quit:
			return Event{}, ErrClosed
		case <-ctx.Done():
			return Event{}, ctx.Err()
		}
	}
}

// scan looks in the stream for the first event matching f up to Seq last.
func (s *RedisStore) scan(ctx context.Context, f Filter, last int64) (Event, bool, error) {
	start := "(" + strconv.FormatInt(f.After, 10) + "-0"
	for {
		page, err := s.c.XRangeN(ctx, s.stream, start, strconv.FormatInt(last, 10)+"-0", 256).Result()
		if err != nil {
			if ctx.Err() != nil {
				return Event{}, false, ctx.Err()
			}
			return Event{}, false, fmt.Errorf("events: redis: %w", err)
		}
		for _, m := range page {
			if e, ok := decodeEntry(m); ok && f.Match(e) {
				return e, true, nil
			}
			start = "(" + m.ID
		}
		if len(page) < 256 {
			return Event{}, false, nil
		}
	}
}

// Last implements Store.
func (s *RedisStore) Last(ctx context.Context) (int64, error) {
	if s.isClosed() {
		return 0, ErrClosed
	}
	return s.lastStored(ctx)
}

// Close implements Store: it ends the tailer; the client stays open.
func (s *RedisStore) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	<-s.quit
	return nil
}
