package nats

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/revhub/revhub/ports"
)

var _ ports.BatchConsumer = (*Bus)(nil)

// ConsumeBatch runs a durable pull consumer that fetches up to max messages
// (waiting at most wait) and hands them to h together, so the handler can
// commit them in one transaction. While a batch commits, the next one is
// fetched and prepared. Each message is acked, retried with backoff or
// dead-lettered by its own error, as with Consume, once its batch committed.
func (b *Bus) ConsumeBatch(ctx context.Context, spec ports.ConsumerSpec, max int, wait time.Duration, h ports.BatchHandler) error {
	if err := spec.Check(); err != nil {
		return ports.E(opConsume, ports.Invalid, err)
	}
	if h == nil || max < 1 || wait <= 0 {
		return ports.E(opConsume, ports.Invalid, errors.New("need a handler, max ≥ 1 and a positive wait"))
	}
	spec = spec.WithDefaults()
	b.mu.Lock()
	if b.stopping {
		b.mu.Unlock()
		return ports.E(opConsume, ports.Unavailable, errors.New("bus is closed"))
	}
	b.loops.Add(1)
	b.mu.Unlock()
	defer b.loops.Done()

	cons, err := b.js.CreateOrUpdateConsumer(ctx, b.cfg.Stream, jetstream.ConsumerConfig{
		Durable: spec.Name, FilterSubject: b.evt + spec.Filter(), AckPolicy: jetstream.AckExplicitPolicy,
		AckWait: spec.AckWait, MaxDeliver: -1, DeliverPolicy: jetstream.DeliverAllPolicy, MaxAckPending: max * 4,
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return ports.E(opConsume, ports.Unavailable, fmt.Errorf("consumer %s: %w", spec.Name, err))
	}
	log := b.log.With("consumer", spec.Name)
	var prev *inflight // the batch whose commit is running
	defer func() { b.settleBatch(log, spec, prev) }()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-b.stop:
			return nil
		case <-b.closed:
			return nil
		default:
		}
		fetched, err := cons.Fetch(max, jetstream.FetchMaxWait(wait))
		if err != nil {
			if ctx.Err() != nil || errors.Is(err, nats.ErrConnectionClosed) {
				return nil
			}
			if errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrConsumerNotFound) {
				return ports.E(opConsume, ports.Unavailable, fmt.Errorf("consumer %s: %w", spec.Name, err))
			}
			log.Warn("fetching messages", "err", err)
			continue
		}
		next := &inflight{done: make(chan struct{})}
		for msg := range fetched.Messages() {
			d := b.delivery(msg, false)
			if md, err := msg.Metadata(); err == nil {
				d.Attempt = int(md.NumDelivered)
			}
			if d.Attempt > spec.MaxDeliver {
				b.giveUp(log, spec, msg, d, fmt.Errorf("no outcome after %d deliveries (handler overran ack_wait or its process died)", spec.MaxDeliver))
				continue
			}
			next.msgs, next.ds = append(next.msgs, msg), append(next.ds, d)
		}
		if len(next.ds) == 0 {
			b.settleBatch(log, spec, prev)
			prev = nil
			continue
		}
		// The handler's first stage runs while the previous batch commits;
		// the commits run one at a time, and the previous batch is acked
		// while this one commits.
		next.prepare(ctx, spec, h)
		if prev != nil {
			<-prev.done
		}
		go next.commit()
		b.settleBatch(log, spec, prev)
		prev = next
	}
}

// inflight is one fetched batch on its way through the handler's stages.
type inflight struct {
	msgs   []jetstream.Msg
	ds     []ports.Delivery
	ctx    context.Context
	cancel context.CancelFunc
	stage2 ports.BatchCommit
	errs   []error
	done   chan struct{} // closed when errs is final
}

// prepare runs the handler's first stage, within the batch's budget.
func (f *inflight) prepare(ctx context.Context, spec ports.ConsumerSpec, h ports.BatchHandler) {
	f.ctx, f.cancel = context.WithTimeout(context.WithoutCancel(ctx), handlerBudget(spec.AckWait))
	f.errs = protect(len(f.ds), func() []error {
		f.stage2 = h(f.ctx, f.ds)
		if f.stage2 == nil {
			return failAll(len(f.ds), errors.New("batch handler returned no commit"))
		}
		return nil
	})
}

// commit runs the handler's second stage, unless the first one failed.
func (f *inflight) commit() {
	defer close(f.done)
	defer f.cancel()
	if f.errs == nil {
		f.errs = protect(len(f.ds), func() []error { return f.stage2(f.ctx) })
	}
}

// settleBatch waits for a batch's commit and settles each of its messages
// by its own outcome.
func (b *Bus) settleBatch(log *slog.Logger, spec ports.ConsumerSpec, f *inflight) {
	if f == nil {
		return
	}
	<-f.done
	for i, msg := range f.msgs {
		var err error
		if f.errs != nil {
			err = f.errs[i]
		}
		b.settle(log, spec, msg, f.ds[i], err)
	}
}

// protect runs a handler stage, turning a panic or a wrong number of
// errors into one error for every delivery.
func protect(n int, stage func() []error) (errs []error) {
	defer func() {
		if r := recover(); r != nil {
			errs = failAll(n, fmt.Errorf("handler panicked: %v", r))
		}
	}()
	errs = stage()
	if errs != nil && len(errs) != n {
		errs = failAll(n, fmt.Errorf("batch handler returned %d errors for %d deliveries", len(errs), n))
	}
	return errs
}

func failAll(n int, err error) []error {
	errs := make([]error, n)
	for i := range errs {
		errs[i] = err
	}
	return errs
}

// handlerBudget is how long a handler may run: four fifths of AckWait, so
// that a handler which overruns is cancelled (and its transaction rolled
// back) before the server redelivers the message to another consumer.
func handlerBudget(ackWait time.Duration) time.Duration { return ackWait * 4 / 5 }
