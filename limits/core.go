package limits

import (
	"math"
	"time"
)

// state is one key's limiter state. The Redis scripts implement the same
// arithmetic; times are microseconds of the limiter's clock.
type state struct {
	tat  int64   // the next free slot
	rate float64 // the rate set at chg, requests a second
	ceil float64 // the rate it recovers to: the start rate or Zoom's limit
	chg  int64   // when rate was last set
	ep   int64   // adjustment epoch: bumped when slots are moved
	xf   map[int64]transform
}

// transform is the move of adjustment epoch ep: a slot s > from becomes
// to + (s-from)*scale; earlier slots stay.
type transform struct {
	from, to int64
	scale    float64
}

func (x transform) apply(s int64) int64 {
	if s <= x.from {
		return s
	}
	return x.to + int64(math.Ceil(float64(s-x.from)*x.scale))
}

func newState(base float64) *state {
	return &state{rate: base, ceil: base, xf: map[int64]transform{}}
}

// clamp keeps the state within a (possibly changed) start rate.
func (s *state) clamp(base float64) {
	if base > 0 && s.ceil > base {
		s.ceil = base
	}
	if s.rate > s.ceil {
		s.rate = s.ceil
	}
}

// eff is the rate at now: rate, recovering additively after Quiet.
func (s *state) eff(c Config, now int64) float64 {
	r := s.rate
	if idle := now - s.chg - c.Quiet.Microseconds(); idle > 0 && r < s.ceil {
		r = math.Min(s.ceil, r+c.Recover*s.ceil*float64(idle)/1e6)
	}
	return r
}

func interval(c Config, r float64) int64 { return int64(math.Ceil(c.Margin * 1e6 / r)) }

// refusal says whether a slot wait µs ahead is refused under p, and how
// many reservations wait ahead of it.
func refusal(p Params, wait, iv int64) (ahead int, beyondDeadline, refused bool) {
	if wait > 0 {
		ahead = int(math.Ceil(float64(wait)/float64(iv))) - 1
	}
	if wait > 0 && p.MaxWait > 0 && wait > p.MaxWait.Microseconds() {
		return ahead, true, true
	}
	if wait > 0 && p.MaxQueue > 0 && ahead >= p.MaxQueue {
		return ahead, false, true
	}
	return ahead, false, false
}

func (s *state) reserve(c Config, key Key, now int64, p Params) (Reservation, error) {
	iv := interval(c, s.eff(c, now))
	slot := max(s.tat, now)
	wait := slot - now
	ahead, late, refused := refusal(p, wait, iv)
	if refused {
		return Reservation{}, &RefusedError{Key: key, Ahead: ahead, RetryAfter: us(wait), BeyondDeadline: late}
	}
	s.tat = slot + iv
	return Reservation{Key: key, Wait: us(wait), Ahead: ahead, Slot: slot, TAT: s.tat, Epoch: s.ep}, nil
}

func (s *state) confirm(c Config, now int64, r Reservation, p Params) (Reservation, error) {
	for r.Epoch < s.ep {
		x, ok := s.xf[r.Epoch+1]
		if !ok {
			// Slept through more adjustments than are kept: queue anew.
			return s.reserve(c, r.Key, now, p)
		}
		r.Slot, r.TAT, r.Epoch = x.apply(r.Slot), x.apply(r.TAT), r.Epoch+1
	}
	wait := r.Slot - now
	r.Wait = us(wait)
	if wait > 0 {
		ahead, late, refused := refusal(p, wait, interval(c, s.eff(c, now)))
		if refused && late {
			return r, &RefusedError{Key: r.Key, Ahead: ahead, RetryAfter: us(wait), BeyondDeadline: true}
		}
	}
	return r, nil
}

func (s *state) cancel(r Reservation) {
	if r.Epoch == s.ep && s.tat == r.TAT {
		s.tat = r.Slot
	}
}

// move bumps the epoch with a transform and applies it to tat.
func (s *state) move(c Config, x transform) {
	s.ep++
	s.xf[s.ep] = x
	delete(s.xf, s.ep-int64(c.Transforms))
	if s.tat > x.from {
		s.tat = x.apply(s.tat)
	} else {
		s.tat = max(s.tat, x.to)
	}
}

func (s *state) observe(c Config, key Key, now int64, p Params, fb Feedback) *Reservation {
	r := s.eff(c, now)
	var lim float64
	if fb.QPS() && fb.Limit > 0 && !fb.Daily {
		lim = float64(fb.Limit)
		s.ceil = lim
		if p.Rate > 0 {
			s.ceil = math.Min(p.Rate, lim)
		}
	}
	if !fb.TooMany || fb.Daily {
		if lim > 0 && lim < r {
			// Zoom's limit is below the rate: lower it before any 429.
			s.move(c, transform{from: now, to: now, scale: r / lim})
			s.rate, s.chg = lim, now
		}
		return nil
	}
	retryAt := now + max(fb.RetryAfter.Microseconds(), 0)
	if fb.Epoch >= s.ep {
		// The first 429 of requests admitted at the current rate.
		nr := r * c.Decrease
		switch {
		case lim > 0 && lim < r:
			nr = lim
		case lim > 0:
			// Zoom's limit is what we paced to: the 429 came from jitter
			// or another app, not a wrong rate; step down, do not halve.
			nr = r * gentleDecrease
		}
		nr = math.Max(nr, c.Floor)
		iv := interval(c, nr)
		head := max(retryAt, now)
		// The retry takes the head slot; the waiters after the refused
		// request's slot follow it, respaced.
		x := transform{from: now, to: head + iv, scale: r / nr}
		if fb.Slot > 0 && fb.Slot <= now {
			x.from, x.to = fb.Slot, head
		}
		s.move(c, x)
		s.rate, s.chg = nr, now
		wait := head - now
		if _, _, refused := refusal(Params{MaxWait: p.MaxWait}, wait, iv); refused {
			return nil
		}
		return &Reservation{Key: key, Wait: us(wait), Slot: head, TAT: head + iv, Epoch: s.ep}
	}
	// A 429 of a request admitted before the rate was lowered: the rate
	// already accounts for it; the retry queues behind Retry-After.
	iv := interval(c, r)
	slot := max(s.tat, retryAt, now)
	wait := slot - now
	if _, _, refused := refusal(Params{MaxWait: p.MaxWait}, wait, iv); refused {
		return nil
	}
	s.tat = slot + iv
	return &Reservation{Key: key, Wait: us(wait), Slot: slot, TAT: s.tat, Epoch: s.ep}
}

// gentleDecrease is the step down after a 429 when Zoom's limit is the rate
// already paced to.
const gentleDecrease = 0.9

func us(v int64) time.Duration { return time.Duration(v) * time.Microsecond }
