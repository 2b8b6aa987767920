package bustest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/revhub/revhub/ports"
)

func testRedelivers(t *testing.T, _ Features, c Constructor) {
	b := c(t).Open(t)
	publish(t, b, subject(t, "acme", "org", "claim.received"), "c-1", nil)
	spec := fast("worker")
	spec.Backoff = []time.Duration{100 * time.Millisecond, 250 * time.Millisecond}
	r := newRecorder()
	r.fail = func(d ports.Delivery) error {
		if d.Attempt < 3 {
			return ports.E("test", ports.Transient, fmt.Errorf("db busy on attempt %d", d.Attempt))
		}
		return nil
	}
	consume(t, b, spec, r.handle)
	var at [3]time.Time
	for i := range at {
		d := r.next(t)
		at[i] = time.Now()
		if d.ID != "c-1" || d.Attempt != i+1 {
			t.Fatalf("delivery %d = %s attempt %d, want c-1 attempt %d", i, d.ID, d.Attempt, i+1)
		}
	}
	for i, want := range spec.Backoff {
		if gap := at[i+1].Sub(at[i]); gap < want*9/10 {
			t.Errorf("attempt %d came %v after attempt %d, want ≥ backoff %v", i+2, gap, i+1, want)
		}
	}
	// Acknowledged after success: it must not come back, even after AckWait.
	r.quiet(t, spec.AckWait+500*time.Millisecond)
}

func testAcksOnlyAfterSuccess(t *testing.T, _ Features, c Constructor) {
	bk := c(t)
	a := bk.Open(t)
	subj := subject(t, "acme", "org", "payment.settled")
	all := ids(20, "p")
	for _, id := range all {
		publish(t, a, subj, id, nil)
	}
	spec := fast("settler")
	release := make(chan struct{})
	stuck := make(chan string, 1)
	var doneA sync.Map
	var n atomic.Int32
	consume(t, a, spec, func(_ context.Context, d ports.Delivery) error {
		if n.Add(1) > 5 {
			stuck <- d.ID
			<-release // the process hangs, then dies with this message unacknowledged
			return nil
		}
		doneA.Store(d.ID, true)
		return nil
	})
	t.Cleanup(func() { close(release) }) // runs before the consumer's own cleanup
	var stuckID string
	select {
	case stuckID = <-stuck:
	case <-time.After(wait):
		t.Fatal("first process never reached its sixth message")
	}
	time.Sleep(200 * time.Millisecond) // let the five acknowledgements reach the server
	bk.Kill(a)

	b := bk.Open(t)
	r := newRecorder()
	consume(t, b, spec, r.handle)
	need := map[string]bool{}
	for _, id := range all {
		if _, ok := doneA.Load(id); !ok {
			need[id] = true
		}
	}
	if !need[stuckID] || len(need) != 15 {
		t.Fatalf("first process handled %d, stuck on %s", 20-len(need), stuckID)
	}
	for len(need) > 0 {
		d := r.next(t)
		if _, ok := doneA.Load(d.ID); ok {
			t.Errorf("%s came back although it was acknowledged", d.ID)
		}
		delete(need, d.ID)
	}
}

func testDeadLettersAfterMax(t *testing.T, _ Features, c Constructor) {
	b := c(t).Open(t)
	subj := subject(t, "acme", "org-berlin", "gl.export")
	publish(t, b, subj, "batch-7", map[string]string{"X-Trace": "tr-7"})
	spec := fast("exporter")
	spec.MaxDeliver = 3
	r := newRecorder()
	r.fail = func(d ports.Delivery) error {
		return ports.E("test", ports.Transient, fmt.Errorf("sap timeout on attempt %d", d.Attempt))
	}
	consume(t, b, spec, r.handle)
	dl := deadLetter(t, b, "dead-reader")
	checkDeadLetter(t, dl, subj, "batch-7", "sap timeout on attempt 3", "3", spec.Name)
	if dl.Headers["X-Trace"] != "tr-7" {
		t.Errorf("dead letter lost the original header: %v", dl.Headers)
	}
	time.Sleep(300 * time.Millisecond)
	if n := len(r.deliveries()); n != 3 {
		t.Fatalf("handler ran %d times, want MaxDeliver = 3", n)
	}
}

func testDeadLettersInvalid(t *testing.T, _ Features, c Constructor) {
	b := c(t).Open(t)
	subj := subject(t, "acme", "org", "claim.received")
	publish(t, b, subj, "bad-1", nil)
	r := newRecorder()
	r.fail = func(ports.Delivery) error {
		return ports.E("test", ports.Invalid, errors.New("claim has no patient reference"))
	}
	consume(t, b, fast("claims"), r.handle)
	dl := deadLetter(t, b, "dead-reader")
	checkDeadLetter(t, dl, subj, "bad-1", "claim has no patient reference", "1", "claims")
	time.Sleep(300 * time.Millisecond)
	if n := len(r.deliveries()); n != 1 {
		t.Fatalf("handler ran %d times, want 1: Invalid is not retried", n)
	}
}

