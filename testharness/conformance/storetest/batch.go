package storetest

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"testing"

	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

func testBatchMethods(t *testing.T, _ Features, newStore Constructor) {
	s := newStore(t)
	update(t, s, func(ctx context.Context, tx ports.Tx) error {
		vs, err := tx.Documents().PutMany(ctx, []ports.Document{doc("acme", "b-1"), doc("acme", "b-2"), doc("acme", "b-3")})
		if err != nil || len(vs) != 3 || vs[0] != 1 {
			return fmt.Errorf("PutMany create: %v %v", vs, err)
		}
		upd := doc("acme", "b-2")
		upd.Version, upd.Body = 1, json.RawMessage(`{"v":2}`)
		if vs, err = tx.Documents().PutMany(ctx, []ports.Document{upd, doc("acme", "b-4")}); err != nil || vs[0] != 2 || vs[1] != 1 {
			return fmt.Errorf("PutMany update+create: %v %v", vs, err)
		}
		got, err := tx.Documents().GetMany(ctx, "acme", doc("acme", "x").Kind, []string{"b-1", "b-2", "nope", "b-4", "b-2"}) // each found once
		if err != nil {
			return err
		}
		ids := make([]string, len(got))
		for i, d := range got {
			ids[i] = d.ID
		}
		sort.Strings(ids)
		if fmt.Sprint(ids) != "[b-1 b-2 b-4]" {
			return fmt.Errorf("GetMany: %v", ids)
		}
		if other, err := tx.Documents().GetMany(ctx, "globex", doc("acme", "x").Kind, []string{"b-1"}); err != nil || len(other) != 0 {
			return fmt.Errorf("GetMany crossed tenants: %v %v", other, err)
		}

		arts := []ports.Artifact{
			{ID: "a-1", Tenant: "acme", Direction: ports.Inbound, MediaType: "application/json", Body: []byte(`{}`), Source: "test"},
			{ID: "a-2", Tenant: "acme", Direction: ports.Inbound, MediaType: "application/json", Body: []byte(`[]`), Source: "test"},
		}
		if n, err := tx.Artifacts().PutMany(ctx, arts); err != nil || n != 2 {
			return fmt.Errorf("Artifacts.PutMany: %d %v", n, err)
		}
		if n, err := tx.Artifacts().PutMany(ctx, arts); err != nil || n != 0 {
			return fmt.Errorf("Artifacts.PutMany again must skip: %d %v", n, err)
		}
		a3 := ports.Artifact{ID: "a-3", Tenant: "acme", Direction: ports.Inbound, MediaType: "application/json", Body: []byte(`3`), Source: "test"}
		if n, err := tx.Artifacts().PutMany(ctx, []ports.Artifact{a3, arts[0], a3}); err != nil || n != 1 {
			return fmt.Errorf("Artifacts.PutMany with one new artifact twice: %d %v", n, err)
		}
		a4, a5 := a3, a3
		a4.ID, a5.ID = "a-4", "a-5"
		if news, err := tx.Artifacts().Missing(ctx, []ports.Artifact{a4, a3, a5, a4}); err != nil || len(news) != 2 || news[0].ID != "a-4" || news[1].ID != "a-5" {
			return fmt.Errorf("Artifacts.Missing: %v %v", news, err)
		}
		if err := tx.Artifacts().Create(ctx, []ports.Artifact{a4, a5}); err != nil {
			return err
		}
		if got, err := tx.Artifacts().Get(ctx, "acme", "a-5"); err != nil || string(got.Body) != "3" {
			return fmt.Errorf("Artifacts.Create stored %+v %v", got, err)
		}
		links := []ports.Link{{Artifact: "a-1", Ref: ports.Ref{Kind: "doc", ID: "b-1"}}, {Artifact: "a-1", Ref: ports.Ref{Kind: "doc", ID: "b-2"}}}
		if err := tx.Artifacts().LinkMany(ctx, "acme", append(links, links[0])); err != nil {
			return err
		}
		if refs, err := tx.Artifacts().Links(ctx, "acme", "a-1"); err != nil || len(refs) != 2 {
			return fmt.Errorf("links %v %v", refs, err)
		}

		var es []audit.Entry
		var prev *audit.Entry
		for i := range 3 {
			e := audit.Next("acme", prev, audit.Draft{Actor: "u", Action: fmt.Sprint("a", i)}, t0)
			es = append(es, e)
			prev = &es[len(es)-1]
		}
		if err := tx.Audit().InsertMany(ctx, es); err != nil {
			return err
		}
		if got, err := tx.Audit().Scan(ctx, "acme", 0, 10); err != nil || audit.Verify("acme", got) != nil || len(got) != 3 {
			return fmt.Errorf("InsertMany chain: %d %v", len(got), err)
		}

		total := money.MustNew(1234, money.EUR)
		if err := tx.Sync().ReceivedN(ctx, "acme", "org-1", "capture/fhir", 5, &total, t0); err != nil {
			return err
		}
		if err := tx.Sync().Received(ctx, "acme", "org-1", "capture/fhir", nil, t0); err != nil {
			return err
		}
		st, err := tx.Sync().Status(ctx, ports.SyncQuery{Tenant: "acme", Binding: "capture/fhir"}, t0)
		if err != nil || len(st) != 1 || st[0].Received.Count != 6 || st[0].Received.Amounts[0] != total {
			return fmt.Errorf("ReceivedN: %+v %v", st, err)
		}
		return nil
	})
	err := s.Update(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		_, err := tx.Documents().PutMany(ctx, []ports.Document{doc("acme", "b-9"), doc("acme", "b-1")})
		return err
	})
	wantKind(t, "PutMany with a duplicate", err, ports.Conflict)
	err = s.Update(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		return tx.Artifacts().Create(ctx, []ports.Artifact{
			{ID: "a-9", Tenant: "acme", Direction: ports.Inbound, MediaType: "application/json", Body: []byte(`9`), Source: "test"},
			{ID: "a-1", Tenant: "acme", Direction: ports.Inbound, MediaType: "application/json", Body: []byte(`{}`), Source: "test"}})
	})
	wantKind(t, "Artifacts.Create with an existing one", err, ports.Conflict)
	view(t, s, func(ctx context.Context, tx ports.Tx) error {
		if _, err := tx.Documents().Get(ctx, "acme", doc("acme", "x").Kind, "b-9"); !ports.Is(ports.NotFound, err) {
			return fmt.Errorf("a failed PutMany half-applied: %v", err)
		}
		if _, err := tx.Artifacts().Get(ctx, "acme", "a-9"); !ports.Is(ports.NotFound, err) {
			return fmt.Errorf("a failed Artifacts.Create half-applied: %v", err)
		}
		return nil
	})
}
