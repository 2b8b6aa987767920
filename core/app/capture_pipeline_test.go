package app_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/capture"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/stores"
)

// Batches decided before the previous batch committed (as a pipelined
// consumer does) end exactly as if applied one after the other: a decision
// made on charge items that changed meanwhile is made again at commit.
func TestCapture_predecidedBatchesDecideAgainWhenItemsChanged(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		ctx := context.Background()
		c := newCapturer(s)
		planned := func(payloads ...[]byte) *app.Planned {
			var envs []app.Envelope
			for _, p := range payloads {
				envs = append(envs, env(p))
			}
			p := c.Plan(envs)
			p.Predecide(ctx, now)
			return p
		}
		commit := func(p *app.Planned, want map[string]int) {
			t.Helper()
			outs, err := p.Commit(ctx, now)
			if err != nil {
				t.Fatal(err)
			}
			got := actions(outs)
			for a, n := range want {
				if got.Of(a) != n {
					t.Fatalf("actions %v, want %v", got, want)
				}
			}
		}
		// Both decided on an empty store: the second's create of p1 is stale.
		first := planned(procedure("p1", 1, "completed", "03000", 1))
		second := planned(procedure("p1", 2, "completed", "03001", 1), procedure("p2", 1, "completed", "03000", 1))
		commit(first, map[string]int{"create": 1})
		commit(second, map[string]int{"replace": 1, "create": 1})
		// Both decided on p1 at version 2: the second's update is stale.
		third := planned(procedure("p1", 3, "completed", "03001", 2))
		fourth := planned(procedure("p1", 4, "entered-in-error", "03001", 2), procedure("p1", 1, "completed", "03000", 1))
		commit(third, map[string]int{"replace": 1})
		commit(fourth, map[string]int{"reverse": 1, "ignore": 1})
		// A late version, which changes no charge item, twice: only the
		// second's artifact is stale.
		late := procedure("p1", 2, "completed", "03000", 5)
		fifth, sixth := planned(late), planned(late)
		commit(fifth, map[string]int{"ignore": 1})
		commit(sixth, map[string]int{"ignore": 1})

		ci, _ := chargeItem(t, s, "Procedure/p1")
		if ci.Version != 4 || ci.Active || ci.Revision != 3 || ci.Amount.Minor() != 4500 {
			t.Fatalf("p1 = %+v, want version 4, reversed, revision 3, 45.00", ci)
		}
		var adjs int
		err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
			docs, _, err := tx.Documents().List(ctx, ports.DocumentQuery{Tenant: "acme", Kind: app.KindAdjustment})
			adjs = len(docs)
			return err
		})
		// p1: reversal+replacement twice, then a reversal.
		if err != nil || adjs != 5 {
			t.Fatalf("%d adjustments (%v), want 5", adjs, err)
		}
		if _, _, err := app.VerifyTenant(ctx, s, "acme"); err != nil {
			t.Fatal(err)
		}
	})
}

// Batches decided on the same state and committed two at a time (as a
// consumer with Commits 2 does) end as if applied one after the other: the
// loser of each race decides again in its own transaction.
func TestCapture_overlappingCommitsEndAsIfSerial(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		ctx := context.Background()
		c := newCapturer(s)
		const n = 20
		batches := make([]*app.Planned, n)
		for k := range n {
			codes := []string{"03000", "03001"}
			p := c.Plan([]app.Envelope{
				env(procedure("shared", k+1, "completed", codes[k%2], 1)),
				env(procedure(fmt.Sprintf("own-%d", k), 1, "completed", "03000", 1)),
			})
			p.Predecide(ctx, now) // every batch decided on the empty store
			batches[k] = p
		}
		for k := 0; k < n; k += 2 {
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i := range 2 {
				wg.Go(func() { _, errs[i] = batches[k+i].Commit(ctx, now) })
			}
			wg.Wait()
			for _, err := range errs {
				if err != nil {
					t.Fatalf("batches %d and %d: %v", k, k+1, err)
				}
			}
		}
		ci, ok := chargeItem(t, s, "Procedure/shared")
		if !ok || ci.Version != n || !ci.Active || ci.Service != "03001" {
			t.Fatalf("shared = %+v, want version %d, active, service 03001", ci, n)
		}
		for k := range n {
			if _, ok := chargeItem(t, s, fmt.Sprintf("Procedure/own-%d", k)); !ok {
				t.Fatalf("own-%d was not created", k)
			}
		}
		if _, _, err := app.VerifyTenant(ctx, s, "acme"); err != nil {
			t.Fatal(err)
		}
	})
}

