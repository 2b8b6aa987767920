package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/ports"
)

func testAudit(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	for i := range 5 {
		update(t, s, func(ctx context.Context, tx ports.Tx) error {
			prev, err := tx.Audit().Last(ctx, "acme")
			if err != nil {
				return err
			}
			d := audit.Draft{Actor: "u1", Action: "invoice.issue", Subject: fmt.Sprintf("invoice/%d", i), Reason: "test"}
			if i%2 == 0 {
				d.After = json.RawMessage(fmt.Sprintf(`{"n": %d}`, i))
			}
			return tx.Audit().Insert(ctx, audit.Next("acme", prev, d, t0.Add(time.Duration(i)*time.Second)))
		})
	}
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		if e, err := tx.Audit().Last(ctx, "nobody"); err != nil || e != nil {
			return fmt.Errorf("got Last of an empty chain = %v, %v; want nil, nil", e, err)
		}
		page, err := tx.Audit().Scan(ctx, "acme", 2, 2)
		if err != nil {
			return err
		}
		if len(page) != 2 || page[0].Seq != 3 || page[1].Seq != 4 {
			return fmt.Errorf("Scan(after 2, limit 2) = %d entries starting %v", len(page), page)
		}
		all, err := tx.Audit().Scan(ctx, "acme", 0, 100)
		if err != nil {
			return err
		}
		if err := audit.Verify("acme", all); err != nil {
			return fmt.Errorf("stored chain does not verify: %w", err)
		}
		if !all[4].Time.Equal(t0.Add(4 * time.Second)) {
			return fmt.Errorf("time %v, want %v", all[4].Time, t0.Add(4*time.Second))
		}
		tenants, err := tx.Audit().Tenants(ctx)
		if err != nil || fmt.Sprint(tenants) != "[acme]" {
			return fmt.Errorf("got Tenants = %v, %v", tenants, err)
		}
		return nil
	})
}

func testTokens(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	tok := ports.Token{ID: "t1", Tenant: "acme", Name: "ci", Role: ports.RoleIntegration, Hash: sha256.Sum256([]byte("secret")), CreatedAt: t0}
	prov := ports.Token{ID: "t3", Tenant: "globex", Name: "portal", Role: ports.RoleProvider, Provider: "1234567893", Hash: sha256.Sum256([]byte("p")), CreatedAt: t0}
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		if err := tx.Tokens().Create(ctx, tok); err != nil {
			return err
		}
		other := tok
		other.ID = "t2"
		wantKind(t, "same hash", tx.Tokens().Create(ctx, other), ports.Conflict)
		return tx.Tokens().Create(ctx, prov)
	})
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		got, err := tx.Tokens().ByHash(ctx, tok.Hash)
		if err != nil {
			return err
		}
		if got.ID != "t1" || got.Role != ports.RoleIntegration || !got.CreatedAt.Equal(t0) || got.RevokedAt != nil {
			return fmt.Errorf("ByHash = %+v", got)
		}
		if got, err := tx.Tokens().ByHash(ctx, prov.Hash); err != nil || got.Provider != prov.Provider || got.Role != ports.RoleProvider {
			return fmt.Errorf("provider token ByHash = %+v, %v", got, err)
		}
		_, err = tx.Tokens().ByHash(ctx, sha256.Sum256([]byte("wrong")))
		wantKind(t, "unknown hash", err, ports.NotFound)
		return nil
	})
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		wantKind(t, "revoke another tenant's token", tx.Tokens().Revoke(ctx, "globex", "t1", t0), ports.NotFound)
		return tx.Tokens().Revoke(ctx, "acme", "t1", t0.Add(time.Hour))
	})
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		ts, err := tx.Tokens().List(ctx, "acme")
		if err != nil {
			return err
		}
		if len(ts) != 1 || ts[0].RevokedAt == nil || !ts[0].RevokedAt.Equal(t0.Add(time.Hour)) {
			return fmt.Errorf("got List after Revoke = %+v", ts)
		}
		return nil
	})
}
