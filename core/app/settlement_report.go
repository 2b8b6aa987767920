package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// SettlementSummaryReport sums every remittance of the tenant in cur, with
// the top n providers by amount paid.
func SettlementSummaryReport(ctx context.Context, s ports.Store, tenant string, cur money.Currency, n int) (settlement.SettlementSummary, error) {
	var rems []settlement.Remittance
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		return eachDoc(ctx, tx, ports.DocumentQuery{Tenant: tenant, Kind: KindRemittance}, func(d ports.Document) error {
			var r settlement.Remittance
			if err := json.Unmarshal(d.Body, &r); err != nil {
				return fmt.Errorf("remittance %s: stored body: %w", d.ID, err)
			}
			r.Lines = nil // the summary needs the header only
			rems = append(rems, r)
			return nil
		})
	})
	if err != nil {
		return settlement.SettlementSummary{}, err
	}
	return settlement.Summarize(rems, cur, n)
}

// ProviderPerformanceReport computes submission quality, dispute rate and
// denial rate per provider from every stored claim version and dispute.
func ProviderPerformanceReport(ctx context.Context, s ports.Store, tenant string) ([]settlement.ProviderPerformance, error) {
	var events []settlement.ClaimEvent
	disputes := map[string]int{}
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		var err error
		if events, err = claimHistory(ctx, tx, tenant); err != nil {
			return err
		}
		return eachDoc(ctx, tx, ports.DocumentQuery{Tenant: tenant, Kind: KindDispute}, func(d ports.Document) error {
			r, err := tx.Documents().Get(ctx, tenant, KindRemittance, d.Ref)
			if err != nil {
				return err
			}
			disputes[r.Org]++ // a remittance's org is its provider's NPI
			return nil
		})
	})
	return settlement.Performance(events, disputes), err
}

// ClaimsAgingReport measures time spent in each claim state up to asOf.
func ClaimsAgingReport(ctx context.Context, s ports.Store, tenant string, asOf time.Time) ([]settlement.AgingRow, error) {
	var events []settlement.ClaimEvent
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		var err error
		events, err = claimHistory(ctx, tx, tenant)
		return err
	})
	return settlement.Aging(events, asOf), err
}

func claimHistory(ctx context.Context, tx ports.Tx, tenant string) ([]settlement.ClaimEvent, error) {
	repo, err := ports.ClaimsOf(tx)
	if err != nil {
		return nil, err
	}
	var events []settlement.ClaimEvent
	err = repo.History(ctx, tenant, func(e settlement.ClaimEvent) error { events = append(events, e); return nil })
	return events, err
}

func eachDoc(ctx context.Context, tx ports.Tx, q ports.DocumentQuery, fn func(ports.Document) error) error {
	q.Page = ports.Page{Limit: ports.MaxPageLimit}
	for {
		docs, next, err := tx.Documents().List(ctx, q)
		if err != nil {
			return err
		}
		for _, d := range docs {
			if err := fn(d); err != nil {
				return err
			}
		}
		if next == "" {
			return nil
		}
		q.Page.Cursor = next
	}
}
