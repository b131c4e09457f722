package limits

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultPrefix starts every Redis key the limiter and counter write.
const DefaultPrefix = "zoom-mcp:"

// Redis is a Limiter shared by every process on one Redis. Each operation
// is one Lua script, atomic, run on Redis's clock (TIME), so that replicas
// with skewed clocks agree on slots. When Redis fails, every operation
// fails with *UnavailableError: no fallback to per-process limits.
type Redis struct {
	rdb    redis.UniversalClient
	prefix string
	cfg    Config
}

// RedisOption configures a Redis limiter or counter.
type RedisOption func(*redisOpts)

type redisOpts struct {
	prefix string
	cfg    Config
}

// WithPrefix sets the prefix of the Redis keys (default DefaultPrefix).
func WithPrefix(p string) RedisOption { return func(o *redisOpts) { o.prefix = p } }

// WithRedisConfig sets the adaptation of a Redis limiter.
func WithRedisConfig(c Config) RedisOption { return func(o *redisOpts) { o.cfg = c.withDefaults() } }

func newRedisOpts(opts []RedisOption) redisOpts {
	o := redisOpts{prefix: DefaultPrefix, cfg: DefaultConfig}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// NewRedis returns a limiter on rdb (a *redis.Client, *redis.ClusterClient
// or redis.UniversalClient).
func NewRedis(rdb redis.UniversalClient, opts ...RedisOption) *Redis {
	o := newRedisOpts(opts)
	return &Redis{rdb: rdb, prefix: o.prefix, cfg: o.cfg}
}

func (l *Redis) key(k Key) string { return l.prefix + "rl:{" + k.Account + "}:" + k.Category }

// luaPrelude loads KEYS[1]'s state as state.load does, with the config in
// ARGV[1..7]: start rate, margin, decrease, floor, quiet (µs), recover,
// transforms kept. Times are µs of Redis's TIME.
const luaPrelude = `
local K = KEYS[1]
local base, margin, decrease = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local floor_, quiet, recover, nx = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local v = redis.call('HMGET', K, 'tat', 'rate', 'ceil', 'chg', 'ep')
local exists = v[2] ~= false and v[2] ~= nil
local s = {tat = 0, rate = base, ceil = base, chg = 0, ep = 0}
if exists then
  s.tat, s.rate, s.ceil, s.chg, s.ep = tonumber(v[1]), tonumber(v[2]), tonumber(v[3]), tonumber(v[4]), tonumber(v[5])
end
if base > 0 and s.ceil > base then s.ceil = base end
if s.rate > s.ceil then s.rate = s.ceil end
local function fmt(x) return string.format('%.0f', x) end
local function fmtf(x) return string.format('%.17g', x) end
local function eff()
  local r = s.rate
  local idle = now - s.chg - quiet
  if idle > 0 and r < s.ceil then r = math.min(s.ceil, r + recover * s.ceil * idle / 1e6) end
  return r
end
local function iv(r) return math.ceil(margin * 1e6 / r) end
local function save()
  redis.call('HSET', K, 'tat', fmt(s.tat), 'rate', fmtf(s.rate), 'ceil', fmtf(s.ceil), 'chg', fmt(s.chg), 'ep', fmt(s.ep))
  redis.call('PEXPIRE', K, fmt(math.max(s.tat - now, 0) / 1000 + 3600000))
end
local function refusal(maxwait, maxqueue, wait, i)
  local ahead = 0
  if wait > 0 then ahead = math.ceil(wait / i) - 1 end
  if wait > 0 and maxwait > 0 and wait > maxwait then return ahead, 1, true end
  if wait > 0 and maxqueue > 0 and ahead >= maxqueue then return ahead, 0, true end
  return ahead, 0, false
end
local function apply(x, slot)
  if slot <= x[1] then return slot end
  return x[2] + math.ceil((slot - x[1]) * x[3])
end
local function move(from, to, scale)
  s.ep = s.ep + 1
  redis.call('HSET', K, 'x' .. fmt(s.ep), fmt(from) .. ':' .. fmt(to) .. ':' .. fmtf(scale))
  redis.call('HDEL', K, 'x' .. fmt(s.ep - nx))
  if s.tat > from then s.tat = apply({from, to, scale}, s.tat) else s.tat = math.max(s.tat, to) end
end
local function reserve(maxwait, maxqueue)
  local i = iv(eff())
  local slot = math.max(s.tat, now)
  local wait = slot - now
  local ahead, late, refused = refusal(maxwait, maxqueue, wait, i)
  if refused then return {0, fmt(wait), ahead, late} end
  s.tat = slot + i
  save()
  return {1, fmt(wait), ahead, fmt(slot), fmt(s.tat), fmt(s.ep)}
end
`

// reserveScript: ARGV[8] max wait (µs, 0 none), ARGV[9] max queue.
// Returns {1, wait, ahead, slot, tat, epoch} or {0, wait, ahead, late}.
var reserveScript = sync.OnceValue(func() *redis.Script {
	return redis.NewScript(luaPrelude + `
return reserve(tonumber(ARGV[8]), tonumber(ARGV[9]))
`)
})

// confirmScript: ARGV[8..9] as reserve, ARGV[10..12] the reservation's
// slot, tat and epoch. Moves the slot through the adjustments since its
// epoch (re-reserving if they are no longer kept).
var confirmScript = sync.OnceValue(func() *redis.Script {
	return redis.NewScript(luaPrelude + `
local maxwait, maxqueue = tonumber(ARGV[8]), tonumber(ARGV[9])
local slot, tat, ep = tonumber(ARGV[10]), tonumber(ARGV[11]), tonumber(ARGV[12])
if exists then
  while ep < s.ep do
    local xs = redis.call('HGET', K, 'x' .. fmt(ep + 1))
    if not xs then return reserve(maxwait, maxqueue) end
    local a, b, c = string.match(xs, '^([^:]+):([^:]+):([^:]+)$')
    local x = {tonumber(a), tonumber(b), tonumber(c)}
    slot, tat, ep = apply(x, slot), apply(x, tat), ep + 1
  end
end
local wait = slot - now
if wait > 0 then
  local ahead, late, refused = refusal(maxwait, maxqueue, wait, iv(eff()))
  if refused and late == 1 then return {0, fmt(wait), ahead, 1} end
end
return {1, fmt(wait), 0, fmt(slot), fmt(tat), fmt(ep)}
`)
})

// observeScript: ARGV[8] max wait, ARGV[9] QPS (0/1), ARGV[10] Zoom's
// limit, ARGV[11] Retry-After (µs), ARGV[12] 429 (0/1), ARGV[13] daily
// (0/1), ARGV[14] the request's epoch, ARGV[15] its slot (0: unknown). Returns {0} or a reservation for
// the retry as reserve does.
var observeScript = sync.OnceValue(func() *redis.Script {
	return redis.NewScript(luaPrelude + `
local maxwait, qps, limit = tonumber(ARGV[8]), tonumber(ARGV[9]), tonumber(ARGV[10])
local retryafter, toomany, daily, fbep = tonumber(ARGV[11]), tonumber(ARGV[12]), tonumber(ARGV[13]), tonumber(ARGV[14])
local r = eff()
local lim = 0
if qps == 1 and limit > 0 and daily == 0 then
  lim = limit
  s.ceil = lim
  if base > 0 then s.ceil = math.min(base, lim) end
end
if toomany == 0 or daily == 1 then
  if lim > 0 and lim < r then
    move(now, now, r / lim)
    s.rate, s.chg = lim, now
  end
  if exists or lim > 0 then save() end
  return {0}
end
local retryAt = now + math.max(retryafter, 0)
if fbep >= s.ep then
  local nr = r * decrease
  if lim > 0 and lim < r then nr = lim elseif lim > 0 then nr = r * 0.9 end
  nr = math.max(nr, floor_)
  local i = iv(nr)
  local head = math.max(retryAt, now)
  local fslot = tonumber(ARGV[15])
  if fslot > 0 and fslot <= now then move(fslot, head, r / nr) else move(now, head + i, r / nr) end
  s.rate, s.chg = nr, now
  save()
  local wait = head - now
  local _, _, refused = refusal(maxwait, 0, wait, i)
  if refused then return {0} end
  return {1, fmt(wait), 0, fmt(head), fmt(head + i), fmt(s.ep)}
end
local i = iv(r)
local slot = math.max(s.tat, retryAt, now)
local wait = slot - now
local _, _, refused = refusal(maxwait, 0, wait, i)
if refused then save() return {0} end
s.tat = slot + i
save()
return {1, fmt(wait), 0, fmt(slot), fmt(s.tat), fmt(s.ep)}
`)
})

// cancelScript: gives back the slot ARGV[1] of the reservation with tat
// ARGV[2] and epoch ARGV[3] if it is still the key's last.
var cancelScript = sync.OnceValue(func() *redis.Script {
	return redis.NewScript(`
local v = redis.call('HMGET', KEYS[1], 'tat', 'ep')
if v[1] == ARGV[2] and v[2] == ARGV[3] then redis.call('HSET', KEYS[1], 'tat', ARGV[1]) return 1 end
return 0
`)
})

func (l *Redis) args(p Params, extra ...any) []any {
	c := l.cfg
	return append([]any{p.Rate, c.Margin, c.Decrease, c.Floor, c.Quiet.Microseconds(), c.Recover, c.Transforms}, extra...)
}

// run runs a script, mapping failures to *UnavailableError.
func (l *Redis) run(ctx context.Context, op string, s *redis.Script, key string, args ...any) ([]any, error) {
	v, err := s.Run(ctx, l.rdb, []string{key}, args...).Slice()
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &UnavailableError{Op: op, Err: err}
	}
	return v, nil
}

