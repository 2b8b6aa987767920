package storetest

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/revhub/revhub/ports"
)

func testPricingTraces(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	tr := func(id, body string) ports.PricingTrace { return ports.PricingTrace{ID: id, Body: []byte(body)} }
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		if err := tx.PricingTraces().PutMany(ctx, "acme", []ports.PricingTrace{tr("tr-1", `{"step":1}`), tr("tr-2", `{"step":2}`)}); err != nil {
			return err
		}
		return tx.PricingTraces().PutMany(ctx, "globex", []ports.PricingTrace{tr("tr-3", `{"step":3}`)})
	})
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		// An id the tenant has keeps its body; a new one is added beside it.
		if err := tx.PricingTraces().PutMany(ctx, "acme", []ports.PricingTrace{tr("tr-1", `{"other":1}`), tr("tr-4", `{"step":4}`)}); err != nil {
			return err
		}
		got, err := tx.PricingTraces().GetMany(ctx, "acme", []string{"tr-4", "tr-1", "nope", "tr-3"})
		if err != nil {
			return err
		}
		sort.Slice(got, func(i, j int) bool { return got[i].ID < got[j].ID })
		if len(got) != 2 || got[0].ID != "tr-1" || string(got[0].Body) != `{"step":1}` || got[1].ID != "tr-4" {
			return fmt.Errorf("PricingTraces.GetMany: %+v, want tr-1 as first stored and tr-4, not globex's tr-3", got)
		}
		if none, err := tx.PricingTraces().GetMany(ctx, "acme", nil); err != nil || len(none) != 0 {
			return fmt.Errorf("PricingTraces.GetMany of no ids: %+v %v", none, err)
		}
		return nil
	})
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		for _, bad := range []ports.PricingTrace{tr("", `{}`), tr("tr-5", `{`)} {
			if err := tx.PricingTraces().PutMany(ctx, "acme", []ports.PricingTrace{bad}); !ports.Is(ports.Invalid, err) {
				return fmt.Errorf("PricingTraces.PutMany(%q, %q) = %v, want Invalid", bad.ID, bad.Body, err)
			}
		}
		return nil
	})
}
