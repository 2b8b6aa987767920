package bench_test

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	natsbus "github.com/revhub/revhub/adapters/nats"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/capture"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/pgtest"
	"github.com/revhub/revhub/testharness/stores"
	"github.com/revhub/revhub/testharness/synth"
)

// BenchmarkCaptureEndToEnd measures how fast FHIR events in NATS become
// priced charge items committed in the store (exactly once), on embedded
// NATS + SQLite and on external NATS + PostgreSQL. Live: the timed run also
// publishes the events, on the same two cores, while they are captured.
// Backlog: the events are in the stream when the timer starts, as after a
// clinical system's burst or an outage, so only capture is timed.
func BenchmarkCaptureEndToEnd(b *testing.B) {
	b.Run("embedded", func(b *testing.B) { benchCapture(b, stores.Embedded(b), openBus(b, ""), true) })
	for _, live := range []bool{true, false} {
		name := map[bool]string{true: "external", false: "external-backlog"}[live]
		b.Run(name, func(b *testing.B) {
			url := os.Getenv("REVHUB_TEST_NATS_URL")
			if url == "" {
				b.Skip("SKIP: REVHUB_TEST_NATS_URL is not set")
			}
			benchCapture(b, stores.Postgres(b), openBus(b, url), live)
		})
	}
}

// BenchmarkRawInsert1000 is the reference: 1000-row INSERT … ON CONFLICT DO
// NOTHING transactions into a charge-item-shaped table of the same
// PostgreSQL. Run it in the same `go test` as BenchmarkCaptureEndToEnd.
func BenchmarkRawInsert1000(b *testing.B) {
	url, schema := pgtest.Schema(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	tbl := pgx.Identifier{schema, "raw"}.Sanitize()
	if _, err := conn.Exec(ctx, `CREATE TABLE `+tbl+` (tenant text, id text, body jsonb, amount_minor bigint, PRIMARY KEY (tenant, id))`); err != nil {
		b.Fatal(err)
	}
	body := `{"service":"03000","quantity":"1","amount":{"amount":"15.99","currency":"EUR"}}`
	b.ResetTimer()
	cpu := procTicks()
	// b.N counts rows (as the capture benchmark counts events), written in
	// transactions of 1000 rows.
	for lo := 0; lo < b.N; lo += 1000 {
		n := min(1000, b.N-lo)
		args := make([]any, 0, 3*n)
		var q strings.Builder
		q.WriteString(`INSERT INTO ` + tbl + ` (tenant, id, body, amount_minor) VALUES `)
		for j := range n {
			if j > 0 {
				q.WriteString(",")
			}
			fmt.Fprintf(&q, "('acme', $%d, $%d, $%d)", 3*j+1, 3*j+2, 3*j+3)
			args = append(args, strconv.Itoa(lo+j), body, 1599)
		}
		batch := &pgx.Batch{}
		batch.Queue(q.String()+` ON CONFLICT DO NOTHING`, args...)
		if err := conn.SendBatch(ctx, batch).Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportCPU(b, cpu, b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

var benchNow = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)

var benchPrices = map[string]string{"03000": "15.99", "03001": "22.50"}

func benchCapturer(s ports.Store) *app.Capturer {
	return &app.Capturer{
		Store: s,
		Rules: func(string, string) (capture.Rules, error) {
			return capture.Rules{Codes: []capture.CodeMap{{System: "urn:ebm"}}}, nil
		},
		Price: func(_, _ string, _ capture.Intent, l capture.Line) (app.Priced, error) {
			r := money.MustRate(benchPrices[l.Service])
			amt, err := r.Apply(l.Quantity, money.EUR, money.HalfUp)
			return app.Priced{Amount: amt, UnitPrice: r}, err
		},
		Posting: func(_, _ string) string { return "gl_export/csv_gl" },
	}
}

func openBus(b testing.TB, url string) ports.Bus {
	cfg := natsbus.Config{Stream: fmt.Sprintf("BENCH_%d", time.Now().UnixNano()), SubjectPrefix: fmt.Sprintf("bench%d", time.Now().UnixNano()),
		MaxAge: time.Hour, Replicas: 1, DuplicateWindow: 2 * time.Minute, Prefetch: 1024, LeaseTTL: 15 * time.Second}
	pairs := []string{}
	if url != "" {
		cfg.URLRef = "env:NATS"
		pairs = []string{"env:NATS", url}
	}
	bus, err := natsbus.New(cfg, testharness.Deps(b, pairs...))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = bus.Close() })
	return bus
}

func benchCapture(b *testing.B, s ports.Store, bus ports.Bus, live bool) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	c := benchCapturer(s)
	c.Rules = func(string, string) (capture.Rules, error) {
		return capture.Rules{Codes: []capture.CodeMap{{System: "urn:ebm"}}}, nil
	}
	events, _ := synth.FHIRStream{Seed: uint64(b.N), Resources: b.N, MaxVersion: 1, Codes: []string{"03000", "03001"}}.Events()
	var committed atomic.Int64
	inner := app.CaptureBatchHandler(c, func() time.Time { return benchNow })
	h := func(ctx context.Context, ds []ports.Delivery) ports.BatchCommit {
		commit := inner(ctx, ds)
		return func(ctx context.Context) []error {
			errs := commit(ctx)
			for _, err := range errs {
				if err != nil {
					return errs
				}
			}
			committed.Add(int64(len(ds)))
			return errs
		}
	}
	subj, _ := ports.Subject("acme", "berlin", app.TopicFHIR)
	msgs := make([]ports.Message, len(events))
	for i, e := range events {
		msgs[i] = ports.Message{Subject: subj, ID: fmt.Sprintf("%s/_history/%d", e.Key, e.Version), Data: e.Payload}
	}
	publish := func() {
		bp := bus.(ports.BatchPublisher)
		for lo := 0; lo < len(msgs); lo += 1000 {
			if _, err := bp.PublishBatch(ctx, msgs[lo:min(lo+1000, len(msgs))]); err != nil {
				b.Fatal(err)
			}
		}
	}
	if !live {
		publish()
	}
	b.ResetTimer()
	cpu := procTicks()
	go func() {
		_ = bus.(ports.BatchConsumer).ConsumeBatch(ctx, ports.ConsumerSpec{Name: "capture", Tenant: "acme", Topic: app.TopicFHIR,
			AckWait: time.Minute, Commits: 2}, 1000, 50*time.Millisecond, h)
	}()
	if live {
		publish()
	}
	for committed.Load() < int64(len(msgs)) {
		time.Sleep(5 * time.Millisecond)
	}
	b.StopTimer()
	reportCPU(b, cpu, len(msgs))
	b.ReportMetric(float64(len(msgs))/b.Elapsed().Seconds(), "events/s")
}
