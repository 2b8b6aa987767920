package nats

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/revhub/revhub/ports"
)

var _ ports.BatchConsumer = (*Bus)(nil)

// ConsumeBatch runs a durable pull consumer that fetches up to max messages
// (waiting at most wait) and hands them to h together, so the handler can
// commit them in one transaction. Each message is then acked, retried with
// backoff or dead-lettered by its own error, as with Consume.
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
		var msgs []jetstream.Msg
		var ds []ports.Delivery
		for msg := range fetched.Messages() {
			d := b.delivery(msg, false)
			if md, err := msg.Metadata(); err == nil {
				d.Attempt = int(md.NumDelivered)
			}
			if d.Attempt > spec.MaxDeliver {
				b.giveUp(log, spec, msg, d, fmt.Errorf("no outcome after %d deliveries (handler overran ack_wait or its process died)", spec.MaxDeliver))
				continue
			}
			msgs, ds = append(msgs, msg), append(ds, d)
		}
		if len(ds) == 0 {
			continue
		}
		hctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), handlerBudget(spec.AckWait))
		errs := callBatch(hctx, h, ds)
		cancel()
		for i, msg := range msgs {
			var err error
			if errs != nil {
				err = errs[i]
			}
			b.settle(log, spec, msg, ds[i], err)
		}
	}
}

func callBatch(ctx context.Context, h ports.BatchHandler, ds []ports.Delivery) (errs []error) {
	defer func() {
		if r := recover(); r != nil {
			errs = make([]error, len(ds))
			for i := range errs {
				errs[i] = fmt.Errorf("handler panicked: %v", r)
			}
		}
	}()
	errs = h(ctx, ds)
	if errs != nil && len(errs) != len(ds) {
		bad := fmt.Errorf("batch handler returned %d errors for %d deliveries", len(errs), len(ds))
		errs = make([]error, len(ds))
		for i := range errs {
			errs[i] = bad
		}
	}
	return errs
}

// handlerBudget is how long a handler may run: four fifths of AckWait, so
// that a handler which overruns is cancelled (and its transaction rolled
// back) before the server redelivers the message to another consumer.
func handlerBudget(ackWait time.Duration) time.Duration { return ackWait * 4 / 5 }
