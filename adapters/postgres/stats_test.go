package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/adapters/postgres"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/pgtest"
)

// schemaStore opens a store on a fresh schema, and a connection of the
// test's own whose search path is that schema.
func schemaStore(t testing.TB) (*postgres.Store, *pgx.Conn, string) {
	ctx := context.Background()
	url, schema := pgtest.Schema(t)
	s, err := postgres.New(postgres.Config{URLRef: "env:PG", Schema: schema}, testharness.Deps(t, "env:PG", url))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	if _, err := conn.Exec(ctx, `SET search_path TO `+pgx.Identifier{schema}.Sanitize()); err != nil {
		t.Fatal(err)
	}
	return s, conn, schema
}

// TestPutBatch_givesANeverAnalyzedDocumentsTableStatistics: without them
// the planner reads every document of a kind to find a few ids.
func TestPutBatch_givesANeverAnalyzedDocumentsTableStatistics(t *testing.T) {
	ctx := context.Background()
	s, conn, schema := schemaStore(t)
	columns := func() (n int) {
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM pg_stats WHERE schemaname = $1 AND tablename = 'documents'`, schema).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := columns(); n != 0 {
		t.Fatalf("a new schema has statistics on %d columns of documents", n)
	}
	ds := make([]ports.Document, 50)
	for i := range ds {
		ds[i] = ports.Document{Kind: "charge_item", Tenant: "acme", ID: fmt.Sprintf("ci-%d", i), Org: "berlin",
			Status: "billable", Body: []byte(`{}`), UpdatedAt: time.Unix(0, 0)}
	}
	if err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error { return tx.Documents().PutBatch(ctx, ds) }); err != nil {
		t.Fatal(err)
	}
	if columns() == 0 {
		t.Fatal("documents still has no statistics after the first bulk write")
	}
}

// TestChargeItemsGetMany_probesEachIDOnANeverAnalyzedTable: capture's
// lookup of a batch's items must not read the tenant's whole table while
// the planner has no statistics (a new store's first bulk load).
func TestChargeItemsGetMany_probesEachIDOnANeverAnalyzedTable(t *testing.T) {
	ctx := context.Background()
	s, conn, _ := schemaStore(t)
	loadItems(t, s, 20_000)
	var analyzed bool
	if err := conn.QueryRow(ctx, `SELECT reltuples >= 0 FROM pg_class WHERE oid = 'charge_items'::regclass`).Scan(&analyzed); err != nil || analyzed {
		t.Fatalf("the table must not have statistics yet (analyzed %v, err %v)", analyzed, err)
	}
	ids := make([]string, 1000)
	for i := range ids {
		ids[i] = fmt.Sprintf("ci-new-%d", i)
	}
	plan := explain(t, conn, postgres.ChargeItemsGetManySQL, "acme", ids)
	if !strings.Contains(plan, "Index Scan using charge_items_pkey on charge_items") ||
		strings.Contains(plan, "Seq Scan") || strings.Contains(plan, "Bitmap Heap Scan") || strings.Contains(plan, "Hash Join") {
		t.Fatalf("GetMany does not probe the primary key per id:\n%.2000s", plan)
	}
}

// TestChargeItemsListRef_readsTheRefIndex: an encounter's items are found
// through the hash index on ref, whether or not the table has statistics.
func TestChargeItemsListRef_readsTheRefIndex(t *testing.T) {
	ctx := context.Background()
	s, conn, _ := schemaStore(t)
	loadItems(t, s, 20_000)
	for _, analyze := range []bool{false, true} {
		if analyze {
			if _, err := conn.Exec(ctx, `ANALYZE charge_items`); err != nil {
				t.Fatal(err)
			}
		}
		plan := explain(t, conn, postgres.ChargeItemsListRefSQL, "acme", "Encounter/e-7", "", 101)
		if !strings.Contains(plan, "charge_items_ref") || strings.Contains(plan, "Seq Scan") {
			t.Fatalf("ListRef (analyzed %v) does not read the ref index:\n%.2000s", analyze, plan)
		}
	}
	var got []ports.Record
	if err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		var err error
		got, _, err = tx.ChargeItems().ListRef(ctx, "acme", "Encounter/e-7", ports.Page{})
		return err
	}); err != nil || len(got) != 1 || got[0].Ref != "Encounter/e-7" {
		t.Fatalf("ListRef: %+v %v", got, err)
	}
}

// loadItems writes n charge items of about 1 KB, each under its own encounter.
func loadItems(t *testing.T, s *postgres.Store, n int) {
	t.Helper()
	recs := make([]ports.Record, n)
	for i := range recs {
		recs[i] = ports.Record{Tenant: "acme", ID: fmt.Sprintf("ci-%x", i*7919), Ref: fmt.Sprintf("Encounter/e-%d", i), Body: []byte(`{"padding":"` + strings.Repeat("x", 900) + `"}`)}
	}
	if err := s.Update(context.Background(), func(ctx context.Context, tx ports.Tx) error { return tx.ChargeItems().PutMany(ctx, recs) }); err != nil {
		t.Fatal(err)
	}
}

// explain returns the plan of query with args, without costs.
func explain(t *testing.T, conn *pgx.Conn, query string, args ...any) string {
	t.Helper()
	rows, err := conn.Query(context.Background(), `EXPLAIN (COSTS OFF) `+query, args...)
	if err != nil {
		t.Fatal(err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(lines, "\n")
}
