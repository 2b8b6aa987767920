package app_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/stores"
)

// TestRegisterPayee: the same account again keeps its prenote, a changed
// account or a returned one starts a new prenote; every change is audited
// without the account number.
func TestRegisterPayee(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		ctx, now := context.Background(), time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		reg := func(a settlement.PayeeAccount) settlement.PayeeAccount {
			t.Helper()
			got, err := app.RegisterPayee(ctx, s, a, "token:t1", now)
			if err != nil {
				t.Fatal(err)
			}
			return got
		}
		a := settlement.PayeeAccount{Tenant: "acme", Ref: "bank/p0", Name: "Provider 0", Routing: "231380104", Account: "987654321",
			AccountType: settlement.Checking, EffectiveFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Prenote: settlement.PrenoteDue}
		if got := reg(a); got.Version != 1 || got.Prenote != settlement.PrenoteDue {
			t.Fatalf("new account: %+v", got)
		}
		if err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
			repo, _ := ports.PayeesOf(tx)
			sent, err := repo.Get(ctx, "acme", "bank/p0")
			if err != nil {
				return err
			}
			sent.Prenote, sent.PrenoteFile, sent.LiveFrom = settlement.PrenoteSent, "f1", now.AddDate(0, 0, 4)
			_, err = repo.Put(ctx, sent)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		a.Name = "Provider Zero"
		if got := reg(a); got.Version != 3 || got.Prenote != settlement.PrenoteSent || got.Name != "Provider Zero" {
			t.Fatalf("same account renamed: %+v", got)
		}
		if got := reg(a); got.Version != 3 {
			t.Fatalf("unchanged registration stored a version: %+v", got)
		}
		if _, err := app.ReturnPrenote(ctx, s, "acme", "bank/p0", "R03", "token:t2", now); err != nil {
			t.Fatal(err)
		}
		if _, err := app.ReturnPrenote(ctx, s, "acme", "bank/p0", "R03", "token:t2", now); !ports.Is(ports.Conflict, err) {
			t.Fatalf("second return: %v", err)
		}
		if got := reg(a); got.Prenote != settlement.PrenoteDue || !got.LiveFrom.IsZero() || got.ReturnCode != "" {
			t.Fatalf("returned account registered again: %+v", got)
		}
		a.Account = "111122223333"
		if got := reg(a); got.Prenote != settlement.PrenoteDue || got.Account != "111122223333" {
			t.Fatalf("changed account: %+v", got)
		}
		if err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
			es, err := tx.Audit().Scan(ctx, "acme", 0, 100)
			if len(es) != 5 { // register, rename, return, register anew, change; the unchanged registration is not a change
				t.Errorf("%d audit entries, want 5", len(es))
			}
			for _, e := range es {
				if strings.Contains(string(e.After)+string(e.Before), "987654321") || strings.Contains(string(e.After), "111122223333") {
					t.Errorf("audit %s carries an account number: %s", e.Action, e.After)
				}
			}
			return err
		}); err != nil {
			t.Fatal(err)
		}
	})
}
