package app

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"sync"
	"time"

	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/ports"
)

// Resolver finds the Deliverer of an item's binding.
type Resolver func(ctx context.Context, it ports.OutboxItem) (ports.Deliverer, error)

// OutboxWorker delivers due outbox items: claim under a lease, deliver with
// the item's idempotency key, record the outcome. Transient failures retry
// with capped exponential backoff, permanent ones are dead-lettered, and an
// unknown outcome (a timed-out money movement) waits for a person. A
// binding whose failure rate crosses its breaker threshold is paused.
type OutboxWorker struct {
	Store   ports.Store
	Resolve Resolver
	Worker  string        // unique id of this worker, in the form Gone judges
	Lease   time.Duration // claim lease; an item of a dead worker is retried after it
	Batch   int           // items claimed per round
	Policy  delivery.Policy
	// Breakers gives the breaker of an item's (tenant, org, binding); nil: no breaker.
	Breakers func(it ports.OutboxItem) *delivery.Breaker
	// Gone reports whether a lease holder has died; the items it held are
	// then claimed at once, not when its lease runs out. nil: never.
	Gone func(worker string) bool

	mu       sync.Mutex
	gone     []string  // holders found dead at the last look
	lookedAt time.Time // when the worker last looked for dead holders
}

// goneLook is how often a worker looks for holders that died.
const goneLook = 5 * time.Second

// Report sums one round.
type Report struct {
	Claimed, Sent, Failed, DeadLettered, Unknown, Paused int
}

// RunOnce claims and delivers one batch at now. Deliveries of one round run
// sequentially per item in claim order; run several workers for more.
func (w *OutboxWorker) RunOnce(ctx context.Context, now time.Time) (Report, error) {
	var rep Report
	var items []ports.OutboxItem
	err := w.Store.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		gone, err := w.lookGone(ctx, tx, now)
		if err != nil {
			return err
		}
		items, err = tx.Outbox().Claim(ctx, ports.Claim{Worker: w.Worker, Now: now, Lease: w.lease(), Limit: w.batch(), Gone: gone})
		return err
	})
	if err != nil {
		return rep, fmt.Errorf("outbox: claim: %w", err)
	}
	rep.Claimed = len(items)
	for _, it := range items {
		if err := ctx.Err(); err != nil {
			return rep, err
		}
		var br *delivery.Breaker
		if w.Breakers != nil {
			br = w.Breakers(it)
		}
		if br != nil && !w.allow(br, now) {
			rep.Paused++ // the lease runs out and the item is claimed again later
			continue
		}
		st, next, msg := w.attempt(ctx, it, now)
		var before, after delivery.BreakerState
		if br != nil {
			before, after = w.record(br, now, st == delivery.Sent)
		}
		switch st {
		case delivery.Sent:
			rep.Sent++
		case delivery.Failed:
			rep.Failed++
		case delivery.DeadLettered:
			rep.DeadLettered++
		case delivery.OutcomeUnknown:
			rep.Unknown++
		}
		a := ports.Attempt{Worker: w.Worker, State: st, Error: msg, Next: next, At: now}
		if err := w.Store.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
			if before != after {
				if err := tx.Sync().SetBreaker(ctx, it.Tenant, it.Org, it.Binding, after, now); err != nil {
					return err
				}
			}
			return tx.Outbox().Record(ctx, it.Tenant, it.ID, a)
		}); err != nil {
			return rep, fmt.Errorf("outbox: record %s: %w", it.ID, err)
		}
	}
	return rep, nil
}

func (w *OutboxWorker) attempt(ctx context.Context, it ports.OutboxItem, now time.Time) (delivery.State, time.Time, string) {
	d, err := w.Resolve(ctx, it)
	if err == nil {
		err = d.Deliver(ctx, it)
	}
	st, next := w.policy().Next(Classify(err), it.Attempts+1, now, jitter(it.ID, it.Attempts))
	if err == nil {
		return st, next, ""
	}
	return st, next, err.Error()
}

// Classify maps a delivery error to its outcome by ports.Kind, never by text.
func Classify(err error) delivery.Outcome {
	if err == nil {
		return delivery.Delivered
	}
	if errors.Is(err, context.DeadlineExceeded) && ports.KindOf(err) == ports.Other {
		return delivery.Retry
	}
	switch ports.KindOf(err) {
	case ports.Invalid, ports.Permission, ports.NotFound, ports.Conflict:
		return delivery.Rejected
	case ports.Unknown:
		return delivery.Unknown
	}
	return delivery.Retry
}

// lookGone returns the lease holders found dead, looking again at most
// every goneLook.
func (w *OutboxWorker) lookGone(ctx context.Context, tx ports.Tx, now time.Time) ([]string, error) {
	if w.Gone == nil {
		return nil, nil
	}
	w.mu.Lock()
	gone, at := w.gone, w.lookedAt
	w.mu.Unlock()
	if !at.IsZero() && now.Sub(at) < goneLook && now.After(at) {
		return gone, nil
	}
	holders, err := tx.Outbox().Holders(ctx, now)
	if err != nil {
		return nil, err
	}
	gone = nil // a new slice: a claim running beside this one may hold the last
	for _, h := range holders {
		if h != w.Worker && w.Gone(h) {
			gone = append(gone, h)
		}
	}
	w.mu.Lock()
	w.gone, w.lookedAt = gone, now
	w.mu.Unlock()
	return gone, nil
}

func (w *OutboxWorker) allow(b *delivery.Breaker, now time.Time) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return b.Allow(now)
}

func (w *OutboxWorker) record(b *delivery.Breaker, now time.Time, ok bool) (before, after delivery.BreakerState) {
	w.mu.Lock()
	defer w.mu.Unlock()
	before = b.State(now)
	b.Record(now, ok)
	return before, b.State(now)
}

func (w *OutboxWorker) lease() time.Duration {
	if w.Lease > 0 {
		return w.Lease
	}
	return 30 * time.Second
}

func (w *OutboxWorker) batch() int {
	if w.Batch > 0 {
		return w.Batch
	}
	return 100
}

func (w *OutboxWorker) policy() delivery.Policy {
	if w.Policy.MaxAttempts > 0 {
		return w.Policy
	}
	return delivery.DefaultPolicy
}

// jitter spreads retries deterministically per item and attempt.
func jitter(id string, attempt int) int64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s/%d", id, attempt)
	return int64(h.Sum64() % 1000)
}

// ReplayDeadLetter puts a dead-lettered (or outcome-unknown) item back in
// the queue, due at now, and audits who did it and why.
func ReplayDeadLetter(ctx context.Context, s ports.Store, tenant, id, actor, reason string, now time.Time) error {
	return s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		it, err := tx.Outbox().Get(ctx, tenant, id)
		if err != nil {
			return err
		}
		if err := tx.Outbox().Replay(ctx, tenant, id, now); err != nil {
			return err
		}
		_, err = Record(ctx, tx, tenant, auditDraft(actor, "outbox.replay", "outbox/"+id, reason,
			map[string]any{"state": it.State, "attempts": it.Attempts, "last_error": it.LastError},
			map[string]any{"state": delivery.Pending}), now)
		return err
	})
}
