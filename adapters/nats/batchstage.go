package nats

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/revhub/revhub/ports"
)

// inflight is one fetched batch on its way through the handler's stages.
type inflight struct {
	ds     []ports.Delivery
	seqs   []uint64 // each delivery's stream sequence
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
