package storetest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

func item(tenant, id string) ports.OutboxItem {
	amt := money.MustNew(12345, "EUR")
	return ports.OutboxItem{
		ID: id, Tenant: tenant, Org: "org-1", Binding: "gl_export/sap_idoc", Kind: "invoice.post",
		IdempotencyKey: "idem-" + id, Payload: []byte(`{"invoice":"` + id + `"}`), Amount: &amt, CreatedAt: t0,
	}
}

func claim(t *testing.T, s ports.Store, c ports.Claim) []ports.OutboxItem {
	t.Helper()
	var its []ports.OutboxItem
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		var err error
		its, err = tx.Outbox().Claim(ctx, c)
		return err
	})
	return its
}

// testOutboxConcurrentClaim lets several workers drain one queue at once:
// every item is claimed exactly once.
func testOutboxConcurrentClaim(t *testing.T, f Features, newStore Constructor) {
	s := newStore(t)
	const total = 60
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		for i := range total {
			if err := tx.Outbox().Enqueue(ctx, item("acme", fmt.Sprintf("o%03d", i))); err != nil {
				return err
			}
		}
		return nil
	})
	var mu sync.Mutex
	owner := map[string]string{}
	var wg sync.WaitGroup
	for w := range min(f.writers(), 4) {
		worker := fmt.Sprintf("worker-%d", w)
		wg.Go(func() {
			for {
				var its []ports.OutboxItem
				err := retry(context.Background(), s, func(ctx context.Context, tx ports.Tx) error {
					var err error
					its, err = tx.Outbox().Claim(ctx, ports.Claim{Worker: worker, Now: t0, Lease: time.Minute, Limit: 3})
					return err
				})
				if err != nil {
					t.Error(err)
					return
				}
				if len(its) == 0 {
					return
				}
				mu.Lock()
				for _, it := range its {
					if prev, dup := owner[it.ID]; dup {
						t.Errorf("item %s claimed by %s and %s", it.ID, prev, worker)
					}
					owner[it.ID] = worker
					if it.LeaseOwner != worker || !it.LeaseUntil.Equal(t0.Add(time.Minute)) {
						t.Errorf("claimed item %s has lease %s until %v", it.ID, it.LeaseOwner, it.LeaseUntil)
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(owner) != total {
		t.Fatalf("%d of %d items claimed", len(owner), total)
	}
}

func testOutboxLifecycle(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		a, b := item("acme", "a"), item("acme", "b")
		b.CreatedAt = t0.Add(time.Second)
		later := item("acme", "later")
		later.NextAttemptAt = t0.Add(time.Hour)
		other := item("acme", "other")
		other.Binding = "payout/nacha"
		for _, it := range []ports.OutboxItem{a, b, later, other} {
			if err := tx.Outbox().Enqueue(ctx, it); err != nil {
				return err
			}
		}
		return nil
	})
	got := claim(t, s, ports.Claim{Worker: "w1", Now: t0.Add(time.Second), Lease: time.Minute, Limit: 10, Binding: "gl_export/sap_idoc"})
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" {
		t.Fatalf("claim = %v, want a then b (due, oldest first, this binding only)", ids(got))
	}
	if got[0].Amount == nil || got[0].Amount.Minor() != 12345 || string(got[0].Payload) != `{"invoice":"a"}` || got[0].State != delivery.Pending {
		t.Fatalf("claimed item %+v", got[0])
	}
	if again := claim(t, s, ports.Claim{Worker: "w2", Now: t0.Add(30 * time.Second), Lease: time.Minute, Limit: 10, Binding: "gl_export/sap_idoc"}); len(again) != 0 {
		t.Fatalf("items under a live lease were claimed again: %v", ids(again))
	}
	// w1 stalls; after the lease w2 takes "a", and w1's late answer for it is refused.
	taken := claim(t, s, ports.Claim{Worker: "w2", Now: t0.Add(2 * time.Minute), Lease: time.Minute, Limit: 1, Binding: "gl_export/sap_idoc"})
	if len(taken) != 1 || taken[0].ID != "a" {
		t.Fatalf("after the lease: %v, want a", ids(taken))
	}
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		wantKind(t, "Record by a worker that lost the lease",
			tx.Outbox().Record(ctx, "acme", "a", ports.Attempt{Worker: "w1", State: delivery.Sent, At: t0}), ports.Conflict)
		wantKind(t, "Record of a missing item",
			tx.Outbox().Record(ctx, "acme", "zzz", ports.Attempt{Worker: "w1", State: delivery.Sent, At: t0}), ports.NotFound)
		if err := tx.Outbox().Record(ctx, "acme", "a", ports.Attempt{Worker: "w2", State: delivery.Failed,
			Error: "SAP: IDoc status 51", Next: t0.Add(10 * time.Minute), At: t0.Add(2 * time.Minute)}); err != nil {
			return err
		}
		return tx.Outbox().Record(ctx, "acme", "b", ports.Attempt{Worker: "w1", State: delivery.Sent, At: t0.Add(time.Minute)})
	})
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		a, err := tx.Outbox().Get(ctx, "acme", "a")
		if err != nil {
			return err
		}
		if a.State != delivery.Failed || a.Attempts != 1 || a.LastError != "SAP: IDoc status 51" || !a.NextAttemptAt.Equal(t0.Add(10*time.Minute)) || a.LeaseOwner != "" {
			return fmt.Errorf("after a failure: %+v", a)
		}
		b, err := tx.Outbox().Get(ctx, "acme", "b")
		if err != nil {
			return err
		}
		if b.State != delivery.Sent || b.Attempts != 1 || !b.SentAt.Equal(t0.Add(time.Minute)) {
			return fmt.Errorf("after sending: %+v", b)
		}
		return nil
	})
	if early := claim(t, s, ports.Claim{Worker: "w1", Now: t0.Add(5 * time.Minute), Lease: time.Minute, Limit: 10, Binding: "gl_export/sap_idoc"}); len(early) != 0 {
		t.Fatalf("claimed before the retry time: %v", ids(early))
	}
	retryIt := claim(t, s, ports.Claim{Worker: "w1", Now: t0.Add(10 * time.Minute), Lease: time.Minute, Limit: 10, Binding: "gl_export/sap_idoc"})
	if len(retryIt) != 1 || retryIt[0].ID != "a" || retryIt[0].Attempts != 1 {
		t.Fatalf("retry claim = %+v", retryIt)
	}
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		wantKind(t, "Replay of a failed item", tx.Outbox().Replay(ctx, "acme", "a", t0), ports.Conflict)
		return tx.Outbox().Record(ctx, "acme", "a", ports.Attempt{Worker: "w1", State: delivery.DeadLettered, Error: "rejected", At: t0.Add(10 * time.Minute)})
	})
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		dead, _, err := tx.Outbox().List(ctx, ports.OutboxQuery{Tenant: "acme", State: delivery.DeadLettered})
		if err != nil || len(dead) != 1 || dead[0].ID != "a" || dead[0].Attempts != 2 {
			return fmt.Errorf("dead letters = %+v, %v", dead, err)
		}
		return nil
	})
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		wantKind(t, "Replay of a missing item", tx.Outbox().Replay(ctx, "acme", "zzz", t0), ports.NotFound)
		return tx.Outbox().Replay(ctx, "acme", "a", t0.Add(20*time.Minute))
	})
	again := claim(t, s, ports.Claim{Worker: "w3", Now: t0.Add(20 * time.Minute), Lease: time.Minute, Limit: 10, Tenant: "acme", Binding: "gl_export/sap_idoc"})
	if len(again) != 1 || again[0].ID != "a" || again[0].State != delivery.Pending || again[0].LastError != "rejected" {
		t.Fatalf("after replay: %+v", again)
	}
}

