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

// ConsumeBatch runs a batch consumer: it fetches up to max messages (waiting
// at most wait) and hands them to h together, so the handler can commit them
// in one transaction. While a batch commits, the next one is fetched and
// prepared.
//
// Messages are not acknowledged one by one. The consumer keeps its position
// in the stream's cursor bucket, written once per batch, and the position
// never passes a message without an outcome: after a crash or a takeover,
// delivery resumes from there (handlers are idempotent, so a message handled
// but not yet behind the position does no harm). A failed message is retried
// by this process after the spec's backoff; an invalid one, or one out of
// attempts, is dead-lettered. One process consumes a name at a time; the
// others stand by and take over when it stops or goes silent.
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

	log := b.log.With("consumer", spec.Name)
	err := b.consumeLeased(ctx, log, spec, max, wait, h)
	if err != nil && ctx.Err() == nil {
		return ports.E(opConsume, ports.Unavailable, fmt.Errorf("consumer %s: %w", spec.Name, err))
	}
	return nil
}

// consumeLeased takes the consumer's lease, consumes until it ends, and
// stands by again whenever another process takes the consumer over.
func (b *Bus) consumeLeased(ctx context.Context, log *slog.Logger, spec ports.ConsumerSpec, max int, wait time.Duration, h ports.BatchHandler) error {
	kv, err := b.cursorBucket(ctx)
	if err != nil {
		return err
	}
	for {
		l, err := b.acquire(ctx, kv, spec.Name, func() uint64 { return b.legacyFloor(ctx, spec.Name) })
		if l == nil || err != nil {
			return err
		}
		r := &batchRun{b: b, log: log, spec: spec, max: max, wait: wait, h: h, l: l}
		switch err := r.run(ctx); {
		case errors.Is(err, errLeaseLost):
			log.Warn("another process took the consumer over; standing by")
		case errors.Is(err, errRestart):
			if !b.pause(ctx, time.Second) {
				return nil
			}
		default:
			return err
		}
	}
}

// legacyFloor is where a consumer without a cursor starts: behind what an
// acknowledging durable of the same name (an earlier revhub) had settled.
func (b *Bus) legacyFloor(ctx context.Context, name string) uint64 {
	c, err := b.js.Consumer(ctx, b.cfg.Stream, name)
	if err != nil || c.CachedInfo().Config.AckPolicy != jetstream.AckExplicitPolicy {
		return 0
	}
	return c.CachedInfo().AckFloor.Stream
}

// batchRun is one lease's worth of consuming.
type batchRun struct {
	b    *Bus
	log  *slog.Logger
	spec ports.ConsumerSpec
	max  int
	wait time.Duration
	h    ports.BatchHandler
	l    *lease

	retries []pending          // messages without an outcome yet, waiting for their next attempt
	last    uint64             // the highest stream sequence fetched
	sub     *nats.Subscription // bound to the run's consumer
	ahead   *fetch             // the fetch asked for before it is needed; nil when none
	fetched bool               // whether anything was fetched yet
	head    int                // how often the lease's first message was handed out before this run
}

// pending is a message waiting for another attempt.
type pending struct {
	d     ports.Delivery
	seq   uint64
	due   time.Time
	cause error // why the last attempt ended without an outcome
}

