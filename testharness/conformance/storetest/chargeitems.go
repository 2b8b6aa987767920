package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"testing"

	"github.com/revhub/revhub/ports"
)

func testChargeItems(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	rec := func(tenant, id string, v int64, body string) ports.Record {
		return ports.Record{Tenant: tenant, ID: id, Version: v, Body: json.RawMessage(body)}
	}
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		var rs []ports.Record
		for i := range 5 {
			r := rec("acme", fmt.Sprintf("ci-%d", i), 0, `{"v":1}`)
			if i%2 == 0 {
				r.Ref = "Encounter/e1"
			}
			rs = append(rs, r)
		}
		g := rec("globex", "ci-0", 0, `{"g":1}`)
		g.Ref = "Encounter/e1"
		return tx.ChargeItems().PutMany(ctx, append(rs, g))
	})
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		moved := rec("acme", "ci-1", 1, `{"v":2}`) // joins the encounter
		moved.Ref = "Encounter/e1"
		if err := tx.ChargeItems().PutMany(ctx, []ports.Record{moved, rec("acme", "ci-5", 0, `{"v":1}`)}); err != nil {
			return err
		}
		got, err := tx.ChargeItems().GetMany(ctx, "acme", []string{"ci-5", "ci-1", "nope", "ci-1"}) // each found once
		if err != nil {
			return err
		}
		sort.Slice(got, func(i, j int) bool { return got[i].ID < got[j].ID })
		if len(got) != 2 || got[0].Version != 2 || string(got[0].Body) != `{"v":2}` || got[1].Version != 1 {
			return fmt.Errorf("ChargeItems.GetMany after update: %+v", got)
		}
		if g, err := tx.ChargeItems().Get(ctx, "globex", "ci-0"); err != nil || string(g.Body) != `{"g":1}` {
			return fmt.Errorf("ChargeItems.Get of another tenant's item: %+v %v", g, err)
		}
		if _, err := tx.ChargeItems().Get(ctx, "globex", "ci-1"); !ports.Is(ports.NotFound, err) {
			return fmt.Errorf("ChargeItems.Get crossed tenants: %v", err)
		}
		return nil
	})
	for name, bad := range map[string]ports.Record{
		"duplicate": rec("acme", "ci-2", 0, `{}`), "stale": rec("acme", "ci-1", 1, `{}`), "missing": rec("acme", "ci-9", 3, `{}`),
	} {
		err := s.Update(context.Background(), func(ctx context.Context, tx ports.Tx) error {
			return tx.ChargeItems().PutMany(ctx, []ports.Record{rec("acme", "ci-new", 0, `{}`), bad})
		})
		if !ports.Is(ports.Conflict, err) {
			t.Fatalf("%s: want Conflict, got %v", name, err)
		}
	}
	err := s.Update(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		return tx.ChargeItems().PutMany(ctx, []ports.Record{rec("acme", "ci-x", 0, `{not json`)})
	})
	if !ports.Is(ports.Invalid, err) {
		t.Fatalf("bad JSON: want Invalid, got %v", err)
	}
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		var ids []string
		p := ports.Page{Limit: 4}
		for {
			rs, next, err := tx.ChargeItems().List(ctx, "acme", p)
			if err != nil {
				return err
			}
			for _, r := range rs {
				ids = append(ids, r.ID)
			}
			if p.Cursor = next; next == "" {
				break
			}
		}
		if fmt.Sprint(ids) != "[ci-0 ci-1 ci-2 ci-3 ci-4 ci-5]" {
			return fmt.Errorf("ChargeItems.List: %v (failed batches must leave nothing)", ids)
		}
		ids = ids[:0]
		for p := (ports.Page{Limit: 2}); ; {
			rs, next, err := tx.ChargeItems().ListRef(ctx, "acme", "Encounter/e1", p)
			if err != nil {
				return err
			}
			for _, r := range rs {
				if r.Ref != "Encounter/e1" {
					return fmt.Errorf("ChargeItems.ListRef: %s has ref %q", r.ID, r.Ref)
				}
				ids = append(ids, r.ID)
			}
			if p.Cursor = next; next == "" {
				break
			}
		}
		if fmt.Sprint(ids) != "[ci-0 ci-1 ci-2 ci-4]" {
			return fmt.Errorf("ChargeItems.ListRef: %v, want the acme items under Encounter/e1 only", ids)
		}
		if rs, _, err := tx.ChargeItems().ListRef(ctx, "acme", "", ports.Page{}); err != nil || len(rs) != 0 {
			return fmt.Errorf("ChargeItems.ListRef of no ref: %d records, %v", len(rs), err)
		}
		return nil
	})
}
