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