// run consumes from the lease's position until ctx ends, the bus stops or
// the lease is lost (errLeaseLost).
func (r *batchRun) run(ctx context.Context) error {
	r.last, r.head = r.l.cur.Seq, r.l.cur.Attempts // read before the heartbeat writes l.cur
	cons, err := r.b.positionConsumer(ctx, r.spec, r.last)
	if err == nil {
		r.sub, err = r.b.pullSubscription(cons, r.spec.Name)
	}
	if err != nil {
		rctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_ = r.l.release(rctx)
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		r.log.Warn("creating the consumer; trying again", "err", err)
		return errRestart
	}
	defer func() {
		if r.ahead != nil {
			<-r.ahead.done // its messages stay ahead of the saved position
			r.ahead = nil
		}
		_ = r.sub.Unsubscribe()
	}()
	beatCtx, stopBeat := context.WithCancel(context.WithoutCancel(ctx))
	lost := make(chan struct{})
	go r.heartbeat(beatCtx, lost)
	var flight []*inflight // the batches whose commits run (or ran), oldest first
	defer func() {
		r.land(&flight, 0)
		stopBeat()
		final, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err := r.save(final)
		if err == nil {
			err = r.l.release(final)
		}
		if err != nil && !errors.Is(err, errLeaseLost) {
			r.log.Warn("saving the final position; the next holder starts from the one saved before", "err", err)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-r.b.stop:
			return nil
		case <-r.b.closed:
			return nil
		case <-lost:
			return errLeaseLost
		default:
		}
		next, err := r.gather(ctx)
		if err != nil {
			// What was fetched stays ahead of the saved position; the
			// messages of a broken fetch come again from the server.
			r.giveBack(next)
			if ctx.Err() != nil || errors.Is(err, nats.ErrConnectionClosed) {
				return nil
			}
			r.log.Warn("fetching messages; starting again from the saved position", "err", err)
			return errRestart
		}
		if len(next.ds) == 0 {
			r.land(&flight, 0)
			if err := r.save(ctx); errors.Is(err, errLeaseLost) {
				return err
			}
			continue
		}
		// The position (and how often its first message was handed out) is
		// saved while the batch is prepared, and before it commits: a
		// process that dies mid-batch leaves the count behind.
		seq, attempts := r.position(append(flight[:len(flight):len(flight)], next)...)
		saved := make(chan error, 1)
		go func() { saved <- r.l.save(ctx, seq, attempts) }()
		// The handler's first stage runs while earlier batches commit; up
		// to spec.Commits commits run at once, started and settled in order.
		next.prepare(ctx, r.spec, r.h)
		if err := <-saved; errors.Is(err, errLeaseLost) {
			return err // next was only prepared: it changed nothing
		} else if err != nil {
			r.log.Warn("saving the position", "err", err)
		}
		r.land(&flight, r.spec.Commits-1)
		go next.commit()
		flight = append(flight, next)
	}
}

// land settles the oldest batches in flight, waiting for their commits,
// until at most keep remain.
func (r *batchRun) land(flight *[]*inflight, keep int) {
	for len(*flight) > keep {
		r.settle((*flight)[0])
		*flight = (*flight)[1:]
	}
}

// gather collects the next batch: the retries that are due, else the
// messages of the fetch asked for while the previous batch was handled.
func (r *batchRun) gather(ctx context.Context) (*inflight, error) {
	f := &inflight{done: make(chan struct{})}
	now := time.Now()
	keep := make([]pending, 0, len(r.retries))
	for _, p := range r.retries {
		if len(f.ds) == r.max || p.due.After(now) {
			keep = append(keep, p)
			continue
		}
		p.d.Attempt++
		r.admit(f, p.d, p.seq, p.cause)
	}
	r.retries = keep
	if len(f.ds) > 0 {
		return f, nil
	}
	if r.ahead == nil {
		if len(r.retries) >= 4*r.max {
			r.b.pause(ctx, r.wait) // too much waits for a retry: no new messages meanwhile (the loop sees a stop)
			return f, nil
		}
		n := r.max
		if !r.fetched && r.head > 0 {
			n = 1 // a message that ended a process's run goes alone
		}
		r.ahead = startFetch(r.sub, n, r.wait)
	}
	batch := r.ahead
	r.ahead = nil
	<-batch.done
	for _, msg := range batch.msgs {
		md, err := msg.Metadata()
		if err != nil {
			return f, fmt.Errorf("message without metadata: %w", err)
		}
		d := r.b.deliveryOf(msg.Subject, msg.Data, msg.Header, false)
		d.Attempt = 1
		if !r.fetched {
			r.fetched = true
			d.Attempt += r.head
		}
		r.last = md.Sequence.Stream
		r.admit(f, d, md.Sequence.Stream, nil)
	}
	if err := batch.err; err != nil && !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) {
		return f, err
	}
	// Ask for the next batch now: the server sends it while this one is
	// prepared and committed.
	if len(f.ds) > 0 && len(r.retries) < 4*r.max {
		r.ahead = startFetch(r.sub, r.max, r.wait)
	}
	return f, nil
}

// errRestart asks for the consumer to be created again at the saved position.
var errRestart = errors.New("consumer restarts from its saved position")

// giveBack keeps a gathered batch that will not be handed out among the
// messages without an outcome, so that the position stays before them.
func (r *batchRun) giveBack(f *inflight) {
	for i, d := range f.ds {
		d.Attempt-- // it was not handed out after all
		r.retries = append(r.retries, pending{d: d, seq: f.seqs[i], due: time.Now()})
	}
	f.ds, f.seqs = nil, nil
}