// reservation decodes a script's reservation answer.
func reservation(key Key, v []any) (Reservation, error) {
	n := func(i int) int64 {
		if i >= len(v) {
			return 0
		}
		switch x := v[i].(type) {
		case int64:
			return x
		case string:
			f, _ := strconv.ParseFloat(x, 64)
			return int64(f)
		}
		return 0
	}
	wait := n(1)
	if n(0) != 1 {
		return Reservation{}, &RefusedError{Key: key, Ahead: int(n(2)), RetryAfter: us(wait), BeyondDeadline: n(3) == 1}
	}
	return Reservation{Key: key, Wait: us(wait), Ahead: int(n(2)), Slot: n(3), TAT: n(4), Epoch: n(5)}, nil
}

// Reserve implements Limiter.
func (l *Redis) Reserve(ctx context.Context, key Key, p Params) (Reservation, error) {
	if err := ctx.Err(); err != nil {
		return Reservation{}, err
	}
	v, err := l.run(ctx, "reserve", reserveScript(), l.key(key), l.args(p, p.MaxWait.Microseconds(), p.MaxQueue)...)
	if err != nil {
		return Reservation{}, err
	}
	return reservation(key, v)
}

// Confirm implements Limiter.
func (l *Redis) Confirm(ctx context.Context, r Reservation, p Params) (Reservation, error) {
	v, err := l.run(ctx, "confirm", confirmScript(), l.key(r.Key), l.args(p, p.MaxWait.Microseconds(), p.MaxQueue, r.Slot, r.TAT, r.Epoch)...)
	if err != nil {
		return r, err
	}
	return reservation(r.Key, v)
}

