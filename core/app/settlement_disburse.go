package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// Disbursements moves a settlement run's money under separation of duties:
// creator, approver, releaser and outcome recorder are different users with
// the roles Duties allows. Every step is audited. A release builds the bank
// file and queues it in the outbox; an unknown delivery outcome is never
// retried automatically: a person records the bank's answer.
type Disbursements struct {
	Store      ports.Store
	Duties     settlement.Duties
	Holidays   settlement.Holidays // the banking calendar (the payout adapter computes it)
	Builder    ports.PayoutFileBuilder
	Originator settlement.Originator
	Payee      func(payeeRef string) (settlement.DisbursementEntry, bool) // the payee bank directory: name, routing, account, type
	Binding    string                                                     // outbox binding of delivery: "payout_delivery/sftp"
	Org        string                                                     // the organization that binds the delivery
}

// Create starts the disbursement of a run's remittances, effective on the
// first business day at least one business day after requested.
func (d *Disbursements) Create(ctx context.Context, tenant, runID string, requested time.Time, a settlement.Actor, now time.Time) (settlement.Disbursement, error) {
	var x settlement.Disbursement
	err := d.Store.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		rems, err := runRemittances(ctx, tx, tenant, runID)
		if err != nil {
			return err
		}
		total := money.Zero(money.USD)
		for _, r := range rems {
			if total, err = total.Add(r.NetPayable); err != nil {
				return err
			}
		}
		x, err = settlement.NewDisbursement("disb-"+runID, runID, total, d.Holidays.EffectiveDate(requested, 1), a, d.Duties, now)
		if err != nil {
			return ports.E("settlement.Disburse", ports.Permission, err)
		}
		return d.save(ctx, tx, tenant, &x, 0, "disbursement.create", a.ID, now)
	})
	return x, err
}

// Approve approves a created disbursement.
func (d *Disbursements) Approve(ctx context.Context, tenant, id string, a settlement.Actor, now time.Time) (settlement.Disbursement, error) {
	return d.step(ctx, tenant, id, "disbursement.approve", a.ID, now, func(_ context.Context, _ ports.Tx, x *settlement.Disbursement) error {
		return x.Approve(a, d.Duties, now)
	})
}

// Release builds the run's bank file (one entry per remittance with a
// positive net payable) and queues it for delivery, idempotent by file id;
// the outbox payload is the ports.PayoutFile as JSON.
func (d *Disbursements) Release(ctx context.Context, tenant, id string, a settlement.Actor, now time.Time) (settlement.Disbursement, error) {
	return d.step(ctx, tenant, id, "disbursement.release", a.ID, now, func(ctx context.Context, tx ports.Tx, x *settlement.Disbursement) error {
		if err := x.Release(a, d.Duties, now); err != nil {
			return err
		}
		rems, err := runRemittances(ctx, tx, tenant, x.RunID)
		if err != nil {
			return err
		}
		f := settlement.DisbursementFile{RunID: x.RunID, Originator: d.Originator, EffectiveDate: x.EffectiveDate, CreatedAt: now}
		for _, r := range rems {
			if r.NetPayable.Sign() <= 0 {
				continue
			}
			e, ok := d.Payee(r.PayeeRef)
			if !ok {
				return ports.E("settlement.Release", ports.Invalid, fmt.Errorf("remittance %s: no bank account for payee %s", r.ID, r.PayeeRef))
			}
			e.Amount, e.TraceRef = r.NetPayable, r.ID
			f.Entries = append(f.Entries, e)
		}
		file, err := d.Builder.Build(ctx, f)
		if err != nil {
			return err
		}
		payload, err := json.Marshal(file) // what the payout deliverer reads: name and exact bytes
		if err != nil {
			return err
		}
		amt := x.Amount
		return tx.Outbox().Enqueue(ctx, ports.OutboxItem{ID: "payout-" + x.ID, Tenant: tenant, Org: d.Org, Binding: d.Binding, Kind: "payout.file",
			IdempotencyKey: string(file.ID), Payload: payload, Amount: &amt, CreatedAt: now, NextAttemptAt: now})
	})
}

