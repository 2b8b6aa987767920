package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

func payee(tenant, ref string) settlement.PayeeAccount {
	return settlement.PayeeAccount{Tenant: tenant, Ref: ref, Name: "Provider " + ref, PayeeID: NPI(1), Routing: "231380104", Account: "987654321",
		AccountType: settlement.Checking, EffectiveFrom: time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC), Prenote: settlement.PrenoteDue, UpdatedAt: t0}
}

// testPayees: the payee bank directory creates, updates under an optimistic
// lock, keeps every field (dates as dates), filters by prenote state, pages,
// refuses invalid accounts and keeps tenants apart.
func testPayees(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	repo := func(tx ports.Tx) ports.PayeeRepo {
		r, err := ports.PayeesOf(tx)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	sent := payee("acme", "bank/p1")
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		r := repo(tx)
		for _, a := range []settlement.PayeeAccount{payee("acme", "bank/p0"), sent, payee("acme", "bank/p2"), payee("globex", "bank/p0")} {
			if v, err := r.Put(ctx, a); err != nil || v != 1 {
				return fmt.Errorf("create %s: %d, %v", a.Ref, v, err)
			}
		}
		_, err := r.Put(ctx, payee("acme", "bank/p0"))
		wantKind(t, "existing ref", err, ports.Conflict)
		bad := payee("acme", "bank/bad")
		bad.Routing = "231380105"
		_, err = r.Put(ctx, bad)
		wantKind(t, "bad check digit", err, ports.Invalid)
		sent.Version, sent.Prenote, sent.PrenoteFile = 1, settlement.PrenoteSent, "prenotes-1_ab12"
		sent.PrenoteDate, sent.LiveFrom = time.Date(2026, 2, 3, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 6, 0, 0, 0, 0, time.UTC)
		if v, err := r.Put(ctx, sent); err != nil || v != 2 {
			return fmt.Errorf("update: %d, %v", v, err)
		}
		_, err = r.Put(ctx, sent)
		wantKind(t, "stale version", err, ports.Conflict)
		missing := payee("acme", "bank/none")
		missing.Version = 4
		_, err = r.Put(ctx, missing)
		wantKind(t, "update a missing account", err, ports.NotFound)
		return nil
	})
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		r := repo(tx)
		got, err := r.Get(ctx, "acme", "bank/p1")
		sent.Version = 2
		if err != nil || got != sent {
			return fmt.Errorf("get %s = %+v, %v; want %+v", sent.Ref, got, err, sent)
		}
		_, err = r.Get(ctx, "globex", "bank/p1")
		wantKind(t, "another tenant's account", err, ports.NotFound)
		due, next, err := r.List(ctx, ports.PayeeQuery{Tenant: "acme", Prenote: settlement.PrenoteDue})
		if err != nil || len(due) != 2 || due[0].Ref != "bank/p0" || due[1].Ref != "bank/p2" || next != "" {
			return fmt.Errorf("due accounts = %+v, %q, %v", due, next, err)
		}
		var refs []string
		for p := (ports.Page{Limit: 2}); ; {
			page, next, err := r.List(ctx, ports.PayeeQuery{Tenant: "acme", Page: p})
			if err != nil {
				return err
			}
			for _, a := range page {
				refs = append(refs, a.Ref)
			}
			if next == "" {
				break
			}
			p.Cursor = next
		}
		if fmt.Sprint(refs) != "[bank/p0 bank/p1 bank/p2]" {
			return fmt.Errorf("paged refs = %v", refs)
		}
		return nil
	})
}
