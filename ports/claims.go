package ports

import (
	"context"
	"errors"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
)

// ClaimRecord is one claim version to store.
type ClaimRecord struct {
	Tenant    string
	Claim     settlement.Claim
	Problems  int       // validation problems found at intake (REJECTED claims); 0 for a clean claim
	ArrivedAt time.Time // when this version arrived
	Body      []byte    // the claim as submitted (canonical JSON), kept byte for byte
	RunID     string    // read only: the run that paid this version; "" if none
}

// ClaimKey names one claim version.
type ClaimKey struct {
	ID      string
	Version int64
}

// IntakeResult counts what an intake stored.
type IntakeResult struct {
	New        int        // versions stored
	Duplicates int        // versions already stored with the same body: nothing changed
	Conflicts  []ClaimKey // versions already stored with another body: refused
}

// ReserveQuery selects the claims a run takes.
type ReserveQuery struct {
	Tenant      string
	RunID       string
	Statuses    []settlement.ClaimState // nil = APPROVED
	LOB         string                  // "" = every line of business
	ServiceFrom time.Time               // first service date ≥ this; zero = open
	ServiceTo   time.Time               // first service date < this; zero = open
	Limit       int                     // at most this many, priority and oldest clean-claim date first; 0 = all
	At          time.Time               // reservation time
}

// ClaimRepo stores claim versions in tables of their own (they are high
// volume) and reserves them for settlement runs, set-based.
//
// Only a claim's newest version is current; a run reserves current versions
// in the query's statuses that no run holds, so two runs never take the same
// version, and versions arriving while a run works go to a later run.
type ClaimRepo interface {
	// Intake stores claim versions, idempotent by (tenant, id, version):
	// the same body again is a duplicate, another body a conflict (neither
	// changes anything). A new version makes earlier ones not current. Bulk
	// intake uses COPY on Postgres.
	Intake(ctx context.Context, recs []ClaimRecord) (IntakeResult, error)
	// Get returns a version (0 = the current one); Kind NotFound if none.
	Get(ctx context.Context, tenant, id string, version int64) (ClaimRecord, error)
	// Preview counts and sums (approved, per currency) what Reserve would take now.
	Preview(ctx context.Context, q ReserveQuery) (n int64, totals []money.Amount, err error)
	// Reserve marks the selected versions as the run's and hands each to fn
	// (inside the transaction, no other repository call from fn), returning
	// how many it reserved. PaidBefore is set when another version of the
	// claim was paid by a run.
	Reserve(ctx context.Context, q ReserveQuery, fn func(settlement.RunItem) error) (int, error)
	// Except records run exceptions. Kinds that Retry go back to the pool
	// (with Priority when priority is set); the others stay with the run.
	Except(ctx context.Context, tenant, runID string, ex []settlement.RunException, priority bool) error
	// Lines returns the claim versions named by refs (remittance lines), in
	// refs order; Kind NotFound when one is missing.
	Lines(ctx context.Context, tenant string, refs []settlement.LineRef) ([]settlement.RunItem, error)
	// History hands every stored version of the tenant's claims to fn,
	// ordered by claim id then version.
	History(ctx context.Context, tenant string, fn func(settlement.ClaimEvent) error) error
}

// ClaimsTx is the capability of a Tx that stores claims. Both store
// adapters implement it; use ClaimsOf to reach it.
type ClaimsTx interface {
	Claims() ClaimRepo
}

// ClaimsOf returns tx's claim repository, or Kind Unavailable when the store
// adapter has none.
func ClaimsOf(tx Tx) (ClaimRepo, error) {
	if c, ok := tx.(ClaimsTx); ok {
		return c.Claims(), nil
	}
	return nil, E("ports.ClaimsOf", Unavailable, errors.New("this store keeps no claims"))
}
