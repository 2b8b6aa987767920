package delivery

import "time"

// Policy decides retries for one binding.
type Policy struct {
	BaseDelay   time.Duration // delay after the first failure
	MaxDelay    time.Duration // cap of the exponential growth
	MaxAttempts int           // attempts before dead-lettering
}

// DefaultPolicy retries after 1s, 2s, 4s … capped at 10 minutes, 12 attempts.
var DefaultPolicy = Policy{BaseDelay: time.Second, MaxDelay: 10 * time.Minute, MaxAttempts: 12}

// Delay returns the wait before attempt n+1 after n failed attempts (n ≥ 1).
// jitter in [0,1000) spreads retries of many items: the delay is scaled into
// [50%, 100%] of the exponential value, deterministically for a given jitter.
func (p Policy) Delay(n int, jitter int64) time.Duration {
	d := p.BaseDelay
	for i := 1; i < n && d < p.MaxDelay; i++ {
		d *= 2
	}
	d = min(d, p.MaxDelay)
	j := jitter % 1000
	if j < 0 {
		j = -j
	}
	return d/2 + d/2*time.Duration(j)/1000
}

// Outcome classifies one delivery attempt.
type Outcome uint8

// The outcomes of an attempt.
const (
	Delivered Outcome = iota // the target accepted it
	Retry                    // transient: try again later
	Rejected                 // the target refused it for good: dead-letter now
	Unknown                  // the target may or may not have acted: a person decides
)

// Next says what happens after an attempt: the state to record and, for a
// retry, when. A retry past MaxAttempts becomes a dead letter.
func (p Policy) Next(o Outcome, attempts int, now time.Time, jitter int64) (State, time.Time) {
	switch o {
	case Delivered:
		return Sent, time.Time{}
	case Rejected:
		return DeadLettered, time.Time{}
	case Unknown:
		return OutcomeUnknown, time.Time{}
	}
	if attempts >= p.MaxAttempts {
		return DeadLettered, time.Time{}
	}
	return Failed, now.Add(p.Delay(attempts, jitter))
}

// State is where an outbox item stands.
type State string

// The item states.
const (
	Pending        State = "pending"         // waiting for its first attempt
	Failed         State = "failed"          // failed, will retry at its next attempt time
	Sent           State = "sent"            // delivered
	DeadLettered   State = "dead_lettered"   // given up; replay by hand
	OutcomeUnknown State = "outcome_unknown" // never retried automatically; a person records the answer
)
