package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

func testRuns(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		if err := tx.Runs().Start(ctx, ports.Run{ID: "r1", Tenant: "acme", Kind: "remittance.import", StartedAt: t0}); err != nil {
			return err
		}
		replay := ports.Run{ID: "r2", Tenant: "acme", Kind: "replay", StartedAt: t0.Add(time.Hour), Parent: "r1"}
		if err := tx.Runs().Start(ctx, replay); err != nil {
			return err
		}
		wantKind(t, "run without a kind", tx.Runs().Start(ctx, ports.Run{ID: "r3", Tenant: "acme"}), ports.Invalid)
		return tx.Runs().Finish(ctx, "acme", "r1", ports.RunSucceeded, json.RawMessage(`{"claims": 3}`), t0.Add(time.Minute))
	})
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		wantKind(t, "finish twice", tx.Runs().Finish(ctx, "acme", "r1", ports.RunFailed, nil, t0), ports.Conflict)
		wantKind(t, "finish a missing run", tx.Runs().Finish(ctx, "acme", "zz", ports.RunFailed, nil, t0), ports.NotFound)
		return nil
	})
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		r, err := tx.Runs().Get(ctx, "acme", "r1")
		if err != nil {
			return err
		}
		if r.Status != ports.RunSucceeded || !r.FinishedAt.Equal(t0.Add(time.Minute)) || !r.StartedAt.Equal(t0) || !jsonEq(r.Summary, `{"claims":3}`) {
			return fmt.Errorf("got Get = %+v (summary %s)", r, r.Summary)
		}
		rs, _, err := tx.Runs().List(ctx, ports.RunQuery{Tenant: "acme", Parent: "r1"})
		if err != nil || len(rs) != 1 || rs[0].ID != "r2" || rs[0].Status != ports.RunRunning || !rs[0].FinishedAt.IsZero() {
			return fmt.Errorf("replays of r1 = %+v, %v", rs, err)
		}
		return nil
	})
}

func testDocuments(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	amt := money.MustNew(-250, "EUR")
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		d := keyed(doc("acme", "inv-1"), "DE-2026-1")
		d.Kind, d.Ref, d.Amount = "invoice", "enc-9", &amt
		v, err := tx.Documents().Put(ctx, d)
		if err != nil || v != 1 {
			return fmt.Errorf("create: %d, %v", v, err)
		}
		d.Version, d.Status, d.Body = 1, "issued", json.RawMessage(`{"n": 2}`)
		if v, err = tx.Documents().Put(ctx, d); err != nil || v != 2 {
			return fmt.Errorf("update: %d, %v", v, err)
		}
		d.Version = 1
		_, err = tx.Documents().Put(ctx, d)
		wantKind(t, "stale version", err, ports.Conflict)
		missing := doc("acme", "nope")
		missing.Version = 3
		_, err = tx.Documents().Put(ctx, missing)
		wantKind(t, "update a missing document", err, ports.NotFound)
		bad := doc("acme", "bad")
		bad.Body = json.RawMessage(`{`)
		_, err = tx.Documents().Put(ctx, bad)
		wantKind(t, "invalid JSON", err, ports.Invalid)
		batch := []ports.Document{doc("acme", "c1"), doc("acme", "c2"), keyed(doc("acme", "c3"), "k3")}
		batch[1].Status = "billed"
		return tx.Documents().PutBatch(ctx, batch)
	})
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		d, err := tx.Documents().ByKey(ctx, "acme", "invoice", "DE-2026-1")
		if err != nil {
			return err
		}
		if d.ID != "inv-1" || d.Version != 2 || d.Status != "issued" || d.Ref != "enc-9" || d.Amount == nil ||
			d.Amount.Minor() != -250 || d.Amount.Currency() != "EUR" || !jsonEq(d.Body, `{"n":2}`) {
			return fmt.Errorf("ByKey = %+v", d)
		}
		_, err = tx.Documents().ByKey(ctx, "acme", "charge_item", "DE-2026-1")
		wantKind(t, "key of another kind", err, ports.NotFound)
		ds, _, err := tx.Documents().List(ctx, ports.DocumentQuery{Tenant: "acme", Kind: "charge_item", Status: "billed"})
		if err != nil || len(ds) != 1 || ds[0].ID != "c2" || ds[0].Version != 1 {
			return fmt.Errorf("List(status billed) = %+v, %v", ds, err)
		}
		ds, _, err = tx.Documents().List(ctx, ports.DocumentQuery{Tenant: "acme", Kind: "invoice", Ref: "enc-9"})
		if err != nil || len(ds) != 1 {
			return fmt.Errorf("List(ref) = %+v, %v", ds, err)
		}
		return nil
	})
}

