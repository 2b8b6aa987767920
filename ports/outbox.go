package ports

import (
	"context"
	"time"

	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/core/money"
)

// OutboxItem is one delivery to an external system, written in the same
// transaction as the state change it announces.
type OutboxItem struct {
	ID             string
	Tenant         string
	Org            string
	Binding        string // port/adapter it is delivered through: "gl_export/sap_idoc"
	Kind           string // what it is: "invoice.post", "payout.file"
	IdempotencyKey string // unique per tenant; sent to the target with every attempt
	Payload        []byte
	Amount         *money.Amount // the money it moves or posts; nil when none
	State          delivery.State
	Attempts       int
	LastError      string // the external system's own message of the last failure
	CreatedAt      time.Time
	NextAttemptAt  time.Time // due for a (first or next) attempt at this time
	UpdatedAt      time.Time
	SentAt         time.Time // zero until sent
	LeaseOwner     string    // worker holding the claim; "" when not claimed
	LeaseUntil     time.Time // the claim expires at this time
}

// Claim asks for due outbox items on behalf of a worker.
type Claim struct {
	Worker  string        // a stable id of the claiming worker
	Now     time.Time     // the worker's clock
	Lease   time.Duration // how long the items stay claimed
	Limit   int           // at most this many items
	Tenant  string        // "" = every tenant (deployment-wide worker)
	Binding string        // "" = every binding
	// Gone names lease holders known to have died (see Holders): their
	// leases count as ended, so their items are claimed at once.
	Gone []string
}

// Attempt is the recorded result of delivering a claimed item.
type Attempt struct {
	Worker string         // must hold the item's lease
	State  delivery.State // Sent, Failed, DeadLettered or OutcomeUnknown (from delivery.Policy.Next)
	Error  string         // the external system's message; "" on success
	Next   time.Time      // for Failed: when to retry
	At     time.Time
}

// OutboxQuery selects items for listing, in enqueue order.
type OutboxQuery struct {
	Tenant  string // required
	Org     string // optional filter
	Binding string // optional filter
	State   delivery.State
	Page    Page
}

// OutboxRepo is the transactional outbox.
//
// Items move pending → (claimed) → sent | failed → … → dead_lettered, and
// back from dead_lettered to pending by Replay. A claimed item is invisible
// to other workers until its lease ends; the lease of a worker that dies
// runs out, or ends at once when a claim names the worker gone. Every
// tenant-scoped method filters by tenant.
type OutboxRepo interface {
	// Enqueue adds a pending item (State and Attempts are ignored). It
	// returns Kind Conflict, leaving the transaction usable, when the tenant
	// already has an item with the same ID or IdempotencyKey.
	Enqueue(ctx context.Context, it OutboxItem) error
	// EnqueueBatch adds many pending items at once (COPY on Postgres). A
	// duplicate fails the whole batch with Kind Conflict and may leave the
	// transaction unusable: return the error.
	EnqueueBatch(ctx context.Context, its []OutboxItem) error
	// Claim leases up to c.Limit due items (pending or failed, next attempt
	// ≤ c.Now, no live lease but those of c.Gone) to c.Worker, oldest
	// first. Two workers never hold the same item. Commit promptly: the
	// claim takes effect on commit.
	Claim(ctx context.Context, c Claim) ([]OutboxItem, error)
	// Holders returns the workers holding a live lease at now, across all
	// tenants, each once: a worker looks among them for ones that died.
	Holders(ctx context.Context, now time.Time) ([]string, error)
	// Record stores an attempt's outcome, counts the attempt and releases
	// the lease. Kind Conflict when a.Worker no longer holds the lease;
	// Kind NotFound when there is no such item.
	Record(ctx context.Context, tenant, id string, a Attempt) error
	// Replay moves a dead-lettered or outcome-unknown item back to pending,
	// due at `at`, keeping its attempts and last error. The caller audits
	// it. Kind Conflict when the item is in another state.
	Replay(ctx context.Context, tenant, id string, at time.Time) error
	// Get returns one item; Kind NotFound if none.
	Get(ctx context.Context, tenant, id string) (OutboxItem, error)
	// List returns a page of items matching q and the cursor of the next
	// page ("" at the end).
	List(ctx context.Context, q OutboxQuery) (items []OutboxItem, next string, err error)
}
