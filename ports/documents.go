package ports

import (
	"context"
	"encoding/json"
	"time"

	"github.com/revhub/revhub/core/money"
)

// Document is a versioned JSON record of some kind (charge item, price list,
// invoice) with a few indexed key columns. Domain repositories build on it.
type Document struct {
	Kind      string // "charge_item", "price_list", "invoice"
	Tenant    string
	ID        string
	Version   int64  // 0 to create; the stored version to update (optimistic lock)
	Org       string // indexed
	Key       string // natural key, unique per (tenant, kind) when not ""
	Ref       string // secondary lookup (encounter, patient account, batch); not unique
	Status    string // indexed
	Amount    *money.Amount
	Body      json.RawMessage // valid JSON
	UpdatedAt time.Time
}

// DocumentQuery selects documents of one kind, in insertion order.
type DocumentQuery struct {
	Tenant string // required
	Kind   string // required
	Org    string // optional filters
	Ref    string
	Status string
	Page   Page
}

// DocumentRepo stores Documents.
type DocumentRepo interface {
	// Put creates d when d.Version is 0 (stored as version 1) or replaces
	// version d.Version with version d.Version+1, and returns the new
	// version. Kind Conflict, leaving the transaction usable, on a duplicate
	// ID or Key or a stale Version; Kind NotFound when updating a missing one.
	Put(ctx context.Context, d Document) (int64, error)
	// PutBatch creates many new documents at once (COPY on Postgres), each
	// at version 1. A duplicate fails the whole batch with Kind Conflict and
	// may leave the transaction unusable: return the error.
	PutBatch(ctx context.Context, ds []Document) error
	// PutMany creates (Version 0) and updates (Version > 0) many documents
	// in one round trip, returning the new versions in order. Any duplicate
	// or stale version fails the batch with Kind Conflict and may leave the
	// transaction unusable: return the error.
	PutMany(ctx context.Context, ds []Document) ([]int64, error)
	// Get returns one document; Kind NotFound if none.
	Get(ctx context.Context, tenant, kind, id string) (Document, error)
	// GetMany returns the documents among ids that exist, in any order.
	GetMany(ctx context.Context, tenant, kind string, ids []string) ([]Document, error)
	// ByKey returns the document with the natural key; Kind NotFound if none.
	ByKey(ctx context.Context, tenant, kind, key string) (Document, error)
	// List returns a page of documents and the next cursor ("" at the end).
	List(ctx context.Context, q DocumentQuery) (docs []Document, next string, err error)
}
