package postgres_test

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/adapters/postgres"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/storetest"
	"github.com/revhub/revhub/testharness/pgtest"
)

// benchClaims is the number of approved claims (REVHUB_BENCH_CLAIMS, default 1,000,000).
func benchClaims() int {
	if n, err := strconv.Atoi(os.Getenv("REVHUB_BENCH_CLAIMS")); err == nil && n > 0 {
		return n
	}
	return 1_000_000
}

// BenchmarkSettlementRun measures a settlement run over N approved claims
// (one UPDATE … RETURNING reservation streamed into the run builder, one
// remittance per provider, the run record and audit) next to its reference
// measured in the same iteration: COPYing the same claim rows (claims and
// claim_bodies) into the same PostgreSQL. Metrics: copy-claims/s,
// run-claims/s and run/copy (target ≥ 0.5).
func BenchmarkSettlementRun(b *testing.B) {
	n := benchClaims()
	ctx := context.Background()
	var copyDur, runDur time.Duration
	for range b.N {
		b.StopTimer()
		url, schema := pgtest.Schema(b)
		store, conn := benchClaimStore(b, url, schema)
		rows, bodies := benchClaimRows(b, n)
		t0 := time.Now()
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"claims"}, benchClaimCols, pgx.CopyFromRows(rows)); err != nil {
			b.Fatal(err)
		}
		if _, err := conn.CopyFrom(ctx, pgx.Identifier{"claim_bodies"}, []string{"tenant", "id", "version", "body"}, pgx.CopyFromRows(bodies)); err != nil {
			b.Fatal(err)
		}
		copyDur += time.Since(t0)
		if _, err := conn.Exec(ctx, "ANALYZE claims"); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		t1 := time.Now()
		res, err := app.RunSettlement(ctx, store, app.SettlementRequest{Tenant: "acme", Actor: "bench", Run: settlement.RunConfig{
			RunID: "bench", Payer: "Acme Health", Currency: money.USD, Fees: settlement.Fees{Percent: money.MustRate("0.5"), Rounding: money.HalfUp}}},
			time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
		runDur += time.Since(t1)
		b.StopTimer()
		if err != nil || res.Paid != n {
			b.Fatalf("run paid %d of %d: %v", res.Paid, n, err)
		}
		conn.Close(ctx)
	}
	copyRate := float64(n*b.N) / copyDur.Seconds()
	runRate := float64(n*b.N) / runDur.Seconds()
	b.ReportMetric(copyRate, "copy-claims/s")
	b.ReportMetric(runRate, "run-claims/s")
	b.ReportMetric(runRate/copyRate, "run/copy")
	b.ReportMetric(float64(n), "claims")
}

var benchClaimCols = []string{"tenant", "id", "version", "current", "status", "problems", "lob", "npi", "tin", "payee_ref",
	"member", "encounter", "received", "service_from", "approved_minor", "currency", "arrived_at", "sha256"}

func benchClaimStore(b *testing.B, url, schema string) (ports.Store, *pgx.Conn) {
	s, err := postgres.New(postgres.Config{URLRef: "env:PG", Schema: schema, MaxConns: 4}, testharness.Deps(b, "env:PG", url))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		b.Fatal(err)
	}
	cfg.RuntimeParams["search_path"] = schema
	conn, err := pgx.ConnectConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	return s, conn
}

// benchClaimRows builds n approved claims over 2,000 providers as the rows
// Intake stages: claim columns and bodies.
func benchClaimRows(b *testing.B, n int) (rows, bodies [][]any) {
	rows, bodies = make([][]any, n), make([][]any, n)
	at := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		r, err := postgres.ClaimRow(ports.ClaimRecord{Tenant: "acme", Claim: storetest.SynthClaim(i, 1, settlement.ClaimApproved, 2000), ArrivedAt: at}, at)
		if err != nil {
			b.Fatal(err)
		}
		rows[i], bodies[i] = r[:18], []any{r[0], r[1], r[2], r[18]}
	}
	return rows, bodies
}
