package storetest

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/ports"
)

// testUniqueConflicts checks that duplicates come back as Kind Conflict and
// that the single-row methods leave the transaction usable.
func testUniqueConflicts(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	first := audit.Next("acme", nil, audit.Draft{Actor: "u1", Action: "test"}, t0)
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		if err := tx.Outbox().Enqueue(ctx, item("acme", "o1")); err != nil {
			return err
		}
		if _, err := tx.Documents().Put(ctx, keyed(doc("acme", "d1"), "K-1")); err != nil {
			return err
		}
		if err := tx.Runs().Start(ctx, ports.Run{ID: "r1", Tenant: "acme", Kind: "billing"}); err != nil {
			return err
		}
		if err := tx.Artifacts().Put(ctx, artifact("acme", "a1", "", ports.Unresolved, t0)); err != nil {
			return err
		}
		return tx.Audit().Insert(ctx, first)
	})
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		dupKey := item("acme", "o2")
		dupKey.IdempotencyKey = "idem-o1"
		wantKind(t, "outbox: same idempotency key", tx.Outbox().Enqueue(ctx, dupKey), ports.Conflict)
		wantKind(t, "outbox: same id", tx.Outbox().Enqueue(ctx, item("acme", "o1")), ports.Conflict)
		_, err := tx.Documents().Put(ctx, keyed(doc("acme", "d2"), "K-1"))
		wantKind(t, "documents: same natural key", err, ports.Conflict)
		_, err = tx.Documents().Put(ctx, doc("acme", "d1"))
		wantKind(t, "documents: same id", err, ports.Conflict)
		wantKind(t, "runs: same id", tx.Runs().Start(ctx, ports.Run{ID: "r1", Tenant: "acme", Kind: "billing"}), ports.Conflict)
		wantKind(t, "artifacts: same id", tx.Artifacts().Put(ctx, artifact("acme", "a1", "", ports.Unresolved, t0)), ports.Conflict)
		wantKind(t, "audit: same seq", tx.Audit().Insert(ctx, first), ports.Conflict)
		// The transaction is still usable after the conflicts.
		return tx.Outbox().Enqueue(ctx, item("acme", "o3"))
	})
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		_, err := tx.Outbox().Get(ctx, "acme", "o3")
		return err
	})
}

func keyed(d ports.Document, key string) ports.Document { d.Key = key; return d }

func testIdempotency(t *testing.T, f Features, newStore Constructor) {
	s := newStore(t)
	claim := func(key string) (bool, []byte) {
		var first bool
		var stored []byte
		update(t, s, func(ctx context.Context, tx ports.Tx) error {
			var err error
			first, stored, err = tx.Idempotency().Claim(ctx, "acme", "api.post", key)
			return err
		})
		return first, stored
	}
	// An aborted transaction frees the key.
	err := s.Update(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		if _, _, err := tx.Idempotency().Claim(ctx, "acme", "api.post", "k1"); err != nil {
			return err
		}
		return errAbort
	})
	if err == nil {
		t.Fatal("aborted Update returned nil")
	}
	if first, _ := claim("k1"); !first {
		t.Fatal("key claimed in an aborted transaction stayed claimed")
	}
	if first, stored := claim("k1"); first || stored != nil {
		t.Fatalf("second claim: first=%v stored=%q, want false and nil (not completed)", first, stored)
	}
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		return tx.Idempotency().Complete(ctx, "acme", "api.post", "k1", []byte(`{"id":"inv-1"}`))
	})
	if first, stored := claim("k1"); first || string(stored) != `{"id":"inv-1"}` {
		t.Fatalf("after Complete: first=%v stored=%q", first, stored)
	}
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		wantKind(t, "Complete of an unclaimed key", tx.Idempotency().Complete(ctx, "acme", "api.post", "nope", nil), ports.NotFound)
		first, _, err := tx.Idempotency().Claim(ctx, "acme", "other.scope", "k1")
		if err == nil && !first {
			t.Error("scopes must be independent")
		}
		return err
	})
	// Concurrent first claims of one key: exactly one wins.
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range f.writers() {
		wg.Go(func() {
			err := retry(context.Background(), s, func(ctx context.Context, tx ports.Tx) error {
				first, _, err := tx.Idempotency().Claim(ctx, "acme", "api.post", "race")
				if err == nil && first {
					mu.Lock()
					wins++
					mu.Unlock()
				}
				return err
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if wins != 1 {
		t.Fatalf("%d concurrent claims of one key won, want exactly 1", wins)
	}
}

// testNumberingGapless has writers draw numbers concurrently, a third of
// them aborting afterwards: the committed numbers must be exactly 1..n.
func testNumberingGapless(t *testing.T, f Features, newStore Constructor) {
	s := newStore(t)
	const perWriter = 12
	var mu sync.Mutex
	var got []int64
	var wg sync.WaitGroup
	for g := range f.writers() {
		wg.Go(func() {
			for i := range perWriter {
				var n int64
				err := retry(context.Background(), s, func(ctx context.Context, tx ports.Tx) error {
					var err error
					n, err = tx.Numbering().Next(ctx, "acme", "INV", "2026")
					if err == nil && (g+i)%3 == 0 {
						return errAbort
					}
					return err
				})
				switch {
				case err == nil:
					mu.Lock()
					got = append(got, n)
					mu.Unlock()
				case err != errAbort:
					t.Errorf("writer %d: %v", g, err)
					return
				}
			}
		})
	}
	wg.Wait()
	sort.Slice(got, func(i, j int) bool { return got[i] < got[j] })
	for i, n := range got {
		if n != int64(i+1) {
			t.Fatalf("committed numbers are not 1..%d: position %d holds %d (gap or duplicate); all: %v", len(got), i, n, got)
		}
	}
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		last, err := tx.Numbering().Last(ctx, "acme", "INV", "2026")
		if err == nil && last != int64(len(got)) {
			err = fmt.Errorf("got Last = %d, want %d", last, len(got))
		}
		return err
	})
}

func testNumberingSeries(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		for _, tc := range []struct {
			name                   string
			tenant, series, period string
			want                   int64
		}{
			{"first of a series", "acme", "INV", "2026", 1},
			{"second of a series", "acme", "INV", "2026", 2},
			{"another period", "acme", "INV", "2027", 1},
			{"another series", "acme", "CN", "2026", 1},
			{"another tenant", "globex", "INV", "2026", 1},
			{"no period", "acme", "INV", "", 1},
			{"third of a series", "acme", "INV", "2026", 3},
		} {
			n, err := tx.Numbering().Next(ctx, tc.tenant, tc.series, tc.period)
			if err != nil {
				return fmt.Errorf("%s: %w", tc.name, err)
			}
			if n != tc.want {
				t.Errorf("%s: got %d, want %d", tc.name, n, tc.want)
			}
		}
		return nil
	})
}

