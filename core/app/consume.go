package app

import (
	"context"
	"fmt"
	"time"

	"github.com/revhub/revhub/ports"
)

// TopicFHIR is the bus topic FHIR events arrive on: <tenant>.<org>.fhir.
const TopicFHIR = "fhir"

// CaptureHandler consumes FHIR events from the bus. The message is acked
// only after its charge items are committed; bad input is rejected as
// Kind Invalid so the bus dead-letters it at once with the field named.
func CaptureHandler(c *Capturer, clock func() time.Time) ports.Handler {
	return func(ctx context.Context, d ports.Delivery) error {
		tenant, org, _, err := ports.ParseSubject(d.Subject)
		if err != nil {
			return ports.E("capture.consume", ports.Invalid, err)
		}
		outs, err := c.Ingest(ctx, []Envelope{{Tenant: tenant, Org: org, Source: "bus:" + d.Subject + "#" + d.ID, Payload: d.Data}}, clock())
		if err != nil {
			return err // store trouble: retried with backoff
		}
		if outs[0].Err != nil {
			return ports.E("capture.consume", ports.Invalid, fmt.Errorf("message %s: %w", d.ID, outs[0].Err))
		}
		return nil
	}
}

// CaptureBatchHandler is CaptureHandler for a BatchConsumer: the batch is
// planned (decoded, priced and decided against the committed charge items)
// first, then written in one transaction when the consumer commits it, and
// each message is settled by its own outcome (bad input dead-lettered as
// Kind Invalid, the rest acked). A store failure fails the whole batch,
// which is retried.
func CaptureBatchHandler(c *Capturer, clock func() time.Time) ports.BatchHandler {
	return func(ctx context.Context, ds []ports.Delivery) ports.BatchCommit {
		errs := make([]error, len(ds))
		envs := make([]Envelope, 0, len(ds))
		idx := make([]int, 0, len(ds))
		for i, d := range ds {
			tenant, org, _, err := ports.ParseSubject(d.Subject)
			if err != nil {
				errs[i] = ports.E("capture.consume", ports.Invalid, err)
				continue
			}
			envs = append(envs, Envelope{Tenant: tenant, Org: org, Source: "bus:" + d.Subject + "#" + d.ID, Payload: d.Data})
			idx = append(idx, i)
		}
		p := c.Plan(envs)
		p.Predecide(ctx, clock())
		return func(ctx context.Context) []error {
			outs, err := p.Commit(ctx, clock())
			for j, i := range idx {
				switch {
				case err != nil:
					errs[i] = err
				case outs[j].Err != nil:
					errs[i] = ports.E("capture.consume", ports.Invalid, fmt.Errorf("message %s: %w", ds[i].ID, outs[j].Err))
				}
			}
			return errs
		}
	}
}
