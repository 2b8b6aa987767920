package ports

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/revhub/revhub/core/audit"
)

// Store is the hub's durable state. Adapters: "embedded" (SQLite, the
// default) and "postgres" (pgx). Both pass testharness/conformance/storetest.
//
// Update runs fn in one read-write transaction and commits when fn returns
// nil; any error rolls everything back, so a use case never half-applies.
// Update returns *Error Kind Conflict when a unique constraint (idempotency
// key, audit sequence) is violated, and Kind Transient when the database
// asks for a retry (serialization failure, deadlock).
type Store interface {
	Update(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
	View(ctx context.Context, fn func(ctx context.Context, tx Tx) error) error
	Ping(ctx context.Context) error
	Close() error
}

// Stores is the registry of store adapters, chosen in mappings/deployment.yaml.
var Stores = NewRegistry[Store]("store")

// Tx is one transaction's view of every repository. Every repository call
// made through a Tx commits or rolls back with it. A Tx must not be used
// after fn returns, nor from several goroutines at once.
type Tx interface {
	Audit() AuditRepo
	Tokens() TokenRepo
	Outbox() OutboxRepo
	Numbering() NumberingRepo
	Idempotency() IdempotencyRepo
	Artifacts() ArtifactRepo
	Runs() RunRepo
	Sync() SyncRepo
	Documents() DocumentRepo
	ChargeItems() ChargeItemRepo
	PricingTraces() PricingTraceRepo
}

// Page asks for one page of a listing. Cursor is "" for the first page, or
// the Next of the previous page; cursors are opaque and stay valid while rows
// are added. Limit ≤ 0 means DefaultPageLimit; it is capped at MaxPageLimit.
type Page struct {
	Cursor string
	Limit  int
}

// Page limits.
const (
	DefaultPageLimit = 100
	MaxPageLimit     = 1000
)

// ErrBadCursor reports a page cursor this store did not hand out.
var ErrBadCursor = errors.New("malformed page cursor")

// After returns the position a cursor stands for: the sequence number of
// the last row of the previous page, 0 for the first page.
func (p Page) After() (int64, error) {
	if p.Cursor == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(p.Cursor, 10, 64)
	if err != nil || n < 0 {
		return 0, ErrBadCursor
	}
	return n, nil
}

// NextCursor is the cursor of the page after one ending at row last; ""
// when that page was the last (more is false).
func NextCursor(more bool, last int64) string {
	if !more {
		return ""
	}
	return strconv.FormatInt(last, 10)
}

// Size returns the effective limit.
func (p Page) Size() int {
	switch {
	case p.Limit <= 0:
		return DefaultPageLimit
	case p.Limit > MaxPageLimit:
		return MaxPageLimit
	}
	return p.Limit
}

// AuditRepo persists audit entries. Entries are never updated or deleted.
type AuditRepo interface {
	// Last returns the tenant's newest entry, or nil when the chain is empty.
	Last(ctx context.Context, tenant string) (*audit.Entry, error)
	// Insert appends e; Kind Conflict when (tenant, seq) exists already.
	Insert(ctx context.Context, e audit.Entry) error
	// InsertMany appends consecutive entries in one round trip; Kind
	// Conflict (transaction unusable) when any (tenant, seq) exists.
	InsertMany(ctx context.Context, es []audit.Entry) error
	// Scan returns up to limit entries with Seq > afterSeq, in Seq order.
	Scan(ctx context.Context, tenant string, afterSeq int64, limit int) ([]audit.Entry, error)
	// Tenants lists tenants that have entries.
	Tenants(ctx context.Context) ([]string, error)
}

// Role is what an API token may do.
type Role string

// The API roles.
const (
	RoleFinance     Role = "finance"     // works queues, approves runs, records outcomes
	RoleImplementer Role = "implementer" // configures mappings, replays, imports price lists
	RoleIntegration Role = "integration" // machine clients: posts events and files
	RoleAuditor     Role = "auditor"     // reads everything, changes nothing
	RoleProvider    Role = "provider"    // one provider (Token.Provider): its remittances and disputes
)

// Token is a tenant-scoped API bearer token. Only its SHA-256 is stored.
type Token struct {
	ID        string
	Tenant    string
	Name      string
	Role      Role
	Provider  string // the NPI a provider token is limited to; "" for every other role
	Hash      [32]byte
	CreatedAt time.Time
	RevokedAt *time.Time
}

// TokenRepo persists API tokens by hash.
type TokenRepo interface {
	Create(ctx context.Context, t Token) error
	// ByHash returns the token with that hash; Kind NotFound if none.
	ByHash(ctx context.Context, hash [32]byte) (Token, error)
	Revoke(ctx context.Context, tenant, id string, at time.Time) error
	List(ctx context.Context, tenant string) ([]Token, error)
}
