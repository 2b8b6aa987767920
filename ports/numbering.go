package ports

import "context"

// NumberingRepo hands out gapless numbers per (tenant, series, period), such
// as invoice numbers that tax law wants without holes.
//
// The counter row is updated inside the caller's transaction and stays
// locked until it ends: concurrent callers of the same series wait, and an
// aborted transaction gives its number back. Each issued number is recorded
// under a unique (tenant, series, period, number) constraint.
type NumberingRepo interface {
	// Next returns the next number of the series in period ("2026", "" for
	// none), starting at 1.
	Next(ctx context.Context, tenant, series, period string) (int64, error)
	// Last returns the last number issued (committed or in this
	// transaction), or 0 when none.
	Last(ctx context.Context, tenant, series, period string) (int64, error)
}

// IdempotencyRepo remembers requests that must take effect only once
// (an API POST with an Idempotency-Key, an inbound file by checksum).
//
// Claim and Complete run in the caller's transaction: if it aborts, the key
// is free again. A concurrent Claim of the same key waits for the first
// transaction and then sees its outcome.
type IdempotencyRepo interface {
	// Claim records key in scope for tenant. firstTime is true when the key
	// was new; otherwise stored is the result given to Complete (nil while
	// the first request has not completed).
	Claim(ctx context.Context, tenant, scope, key string) (firstTime bool, stored []byte, err error)
	// Complete stores the result for a claimed key; Kind NotFound if the key
	// was never claimed.
	Complete(ctx context.Context, tenant, scope, key string, result []byte) error
}