func testSyncStatus(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	const gl = "gl_export/sap_idoc"
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		for i, cur := range []money.Currency{"EUR", "EUR", "USD", "EUR", "EUR"} {
			it := item("acme", fmt.Sprintf("o%d", i))
			amt := money.MustNew(int64(100*(i+1)), cur)
			it.Amount = &amt
			if err := tx.Outbox().Enqueue(ctx, it); err != nil {
				return err
			}
		}
		noAmount := item("acme", "plain")
		noAmount.Amount, noAmount.CreatedAt = nil, t0.Add(time.Minute)
		if err := tx.Outbox().Enqueue(ctx, noAmount); err != nil {
			return err
		}
		rcv := money.MustNew(5000, "EUR")
		for _, a := range []*money.Amount{&rcv, &rcv, nil} {
			if err := tx.Sync().Received(ctx, "acme", "org-1", "remittance/x12_835", a, t0); err != nil {
				return err
			}
		}
		if err := tx.Sync().Note(ctx, "acme", "org-1", "remittance/x12_835", false, "sftp: connection refused", t0.Add(time.Hour)); err != nil {
			return err
		}
		return tx.Sync().SetBreaker(ctx, "acme", "org-1", gl, delivery.Open, t0.Add(30*time.Minute))
	})
	its := claim(t, s, ports.Claim{Worker: "w", Now: t0, Lease: time.Minute, Limit: 3})
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		outcomes := []ports.Attempt{
			{Worker: "w", State: delivery.Sent, At: t0.Add(time.Minute)},
			{Worker: "w", State: delivery.DeadLettered, Error: "SAP: posting period closed", At: t0.Add(2 * time.Minute)},
			{Worker: "w", State: delivery.Failed, Error: "timeout", Next: t0.Add(time.Hour), At: t0.Add(time.Minute)},
		}
		for i, it := range its {
			if err := tx.Outbox().Record(ctx, "acme", it.ID, outcomes[i]); err != nil {
				return err
			}
		}
		return nil
	})
	var st []ports.SyncStatus
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		var err error
		st, err = tx.Sync().Status(ctx, ports.SyncQuery{Tenant: "acme"}, t0.Add(10*time.Minute))
		return err
	})
	if len(st) != 2 || st[0].Binding != gl || st[1].Binding != "remittance/x12_835" {
		t.Fatalf("Status = %+v", st)
	}
	g, r := st[0], st[1]
	for _, tc := range []struct {
		name string
		got  ports.Tally
		want string
	}{
		{"sent", g.Sent, "1 [1.00 EUR]"},
		{"dead-lettered", g.DeadLettered, "1 [2.00 EUR]"},
		{"failed", g.Failed, "1 [3.00 USD]"},
		{"queued", g.Queued, "3 [9.00 EUR]"},
		{"received", r.Received, "3 [100.00 EUR]"},
	} {
		if got := fmt.Sprintf("%d %v", tc.got.Count, tc.got.Amounts); got != tc.want {
			t.Errorf("%s: %s, want %s", tc.name, got, tc.want)
		}
	}
	if !g.LastSuccess.Equal(t0.Add(time.Minute)) || g.LastError != "SAP: posting period closed" || !g.LastErrorAt.Equal(t0.Add(2*time.Minute)) {
		t.Errorf("gl last success %v, last error %q at %v", g.LastSuccess, g.LastError, g.LastErrorAt)
	}
	if g.OldestQueued != 10*time.Minute || g.Breaker != delivery.Open || !g.BreakerSince.Equal(t0.Add(30*time.Minute)) {
		t.Errorf("gl oldest queued %v, breaker %s since %v", g.OldestQueued, g.Breaker, g.BreakerSince)
	}
	if r.Breaker != delivery.Closed || r.LastError != "sftp: connection refused" || r.Queued.Count != 0 {
		t.Errorf("remittance status %+v", r)
	}
}

func jsonEq(got json.RawMessage, want string) bool {
	var a, b any
	return json.Unmarshal(got, &a) == nil && json.Unmarshal([]byte(want), &b) == nil && fmt.Sprint(a) == fmt.Sprint(b)
}