// testPagination pages through listings while rows are added.
func testPagination(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		for i := range 25 {
			if err := tx.Outbox().Enqueue(ctx, item("acme", fmt.Sprintf("o%02d", i))); err != nil {
				return err
			}
			d := doc("acme", fmt.Sprintf("d%02d", i))
			if _, err := tx.Documents().Put(ctx, d); err != nil {
				return err
			}
			r := ports.Run{ID: fmt.Sprintf("r%02d", i), Tenant: "acme", Kind: "billing", StartedAt: t0.Add(time.Duration(i) * time.Second)}
			if err := tx.Runs().Start(ctx, r); err != nil {
				return err
			}
		}
		return nil
	})
	var seen []string
	var pages []int
	cur := ""
	for {
		var its []ports.OutboxItem
		var next string
		view(t, s, func(ctx context.Context, tx ports.Tx) error {
			var err error
			its, next, err = tx.Outbox().List(ctx, ports.OutboxQuery{Tenant: "acme", Page: ports.Page{Cursor: cur, Limit: 10}})
			return err
		})
		pages = append(pages, len(its))
		for _, it := range its {
			seen = append(seen, it.ID)
		}
		if len(pages) == 1 { // rows added while paging show up at the end
			update(t, s, func(ctx context.Context, tx ports.Tx) error { return tx.Outbox().Enqueue(ctx, item("acme", "o99")) })
		}
		if next == "" {
			break
		}
		cur = next
	}
	if fmt.Sprint(pages) != "[10 10 6]" || seen[0] != "o00" || seen[24] != "o24" || seen[25] != "o99" {
		t.Fatalf("outbox pages %v, ids %v", pages, seen)
	}
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		_, _, err := tx.Outbox().List(ctx, ports.OutboxQuery{Tenant: "acme", Page: ports.Page{Cursor: "not a cursor"}})
		wantKind(t, "malformed cursor", err, ports.Invalid)
		runs, next, err := tx.Runs().List(ctx, ports.RunQuery{Tenant: "acme", Page: ports.Page{Limit: 20}})
		if err != nil {
			return err
		}
		if len(runs) != 20 || runs[0].ID != "r24" || next == "" {
			return fmt.Errorf("runs page 1: %d runs starting %s, next %q; want newest first", len(runs), runs[0].ID, next)
		}
		runs, next, err = tx.Runs().List(ctx, ports.RunQuery{Tenant: "acme", Page: ports.Page{Cursor: next, Limit: 20}})
		if err != nil {
			return err
		}
		if len(runs) != 5 || runs[4].ID != "r00" || next != "" {
			return fmt.Errorf("runs page 2: %d runs, next %q", len(runs), next)
		}
		ds, next, err := tx.Documents().List(ctx, ports.DocumentQuery{Tenant: "acme", Kind: "charge_item", Page: ports.Page{Limit: 25}})
		if err != nil {
			return err
		}
		if len(ds) != 25 || next != "" {
			return fmt.Errorf("documents: an exact last page gave %d rows and next %q, want 25 and \"\"", len(ds), next)
		}
		return nil
	})
}
