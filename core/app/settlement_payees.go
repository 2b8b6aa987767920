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

// RegisterPayee registers a payee's bank account under its reference. A new
// account, or a changed one (routing, number or type), starts with a prenote
// due and is paid by check until its prenote window passes; registering the
// same account again keeps its prenote (only name, payee id and effective
// date change) unless the bank returned it. Every change is audited with the account number masked.
func RegisterPayee(ctx context.Context, s ports.Store, a settlement.PayeeAccount, actor string, now time.Time) (settlement.PayeeAccount, error) {
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		repo, err := ports.PayeesOf(tx)
		if err != nil {
			return err
		}
		before, err := repo.Get(ctx, a.Tenant, a.Ref)
		switch {
		case ports.Is(ports.NotFound, err):
			a.Version, a.Prenote = 0, settlement.PrenoteDue
		case err != nil:
			return err
		case before.SameAccount(a) && before.Prenote != settlement.PrenoteReturned:
			name, id, eff := a.Name, a.PayeeID, a.EffectiveFrom
			a = before
			a.Name, a.PayeeID, a.EffectiveFrom = name, id, eff
		default:
			a.Version, a.Prenote = before.Version, settlement.PrenoteDue
		}
		if before.Version > 0 && a == before {
			return nil
		}
		a.UpdatedAt = now
		return putPayee(ctx, tx, repo, &a, before, "payee.register", actor, "", now)
	})
	return a, err
}

// putPayee stores a and audits the change from before.
func putPayee(ctx context.Context, tx ports.Tx, repo ports.PayeeRepo, a *settlement.PayeeAccount, before settlement.PayeeAccount, action, actor, reason string, now time.Time) error {
	v, err := repo.Put(ctx, *a)
	if err != nil {
		return err
	}
	a.Version = v
	d := audit.Draft{Actor: actor, Action: action, Subject: "payee/" + a.Ref, Reason: reason}
	if before.Version > 0 {
		if d.Before, err = json.Marshal(before); err != nil {
			return err
		}
	}
	if d.After, err = json.Marshal(*a); err != nil {
		return err
	}
	_, err = Record(ctx, tx, a.Tenant, d, now)
	return err
}

// PrenoteRequest asks for the prenote file of a tenant's new payee accounts.
type PrenoteRequest struct {
	Tenant     string
	Org        string // the organization whose delivery binding sends the file
	Binding    string // outbox binding of delivery: "payout_delivery/sftp"
	Builder    ports.PayoutFileBuilder
	Originator settlement.Originator
	LiveFrom   func(prenoteEffective time.Time) time.Time // the bank's prenote window
	Actor      string
}

// PrenoteResult is a queued prenote file.
type PrenoteResult struct {
	File     ports.PayoutFile
	Accounts []settlement.PayeeAccount // now sent, with their live dates
}

// SendPrenotes builds one prenote file of every account with a prenote due
// and queues it in the outbox (idempotent by file id), marking the accounts
// sent with the day they go live, all in one transaction. Kind NotFound when
// no prenote is due.
func SendPrenotes(ctx context.Context, s ports.Store, r PrenoteRequest, now time.Time) (PrenoteResult, error) {
	var res PrenoteResult
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		repo, err := ports.PayeesOf(tx)
		if err != nil {
			return err
		}
		due, err := allPayees(ctx, repo, ports.PayeeQuery{Tenant: r.Tenant, Prenote: settlement.PrenoteDue})
		if err != nil {
			return err
		}
		if len(due) == 0 {
			return ports.E("settlement.Prenotes", ports.NotFound, fmt.Errorf("tenant %s: no payee account has a prenote due", r.Tenant))
		}
		f := settlement.DisbursementFile{RunID: "prenotes-" + now.UTC().Format("20060102-150405"), Originator: r.Originator, CreatedAt: now}
		for _, a := range due {
			f.Entries = append(f.Entries, a.PrenoteEntry())
		}
		if res.File, err = r.Builder.Build(ctx, f); err != nil {
			return err
		}
		payload, err := json.Marshal(res.File)
		if err != nil {
			return err
		}
		zero := money.Zero(money.USD)
		if err := tx.Outbox().Enqueue(ctx, ports.OutboxItem{ID: "prenote-" + string(res.File.ID), Tenant: r.Tenant, Org: r.Org, Binding: r.Binding,
			Kind: "payout.file", IdempotencyKey: string(res.File.ID), Payload: payload, Amount: &zero, CreatedAt: now, NextAttemptAt: now}); err != nil {
			return err
		}
		y, m, d := res.File.EffectiveDate.Date()
		eff := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		for _, a := range due {
			before := a
			a.Prenote, a.PrenoteFile, a.PrenoteDate, a.LiveFrom, a.ReturnCode, a.UpdatedAt = settlement.PrenoteSent, string(res.File.ID), eff, r.LiveFrom(eff), "", now
			if err := putPayee(ctx, tx, repo, &a, before, "payee.prenote", r.Actor, string(res.File.ID), now); err != nil {
				return err
			}
			res.Accounts = append(res.Accounts, a)
		}
		return nil
	})
	return res, err
}