// Cancel implements Limiter.
func (l *Redis) Cancel(ctx context.Context, r Reservation) error {
	_, err := l.run(ctx, "cancel", cancelScript(), l.key(r.Key), r.Slot, strconv.FormatInt(r.TAT, 10), strconv.FormatInt(r.Epoch, 10))
	return err
}

// Observe implements Limiter.
func (l *Redis) Observe(ctx context.Context, key Key, p Params, fb Feedback) (*Reservation, error) {
	v, err := l.run(ctx, "observe", observeScript(), l.key(key), l.args(p, p.MaxWait.Microseconds(),
		b2i(fb.QPS()), fb.Limit, fb.RetryAfter.Microseconds(), b2i(fb.TooMany), b2i(fb.Daily), fb.Epoch, fb.Slot)...)
	if err != nil {
		return nil, err
	}
	if len(v) == 0 || v[0] != int64(1) {
		return nil, nil
	}
	r, err := reservation(key, v)
	if err != nil {
		return nil, nil
	}
	return &r, nil
}

// Rate returns the key's current rate (see Memory.Rate).
func (l *Redis) Rate(ctx context.Context, key Key) (float64, error) {
	vals, err := l.rdb.HMGet(ctx, l.key(key), "rate", "ceil", "chg").Result()
	if err != nil {
		return 0, &UnavailableError{Op: "rate", Err: err}
	}
	if vals[0] == nil {
		return 0, nil
	}
	rate, _ := strconv.ParseFloat(vals[0].(string), 64)
	ceil, _ := strconv.ParseFloat(vals[1].(string), 64)
	chg, _ := strconv.ParseInt(vals[2].(string), 10, 64)
	t, err := l.rdb.Time(ctx).Result()
	if err != nil {
		return 0, &UnavailableError{Op: "rate", Err: err}
	}
	s := state{rate: rate, ceil: ceil, chg: chg}
	return s.eff(l.cfg, t.UnixMicro()), nil
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// RedisCounter is a Counter shared by every process on one Redis: one key
// per counter per UTC day, expiring an hour after the day ends.
type RedisCounter struct {
	rdb    redis.UniversalClient
	prefix string
}

// NewRedisCounter returns a counter on rdb.
func NewRedisCounter(rdb redis.UniversalClient, opts ...RedisOption) *RedisCounter {
	o := newRedisOpts(opts)
	return &RedisCounter{rdb: rdb, prefix: o.prefix}
}

func (c *RedisCounter) key(key string, day time.Time) string {
	return c.prefix + "day:" + UTCDay(day) + ":" + key
}

func expireAt(day time.Time) int64 { return NextUTCMidnight(day).Add(time.Hour).Unix() }

// incrScript: adds one to KEYS[1] unless it has reached ARGV[1] (> 0),
// expiring at ARGV[2]. Returns {added (0/1), count}.
var incrScript = sync.OnceValue(func() *redis.Script {
	return redis.NewScript(`
local c = tonumber(redis.call('GET', KEYS[1]) or '0')
local lim = tonumber(ARGV[1])
if lim > 0 and c >= lim then return {0, c} end
c = redis.call('INCR', KEYS[1])
redis.call('EXPIREAT', KEYS[1], ARGV[2])
return {1, c}
`)
})

var decrScript = sync.OnceValue(func() *redis.Script {
	return redis.NewScript(`
local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if c > 0 then return redis.call('DECR', KEYS[1]) end
return 0
`)
})

// raiseScript sets KEYS[1] to ARGV[1] if lower, expiring at ARGV[2].
var raiseScript = sync.OnceValue(func() *redis.Script {
	return redis.NewScript(`
local c = tonumber(redis.call('GET', KEYS[1]) or '0')
if c < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], ARGV[1], 'EXAT', ARGV[2]) end
return 0
`)
})

func (c *RedisCounter) run(ctx context.Context, op string, s *redis.Script, key string, args ...any) (any, error) {
	v, err := s.Run(ctx, c.rdb, []string{key}, args...).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &UnavailableError{Op: op, Err: err}
	}
	return v, nil
}

