package app_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

// receiver is an HTTP endpoint that, like an ERP, dedupes by Idempotency-Key
// and can be told to fail.
type receiver struct {
	mu       sync.Mutex
	got      map[string]int
	failNext int
	status   int
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.failNext > 0 {
		r.failNext--
		http.Error(w, "ERP: posting period closed", r.status)
		return
	}
	r.got[req.Header.Get("Idempotency-Key")]++
	w.WriteHeader(http.StatusCreated)
}

func httpDeliverer(url string) ports.Deliverer {
	return ports.DelivererFunc(func(ctx context.Context, it ports.OutboxItem) error {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(string(it.Payload)))
		req.Header.Set("Idempotency-Key", it.IdempotencyKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return ports.E("test.Deliver", ports.Transient, err)
		}
		defer resp.Body.Close()
		switch {
		case resp.StatusCode >= 500:
			return ports.E("test.Deliver", ports.Transient, errors.New(resp.Status))
		case resp.StatusCode >= 400:
			return ports.E("test.Deliver", ports.Invalid, errors.New(resp.Status))
		}
		return nil
	})
}

func enqueue(t *testing.T, s ports.Store, ids ...string) {
	t.Helper()
	amt := money.MustNew(1000, money.EUR)
	err := s.Update(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		for _, id := range ids {
			if err := tx.Outbox().Enqueue(ctx, ports.OutboxItem{ID: id, Tenant: "acme", Org: "berlin", Binding: "gl_export/test",
				Kind: "charge.post", IdempotencyKey: "key-" + id, Payload: []byte(`{}`), Amount: &amt, CreatedAt: now, NextAttemptAt: now}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func item(t *testing.T, s ports.Store, id string) ports.OutboxItem {
	t.Helper()
	var it ports.OutboxItem
	if err := s.View(context.Background(), func(ctx context.Context, tx ports.Tx) error {
		var err error
		it, err = tx.Outbox().Get(ctx, "acme", id)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return it
}

func TestOutboxWorker(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	rcv := &receiver{got: map[string]int{}, status: 503, failNext: 1}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	w := &app.OutboxWorker{Store: s, Worker: "w1", Policy: delivery.Policy{BaseDelay: time.Second, MaxDelay: time.Minute, MaxAttempts: 3},
		Resolve: func(context.Context, ports.OutboxItem) (ports.Deliverer, error) { return httpDeliverer(srv.URL), nil }}
	enqueue(t, s, "a", "b")

	rep, err := w.RunOnce(ctx, now)
	if err != nil || rep.Claimed != 2 || rep.Sent != 1 || rep.Failed != 1 {
		t.Fatalf("round 1: %+v %v", rep, err)
	}
	a := item(t, s, "a")
	if a.State != delivery.Failed || !strings.Contains(a.LastError, "503") {
		t.Fatalf("failed item keeps the ERP's message: %+v", a)
	}
	if rep, _ := w.RunOnce(ctx, now); rep.Claimed != 0 {
		t.Fatalf("retried before its backoff: %+v", rep)
	}
	if rep, _ := w.RunOnce(ctx, now.Add(2*time.Second)); rep.Sent != 1 {
		t.Fatalf("retry after backoff: %+v", rep)
	}
	if rcv.got["key-a"] != 1 || rcv.got["key-b"] != 1 {
		t.Fatalf("deliveries %v", rcv.got)
	}

	// A permanent rejection dead-letters at once; replay audits and redelivers.
	rcv.failNext, rcv.status = 1, 422
	enqueue(t, s, "c")
	if rep, _ := w.RunOnce(ctx, now.Add(time.Minute)); rep.DeadLettered != 1 {
		t.Fatalf("rejection: %+v", rep)
	}
	if err := app.ReplayDeadLetter(ctx, s, "acme", "c", "user:anna", "period reopened", now.Add(2*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if rep, _ := w.RunOnce(ctx, now.Add(2*time.Minute)); rep.Sent != 1 {
		t.Fatalf("after replay: %+v", rep)
	}
	if n, _, err := app.VerifyTenant(ctx, s, "acme"); err != nil || n != 1 {
		t.Fatalf("replay audited: %d entries, %v", n, err)
	}
}

// A worker takes over at once the items of a worker that died mid-delivery
// (found among the lease holders by its Gone check), and only those.
func TestOutboxWorker_takesOverTheLeasesOfAWorkerThatDied(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	rcv := &receiver{got: map[string]int{}}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	resolve := func(context.Context, ports.OutboxItem) (ports.Deliverer, error) { return httpDeliverer(srv.URL), nil }
	enqueue(t, s, "a", "b")
	for _, holder := range []string{"host/1/crashed", "host/2/busy"} {
		if err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
			_, err := tx.Outbox().Claim(ctx, ports.Claim{Worker: holder, Now: now, Lease: time.Minute, Limit: 1})
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	var asked []string
	w := &app.OutboxWorker{Store: s, Worker: "host/3/new", Resolve: resolve, Lease: time.Minute,
		Gone: func(h string) bool { asked = append(asked, h); return h == "host/1/crashed" }}
	if rep, err := (&app.OutboxWorker{Store: s, Worker: "host/4/plain", Resolve: resolve}).RunOnce(ctx, now.Add(time.Second)); err != nil || rep.Claimed != 0 {
		t.Fatalf("a worker without Gone claimed under live leases: %+v %v", rep, err)
	}
	rep, err := w.RunOnce(ctx, now.Add(time.Second))
	if err != nil || rep.Claimed != 1 || rep.Sent != 1 || rcv.got["key-a"] != 1 || rcv.got["key-b"] != 0 {
		t.Fatalf("takeover: %+v %v, deliveries %v", rep, err, rcv.got)
	}
	if strings.Join(asked, ",") != "host/1/crashed,host/2/busy" {
		t.Fatalf("asked about %q, want both holders", asked)
	}
	if rep, _ := w.RunOnce(ctx, now.Add(2*time.Second)); rep.Claimed != 0 || len(asked) != 2 {
		t.Fatalf("within 5 s of its last look the worker looked again (%q) or claimed %+v", asked, rep)
	}
}

func TestOutboxWorker_unknownOutcomeIsNeverRetried(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	calls := 0
	w := &app.OutboxWorker{Store: s, Worker: "w1", Resolve: func(context.Context, ports.OutboxItem) (ports.Deliverer, error) {
		return ports.DelivererFunc(func(context.Context, ports.OutboxItem) error {
			calls++
			return ports.E("sftp.Drop", ports.Unknown, errors.New("connection lost after upload"))
		}), nil
	}}
	enqueue(t, s, "pay-1")
	for i := range 3 {
		if _, err := w.RunOnce(ctx, now.Add(time.Duration(i)*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	if calls != 1 || item(t, s, "pay-1").State != delivery.OutcomeUnknown {
		t.Fatalf("calls %d, state %s", calls, item(t, s, "pay-1").State)
	}
}

func TestOutboxWorker_breakerPausesFailingBinding(t *testing.T) {
	ctx := context.Background()
	s := newStore(t)
	br := &delivery.Breaker{Window: time.Hour, MinSamples: 2, MaxFailRate: 50, Cooldown: time.Hour}
	calls := 0
	w := &app.OutboxWorker{Store: s, Worker: "w1", Lease: time.Second,
		Breakers: func(ports.OutboxItem) *delivery.Breaker { return br },
		Resolve: func(context.Context, ports.OutboxItem) (ports.Deliverer, error) {
			return ports.DelivererFunc(func(context.Context, ports.OutboxItem) error {
				calls++
				return ports.E("erp", ports.Unavailable, errors.New("503"))
			}), nil
		}}
	enqueue(t, s, "a", "b", "c", "d")
	rep, err := w.RunOnce(ctx, now)
	if err != nil || rep.Failed != 2 || rep.Paused != 2 || calls != 2 {
		t.Fatalf("%+v calls %d err %v", rep, calls, err)
	}
	if br.State(now) != delivery.Open {
		t.Fatal("breaker not open")
	}
	var st []ports.SyncStatus
	if err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		st, err = tx.Sync().Status(ctx, ports.SyncQuery{Tenant: "acme"}, now)
		return err
	}); err != nil || len(st) != 1 || st[0].Breaker != delivery.Open || st[0].Failed.Count != 2 {
		t.Fatalf("sync status %+v %v", st, err)
	}
}
