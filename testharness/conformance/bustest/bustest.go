// Package bustest is the conformance suite for ports.Bus, modelled on
// watermill's pub/sub tests. Every bus adapter runs it.
package bustest

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/revhub/revhub/ports"
)

// Features declares what a bus promises beyond the port's contract.
// Tests for undeclared features are skipped, not failed.
type Features struct {
	// OrderedPerSubject: one consumer without failures receives the messages
	// of a subject in publish order.
	OrderedPerSubject bool
}

// Backend is one isolated bus back end (a stream on a server) that several
// processes share.
type Backend interface {
	// Open returns a new process's Bus on the back end, closed on cleanup.
	Open(t testing.TB) ports.Bus
	// Kill ends a process abruptly, as SIGKILL would: no ack, nak or drain.
	Kill(b ports.Bus)
}

// Constructor returns a fresh back end, removed on cleanup.
type Constructor func(t testing.TB) Backend

// Run runs the suite.
func Run(t *testing.T, f Features, c Constructor) {
	for _, tc := range []struct {
		name string
		fn   func(*testing.T, Features, Constructor)
	}{
		{"PublishesAndConsumes", testPublishConsume},
		{"RejectsInvalidMessagesAndSpecs", testRejectsInvalid},
		{"PublishesBatch", testPublishBatch},
		{"ConsumesBatchesInPipeline", testConsumeBatchPipelined},
		{"BatchConsumerResumesAfterWhatItSettled", testBatchResumes},
		{"BatchConsumerDeadLettersInvalidAtOnce", testBatchDeadLettersInvalid},
		{"BatchConsumerDeadLettersWhenAttemptsEndWithoutOutcome", testBatchDeadLettersAfterCrashes},
		{"BatchConsumerStandbyTakesOver", testBatchStandby},
		{"BatchConsumerOverlapsCommitsWhenAllowed", testBatchOverlappingCommits},
		{"DeduplicatesIDWithinWindow", testDeduplicates},
		{"RedeliversAfterHandlerErrorWithBackoff", testRedelivers},
		{"AcksOnlyAfterSuccess", testAcksOnlyAfterSuccess},
		{"DeadLettersAfterMaxDeliver", testDeadLettersAfterMax},
		{"DeadLettersInvalidAtOnce", testDeadLettersInvalid},
		{"DeadLettersWhenAttemptsEndWithoutOutcome", testDeadLettersAfterCrashes},
		{"DurableConsumersShareWork", testSharesWork},
		{"OrderedPerSubject", testOrdered},
		{"IsolatesTenantsAndFilters", testIsolation},
		{"StopsOnContextCancel", testStopsOnCancel},
		{"CloseStopsConsumers", testClose},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); tc.fn(t, f, c) })
	}
}

// wait is how long a test waits for something that should happen.
const wait = 15 * time.Second

// fast is a consumer spec with short timers so the suite stays quick.
func fast(name string) ports.ConsumerSpec {
	return ports.ConsumerSpec{Name: name, MaxDeliver: 5, Backoff: []time.Duration{50 * time.Millisecond}, AckWait: time.Second}
}

func subject(t testing.TB, tenant, org, topic string) string {
	t.Helper()
	s, err := ports.Subject(tenant, org, topic)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func publish(t testing.TB, b ports.Bus, subj, id string, headers map[string]string) ports.Published {
	t.Helper()
	p, err := b.Publish(context.Background(), ports.Message{Subject: subj, ID: id, Data: []byte("data-" + id), Headers: headers})
	if err != nil {
		t.Fatalf("Publish %s: %v", id, err)
	}
	return p
}

// consume runs Consume in the background and returns a stop function that
// cancels it and checks that it returned nil promptly. Cleanup stops it too.
func consume(t testing.TB, b ports.Bus, spec ports.ConsumerSpec, h ports.Handler) (stop func()) {
	t.Helper()
	return background(t, "Consume("+spec.Name+")", func(ctx context.Context) error { return b.Consume(ctx, spec, h) })
}

// background runs a consumer until the returned stop (or the test's
// cleanup) cancels it, then checks that it returned nil promptly.
func background(t testing.TB, what string, run func(context.Context) error) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				if err != nil {
					t.Errorf("%s after cancel = %v, want nil", what, err)
				}
			case <-time.After(wait):
				t.Errorf("%s still running %v after cancel", what, wait)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

// recorder is a handler that keeps every delivery and signals each one.
type recorder struct {
	mu   sync.Mutex
	all  []ports.Delivery
	seen chan ports.Delivery
	fail func(d ports.Delivery) error // optional: the handler's result
}

func newRecorder() *recorder { return &recorder{seen: make(chan ports.Delivery, 4096)} }

func (r *recorder) handle(_ context.Context, d ports.Delivery) error {
	r.mu.Lock()
	r.all = append(r.all, d)
	r.mu.Unlock()
	r.seen <- d
	if r.fail != nil {
		return r.fail(d)
	}
	return nil
}

func (r *recorder) deliveries() []ports.Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]ports.Delivery(nil), r.all...)
}

// next waits for the next delivery.
func (r *recorder) next(t testing.TB) ports.Delivery {
	t.Helper()
	select {
	case d := <-r.seen:
		return d
	case <-time.After(wait):
		t.Fatalf("no delivery within %v", wait)
		return ports.Delivery{}
	}
}

// quiet checks that no delivery arrives for d.
func (r *recorder) quiet(t testing.TB, d time.Duration) {
	t.Helper()
	select {
	case x := <-r.seen:
		t.Fatalf("unexpected delivery %s (attempt %d) on %s", x.ID, x.Attempt, x.Subject)
	case <-time.After(d):
	}
}

func ids(n int, prefix string) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s-%03d", prefix, i)
	}
	return out
}