// testOutboxGoneHolder: the items of a worker that died are claimed at once
// by a claim that names it gone; Holders lists the workers with live leases.
func testOutboxGoneHolder(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		for _, id := range []string{"a", "b", "c"} {
			if err := tx.Outbox().Enqueue(ctx, item("acme", id)); err != nil {
				return err
			}
		}
		return nil
	})
	holders := func(at time.Time, want ...string) {
		t.Helper()
		view(t, s, func(ctx context.Context, tx ports.Tx) error {
			got, err := tx.Outbox().Holders(ctx, at)
			if err != nil {
				return err
			}
			if fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Holders at %v = %q, want %q", at.Sub(t0), got, want)
			}
			return nil
		})
	}
	holders(t0)
	claim(t, s, ports.Claim{Worker: "host/1/dead", Now: t0, Lease: time.Minute, Limit: 2})
	claim(t, s, ports.Claim{Worker: "host/2/alive", Now: t0, Lease: time.Minute, Limit: 1})
	holders(t0.Add(time.Second), "host/1/dead", "host/2/alive")
	if got := claim(t, s, ports.Claim{Worker: "host/3/new", Now: t0.Add(time.Second), Lease: time.Minute, Limit: 10, Gone: []string{"host/9/other"}}); len(got) != 0 {
		t.Fatalf("claimed %v under live leases", ids(got))
	}
	got := claim(t, s, ports.Claim{Worker: "host/3/new", Now: t0.Add(time.Second), Lease: time.Minute, Limit: 10, Gone: []string{"host/1/dead"}})
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" || got[0].LeaseOwner != "host/3/new" {
		t.Fatalf("claim naming host/1/dead gone = %v, want a and b, its items only", ids(got))
	}
	holders(t0.Add(time.Second), "host/2/alive", "host/3/new")
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		wantKind(t, "Record by the gone worker", tx.Outbox().Record(ctx, "acme", "a", ports.Attempt{Worker: "host/1/dead", State: delivery.Sent, At: t0}), ports.Conflict)
		return tx.Outbox().Record(ctx, "acme", "a", ports.Attempt{Worker: "host/3/new", State: delivery.Sent, At: t0.Add(2 * time.Second)})
	})
	holders(t0.Add(2*time.Second), "host/2/alive", "host/3/new")
	holders(t0.Add(2 * time.Minute)) // every lease has run out
}

