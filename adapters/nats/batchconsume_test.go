package nats

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
)

// A batch consumer whose server-side consumer disappears (deleted by an
// operator, or by a process taking over) starts again from its saved
// position: nothing is lost and nothing committed comes again.
func TestConsumeBatch_restartsFromItsPositionWhenItsConsumerIsDeleted(t *testing.T) {
	b, err := New(testConfig(), testharness.Deps(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	publish := func(prefix string) {
		for i := range 10 {
			if _, err := b.Publish(ctx, ports.Message{Subject: "acme.org.charge.created", ID: fmt.Sprintf("%s-%d", prefix, i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	var mu sync.Mutex
	seen := map[string]int{}
	count := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(seen)
	}
	h := func(_ context.Context, ds []ports.Delivery) ports.BatchCommit {
		return func(context.Context) []error {
			mu.Lock()
			defer mu.Unlock()
			for _, d := range ds {
				seen[d.ID]++
			}
			return nil
		}
	}
	spec := ports.ConsumerSpec{Name: "restarter", AckWait: time.Second}
	done := make(chan error, 1)
	go func() { done <- b.ConsumeBatch(ctx, spec, 4, 50*time.Millisecond, h) }()
	publish("before")
	waitUntil(t, func() bool { return count() == 10 })
	if err := b.js.DeleteConsumer(ctx, b.cfg.Stream, spec.Name); err != nil {
		t.Fatal(err)
	}
	publish("after")
	waitUntil(t, func() bool { return count() == 20 })
	time.Sleep(300 * time.Millisecond)
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("ConsumeBatch = %v", err)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s committed %d times, want once", id, n)
		}
	}
	// The final save leaves the position at the stream's last message.
	pos, err := SavedPosition(context.Background(), b.js, b.cfg.Stream, spec.Name)
	if err != nil {
		t.Fatal(err)
	}
	if info, err := b.js.Stream(context.Background(), b.cfg.Stream); err != nil || pos != info.CachedInfo().State.LastSeq {
		t.Fatalf("saved position %d, want the last sequence (%v)", pos, err)
	}
	if pos, err := SavedPosition(context.Background(), b.js, b.cfg.Stream, "never-ran"); err != nil || pos != 0 {
		t.Fatalf("position of a consumer that never ran = %d, %v; want 0", pos, err)
	}
}

func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 15s")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