// deadLetter reads the first dead letter with a fresh consumer.
func deadLetter(t *testing.T, b ports.Bus, name string) ports.Delivery {
	t.Helper()
	spec := fast(name)
	spec.DeadLetters = true
	r := newRecorder()
	stop := consume(t, b, spec, r.handle)
	defer stop()
	return r.next(t)
}

func checkDeadLetter(t *testing.T, d ports.Delivery, subj, id, errText, attempts, consumer string) {
	t.Helper()
	if d.Subject != subj || d.ID != id || string(d.Data) != "data-"+id {
		t.Errorf("dead letter = %s %s %q, want %s %s", d.Subject, d.ID, d.Data, subj, id)
	}
	if e := d.Headers[ports.HeaderDeadError]; !strings.Contains(e, errText) {
		t.Errorf("dead letter error %q does not contain %q", e, errText)
	}
	if got := d.Headers[ports.HeaderDeadAttempts]; got != attempts {
		t.Errorf("dead letter attempts = %q, want %s", got, attempts)
	}
	if got := d.Headers[ports.HeaderDeadConsumer]; got != consumer {
		t.Errorf("dead letter consumer = %q, want %s", got, consumer)
	}
}

func testSharesWork(t *testing.T, _ Features, c Constructor) {
	bk := c(t)
	const n = 200
	var (
		effects  sync.Map // id → first handler; the idempotent state change
		calls    atomic.Int32
		byWorker [2]atomic.Int32
		all      = make(chan struct{})
		applied  atomic.Int32
	)
	spec := fast("shared")
	spec.AckWait = 10 * time.Second // nothing should time out: any redelivery is a bug here
	var probed [2]atomic.Int32
	for w := range 2 {
		bus := bk.Open(t)
		consume(t, bus, spec, func(_ context.Context, d ports.Delivery) error {
			if strings.HasPrefix(d.ID, "probe-") {
				probed[w].Add(1)
				return nil
			}
			calls.Add(1)
			byWorker[w].Add(1)
			time.Sleep(time.Millisecond)
			if _, dup := effects.LoadOrStore(d.ID, w); !dup && applied.Add(1) == n {
				close(all)
			}
			return nil
		})
	}
	pub := bk.Open(t)
	subj := subject(t, "acme", "org", "encounter.closed")
	// Both processes have joined the consumer once each has handled a probe
	// (on a loaded machine one may take a while to start).
	for k, deadline := 0, time.Now().Add(wait); probed[0].Load() == 0 || probed[1].Load() == 0; k++ {
		if time.Now().After(deadline) {
			t.Fatalf("only one process joined the consumer: probes handled %d and %d", probed[0].Load(), probed[1].Load())
		}
		publish(t, pub, subj, fmt.Sprintf("probe-%d", k), nil)
		time.Sleep(20 * time.Millisecond)
	}
	for _, id := range ids(n, "e") {
		publish(t, pub, subj, id, nil)
	}
	select {
	case <-all:
	case <-time.After(wait):
		t.Fatalf("only %d of %d messages handled", applied.Load(), n)
	}
	time.Sleep(200 * time.Millisecond)
	if got := calls.Load(); got != n {
		t.Errorf("handlers ran %d times for %d messages: a message was handled twice", got, n)
	}
	if byWorker[0].Load() == 0 || byWorker[1].Load() == 0 {
		t.Errorf("work not shared: worker 0 handled %d, worker 1 handled %d", byWorker[0].Load(), byWorker[1].Load())
	}
}

func testDeadLettersAfterCrashes(t *testing.T, _ Features, c Constructor) {
	deadLettersAfterCrashes(t, c, "", func(b ports.Bus, spec ports.ConsumerSpec, handle func()) {
		consume(t, b, spec, func(context.Context, ports.Delivery) error { handle(); return nil })
	})
}

// deadLettersAfterCrashes publishes one message with MaxDeliver 1 and has
// start run a consumer (named prefix+"dropper") on a first process whose
// handler hangs on its only allowed attempt; it kills that process and has
// start run the consumer on a second process, whose handler only counts.
// The second one must dead-letter the message ("no outcome" after 2
// deliveries) without handling it.
func deadLettersAfterCrashes(t *testing.T, c Constructor, prefix string, start func(b ports.Bus, spec ports.ConsumerSpec, handle func())) {
	bk := c(t)
	a := bk.Open(t)
	subj := subject(t, "acme", "org", "bank.file")
	publish(t, a, subj, "f-1", nil)
	spec := fast(prefix + "dropper")
	spec.MaxDeliver = 1
	handed, release := make(chan struct{}, 1), make(chan struct{})
	start(a, spec, func() {
		handed <- struct{}{}
		<-release // the process hangs on its only allowed attempt, then dies
	})
	t.Cleanup(func() { close(release) }) // runs before the consumer's stop
	select {
	case <-handed:
	case <-time.After(wait):
		t.Fatal("message never handed out")
	}
	bk.Kill(a)

	b := bk.Open(t)
	var handled atomic.Int64
	start(b, spec, func() { handled.Add(1) })
	dl := deadLetter(t, b, prefix+"dead-reader")
	checkDeadLetter(t, dl, subj, "f-1", "no outcome", "2", spec.Name)
	if n := handled.Load(); n != 0 {
		t.Fatalf("handler ran %d times after MaxDeliver was spent, want 0", n)
	}
}
