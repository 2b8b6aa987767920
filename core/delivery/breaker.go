package delivery

import "time"

// Breaker pauses a binding whose failure rate over a sliding window crosses
// a threshold, and lets one probe through after a cool-down.
type Breaker struct {
	Window      time.Duration // outcomes older than this are forgotten
	MinSamples  int           // no judgement on fewer outcomes
	MaxFailRate int           // percent of failures that opens the breaker
	Cooldown    time.Duration // how long it stays open before a probe

	events   []event
	openedAt time.Time
	open     bool
}

type event struct {
	at time.Time
	ok bool
}

// DefaultBreaker opens at 50% failures over ≥10 attempts in 5 minutes.
func DefaultBreaker() *Breaker {
	return &Breaker{Window: 5 * time.Minute, MinSamples: 10, MaxFailRate: 50, Cooldown: time.Minute}
}

// BreakerState is what the sync status shows.
type BreakerState string

// The breaker states.
const (
	Closed   BreakerState = "closed"  // delivering
	Open     BreakerState = "paused"  // paused by failures
	HalfOpen BreakerState = "probing" // cool-down over: one attempt allowed
)

// State returns the breaker's state at now.
func (b *Breaker) State(now time.Time) BreakerState {
	switch {
	case !b.open:
		return Closed
	case now.Sub(b.openedAt) >= b.Cooldown:
		return HalfOpen
	}
	return Open
}

// Allow reports whether a delivery may be attempted at now.
func (b *Breaker) Allow(now time.Time) bool { return b.State(now) != Open }

// Record adds an attempt's result. A success while probing closes the
// breaker; a failure while probing re-opens it for another cool-down.
func (b *Breaker) Record(now time.Time, ok bool) {
	if b.open {
		if ok {
			b.open, b.events = false, b.events[:0]
		} else {
			b.openedAt = now
		}
		return
	}
	b.events = append(b.events, event{now, ok})
	cut := 0
	for cut < len(b.events) && now.Sub(b.events[cut].at) > b.Window {
		cut++
	}
	b.events = b.events[cut:]
	if len(b.events) < b.MinSamples {
		return
	}
	fails := 0
	for _, e := range b.events {
		if !e.ok {
			fails++
		}
	}
	if fails*100 >= b.MaxFailRate*len(b.events) {
		b.open, b.openedAt = true, now
	}
}

// FailRate returns the failure percentage in the current window.
func (b *Breaker) FailRate() int {
	if len(b.events) == 0 {
		return 0
	}
	fails := 0
	for _, e := range b.events {
		if !e.ok {
			fails++
		}
	}
	return fails * 100 / len(b.events)
}
