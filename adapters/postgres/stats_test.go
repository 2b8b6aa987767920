package postgres_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/adapters/postgres"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/pgtest"
)

// TestPutBatch_givesANeverAnalyzedDocumentsTableStatistics: without them
// the planner reads every document of a kind to find a few ids.
func TestPutBatch_givesANeverAnalyzedDocumentsTableStatistics(t *testing.T) {
	ctx := context.Background()
	url, schema := pgtest.Schema(t)
	s, err := postgres.New(postgres.Config{URLRef: "env:PG", Schema: schema}, testharness.Deps(t, "env:PG", url))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
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
