package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/revhub/revhub/ports"
)

func doc(tenant, id string) ports.Document {
	return ports.Document{Kind: "charge_item", Tenant: tenant, ID: id, Org: "org-1", Status: "open", Body: json.RawMessage(`{"n":1}`), UpdatedAt: t0}
}

func testUpdateCommits(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	if err := s.Ping(context.Background()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		_, err := tx.Documents().Put(ctx, doc("acme", "c1"))
		return err
	})
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		d, err := tx.Documents().Get(ctx, "acme", "charge_item", "c1")
		if err != nil {
			return err
		}
		if d.Version != 1 || !jsonEq(d.Body, `{"n":1}`) || !d.UpdatedAt.Equal(t0) {
			return fmt.Errorf("stored %+v", d)
		}
		return nil
	})
}

func testErrorRollsBack(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	err := s.Update(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		if _, err := tx.Documents().Put(ctx, doc("acme", "c1")); err != nil {
			return err
		}
		if err := tx.Outbox().Enqueue(ctx, item("acme", "o1")); err != nil {
			return err
		}
		if _, err := tx.Numbering().Next(ctx, "acme", "INV", "2026"); err != nil {
			return err
		}
		if err := tx.Runs().Start(ctx, ports.Run{ID: "r1", Tenant: "acme", Kind: "billing", StartedAt: t0}); err != nil {
			return err
		}
		return errAbort
	})
	if !errors.Is(err, errAbort) {
		t.Fatalf("Update returned %v, want fn's error", err)
	}
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		if _, err := tx.Documents().Get(ctx, "acme", "charge_item", "c1"); !ports.Is(ports.NotFound, err) {
			return fmt.Errorf("document survived the rollback: %v", err)
		}
		if _, err := tx.Outbox().Get(ctx, "acme", "o1"); !ports.Is(ports.NotFound, err) {
			return fmt.Errorf("outbox item survived the rollback: %v", err)
		}
		if _, err := tx.Runs().Get(ctx, "acme", "r1"); !ports.Is(ports.NotFound, err) {
			return fmt.Errorf("run survived the rollback: %v", err)
		}
		if n, err := tx.Numbering().Last(ctx, "acme", "INV", "2026"); err != nil || n != 0 {
			return fmt.Errorf("number survived the rollback: %d, %v", n, err)
		}
		return nil
	})
}

func testViewCannotWrite(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	err := s.View(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		_, err := tx.Documents().Put(ctx, doc("acme", "c1"))
		return err
	})
	if err == nil {
		t.Fatal("a write inside View succeeded")
	}
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		if _, err := tx.Documents().Get(ctx, "acme", "charge_item", "c1"); !ports.Is(ports.NotFound, err) {
			return fmt.Errorf("got View wrote a document: %v", err)
		}
		return nil
	})
}

// testConcurrentWriters has every goroutine insert its own documents and
// bump one shared document under optimistic locking; nothing may be lost.
func testConcurrentWriters(t *testing.T, f Features, newStore Constructor) {
	s := newStore(t)
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		_, err := tx.Documents().Put(ctx, doc("acme", "shared"))
		return err
	})
	const perWriter = 15
	w := f.writers()
	var wg sync.WaitGroup
	errs := make(chan error, w)
	for g := range w {
		wg.Go(func() {
			for i := range perWriter {
				err := retry(context.Background(), s, func(ctx context.Context, tx ports.Tx) error {
					if _, err := tx.Documents().Put(ctx, doc("acme", fmt.Sprintf("w%d-%d", g, i))); err != nil {
						return err
					}
					d, err := tx.Documents().Get(ctx, "acme", "charge_item", "shared")
					if err != nil {
						return err
					}
					_, err = tx.Documents().Put(ctx, d)
					return err
				})
				if err != nil {
					errs <- fmt.Errorf("writer %d update %d: %w", g, i, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		d, err := tx.Documents().Get(ctx, "acme", "charge_item", "shared")
		if err != nil {
			return err
		}
		if want := int64(1 + w*perWriter); d.Version != want {
			return fmt.Errorf("shared document at version %d, want %d: an update was lost", d.Version, want)
		}
		n := 0
		for page := (ports.Page{Limit: 1000}); ; {
			ds, next, err := tx.Documents().List(ctx, ports.DocumentQuery{Tenant: "acme", Kind: "charge_item", Page: page})
			if err != nil {
				return err
			}
			n += len(ds)
			if next == "" {
				break
			}
			page.Cursor = next
		}
		if want := 1 + w*perWriter; n != want {
			return fmt.Errorf("%d documents, want %d", n, want)
		}
		return nil
	})
}
