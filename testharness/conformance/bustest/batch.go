package bustest

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/revhub/revhub/ports"
)

func testPublishBatch(t *testing.T, _ Features, c Constructor) {
	b := c(t).Open(t)
	bp, ok := b.(ports.BatchPublisher)
	if !ok {
		t.Skip("bus does not implement ports.BatchPublisher")
	}
	subj := subject(t, "acme", "org", "charge.created")
	publish(t, b, subj, "dup", nil)

	bad := []ports.Message{{Subject: subj, ID: "never-1"}, {Subject: "acme.*.x", ID: "never-2"}}
	if _, err := bp.PublishBatch(context.Background(), bad); !ports.Is(ports.Invalid, err) {
		t.Fatalf("PublishBatch with a bad subject = %v, want Kind Invalid", err)
	}

	var ms []ports.Message
	for _, id := range append(ids(40, "bt"), "dup") {
		ms = append(ms, ports.Message{Subject: subj, ID: id, Data: []byte("data-" + id)})
	}
	res, err := bp.PublishBatch(context.Background(), ms)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(ms) {
		t.Fatalf("%d results for %d messages", len(res), len(ms))
	}
	for i, p := range res[:40] {
		if p.Duplicate || i > 0 && p.Sequence <= res[i-1].Sequence {
			t.Fatalf("result %d = %+v after %+v", i, p, res[max(i-1, 0)])
		}
	}
	if !res[40].Duplicate {
		t.Error("re-published ID not reported as duplicate")
	}

	r := newRecorder()
	consume(t, b, fast("reader"), r.handle)
	seen := map[string]int{}
	for len(seen) < 41 {
		d := r.next(t)
		seen[d.ID]++
		if d.ID == "never-1" || d.ID == "never-2" {
			t.Fatalf("%s from the rejected batch was stored", d.ID)
		}
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s delivered %d times", id, n)
		}
	}
}

// testConsumeBatchPipelined: a batch consumer prepares the next batch while
// the previous one commits, runs commits one at a time, and acks a message
// only when its commit succeeded (a failed one comes again; nothing twice).
func testConsumeBatchPipelined(t *testing.T, _ Features, c Constructor) {
	b := c(t).Open(t)
	bc, ok := b.(ports.BatchConsumer)
	if !ok {
		t.Skip("bus does not implement ports.BatchConsumer")
	}
	subj := subject(t, "acme", "org", "charge.created")
	all := ids(20, "pl")
	for _, id := range all {
		publish(t, b, subj, id, nil)
	}
	var prepared, active, commits atomic.Int32
	secondPrepared := make(chan struct{})
	problems := make(chan string, 100)
	var mu sync.Mutex
	done, attempts := map[string]int{}, map[string]int{}
	h := func(_ context.Context, ds []ports.Delivery) ports.BatchCommit {
		if prepared.Add(1) == 2 {
			close(secondPrepared)
		}
		return func(context.Context) []error {
			if active.Add(1) != 1 {
				problems <- "two commits ran at once"
			}
			defer active.Add(-1)
			if commits.Add(1) == 1 {
				select {
				case <-secondPrepared:
				case <-time.After(wait):
					problems <- "the next batch was not prepared while the first one committed"
				}
			}
			errs := make([]error, len(ds))
			mu.Lock()
			defer mu.Unlock()
			for i, d := range ds {
				attempts[d.ID]++
				if d.ID == all[0] && attempts[d.ID] == 1 {
					errs[i] = errors.New("store trouble")
					continue
				}
				done[d.ID]++
			}
			return errs
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	stopped := make(chan error, 1)
	go func() { stopped <- bc.ConsumeBatch(ctx, fast("pipeline"), 5, 100*time.Millisecond, h) }()
	deadline := time.Now().Add(wait)
	for {
		mu.Lock()
		n := len(done)
		mu.Unlock()
		if n == len(all) || time.Now().After(deadline) {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(1500 * time.Millisecond) // past ack_wait: an unacked message would come again
	cancel()
	if err := <-stopped; err != nil {
		t.Fatalf("ConsumeBatch after cancel = %v", err)
	}
	close(problems)
	for p := range problems {
		t.Error(p)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, id := range all {
		if done[id] != 1 {
			t.Errorf("%s committed %d times (attempts %d), want once", id, done[id], attempts[id])
		}
	}
	if attempts[all[0]] != 2 {
		t.Errorf("%s was attempted %d times, want 2 (its first commit failed)", all[0], attempts[all[0]])
	}
}
