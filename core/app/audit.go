package app

import (
	"context"
	"fmt"
	"time"

	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/ports"
)

// Record appends an audit entry for tenant inside tx. A concurrent append
// to the same tenant's chain surfaces as Kind Conflict when tx commits or at
// Insert; the caller retries the whole transaction.
func Record(ctx context.Context, tx ports.Tx, tenant string, d audit.Draft, now time.Time) (audit.Entry, error) {
	last, err := tx.Audit().Last(ctx, tenant)
	if err != nil {
		return audit.Entry{}, fmt.Errorf("audit: last entry of %s: %w", tenant, err)
	}
	e := audit.Next(tenant, last, d, now)
	if err := tx.Audit().Insert(ctx, e); err != nil {
		return audit.Entry{}, fmt.Errorf("audit: append %s #%d: %w", tenant, e.Seq, err)
	}
	return e, nil
}

// RecordMany appends several audit entries for tenant inside tx in one
// round trip, chained after the tenant's current head.
func RecordMany(ctx context.Context, tx ports.Tx, tenant string, ds []audit.Draft, now time.Time) error {
	if len(ds) == 0 {
		return nil
	}
	last, err := tx.Audit().Last(ctx, tenant)
	if err != nil {
		return fmt.Errorf("audit: last entry of %s: %w", tenant, err)
	}
	es := make([]audit.Entry, len(ds))
	for i, d := range ds {
		es[i] = audit.Next(tenant, last, d, now)
		last = &es[i]
	}
	if err := tx.Audit().InsertMany(ctx, es); err != nil {
		return fmt.Errorf("audit: append %d entries for %s: %w", len(es), tenant, err)
	}
	return nil
}

// VerifyTenant streams a tenant's chain through audit.Verifier in pages, in
// constant memory. It returns the number of entries and the head hash, or
// the *audit.BreakError naming the first broken entry.
func VerifyTenant(ctx context.Context, s ports.Store, tenant string) (int64, audit.Hash, error) {
	v := audit.NewVerifier(tenant)
	const page = 1000
	var after int64
	for {
		var es []audit.Entry
		err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
			var err error
			es, err = tx.Audit().Scan(ctx, tenant, after, page)
			return err
		})
		if err != nil {
			return v.Count(), v.Head(), err
		}
		for _, e := range es {
			if err := v.Add(e); err != nil {
				return v.Count(), v.Head(), err
			}
			after = e.Seq
		}
		if len(es) < page {
			return v.Count(), v.Head(), nil
		}
	}
}
