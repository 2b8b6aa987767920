package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// FFSRequest asks for a fee-for-service payment run of one line of business.
type FFSRequest struct {
	Tenant      string
	RunID       string
	LOB         string
	ServiceFrom time.Time // service dates in [ServiceFrom, ServiceTo)
	ServiceTo   time.Time
	Statuses    []settlement.ClaimState // nil = APPROVED
	Currency    money.Currency
	Held        func(npi string, tin settlement.TIN) bool
	EFT         func(payeeRef string) bool
	PromptPay   settlement.PromptPay
	Actor       string
}

func (r FFSRequest) query(now time.Time) ports.ReserveQuery {
	return ports.ReserveQuery{Tenant: r.Tenant, RunID: r.RunID, Statuses: r.Statuses, LOB: r.LOB,
		ServiceFrom: r.ServiceFrom, ServiceTo: r.ServiceTo, At: now}
}

// PreviewFFS counts and sums (approved, per currency) what RunFFS would take now.
func PreviewFFS(ctx context.Context, s ports.Store, r FFSRequest, now time.Time) (int64, []money.Amount, error) {
	var n int64
	var totals []money.Amount
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		repo, err := ports.ClaimsOf(tx)
		if err != nil {
			return err
		}
		n, totals, err = repo.Preview(ctx, r.query(now))
		return err
	})
	return n, totals, err
}

// FFSPaymentRecord is a stored payment: check or EFT, numbered.
type FFSPaymentRecord struct {
	Number  string                `json:"number"` // check number or EFT trace
	RunID   string                `json:"run_id"`
	Payment settlement.FFSPayment `json:"payment"`
}

// RunFFS executes a fee-for-service run in one transaction: it reserves the
// selected claims (prompt-pay priority first), plans payments per rendering
// TIN with holds and recoupments (open balances are kept as documents and
// carried across runs), numbers checks and EFTs, sends exceptions back to the
// pool (those near their deadline flagged to go first next time) and audits.
func RunFFS(ctx context.Context, s ports.Store, r FFSRequest, now time.Time) (settlement.FFSResult, error) {
	var res settlement.FFSResult
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		repo, err := ports.ClaimsOf(tx)
		if err != nil {
			return err
		}
		if err := tx.Runs().Start(ctx, ports.Run{ID: r.RunID, Tenant: r.Tenant, Kind: RunKindFFS, StartedAt: now}); err != nil {
			return err
		}
		in := settlement.FFSInput{RunID: r.RunID, AsOf: now, Currency: r.Currency, Held: r.Held, EFT: r.EFT, PromptPay: r.PromptPay}
		if _, err := repo.Reserve(ctx, r.query(now), func(it settlement.RunItem) error { in.Claims = append(in.Claims, it); return nil }); err != nil {
			return err
		}
		recDocs, err := openRecoupments(ctx, tx, r.Tenant, &in)
		if err != nil {
			return err
		}
		if res, err = settlement.PlanFFS(in); err != nil {
			return ports.E("settlement.FFS", ports.Invalid, err)
		}
		if err := exceptFFS(ctx, repo, r, res); err != nil {
			return err
		}
		for _, p := range res.Payments {
			seq, err := tx.Numbering().Next(ctx, r.Tenant, "ffs-"+string(p.Method), "")
			if err != nil {
				return err
			}
			rec := FFSPaymentRecord{Number: fmt.Sprintf("%s%08d", p.Method, seq), RunID: r.RunID, Payment: p}
			body, err := json.Marshal(rec)
			if err != nil {
				return err
			}
			net := p.Net
			if _, err := tx.Documents().Put(ctx, ports.Document{Kind: KindFFSPayment, Tenant: r.Tenant, ID: r.RunID + "-" + string(p.TIN),
				Ref: r.RunID, Status: string(p.Method), Amount: &net, Body: body, UpdatedAt: now}); err != nil {
				return err
			}
		}
		if err := saveRecoupments(ctx, tx, r.Tenant, res.Recoupments, recDocs, now); err != nil {
			return err
		}
		body, _ := json.Marshal(map[string]any{"payments": len(res.Payments), "gross": res.Gross.Number(), "offset": res.Offset.Number(),
			"net": res.Net.Number(), "flagged": res.Flagged, "carried": len(res.Carry), "exceptions": len(res.Exceptions)})
		if err := tx.Runs().Finish(ctx, r.Tenant, r.RunID, ports.RunSucceeded, body, now); err != nil {
			return err
		}
		_, err = Record(ctx, tx, r.Tenant, audit.Draft{Actor: r.Actor, Action: "ffs.run", Subject: "run/" + r.RunID, After: body}, now)
		return err
	})
	return res, err
}