// ReturnPrenote records the bank's return of an account's prenote (code
// such as R03, as a person read it from the return file): the account is not
// paid by EFT until registered anew. Kind Conflict unless a prenote was sent.
func ReturnPrenote(ctx context.Context, s ports.Store, tenant, ref, code, actor string, now time.Time) (settlement.PayeeAccount, error) {
	var a settlement.PayeeAccount
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		repo, err := ports.PayeesOf(tx)
		if err != nil {
			return err
		}
		if a, err = repo.Get(ctx, tenant, ref); err != nil {
			return err
		}
		if a.Prenote != settlement.PrenoteSent {
			return ports.E("settlement.PrenoteReturn", ports.Conflict, fmt.Errorf("payee account %s: prenote is %s, not sent", ref, a.Prenote))
		}
		before := a
		a.Prenote, a.ReturnCode, a.UpdatedAt = settlement.PrenoteReturned, code, now
		return putPayee(ctx, tx, repo, &a, before, "payee.prenote_return", actor, code, now)
	})
	return a, err
}

// PayeeDirectory reads a tenant's payee bank directory by reference.
func PayeeDirectory(ctx context.Context, s ports.Store, tenant string) (map[string]settlement.PayeeAccount, error) {
	out := map[string]settlement.PayeeAccount{}
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		repo, err := ports.PayeesOf(tx)
		if err != nil {
			return err
		}
		all, err := allPayees(ctx, repo, ports.PayeeQuery{Tenant: tenant})
		for _, a := range all {
			out[a.Ref] = a
		}
		return err
	})
	return out, err
}

func allPayees(ctx context.Context, repo ports.PayeeRepo, q ports.PayeeQuery) ([]settlement.PayeeAccount, error) {
	var out []settlement.PayeeAccount
	q.Page.Limit = ports.MaxPageLimit
	for {
		page, next, err := repo.List(ctx, q)
		if err != nil {
			return nil, err
		}
		out = append(out, page...)
		if next == "" {
			return out, nil
		}
		q.Page.Cursor = next
	}
}

// ListPayees returns a page of a tenant's payee accounts, optionally in one prenote state.
func ListPayees(ctx context.Context, s ports.Store, q ports.PayeeQuery) (out []settlement.PayeeAccount, next string, err error) {
	err = s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		repo, err := ports.PayeesOf(tx)
		if err != nil {
			return err
		}
		out, next, err = repo.List(ctx, q)
		return err
	})
	return out, next, err
}

// GetPayee returns one payee account; Kind NotFound if none.
func GetPayee(ctx context.Context, s ports.Store, tenant, ref string) (a settlement.PayeeAccount, err error) {
	err = s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		repo, err := ports.PayeesOf(tx)
		if err != nil {
			return err
		}
		a, err = repo.Get(ctx, tenant, ref)
		return err
	})
	return a, err
}