// Incr implements Counter.
func (c *RedisCounter) Incr(ctx context.Context, key string, day time.Time, limit int) (int, bool, error) {
	v, err := c.run(ctx, "incr", incrScript(), c.key(key, day), limit, expireAt(day))
	if err != nil {
		return 0, false, err
	}
	s, ok := v.([]any)
	if !ok || len(s) != 2 {
		return 0, false, &UnavailableError{Op: "incr", Err: fmt.Errorf("unexpected answer %v", v)}
	}
	return int(s[1].(int64)), s[0].(int64) == 1, nil
}

// Decr implements Counter.
func (c *RedisCounter) Decr(ctx context.Context, key string, day time.Time) error {
	_, err := c.run(ctx, "decr", decrScript(), c.key(key, day))
	return err
}

// Raise implements Counter.
func (c *RedisCounter) Raise(ctx context.Context, key string, day time.Time, n int) error {
	_, err := c.run(ctx, "raise", raiseScript(), c.key(key, day), n, expireAt(day))
	return err
}

// Count implements Counter.
func (c *RedisCounter) Count(ctx context.Context, key string, day time.Time) (int, error) {
	v, err := c.rdb.Get(ctx, c.key(key, day)).Int()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return 0, ctx.Err()
		}
		return 0, &UnavailableError{Op: "count", Err: err}
	}
	return v, nil
}
