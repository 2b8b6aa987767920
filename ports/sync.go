package ports

import (
	"context"
	"time"

	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/core/money"
)

// Tally counts items and sums their amounts, one Amount per currency sorted
// by currency code (items without an amount only count).
type Tally struct {
	Count   int64
	Amounts []money.Amount
}

// SyncStatus is the money-aware health of one (tenant, org, binding). The
// outbox figures are derived from the outbox itself; Received, notes and
// the breaker come from what the hub recorded through SyncRepo.
type SyncStatus struct {
	Tenant       string
	Org          string
	Binding      string
	Received     Tally // inbound items counted by Received
	Queued       Tally // outbox: pending, claimed or not
	Sent         Tally
	Failed       Tally // failed, awaiting a retry
	DeadLettered Tally
	Unknown      Tally         // outcome unknown: a person must record the answer
	LastSuccess  time.Time     // zero if never
	LastError    string        // the external system's own message
	LastErrorAt  time.Time     // zero if never
	OldestQueued time.Duration // age at `now` of the oldest queued or failed item; 0 if none
	Breaker      delivery.BreakerState
	BreakerSince time.Time
}

// SyncQuery selects bindings; Org and Binding are optional filters.
type SyncQuery struct {
	Tenant  string // required
	Org     string
	Binding string
}

// SyncRepo records what the outbox cannot know and reports sync status.
// The items behind each count are listed through OutboxRepo.List.
type SyncRepo interface {
	// Received counts one inbound item for a binding, with its amount or nil.
	Received(ctx context.Context, tenant, org, binding string, amount *money.Amount, at time.Time) error
	// ReceivedN counts n inbound items at once; total sums their amounts (nil when none).
	ReceivedN(ctx context.Context, tenant, org, binding string, n int64, total *money.Amount, at time.Time) error
	// Note records a contact with the external system outside the outbox
	// (a poll, a connection check): success, or failure with its message.
	Note(ctx context.Context, tenant, org, binding string, ok bool, errText string, at time.Time) error
	// SetBreaker records the binding's circuit-breaker state.
	SetBreaker(ctx context.Context, tenant, org, binding string, s delivery.BreakerState, at time.Time) error
	// Status returns one SyncStatus per known binding matching q, sorted by
	// org then binding. A binding is known once it has an outbox item or a
	// record from the methods above. Breaker is Closed unless set.
	Status(ctx context.Context, q SyncQuery, now time.Time) ([]SyncStatus, error)
}

// Add counts n items whose amounts sum to minor in cur ("" when they carry
// no amount), keeping Amounts sorted by currency.
func (t *Tally) Add(n, minor int64, cur money.Currency) error {
	t.Count += n
	if cur == "" {
		return nil
	}
	a, err := money.New(minor, cur)
	if err != nil {
		return err
	}
	i := 0
	for i < len(t.Amounts) && t.Amounts[i].Currency() < cur {
		i++
	}
	if i < len(t.Amounts) && t.Amounts[i].Currency() == cur {
		t.Amounts[i], err = t.Amounts[i].Add(a)
		return err
	}
	t.Amounts = append(t.Amounts, money.Amount{})
	copy(t.Amounts[i+1:], t.Amounts[i:])
	t.Amounts[i] = a
	return nil
}
