package ports

import (
	"context"
	"errors"

	"github.com/revhub/revhub/core/settlement"
)

// PayeeQuery selects payee accounts of a tenant in registration order.
type PayeeQuery struct {
	Tenant  string                  // required
	Prenote settlement.PrenoteState // "" = every state
	Page    Page
}

// PayeeRepo stores the payee bank directory: one account per (tenant, ref).
type PayeeRepo interface {
	// Put creates a when a.Version is 0 (stored as version 1) or replaces
	// version a.Version with a.Version+1, and returns the new version. Kind
	// Invalid when a does not validate; Conflict, leaving the transaction
	// usable, on an existing ref or a stale Version; NotFound when updating
	// a missing one.
	Put(ctx context.Context, a settlement.PayeeAccount) (int64, error)
	// Get returns the account of ref; Kind NotFound if none.
	Get(ctx context.Context, tenant, ref string) (settlement.PayeeAccount, error)
	// List returns a page of accounts and the next cursor ("" at the end).
	List(ctx context.Context, q PayeeQuery) ([]settlement.PayeeAccount, string, error)
}

// PayeesTx is the capability of a Tx that keeps the payee bank directory.
// Both store adapters implement it; use PayeesOf to reach it.
type PayeesTx interface {
	Payees() PayeeRepo
}

// PayeesOf returns tx's payee directory, or Kind Unavailable when the store
// adapter has none.
func PayeesOf(tx Tx) (PayeeRepo, error) {
	if p, ok := tx.(PayeesTx); ok {
		return p.Payees(), nil
	}
	return nil, E("ports.PayeesOf", Unavailable, errors.New("this store keeps no payee bank directory"))
}