func testOutboxBatch(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	batch := make([]ports.OutboxItem, 250)
	for i := range batch {
		batch[i] = item("acme", fmt.Sprintf("b%03d", i))
		if i%2 == 0 {
			batch[i].Amount = nil
		}
	}
	update(t, s, func(ctx context.Context, tx ports.Tx) error { return tx.Outbox().EnqueueBatch(ctx, batch) })
	dup := []ports.OutboxItem{item("acme", "new"), item("acme", "b007")}
	err := s.Update(context.Background(), func(ctx context.Context, tx ports.Tx) error { return tx.Outbox().EnqueueBatch(ctx, dup) })
	wantKind(t, "batch with a duplicate", err, ports.Conflict)
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		its, _, err := tx.Outbox().List(ctx, ports.OutboxQuery{Tenant: "acme", Page: ports.Page{Limit: 1000}})
		if err != nil {
			return err
		}
		if len(its) != 250 {
			return fmt.Errorf("%d items after a good and a failed batch, want 250", len(its))
		}
		if its[0].Amount != nil || its[1].Amount == nil || its[7].State != delivery.Pending || !its[7].NextAttemptAt.Equal(t0) {
			return fmt.Errorf("batch items stored as %+v, %+v", its[0], its[7])
		}
		return nil
	})
}

func ids(its []ports.OutboxItem) []string {
	out := make([]string, len(its))
	for i, it := range its {
		out[i] = it.ID
	}
	return out
}
