package bench_test

import (
	"context"
	"fmt"
	"os"
	"slices"
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
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/rules"
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
	insert := rawInserter(b)
	b.ResetTimer()
	cpu := procTicks()
	insert(b.N)
	b.StopTimer()
	reportCPU(b, cpu, b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

// rawInserter creates the reference table in a new schema and returns the
// function that writes n new rows to it in transactions of 1000 rows.
func rawInserter(b *testing.B) func(n int) {
	url, schema := pgtest.Schema(b)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close(ctx) })
	tbl := pgx.Identifier{schema, "raw"}.Sanitize()
	if _, err := conn.Exec(ctx, `CREATE TABLE `+tbl+` (tenant text, id text, body jsonb, amount_minor bigint, PRIMARY KEY (tenant, id))`); err != nil {
		b.Fatal(err)
	}
	body := `{"service":"03000","quantity":"1","amount":{"amount":"15.99","currency":"EUR"}}`
	next := 0
	return func(n int) {
		// n counts rows (as the capture benchmark counts events).
		for lo := next; lo < next+n; lo += 1000 {
			k := min(1000, next+n-lo)
			args := make([]any, 0, 3*k)
			var q strings.Builder
			q.WriteString(`INSERT INTO ` + tbl + ` (tenant, id, body, amount_minor) VALUES `)
			for j := range k {
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
		next += n
	}
}

var benchNow = time.Date(2026, 3, 3, 12, 0, 0, 0, time.UTC)

// benchCapturer captures into s the way `revhub serve` does: each line is
// priced by app.Pricing from a price list imported into s, with a rule book
// whose materials surcharge applies to every line (the after-hours one does
// not: the events are at 10:30 local time), so every charge item carries its
// pricing trace.
func benchCapturer(b *testing.B, s ports.Store) *app.Capturer {
	pct, after := money.MustRate("2"), money.MustRate("25")
	rs, err := rules.Compile(rules.Config{Rounding: money.HalfUp, Rules: []rules.Rule{
		{ID: "after-hours", Version: "1", ValidFrom: day.MustParse("2025-01-01"), Priority: 50, ExclusiveGroup: "time",
			When: rules.Conditions{ServiceGroups: []string{"consultation"}, Hours: []rules.HourRange{{From: "20:00", To: "08:00"}}},
			Then: rules.Action{Kind: rules.Surcharge, Percent: &after, Reason: "after_hours"}},
		{ID: "materials", Version: "1", ValidFrom: day.MustParse("2025-01-01"), Priority: 10,
			Then: rules.Action{Kind: rules.Surcharge, Percent: &pct, Reason: "materials"}},
	}}, nil)
	if err != nil {
		b.Fatal(err)
	}
	cfg := app.PricingConfig{Precedence: pricing.StandardPrecedence, Rules: rs, Rounding: money.HalfUp,
		Location: time.FixedZone("CET", 3600), Groups: func(string) []string { return []string{"consultation"} }}
	p := &app.Pricing{Store: s, Clock: func() time.Time { return benchNow },
		Config: func(string, string) (app.PricingConfig, error) { return cfg, nil }}
	if _, err := p.Import(context.Background(), app.PriceListImport{Tenant: "acme", List: "ebm", Kind: pricing.National, Format: "csv",
		Source: "ebm.csv", Data: []byte("service;unit_price;valid_from\n03000;15,99;2025-01-01\n03001;22,50;2025-01-01\n"),
		Decimal: ',', Currency: money.EUR, Actor: "bench", Reason: "bench tariff"}, benchNow); err != nil {
		b.Fatal(err)
	}
	return &app.Capturer{
		Store: s,
		Rules: func(string, string) (capture.Rules, error) {
			return capture.Rules{Codes: []capture.CodeMap{{System: "urn:ebm"}}}, nil
		},
		Price:   p.PriceFunc(),
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
	b.Cleanup(func() {
		_ = bus.Close()
		if url != "" { // the external server keeps nothing of the run
			_ = natsbus.RemoveStream(context.Background(), url, cfg.Stream)
		}
	})
	return bus
}

func benchCapture(b *testing.B, s ports.Store, bus ports.Bus, live bool) {
	run, stop := captureRunner(b, s, bus, b.N, live)
	b.ResetTimer()
	cpu := procTicks()
	run()
	b.StopTimer()
	stop()
	reportCPU(b, cpu, b.N)
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// captureRunner readies n new FHIR events for capture from bus into s (in
// the stream already unless live). run captures them: it consumes (and, if
// live, publishes) until every event is committed. stop then stops the
// consumer and waits until it has.
func captureRunner(b *testing.B, s ports.Store, bus ports.Bus, n int, live bool) (run, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	c := benchCapturer(b, s)
	events, _ := synth.FHIRStream{Seed: uint64(n), Resources: n, MaxVersion: 1, Codes: []string{"03000", "03001"}}.Events()
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
	stopped := make(chan struct{})
	run = func() {
		go func() {
			defer close(stopped)
			_ = bus.(ports.BatchConsumer).ConsumeBatch(ctx, ports.ConsumerSpec{Name: "capture", Tenant: "acme", Topic: app.TopicFHIR,
				AckWait: time.Minute, Commits: 2}, 1000, 50*time.Millisecond, h)
		}()
		if live {
			publish()
		}
		for committed.Load() < int64(len(msgs)) {
			time.Sleep(5 * time.Millisecond)
		}
	}
	return run, func() { cancel(); <-stopped }
}

// BenchmarkCaptureRatio is issue #4's capture target as one figure that a
// noisy host moves less: five rounds, each a 1000-row raw insert of n rows
// then a capture of a backlog of n events into a new schema and stream, and
// the median of the five ratios (capture events/s over raw rows/s, each
// round's own), with the median of each rate. n is b.N but at least 20,000,
// so that a round outweighs its fixed costs (creating the consumer, taking
// its lease) whatever -benchtime says; use -benchtime 40000x for #4.
func BenchmarkCaptureRatio(b *testing.B) {
	url := os.Getenv("REVHUB_TEST_NATS_URL")
	if url == "" {
		b.Skip("SKIP: REVHUB_TEST_NATS_URL is not set")
	}
	n := max(b.N, 20_000)
	timed := func(f func()) float64 { // the timer runs only while rows or events are written
		t0 := time.Now()
		b.StartTimer()
		f()
		b.StopTimer()
		return float64(n) / time.Since(t0).Seconds()
	}
	b.StopTimer()
	var ratios, caps, raws []float64
	for range 5 {
		insert := rawInserter(b)
		raw := timed(func() { insert(n) })
		run, stop := captureRunner(b, stores.Postgres(b), openBus(b, url), n, false)
		capture := timed(run)
		stop() // before the next round's raw insert
		ratios, caps, raws = append(ratios, capture/raw), append(caps, capture), append(raws, raw)
	}
	b.ReportMetric(0, "ns/op") // per event of two kinds of work: meaningless
	b.ReportMetric(median(ratios), "ratio-median")
	b.ReportMetric(slices.Min(ratios), "ratio-min")
	b.ReportMetric(median(caps), "events/s-median")
	b.ReportMetric(median(raws), "rows/s-median")
}

func median(xs []float64) float64 {
	slices.Sort(xs)
	return xs[len(xs)/2]
}
