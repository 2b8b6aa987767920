package bustest

import (
	"context"
	"testing"
	"time"

	"github.com/revhub/revhub/ports"
)

func testStopsOnCancel(t *testing.T, _ Features, c Constructor) {
	b := c(t).Open(t)
	subj := subject(t, "acme", "org", "run.started")
	publish(t, b, subj, "r-1", nil)
	r := newRecorder()
	stop := consume(t, b, fast("runner"), r.handle)
	if d := r.next(t); d.ID != "r-1" {
		t.Fatalf("got %s, want r-1", d.ID)
	}
	stop() // fails the test if Consume does not return nil promptly
	publish(t, b, subj, "r-2", nil)
	r.quiet(t, 300*time.Millisecond)

	// Nothing was lost: the durable consumer resumes with r-2.
	r2 := newRecorder()
	consume(t, b, fast("runner"), r2.handle)
	if d := r2.next(t); d.ID != "r-2" {
		t.Fatalf("after restart got %s, want r-2", d.ID)
	}
}

func testClose(t *testing.T, _ Features, c Constructor) {
	bk := c(t)
	b := bk.Open(t)
	done := make(chan error, 1)
	go func() {
		done <- b.Consume(context.Background(), fast("closer"), func(context.Context, ports.Delivery) error { return nil })
	}()
	time.Sleep(200 * time.Millisecond)
	if err := b.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	select {
	case err := <-done:
		if err != nil && !ports.Is(ports.Unavailable, err) {
			t.Fatalf("Consume after Close = %v, want nil or Kind Unavailable", err)
		}
	case <-time.After(wait):
		t.Fatal("Consume still running after Close")
	}
	_, err := b.Publish(context.Background(), ports.Message{Subject: subject(t, "acme", "org", "x"), ID: "late"})
	if err == nil {
		t.Fatal("Publish after Close succeeded")
	}
}
