package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// Bus topics of claims intake: <tenant>.<org>.claims.json carries revhub
// claim JSON (one claim or an array), <tenant>.<org>.claims.fhir a FHIR
// Bundle of Claims and ClaimResponses; TopicClaims filters both.
const (
	TopicClaims     = "claims.>"
	TopicClaimsJSON = "claims." + ClaimsJSON
	TopicClaimsFHIR = "claims." + ClaimsFHIR
)

// ClaimsBatchHandler takes claims from the bus: each tenant's messages of a
// batch are stored in one transaction, idempotent by claim id and version
// (a redelivered message changes nothing). A message with a bad payload, an
// invalid claim or a claim version stored before with other content is
// dead-lettered at once (Kind Invalid) with an error naming the message,
// the claim and the field; the other messages are acked. A store failure
// fails the tenant's messages, which are retried.
func ClaimsBatchHandler(s ports.Store, clock func() time.Time) ports.BatchHandler {
	return func(ctx context.Context, ds []ports.Delivery) []error {
		const op = "claims.consume"
		errs := make([]error, len(ds))
		var tenants []string
		srcs := map[string][]ClaimSource{}
		owner := map[string][]int{}   // tenant → the delivery of each of its sources
		first := make([]int, len(ds)) // delivery → the position of its first source in its tenant's batch
		for i, d := range ds {
			tenant, _, topic, err := ports.ParseSubject(d.Subject)
			if err != nil {
				errs[i] = ports.E(op, ports.Invalid, err)
				continue
			}
			format, ok := strings.CutPrefix(topic, "claims.")
			if !ok || (format != ClaimsJSON && format != ClaimsFHIR) {
				errs[i] = ports.E(op, ports.Invalid, fmt.Errorf("message %s: topic %q: want %s or %s", d.ID, topic, TopicClaimsJSON, TopicClaimsFHIR))
				continue
			}
			ss, err := ClaimSourcesOf(format, d.Data, settlement.FHIROptions{})
			if err != nil {
				errs[i] = ports.E(op, ports.Invalid, fmt.Errorf("message %s: %w", d.ID, err))
				continue
			}
			if _, seen := srcs[tenant]; !seen {
				tenants = append(tenants, tenant)
			}
			first[i] = len(srcs[tenant])
			srcs[tenant] = append(srcs[tenant], ss...)
			for range ss {
				owner[tenant] = append(owner[tenant], i)
			}
		}
		for _, t := range tenants {
			rep, err := IntakeClaims(ctx, s, t, srcs[t], clock())
			for _, i := range owner[t] {
				if err != nil {
					errs[i] = err
				}
			}
			if err != nil {
				continue
			}
			for _, rc := range rep.Rejected {
				i := owner[t][rc.Index]
				if errs[i] == nil {
					errs[i] = ports.E(op, ports.Invalid, fmt.Errorf("message %s: claim %d (%s v%d): %w", ds[i].ID, rc.Index-first[i], rc.ID, rc.Version, rc.Errors))
				}
			}
			for k, j := range rep.ConflictIndex {
				i := owner[t][j]
				if errs[i] == nil {
					c := rep.Conflicts[k]
					errs[i] = ports.E(op, ports.Invalid, fmt.Errorf("message %s: claim %s version %d was stored before with other content; send a new version", ds[i].ID, c.ID, c.Version))
				}
			}
		}
		return errs
	}
}
