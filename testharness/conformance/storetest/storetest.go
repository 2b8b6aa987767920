// Package storetest is the conformance suite every ports.Store adapter
// runs, in the manner of watermill's shared pub/sub tests: transactions,
// unique constraints, concurrent writers, gapless numbering, pagination,
// the outbox lease, artifact retention and tenant isolation.
package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/revhub/revhub/ports"
)

// Features declares what a store promises beyond the method set. Tests of
// undeclared features are skipped, not failed.
type Features struct {
	// ParallelWriters: Update transactions of different goroutines run at
	// the same time (row locks), rather than one after another.
	ParallelWriters bool
	// Writers is how many goroutines the concurrency tests start (0 = 8).
	Writers int
}

func (f Features) writers() int {
	if f.Writers > 0 {
		return f.Writers
	}
	return 8
}

// Constructor returns a fresh, empty store for one test and closes it
// through t.Cleanup.
type Constructor func(t *testing.T) ports.Store

// Run runs every conformance test against stores made by newStore.
func Run(t *testing.T, f Features, newStore Constructor) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Features, Constructor)
	}{
		{"UpdateCommits", testUpdateCommits},
		{"ErrorRollsBackEverything", testErrorRollsBack},
		{"ViewCannotWrite", testViewCannotWrite},
		{"ConcurrentWriters", testConcurrentWriters},
		{"UniqueConstraintsAreConflicts", testUniqueConflicts},
		{"IdempotencyKeys", testIdempotency},
		{"NumberingIsGaplessUnderConcurrencyAndAborts", testNumberingGapless},
		{"NumberingSeriesAreIndependent", testNumberingSeries},
		{"PaginationCursorsAreStable", testPagination},
		{"AuditAppendAndScan", testAudit},
		{"Tokens", testTokens},
		{"OutboxWorkersNeverClaimTheSameItem", testOutboxConcurrentClaim},
		{"OutboxLeaseRetryDeadLetterReplay", testOutboxLifecycle},
		{"OutboxGoneHolderLeasesEndAtOnce", testOutboxGoneHolder},
		{"OutboxBatch", testOutboxBatch},
		{"ArtifactsRoundTripAndLinks", testArtifacts},
		{"ArtifactPruneKeepsUnresolved", testArtifactPrune},
		{"Runs", testRuns},
		{"Documents", testDocuments},
		{"BatchMethods", testBatchMethods},
		{"ChargeItems", testChargeItems},
		{"PricingTraces", testPricingTraces},
		{"SyncStatusFromOutbox", testSyncStatus},
		{"TenantIsolation", testTenantIsolation},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tc.fn(t, f, newStore)
		})
	}
}

// t0 is the suite's fixed clock.
var t0 = time.Date(2026, 1, 15, 9, 30, 0, 0, time.UTC)

func update(t *testing.T, s ports.Store, fn func(ctx context.Context, tx ports.Tx) error) {
	t.Helper()
	if err := s.Update(context.Background(), fn); err != nil {
		t.Fatalf("Update: %v", err)
	}
}

func view(t *testing.T, s ports.Store, fn func(ctx context.Context, tx ports.Tx) error) {
	t.Helper()
	if err := s.View(context.Background(), fn); err != nil {
		t.Fatalf("View: %v", err)
	}
}

func wantKind(t *testing.T, what string, err error, k ports.Kind) {
	t.Helper()
	if !ports.Is(k, err) {
		t.Fatalf("%s: got error %v (kind %s), want kind %s", what, err, ports.KindOf(err), k)
	}
}

// retry runs fn in Update until it succeeds or fails with a kind other
// than Conflict or Transient (what a use case does under contention).
func retry(ctx context.Context, s ports.Store, fn func(ctx context.Context, tx ports.Tx) error) error {
	for i := 0; ; i++ {
		err := s.Update(ctx, fn)
		if err == nil || i > 200 || !(ports.Is(ports.Conflict, err) || ports.Is(ports.Transient, err)) {
			return err
		}
		time.Sleep(time.Duration(i%5) * time.Millisecond)
	}
}

var errAbort = errors.New("storetest: abort on purpose")