// Predecide looks up no charge item of a first version, until a batch
// meets one stored (a redelivery): that batch decides again at Commit, and
// the next batches look every item up until LookAllBatches of them in a
// row have found none stored.
func TestCapture_predecideAssumesFirstVersionsNewUntilOneIsStored(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		ctx := context.Background()
		cs := &lookupCounter{Store: s}
		c := newCapturer(cs)
		step := func(name string, wantLooked int64, want map[string]int, payloads ...[]byte) {
			t.Helper()
			var envs []app.Envelope
			for _, p := range payloads {
				envs = append(envs, env(p))
			}
			p := c.Plan(envs)
			cs.looked.Store(0)
			p.Predecide(ctx, now)
			if got := cs.looked.Load(); got != wantLooked {
				t.Fatalf("%s: Predecide looked up %d charge items, want %d", name, got, wantLooked)
			}
			outs, err := p.Commit(ctx, now)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			got := actions(outs)
			for a, n := range want {
				if got.Of(a) != n {
					t.Fatalf("%s: actions %v, want %v", name, got, want)
				}
			}
		}
		p1, p2 := procedure("p1", 1, "completed", "03000", 1), procedure("p2", 1, "completed", "03000", 1)
		step("new first versions", 0, map[string]int{"create": 2}, p1, p2)
		// Redelivered: assumed new, so the creates conflict and Commit decides again.
		step("redelivery", 0, map[string]int{"ignore": 2, "create": 1}, p1, p2, procedure("p3", 1, "completed", "03000", 1))
		for i := range app.LookAllBatches {
			step("after a redelivery", 1, map[string]int{"create": 1}, procedure(fmt.Sprintf("p4-%d", i), 1, "completed", "03000", 1))
		}
		// A later version is looked up; a first version beside it is not.
		step("later version", 1, map[string]int{"create": 1, "replace": 1},
			procedure("p5", 1, "completed", "03000", 1), procedure("p1", 2, "completed", "03001", 1))
		// A first and a later version of one source in one batch: looked up once.
		step("both versions", 1, map[string]int{"create": 1, "replace": 1},
			procedure("p6", 1, "completed", "03000", 1), procedure("p6", 2, "completed", "03001", 1))

		for _, key := range []string{"p1", "p2", "p3", "p4-0", "p5", "p6"} {
			if _, ok := chargeItem(t, s, "Procedure/"+key); !ok {
				t.Fatalf("%s has no charge item", key)
			}
		}
		if ci, _ := chargeItem(t, s, "Procedure/p1"); ci.Version != 2 || ci.Revision != 2 || ci.Service != "03001" {
			t.Fatalf("p1 = %+v, want version 2, revision 2, service 03001", ci)
		}
		if _, _, err := app.VerifyTenant(ctx, s, "acme"); err != nil {
			t.Fatal(err)
		}
	})
}

// actions adds up the actions of a batch's outcomes.
func actions(outs []app.Outcome) capture.Counts {
	var got capture.Counts
	for _, o := range outs {
		for a, n := range o.Actions {
			got[a] += n
		}
	}
	return got
}

// lookupCounter counts the ids its transactions' ChargeItems().GetMany
// are asked for.
type lookupCounter struct {
	ports.Store
	looked atomic.Int64
}

func (s *lookupCounter) View(ctx context.Context, fn func(context.Context, ports.Tx) error) error {
	return s.Store.View(ctx, func(ctx context.Context, tx ports.Tx) error { return fn(ctx, countingTx{tx, &s.looked}) })
}

func (s *lookupCounter) Update(ctx context.Context, fn func(context.Context, ports.Tx) error) error {
	return s.Store.Update(ctx, func(ctx context.Context, tx ports.Tx) error { return fn(ctx, countingTx{tx, &s.looked}) })
}

type countingTx struct {
	ports.Tx
	looked *atomic.Int64
}

func (t countingTx) ChargeItems() ports.ChargeItemRepo {
	return countingItems{t.Tx.ChargeItems(), t.looked}
}

type countingItems struct {
	ports.ChargeItemRepo
	looked *atomic.Int64
}

func (r countingItems) GetMany(ctx context.Context, tenant string, ids []string) ([]ports.Record, error) {
	r.looked.Add(int64(len(ids)))
	return r.ChargeItemRepo.GetMany(ctx, tenant, ids)
}