// admit adds d to the batch, or dead-letters it when its attempts ran out
// without an outcome (its handler overran the budget, or processes died).
func (r *batchRun) admit(f *inflight, d ports.Delivery, seq uint64, cause error) {
	if d.Attempt <= r.spec.MaxDeliver {
		f.ds, f.seqs = append(f.ds, d), append(f.seqs, seq)
		return
	}
	if cause == nil {
		cause = fmt.Errorf("no outcome after %d deliveries (handler overran ack_wait or its process died)", r.spec.MaxDeliver)
	}
	r.deadLetter(d, seq, cause)
}

// settle waits for a batch's commit and settles each message by its own
// outcome: done, retried after backoff, or dead-lettered.
func (r *batchRun) settle(f *inflight) {
	if f == nil {
		return
	}
	<-f.done
	for i, d := range f.ds {
		var err error
		if f.errs != nil {
			err = f.errs[i]
		}
		switch {
		case err == nil:
		case ports.Is(ports.Invalid, err), ports.Is(ports.Unknown, err), d.Attempt >= r.spec.MaxDeliver:
			r.deadLetter(d, f.seqs[i], err)
		default:
			delay := r.spec.BackoffAfter(d.Attempt)
			r.log.Info("handler failed; will retry", "id", d.ID, "attempt", d.Attempt, "delay", delay, "err", err)
			r.retries = append(r.retries, pending{d: d, seq: f.seqs[i], due: time.Now().Add(delay), cause: err})
		}
	}
}

// deadLetter stores d as a dead letter; if that fails, d waits for another
// try, so nothing is lost.
func (r *batchRun) deadLetter(d ports.Delivery, seq uint64, cause error) {
	text := oneLine(cause.Error())
	if err := r.b.deadLetter(r.spec, d, text); err != nil {
		r.log.Warn("storing dead letter failed; will retry", "id", d.ID, "err", err)
		r.retries = append(r.retries, pending{d: d, seq: seq, due: time.Now().Add(r.spec.BackoffAfter(d.Attempt)), cause: cause})
		return
	}
	r.log.Warn("dead-lettered", "id", d.ID, "attempt", d.Attempt, "err", text)
}

// save records the position of the retries and the given batches.
func (r *batchRun) save(ctx context.Context, batches ...*inflight) error {
	seq, attempts := r.position(batches...)
	return r.l.save(ctx, seq, attempts)
}

// position is where the consumer stands: just before the first message
// without an outcome among the retries and the batches on their way (in
// flight or about to be handed out), else at the last message fetched; and
// how often that first message was handed out.
func (r *batchRun) position(batches ...*inflight) (seq uint64, attempts int) {
	seq = r.last
	if !r.fetched {
		attempts = r.head // nothing fetched yet: the count stands
	}
	for _, p := range r.retries {
		if p.seq <= seq {
			seq, attempts = p.seq-1, p.d.Attempt
		}
	}
	for _, f := range batches {
		if f == nil {
			continue
		}
		for i, s := range f.seqs {
			if s <= seq {
				seq, attempts = s-1, f.ds[i].Attempt
			}
		}
	}
	return seq, attempts
}

// heartbeat renews the lease until ctx ends; it closes lost when another
// process has taken the consumer over.
func (r *batchRun) heartbeat(ctx context.Context, lost chan<- struct{}) {
	t := time.NewTicker(r.b.cfg.LeaseTTL / 5)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		switch err := r.l.beat(ctx); {
		case errors.Is(err, errLeaseLost):
			close(lost)
			return
		case err != nil && ctx.Err() == nil:
			r.log.Warn("renewing the consumer's lease", "err", err)
		}
	}
}

// positionConsumer (re)creates the durable as an unacknowledged pull
// consumer that delivers from just after seq.
func (b *Bus) positionConsumer(ctx context.Context, spec ports.ConsumerSpec, seq uint64) (jetstream.Consumer, error) {
	if err := b.js.DeleteConsumer(ctx, b.cfg.Stream, spec.Name); err != nil && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return nil, err
	}
	cfg := jetstream.ConsumerConfig{Durable: spec.Name, FilterSubject: b.evt + spec.Filter(),
		AckPolicy: jetstream.AckNonePolicy, DeliverPolicy: jetstream.DeliverAllPolicy}
	if seq > 0 {
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, seq+1
		if s, err := b.js.Stream(ctx, b.cfg.Stream); err == nil && s.CachedInfo().State.FirstSeq > seq+1 {
			b.log.Error("messages left the stream (max_age or limits) before this consumer settled them",
				"consumer", spec.Name, "from_seq", seq+1, "to_seq", s.CachedInfo().State.FirstSeq-1)
		}
	}
	return b.js.CreateConsumer(ctx, b.cfg.Stream, cfg)
}