func exceptFFS(ctx context.Context, repo ports.ClaimRepo, r FFSRequest, res settlement.FFSResult) error {
	carry := make(map[string]bool, len(res.Carry))
	for _, c := range res.Carry {
		carry[c.ClaimID] = true
	}
	var plain []settlement.RunException
	for _, e := range res.Exceptions {
		if !carry[e.ClaimID] {
			plain = append(plain, e)
		}
	}
	if err := repo.Except(ctx, r.Tenant, r.RunID, res.Carry, true); err != nil {
		return err
	}
	return repo.Except(ctx, r.Tenant, r.RunID, plain, false)
}

// OpenRecoupment records money a provider owes, taken from later FFS payments.
func OpenRecoupment(ctx context.Context, s ports.Store, tenant string, rc settlement.Recoupment, actor string, now time.Time) error {
	return s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		if err := saveRecoupments(ctx, tx, tenant, []settlement.Recoupment{rc}, nil, now); err != nil {
			return err
		}
		_, err := Record(ctx, tx, tenant, audit.Draft{Actor: actor, Action: "recoupment.open", Subject: "recoupment/" + rc.ID,
			Reason: rc.Reason + " " + rc.Remaining.String()}, now)
		return err
	})
}

type recoupmentWire struct {
	ID        string       `json:"id"`
	TIN       string       `json:"tin"`
	Remaining money.Amount `json:"remaining"`
	Reason    string       `json:"reason"`
}

// openRecoupments loads the open recoupments into in and returns their document versions.
func openRecoupments(ctx context.Context, tx ports.Tx, tenant string, in *settlement.FFSInput) (map[string]int64, error) {
	versions := map[string]int64{}
	p := ports.Page{Limit: ports.MaxPageLimit}
	for {
		docs, next, err := tx.Documents().List(ctx, ports.DocumentQuery{Tenant: tenant, Kind: KindRecoupment, Status: "open", Page: p})
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			var w recoupmentWire
			if err := json.Unmarshal(d.Body, &w); err != nil {
				return nil, fmt.Errorf("recoupment %s: stored body: %w", d.ID, err)
			}
			in.Recoupments = append(in.Recoupments, settlement.Recoupment{ID: w.ID, TIN: settlement.TIN(w.TIN), Remaining: w.Remaining, Reason: w.Reason})
			versions[d.ID] = d.Version
		}
		if next == "" {
			return versions, nil
		}
		p.Cursor = next
	}
}

// saveRecoupments stores recoupments (version from versions; 0 creates).
func saveRecoupments(ctx context.Context, tx ports.Tx, tenant string, rs []settlement.Recoupment, versions map[string]int64, now time.Time) error {
	for _, rc := range rs {
		body, err := json.Marshal(recoupmentWire{ID: rc.ID, TIN: string(rc.TIN), Remaining: rc.Remaining, Reason: rc.Reason})
		if err != nil {
			return err
		}
		status := "open"
		if rc.Remaining.Sign() <= 0 {
			status = "closed"
		}
		amt := rc.Remaining
		if _, err := tx.Documents().Put(ctx, ports.Document{Kind: KindRecoupment, Tenant: tenant, ID: rc.ID, Version: versions[rc.ID],
			Ref: string(rc.TIN), Status: status, Amount: &amt, Body: body, UpdatedAt: now}); err != nil {
			return err
		}
	}
	return nil
}
