package storetest

import (
	"context"
	"crypto/sha256"
	"fmt"
	"testing"
	"time"

	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/ports"
)

// testTenantIsolation writes tenant A's rows into every repository and
// checks that tenant B sees none of them.
func testTenantIsolation(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	const a, b = "tenant-a", "tenant-b"
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		if err := tx.Audit().Insert(ctx, audit.Next(a, nil, audit.Draft{Actor: "u", Action: "x"}, t0)); err != nil {
			return err
		}
		if err := tx.Tokens().Create(ctx, ports.Token{ID: "tok", Tenant: a, Role: ports.RoleAuditor, Hash: sha256.Sum256([]byte("a"))}); err != nil {
			return err
		}
		if err := tx.Outbox().Enqueue(ctx, item(a, "o1")); err != nil {
			return err
		}
		if _, err := tx.Numbering().Next(ctx, a, "INV", "2026"); err != nil {
			return err
		}
		if _, _, err := tx.Idempotency().Claim(ctx, a, "api", "k"); err != nil {
			return err
		}
		if err := tx.Artifacts().Put(ctx, artifact(a, "art", "", ports.Resolved, t0)); err != nil {
			return err
		}
		if err := tx.Runs().Start(ctx, ports.Run{ID: "run", Tenant: a, Kind: "billing"}); err != nil {
			return err
		}
		if err := tx.Sync().Note(ctx, a, "org-1", "gl", true, "", t0); err != nil {
			return err
		}
		_, err := tx.Documents().Put(ctx, keyed(doc(a, "doc"), "key"))
		return err
	})
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		check := func(what string, err error) {
			t.Helper()
			if !ports.Is(ports.NotFound, err) {
				t.Errorf("tenant B reads A's %s: %v", what, err)
			}
		}
		_, err := tx.Outbox().Get(ctx, b, "o1")
		check("outbox item", err)
		_, err = tx.Artifacts().Get(ctx, b, "art")
		check("artifact", err)
		_, err = tx.Runs().Get(ctx, b, "run")
		check("run", err)
		_, err = tx.Documents().Get(ctx, b, "charge_item", "doc")
		check("document", err)
		_, err = tx.Documents().ByKey(ctx, b, "charge_item", "key")
		check("document key", err)
		check("outbox replay", tx.Outbox().Replay(ctx, b, "o1", t0))
		check("outbox record", tx.Outbox().Record(ctx, b, "o1", ports.Attempt{Worker: "w", State: delivery.Sent, At: t0}))
		check("token revoke", tx.Tokens().Revoke(ctx, b, "tok", t0))
		check("artifact status", tx.Artifacts().SetStatus(ctx, b, "art", ports.Unresolved))
		check("run finish", tx.Runs().Finish(ctx, b, "run", ports.RunFailed, nil, t0))
		if n, err := tx.Artifacts().Prune(ctx, b, t0.Add(time.Hour)); err != nil || n != 0 {
			t.Errorf("tenant B pruned %d of A's artifacts (%v)", n, err)
		}
		var lists []int
		es, _ := tx.Audit().Scan(ctx, b, 0, 10)
		ts, _ := tx.Tokens().List(ctx, b)
		os, _, _ := tx.Outbox().List(ctx, ports.OutboxQuery{Tenant: b})
		cl, _ := tx.Outbox().Claim(ctx, ports.Claim{Worker: "w", Now: t0, Lease: time.Minute, Limit: 10, Tenant: b})
		rs, _, _ := tx.Runs().List(ctx, ports.RunQuery{Tenant: b})
		ds, _, _ := tx.Documents().List(ctx, ports.DocumentQuery{Tenant: b, Kind: "charge_item"})
		ss, _ := tx.Sync().Status(ctx, ports.SyncQuery{Tenant: b}, t0)
		lk, _ := tx.Artifacts().Links(ctx, b, "art")
		lists = append(lists, len(es), len(ts), len(os), len(cl), len(rs), len(ds), len(ss), len(lk))
		if fmt.Sprint(lists) != "[0 0 0 0 0 0 0 0]" {
			t.Errorf("tenant B lists A's rows: audit, tokens, outbox, claim, runs, documents, sync, links = %v", lists)
		}
		if last, err := tx.Audit().Last(ctx, b); err != nil || last != nil {
			t.Errorf("tenant B's audit Last = %v, %v", last, err)
		}
		if n, err := tx.Numbering().Next(ctx, b, "INV", "2026"); err != nil || n != 1 {
			t.Errorf("tenant B's first number = %d, %v; want 1", n, err)
		}
		if first, _, err := tx.Idempotency().Claim(ctx, b, "api", "k"); err != nil || !first {
			t.Errorf("tenant B's key was taken by A: %v, %v", first, err)
		}
		// Same ids and keys are free for B.
		if err := tx.Outbox().Enqueue(ctx, item(b, "o1")); err != nil {
			return err
		}
		_, err = tx.Documents().Put(ctx, keyed(doc(b, "doc"), "key"))
		return err
	})
}
