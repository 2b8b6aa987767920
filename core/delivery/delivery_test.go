package delivery_test

import (
	"testing"
	"time"

	"github.com/revhub/revhub/core/delivery"
)

func TestPolicy(t *testing.T) {
	p := delivery.Policy{BaseDelay: time.Second, MaxDelay: 8 * time.Second, MaxAttempts: 5}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name     string
		o        delivery.Outcome
		attempts int
		state    delivery.State
		after    time.Duration
	}{
		{"delivered", delivery.Delivered, 1, delivery.Sent, 0},
		{"first retry", delivery.Retry, 1, delivery.Failed, time.Second},
		{"third retry doubles", delivery.Retry, 3, delivery.Failed, 4 * time.Second},
		{"capped", delivery.Retry, 4, delivery.Failed, 8 * time.Second},
		{"gives up", delivery.Retry, 5, delivery.DeadLettered, 0},
		{"rejected dead-letters at once", delivery.Rejected, 1, delivery.DeadLettered, 0},
		{"unknown is never retried", delivery.Unknown, 1, delivery.OutcomeUnknown, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st, at := p.Next(tc.o, tc.attempts, now, 999)
			if st != tc.state {
				t.Fatalf("state %s, want %s", st, tc.state)
			}
			if tc.after > 0 && (at.Sub(now) > tc.after || at.Sub(now) < tc.after/2) {
				t.Fatalf("next attempt after %s, want within [%s, %s]", at.Sub(now), tc.after/2, tc.after)
			}
		})
	}
}

func TestBreaker(t *testing.T) {
	b := &delivery.Breaker{Window: time.Minute, MinSamples: 4, MaxFailRate: 50, Cooldown: 10 * time.Second}
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i, ok := range []bool{true, false, true, false} {
		b.Record(now.Add(time.Duration(i)*time.Second), ok)
	}
	if b.State(now.Add(4*time.Second)) != delivery.Open {
		t.Fatalf("50%% failures over 4 samples must pause; got %s", b.State(now))
	}
	if b.Allow(now.Add(5 * time.Second)) {
		t.Fatal("paused breaker allowed a delivery")
	}
	probe := now.Add(15 * time.Second)
	if b.State(probe) != delivery.HalfOpen || !b.Allow(probe) {
		t.Fatal("cool-down over: one probe must be allowed")
	}
	b.Record(probe, false)
	if b.Allow(probe.Add(time.Second)) {
		t.Fatal("failed probe must re-open")
	}
	b.Record(probe.Add(20*time.Second), true)
	if b.State(probe.Add(20*time.Second)) != delivery.Closed {
		t.Fatal("successful probe must close")
	}
	old := &delivery.Breaker{Window: time.Minute, MinSamples: 2, MaxFailRate: 50, Cooldown: time.Second}
	old.Record(now, false)
	old.Record(now.Add(2*time.Minute), true)
	if old.State(now.Add(2*time.Minute)) != delivery.Closed {
		t.Fatal("failures outside the window must be forgotten")
	}
}
