package capture

import "github.com/revhub/revhub/core/money"

// State is what the hub holds for one charge item key.
type State struct {
	Key            string
	AppliedVersion int64 // newest source version applied
	Revision       int   // increments with each create or replacement
	Active         bool  // a billable charge is in force
	Service        string
	Quantity       money.Rate
}

// Action is what a new source version does to a charge item.
type Action uint8

// The actions. Only Create, Replace and Reverse move money.
const (
	Ignore  Action = iota // duplicate or stale (older than the version applied)
	Touch                 // newer version, no money moves: record the version only
	Create                // first billable version (or billable again after a reversal)
	Replace               // re-coded or re-quantified: reversal of the old + replacement
	Reverse               // cancelled or no longer billable: reversal only
)

var actionNames = [...]string{"ignore", "touch", "create", "replace", "reverse"}

func (a Action) String() string { return actionNames[a] }

// Decision is the outcome of Decide: the action and the state after it.
type Decision struct {
	Action Action
	Prev   State // state before (zero when none)
	Next   State
}

// Decide applies line (from source version v) to the current state cur
// (nil when the key has never been seen). It is idempotent — deciding the
// same version twice yields Ignore — and order-safe: a version older than the
// one applied is ignored, so version 3 before version 2 ends on version 3.
func Decide(cur *State, line Line, v int64) Decision {
	var prev State
	if cur != nil {
		prev = *cur
		if v <= cur.AppliedVersion {
			return Decision{Action: Ignore, Prev: prev, Next: prev}
		}
	}
	next := prev
	next.Key, next.AppliedVersion = line.Key, v
	switch {
	case !line.Billable && !prev.Active:
		// Recorded even when first seen, so an older billable version
		// arriving later is recognised as stale.
		return Decision{Action: Touch, Prev: prev, Next: next}
	case !line.Billable:
		next.Active = false
		return Decision{Action: Reverse, Prev: prev, Next: next}
	case !prev.Active:
		next.Active, next.Revision, next.Service, next.Quantity = true, prev.Revision+1, line.Service, line.Quantity
		return Decision{Action: Create, Prev: prev, Next: next}
	case prev.Service == line.Service && prev.Quantity.Cmp(line.Quantity) == 0:
		return Decision{Action: Touch, Prev: prev, Next: next}
	}
	next.Revision, next.Service, next.Quantity = prev.Revision+1, line.Service, line.Quantity
	return Decision{Action: Replace, Prev: prev, Next: next}
}