// Sync moves a releasing disbursement by what delivery reported: sent →
// released, outcome unknown → outcome_unknown, dead-lettered → failed. In
// any other state, or while delivery is still trying, it changes nothing and
// returns the disbursement as stored.
func (d *Disbursements) Sync(ctx context.Context, tenant, id string, now time.Time) (settlement.Disbursement, error) {
	return d.step(ctx, tenant, id, "disbursement.delivery", "system:outbox", now, func(ctx context.Context, tx ports.Tx, x *settlement.Disbursement) error {
		if x.State != settlement.DisbReleasing {
			return errNoChange
		}
		it, err := tx.Outbox().Get(ctx, tenant, "payout-"+x.ID)
		if err != nil {
			return err
		}
		switch it.State {
		case delivery.Sent:
			return x.Delivered(settlement.DisbReleased, "", now)
		case delivery.OutcomeUnknown:
			return x.Delivered(settlement.DisbOutcomeUnknown, it.LastError, now)
		case delivery.DeadLettered:
			return x.Delivered(settlement.DisbFailed, it.LastError, now)
		}
		return errNoChange
	})
}

// RecordOutcome records the bank's answer, given by a person.
func (d *Disbursements) RecordOutcome(ctx context.Context, tenant, id string, a settlement.Actor, to settlement.DisbursementState, note string, now time.Time) (settlement.Disbursement, error) {
	return d.step(ctx, tenant, id, "disbursement.outcome", a.ID, now, func(_ context.Context, _ ports.Tx, x *settlement.Disbursement) error {
		return x.RecordOutcome(a, d.Duties, to, note, now)
	})
}

var errNoChange = errors.New("no change")

func (d *Disbursements) step(ctx context.Context, tenant, id, action, actor string, now time.Time,
	fn func(context.Context, ports.Tx, *settlement.Disbursement) error) (settlement.Disbursement, error) {
	var x settlement.Disbursement
	err := d.Store.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		doc, err := tx.Documents().Get(ctx, tenant, KindDisbursement, id)
		if err != nil {
			return err
		}
		if err := json.Unmarshal(doc.Body, &x); err != nil {
			return fmt.Errorf("disbursement %s: stored body: %w", id, err)
		}
		if err := fn(ctx, tx, &x); err != nil {
			return disbursementErr(err)
		}
		return d.save(ctx, tx, tenant, &x, doc.Version, action, actor, now)
	})
	if errors.Is(err, errNoChange) {
		err = nil
	}
	return x, err
}

func disbursementErr(err error) error {
	var de *settlement.DutyError
	switch {
	case errors.Is(err, errNoChange):
		return err
	case errors.As(err, &de):
		return ports.E("settlement.Disburse", ports.Permission, err)
	case errors.Is(err, settlement.ErrTransition):
		return ports.E("settlement.Disburse", ports.Conflict, err)
	}
	return err
}

func (d *Disbursements) save(ctx context.Context, tx ports.Tx, tenant string, x *settlement.Disbursement, version int64, action, actor string, now time.Time) error {
	body, err := json.Marshal(x)
	if err != nil {
		return err
	}
	amt := x.Amount
	if _, err := tx.Documents().Put(ctx, ports.Document{Kind: KindDisbursement, Tenant: tenant, ID: x.ID, Version: version, Ref: x.RunID,
		Status: string(x.State), Amount: &amt, Body: body, UpdatedAt: now}); err != nil {
		return err
	}
	_, err = Record(ctx, tx, tenant, audit.Draft{Actor: actor, Action: action, Subject: "disbursement/" + x.ID, After: body, Reason: string(x.State)}, now)
	return err
}

// runRemittances reads every remittance of a run.
func runRemittances(ctx context.Context, tx ports.Tx, tenant, runID string) ([]settlement.Remittance, error) {
	var out []settlement.Remittance
	p := ports.Page{Limit: ports.MaxPageLimit}
	for {
		docs, next, err := tx.Documents().List(ctx, ports.DocumentQuery{Tenant: tenant, Kind: KindRemittance, Ref: runID, Page: p})
		if err != nil {
			return nil, err
		}
		for _, d := range docs {
			var r settlement.Remittance
			if err := json.Unmarshal(d.Body, &r); err != nil {
				return nil, fmt.Errorf("remittance %s: stored body: %w", d.ID, err)
			}
			out = append(out, r)
		}
		if next == "" {
			return out, nil
		}
		p.Cursor = next
	}
}
