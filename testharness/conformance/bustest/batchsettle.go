package bustest

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/revhub/revhub/ports"
)

// batchRecorder is a batch handler whose commit keeps every delivery and
// settles each by fail (nil: success).
type batchRecorder struct {
	mu   sync.Mutex
	all  []ports.Delivery
	fail func(d ports.Delivery) error
}

func (r *batchRecorder) handle(_ context.Context, ds []ports.Delivery) ports.BatchCommit {
	return func(context.Context) []error {
		errs := make([]error, len(ds))
		r.mu.Lock()
		defer r.mu.Unlock()
		for i, d := range ds {
			r.all = append(r.all, d)
			if r.fail != nil {
				errs[i] = r.fail(d)
			}
		}
		return errs
	}
}

func (r *batchRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.all)
}

func (r *batchRecorder) ids() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	seen := map[string]int{}
	for _, d := range r.all {
		seen[d.ID]++
	}
	return seen
}

// waitFor polls cond until it holds or the test's patience ends.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %v", what, wait)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// consumeBatch runs ConsumeBatch until the returned stop is called (or the
// test ends).
func consumeBatch(t testing.TB, b ports.Bus, spec ports.ConsumerSpec, h ports.BatchHandler) (stop func()) {
	t.Helper()
	bc, ok := b.(ports.BatchConsumer)
	if !ok {
		t.Skip("bus does not implement ports.BatchConsumer")
	}
	return background(t, "ConsumeBatch("+spec.Name+")", func(ctx context.Context) error {
		return bc.ConsumeBatch(ctx, spec, 8, 50*time.Millisecond, h)
	})
}

// testBatchResumes: a batch consumer started again under the same name, in
// a new process, goes on after what it settled, not from the start.
func testBatchResumes(t *testing.T, _ Features, c Constructor) {
	bk := c(t)
	a := bk.Open(t)
	subj := subject(t, "acme", "org", "charge.created")
	for _, id := range ids(20, "first") {
		publish(t, a, subj, id, nil)
	}
	r := &batchRecorder{}
	stop := consumeBatch(t, a, fast("resumer"), r.handle)
	waitFor(t, "the first 20 committed", func() bool { return r.count() >= 20 })
	stop()
	for _, id := range ids(5, "second") {
		publish(t, a, subj, id, nil)
	}
	r2 := &batchRecorder{}
	consumeBatch(t, bk.Open(t), fast("resumer"), r2.handle)
	waitFor(t, "the next 5 committed", func() bool { return r2.count() >= 5 })
	time.Sleep(300 * time.Millisecond)
	for id, n := range r2.ids() {
		if n != 1 || id[:6] != "second" {
			t.Errorf("after the restart %s was delivered %d times; want only the 5 new messages, once each", id, n)
		}
	}
}

// testBatchDeadLettersInvalid: an invalid delivery in a batch is dead-lettered
// at once and not retried; the others commit.
func testBatchDeadLettersInvalid(t *testing.T, _ Features, c Constructor) {
	b := c(t).Open(t)
	subj := subject(t, "acme", "org", "claim.received")
	for _, id := range []string{"ok-1", "bad-1", "ok-2"} {
		publish(t, b, subj, id, nil)
	}
	r := &batchRecorder{fail: func(d ports.Delivery) error {
		if d.ID == "bad-1" {
			return ports.E("test", ports.Invalid, errors.New("claim has no patient reference"))
		}
		return nil
	}}
	consumeBatch(t, b, fast("batch-claims"), r.handle)
	dl := deadLetter(t, b, "batch-dead-reader")
	checkDeadLetter(t, dl, subj, "bad-1", "claim has no patient reference", "1", "batch-claims")
	time.Sleep(300 * time.Millisecond)
	if got := r.ids(); len(got) != 3 || got["bad-1"] != 1 || got["ok-1"] != 1 || got["ok-2"] != 1 {
		t.Fatalf("deliveries %v, want each of the three once", got)
	}
}

// testBatchDeadLettersAfterCrashes: a message whose batch never finishes
// (the process hangs, then dies) is dead-lettered by the process that
// takes over once its attempts are spent; the handler never sees it again.
func testBatchDeadLettersAfterCrashes(t *testing.T, _ Features, c Constructor) {
	deadLettersAfterCrashes(t, c, "batch-", func(b ports.Bus, spec ports.ConsumerSpec, handle func()) {
		consumeBatch(t, b, spec, func(_ context.Context, ds []ports.Delivery) ports.BatchCommit {
			return func(context.Context) []error {
				for range ds {
					handle()
				}
				return nil
			}
		})
	})
}

// testBatchStandby: while one process consumes a batch consumer, another
// under the same name stands by; it takes over when the first one stops,
// and no message is committed twice.
func testBatchStandby(t *testing.T, _ Features, c Constructor) {
	bk := c(t)
	a, b := bk.Open(t), bk.Open(t)
	subj := subject(t, "acme", "org", "charge.created")
	for _, id := range ids(10, "early") {
		publish(t, a, subj, id, nil)
	}
	ra, rb := &batchRecorder{}, &batchRecorder{}
	stopA := consumeBatch(t, a, fast("shared-batch"), ra.handle)
	waitFor(t, "the first process committed the early messages", func() bool { return ra.count() >= 10 })
	consumeBatch(t, b, fast("shared-batch"), rb.handle)
	for _, id := range ids(10, "middle") {
		publish(t, a, subj, id, nil)
	}
	waitFor(t, "the first process committed the middle messages", func() bool { return ra.count() >= 20 })
	stopA()
	for _, id := range ids(10, "late") {
		publish(t, a, subj, id, nil)
	}
	waitFor(t, "the standby took over", func() bool { return rb.count() >= 10 })
	time.Sleep(300 * time.Millisecond)
	seen := ra.ids()
	for id, n := range rb.ids() {
		seen[id] += n
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s committed %d times, want once", id, n)
		}
	}
	if len(seen) != 30 {
		t.Errorf("%d distinct messages committed, want 30", len(seen))
	}
}

// testBatchOverlappingCommits: with Commits 2, the next batch commits while
// the previous one still does, never more than two at once, and every
// message is committed once.
func testBatchOverlappingCommits(t *testing.T, _ Features, c Constructor) {
	b := c(t).Open(t)
	subj := subject(t, "acme", "org", "charge.created")
	for _, id := range ids(20, "ov") {
		publish(t, b, subj, id, nil)
	}
	var mu sync.Mutex
	active, most := 0, 0
	overlapped := make(chan struct{})
	var once sync.Once
	r := &batchRecorder{}
	spec := fast("overlapping")
	spec.Commits = 2
	consumeBatch(t, b, spec, func(ctx context.Context, ds []ports.Delivery) ports.BatchCommit {
		commit := r.handle(ctx, ds)
		return func(ctx context.Context) []error {
			mu.Lock()
			active++
			most = max(most, active)
			if active == 2 {
				once.Do(func() { close(overlapped) })
			}
			mu.Unlock()
			select { // the first commits wait a while for a second one to start
			case <-overlapped:
			case <-time.After(time.Second):
			}
			mu.Lock()
			active--
			mu.Unlock()
			return commit(ctx)
		}
	})
	waitFor(t, "all 20 committed", func() bool { return r.count() >= 20 })
	time.Sleep(300 * time.Millisecond)
	mu.Lock()
	defer mu.Unlock()
	if most != 2 {
		t.Errorf("at most %d commits ran at once, want 2", most)
	}
	for id, n := range r.ids() {
		if n != 1 {
			t.Errorf("%s committed %d times, want once", id, n)
		}
	}
}
