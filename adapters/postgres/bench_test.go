package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/pgtest"
)

// benchRows is the batch size of the raw insert benchmarks.
const benchRows = 1000

const claimsTable = `CREATE TABLE claims_bench (
	tenant text NOT NULL, id text NOT NULL, org text NOT NULL, patient_ref text NOT NULL,
	service_date date NOT NULL, code text NOT NULL, amount_minor bigint NOT NULL, currency char(3) NOT NULL,
	status text NOT NULL, body jsonb NOT NULL, PRIMARY KEY (tenant, id))`

var claimCols = []string{"tenant", "id", "org", "patient_ref", "service_date", "code", "amount_minor", "currency", "status", "body"}

func benchPool(b *testing.B) *pgxpool.Pool {
	url, schema := pgtest.Schema(b)
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		b.Fatal(err)
	}
	pc.ConnConfig.RuntimeParams["search_path"] = schema
	pool, err := pgxpool.NewWithConfig(context.Background(), pc)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	if _, err := pool.Exec(context.Background(), claimsTable); err != nil {
		b.Fatal(err)
	}
	return pool
}

func claimRows(batch int) [][]any {
	day := time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC)
	rows := make([][]any, benchRows)
	for i := range rows {
		rows[i] = []any{"acme", fmt.Sprintf("c%d-%d", batch, i), "org-1", fmt.Sprintf("p%d", i%977), day, "99213",
			int64(12550 + i), "EUR", "received", `{"lines":1}`}
	}
	return rows
}

// BenchmarkRawInsert is the reference rate of this PostgreSQL: 1000-row
// batches of claims-like rows, by multi-row INSERT … ON CONFLICT DO NOTHING
// and by COPY, each batch in its own transaction.
func BenchmarkRawInsert(b *testing.B) {
	pgtest.URL(b)
	var sql strings.Builder
	sql.WriteString(`INSERT INTO claims_bench (` + strings.Join(claimCols, ", ") + `) VALUES `)
	for i := range benchRows {
		if i > 0 {
			sql.WriteString(", ")
		}
		fmt.Fprintf(&sql, "($%d", i*len(claimCols)+1)
		for c := 2; c <= len(claimCols); c++ {
			fmt.Fprintf(&sql, ", $%d", i*len(claimCols)+c)
		}
		sql.WriteString(")")
	}
	sql.WriteString(" ON CONFLICT DO NOTHING")
	insert := sql.String()
	for _, tc := range []struct {
		name  string
		write func(ctx context.Context, tx pgx.Tx, rows [][]any) error
	}{
		{"insert_on_conflict", func(ctx context.Context, tx pgx.Tx, rows [][]any) error {
			args := make([]any, 0, benchRows*len(claimCols))
			for _, r := range rows {
				args = append(args, r...)
			}
			_, err := tx.Exec(ctx, insert, args...)
			return err
		}},
		{"copy", func(ctx context.Context, tx pgx.Tx, rows [][]any) error {
			_, err := tx.CopyFrom(ctx, pgx.Identifier{"claims_bench"}, claimCols, pgx.CopyFromRows(rows))
			return err
		}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			pool := benchPool(b)
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				b.StopTimer()
				rows := claimRows(i)
				b.StartTimer()
				if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error { return tc.write(ctx, tx, rows) }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*benchRows)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkOutboxEnqueueBatch measures the store port's bulk path (COPY)
// for comparison with BenchmarkRawInsert.
func BenchmarkOutboxEnqueueBatch(b *testing.B) {
	s := newStore(b)
	ctx := context.Background()
	amt := money.MustNew(12550, "EUR")
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		b.StopTimer()
		its := make([]ports.OutboxItem, benchRows)
		for j := range its {
			id := fmt.Sprintf("o%d-%d", i, j)
			its[j] = ports.OutboxItem{ID: id, Tenant: "acme", Org: "org-1", Binding: "gl_export/sap_idoc", Kind: "invoice.post",
				IdempotencyKey: id, Payload: []byte(`{"lines":1}`), Amount: &amt}
		}
		b.StartTimer()
		if err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error { return tx.Outbox().EnqueueBatch(ctx, its) }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*benchRows)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkChargeItemsPutMany creates charge items the way capture does,
// 1000 new ones of 460 bytes per transaction, and reports the test
// process's CPU per item (encoding and sending them) beside the rate.
func BenchmarkChargeItemsPutMany(b *testing.B) {
	s, _, _ := schemaStore(b)
	body := []byte(`{"id":"ci-x","padding":"` + strings.Repeat("x", 420) + `"}`)
	batch := make([]ports.Record, benchRows)
	var cpu time.Duration
	for n := 0; b.Loop(); n++ {
		for i := range batch {
			batch[i] = ports.Record{Tenant: "acme", ID: fmt.Sprintf("ci-%08x%016x", n, uint64(i)*0x9e3779b97f4a7c15), Ref: fmt.Sprintf("Encounter/e-%d-%d", n, i/3), Body: body}
		}
		before := processCPU(b)
		if err := s.Update(context.Background(), func(ctx context.Context, tx ports.Tx) error { return tx.ChargeItems().PutMany(ctx, batch) }); err != nil {
			b.Fatal(err)
		}
		cpu += processCPU(b) - before
	}
	b.ReportMetric(float64(b.N*benchRows)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(cpu.Seconds()*1e6/float64(b.N*benchRows), "client-cpu-µs/row")
}

// processCPU is the CPU time (user and system) this process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
