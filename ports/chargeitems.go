package ports

import (
	"context"
	"encoding/json"
)

// Record is one row of a lean table: a versioned JSON body found by
// (tenant, id), and by Ref where it has one, for rows written thousands
// per transaction and read back by id.
type Record struct {
	Tenant  string
	ID      string
	Version int64           // 0 to create; the stored version to update (optimistic lock)
	Ref     string          // what the record is listed under ("Encounter/e1" for a charge item); "" for nothing
	Body    json.RawMessage // valid JSON
}

// ChargeItemRepo stores charge items as Records, apart from the generic
// documents: capture writes one per event, so each charge item costs one
// primary-key entry, plus a Ref entry when it belongs to an encounter.
type ChargeItemRepo interface {
	// PutMany creates (Version 0, stored as 1) and updates (Version > 0)
	// many records in one round trip. A duplicate id or a stale or missing
	// version fails the batch with Kind Conflict and may leave the
	// transaction unusable: return the error.
	PutMany(ctx context.Context, rs []Record) error
	// GetMany returns the records among ids that exist, in any order.
	GetMany(ctx context.Context, tenant string, ids []string) ([]Record, error)
	// Get returns one record; Kind NotFound if none.
	Get(ctx context.Context, tenant, id string) (Record, error)
	// List returns a page of a tenant's records in id order and the next
	// cursor ("" at the end).
	List(ctx context.Context, tenant string, p Page) ([]Record, string, error)
	// ListRef is List restricted to the records under ref.
	ListRef(ctx context.Context, tenant, ref string, p Page) ([]Record, string, error)
}

// RecordPage cuts the n+1 records a store read for a page of n down to the
// page and its next cursor: the last id returned, "" at the end.
func RecordPage(rs []Record, n int) ([]Record, string) {
	if len(rs) <= n {
		return rs, ""
	}
	return rs[:n], rs[n-1].ID
}
