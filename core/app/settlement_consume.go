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
// fails the tenant's messages, which are retried. Decoding is the first
// stage; the store writes wait for the commit.
func ClaimsBatchHandler(s ports.Store, clock func() time.Time) ports.BatchHandler {
	return func(_ context.Context, ds []ports.Delivery) ports.BatchCommit {
		b := claimsBatch{ds: ds, errs: make([]error, len(ds)), srcs: map[string][]ClaimSource{}, owner: map[string][]int{}, first: make([]int, len(ds))}
		for i, d := range ds {
			b.errs[i] = b.add(i, d)
		}
		return func(ctx context.Context) []error { return b.commit(ctx, s, clock()) }
	}
}

// claimsBatch is one batch of claim messages, decoded and grouped by tenant.
type claimsBatch struct {
	ds      []ports.Delivery
	errs    []error
	tenants []string
	srcs    map[string][]ClaimSource
	owner   map[string][]int // tenant → the delivery of each of its sources
	first   []int            // delivery → the position of its first source in its tenant's batch
}

const opClaimsConsume = "claims.consume"

// add decodes delivery i; an error dead-letters it.
func (b *claimsBatch) add(i int, d ports.Delivery) error {
	tenant, _, topic, err := ports.ParseSubject(d.Subject)
	if err != nil {
		return ports.E(opClaimsConsume, ports.Invalid, err)
	}
	format, ok := strings.CutPrefix(topic, "claims.")
	if !ok || (format != ClaimsJSON && format != ClaimsFHIR) {
		return ports.E(opClaimsConsume, ports.Invalid, fmt.Errorf("message %s: topic %q: want %s or %s", d.ID, topic, TopicClaimsJSON, TopicClaimsFHIR))
	}
	ss, err := ClaimSourcesOf(format, d.Data, settlement.FHIROptions{})
	if err != nil {
		return ports.E(opClaimsConsume, ports.Invalid, fmt.Errorf("message %s: %w", d.ID, err))
	}
	if _, seen := b.srcs[tenant]; !seen {
		b.tenants = append(b.tenants, tenant)
	}
	b.first[i] = len(b.srcs[tenant])
	b.srcs[tenant] = append(b.srcs[tenant], ss...)
	for range ss {
		b.owner[tenant] = append(b.owner[tenant], i)
	}
	return nil
}

// commit stores each tenant's claims in one transaction and settles each
// delivery by its claims' outcome.
func (b *claimsBatch) commit(ctx context.Context, s ports.Store, now time.Time) []error {
	errs, ds := b.errs, b.ds
	for _, t := range b.tenants {
		rep, err := IntakeClaims(ctx, s, t, b.srcs[t], now)
		if err != nil {
			for _, i := range b.owner[t] {
				errs[i] = err
			}
			continue
		}
		for _, rc := range rep.Rejected {
			i := b.owner[t][rc.Index]
			if errs[i] == nil {
				errs[i] = ports.E(opClaimsConsume, ports.Invalid, fmt.Errorf("message %s: claim %d (%s v%d): %w", ds[i].ID, rc.Index-b.first[i], rc.ID, rc.Version, rc.Errors))
			}
		}
		for k, j := range rep.ConflictIndex {
			i := b.owner[t][j]
			if errs[i] == nil {
				c := rep.Conflicts[k]
				errs[i] = ports.E(opClaimsConsume, ports.Invalid, fmt.Errorf("message %s: claim %s version %d was stored before with other content; send a new version", ds[i].ID, c.ID, c.Version))
			}
		}
	}
	return errs
}
