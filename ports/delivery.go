package ports

import "context"

// Deliverer sends one outbox item to the external system of its binding.
//
// Deliver must pass it.IdempotencyKey to the target (header, file name,
// document reference) so that a retry after a lost answer takes effect once.
// Errors are *Error: Kind Transient or Unavailable (retried with backoff),
// Invalid, Permission, NotFound or Conflict (dead-lettered at once), Unknown
// (the target may have acted: never retried automatically).
type Deliverer interface {
	Deliver(ctx context.Context, it OutboxItem) error
}

// DelivererFunc adapts a function to Deliverer.
type DelivererFunc func(ctx context.Context, it OutboxItem) error

// Deliver calls f.
func (f DelivererFunc) Deliver(ctx context.Context, it OutboxItem) error { return f(ctx, it) }
