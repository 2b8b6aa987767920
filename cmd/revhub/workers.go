package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/revhub/revhub/adapters/invoicedelivery"
	"github.com/revhub/revhub/adapters/kit/holder"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/core/ledger"
	"github.com/revhub/revhub/mappings"
	"github.com/revhub/revhub/ports"
)

// captureBatch and claimsBatch are the most FHIR events and claims
// messages serve ingests in one transaction.
const (
	captureBatch = 500
	claimsBatch  = 500
)

// outboxBatch and outboxLease: one item claimed at a time, for longer than
// any adapter's timeout, so it is delivered before its lease can run out and
// no other replica claims it meanwhile; an item whose worker died is
// claimed again when the lease ends.
const (
	outboxBatch = 1
	outboxLease = time.Minute
)

// outboxInterval is how often serve's outbox worker looks for due items.
var outboxInterval = 1 * time.Second

func init() {
	addWorker(startCapture)
	addWorker(startClaims)
	addWorker(startOutbox)
}

// startCapture consumes FHIR events (<tenant>.<org>.fhir) into charge
// items under the durable consumer "capture".
func startCapture(ctx context.Context, hb *hub) (func(), error) {
	if hb.bus == nil {
		return func() {}, nil
	}
	svc, err := hb.services()
	if err != nil {
		return nil, err
	}
	// Capture's commits check versions and redo a batch that lost a race
	// (see app.Planned.Commit): the next batch may commit beside this one.
	spec := ports.ConsumerSpec{Name: "capture", Topic: app.TopicFHIR, Backoff: consumerBackoff, Commits: 2}
	return consume(ctx, hb, spec, captureBatch, app.CaptureBatchHandler(svc.capture, hb.deps.Now), app.CaptureHandler(svc.capture, hb.deps.Now)), nil
}

// startClaims consumes adjudicated claims (<tenant>.<org>.claims.json and
// .claims.fhir) under the durable consumer "claims".
func startClaims(ctx context.Context, hb *hub) (func(), error) {
	if hb.bus == nil {
		return func() {}, nil
	}
	spec := ports.ConsumerSpec{Name: "claims", Topic: app.TopicClaims, Backoff: consumerBackoff}
	bh := app.ClaimsBatchHandler(hb.store, hb.deps.Now)
	return consume(ctx, hb, spec, claimsBatch, bh, func(ctx context.Context, d ports.Delivery) error { return bh(ctx, []ports.Delivery{d})(ctx)[0] }), nil
}

// consumerBackoff spaces the retries of serve's consumers.
var consumerBackoff = []time.Duration{time.Second, 5 * time.Second, 30 * time.Second}

// consume runs a durable consumer in the background until the returned
// stop is called: batches of up to batch messages in one transaction when
// the bus can (thousands of events/s instead of one commit each), else one
// message at a time.
func consume(ctx context.Context, hb *hub, spec ports.ConsumerSpec, batch int, bh ports.BatchHandler, h ports.Handler) func() {
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		var err error
		if bc, ok := hb.bus.(ports.BatchConsumer); ok {
			err = bc.ConsumeBatch(ctx, spec, batch, 50*time.Millisecond, bh)
		} else {
			err = hb.bus.Consume(ctx, spec, h)
		}
		if err != nil && ctx.Err() == nil {
			hb.deps.Logger.Error("consumer stopped", "consumer", spec.Name, "err", err)
		}
	}()
	return func() { cancel(); <-done }
}

// startOutbox delivers due outbox items every outboxInterval.
func startOutbox(ctx context.Context, hb *hub) (func(), error) {
	var mu sync.Mutex
	breakers := map[string]*delivery.Breaker{}
	// Small batches with a long lease: every claimed item is delivered well
	// before its lease runs out, so no other replica can claim it meanwhile.
	w := &app.OutboxWorker{Store: hb.store, Resolve: newResolver(hb).resolve, Worker: holder.New(),
		Batch: outboxBatch, Lease: outboxLease,
		Gone: func(h string) bool {
			// A process of this machine and pid namespace that ended
			// (killed, crashed) holds no lease: its deliveries resume
			// now, not when the lease runs out.
			if holder.Gone(h) {
				hb.deps.Logger.Warn("a process that ended holds deliveries; taking them over", "holder", h)
				return true
			}
			return false
		},
		Breakers: func(it ports.OutboxItem) *delivery.Breaker {
			// One breaker per tenant, organization and binding: one tenant's
			// failing ERP never pauses another's deliveries.
			key := it.Tenant + "/" + it.Org + "/" + it.Binding
			mu.Lock()
			defer mu.Unlock()
			b := breakers[key]
			if b == nil {
				b = delivery.DefaultBreaker()
				breakers[key] = b
			}
			return b
		}}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(outboxInterval)
		defer tick.Stop()
		for {
			for {
				rep, err := w.RunOnce(ctx, hb.deps.Now())
				if err != nil && ctx.Err() == nil {
					hb.deps.Logger.Warn("outbox round failed", "err", err)
				}
				if err != nil || rep.Claimed == 0 || rep.Claimed == rep.Paused {
					break
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
	return func() { cancel(); <-done }, nil
}

// resolver maps an outbox item's binding ("payout_delivery/sftp") to the
// adapter bound for its organization, built once per (tenant, org, binding).
type resolver struct {
	hb    *hub
	mu    sync.Mutex
	cache map[string]ports.Deliverer
}

func newResolver(hb *hub) *resolver { return &resolver{hb: hb, cache: map[string]ports.Deliverer{}} }

func (r *resolver) resolve(_ context.Context, it ports.OutboxItem) (ports.Deliverer, error) {
	const op = "outbox.resolve"
	key := it.Tenant + "/" + it.Org + "/" + it.Binding
	r.mu.Lock()
	defer r.mu.Unlock()
	if d, ok := r.cache[key]; ok {
		return d, nil
	}
	port, adapter, _ := strings.Cut(it.Binding, "/")
	if r.hb.cfg == nil {
		return nil, ports.E(op, ports.Unavailable, fmt.Errorf("no deliverer for binding %s: no mappings loaded", it.Binding))
	}
	if name, _, ok := r.hb.cfg.Binding(it.Tenant, it.Org, port); !ok || name != adapter {
		return nil, ports.E(op, ports.Unavailable, fmt.Errorf("no deliverer for binding %s: organization %s binds %s to %q", it.Binding, it.Org, port, name))
	}
	var d ports.Deliverer
	var err error
	if _, registered := ports.LookupAdapter(port, adapter); !registered {
		err = errNoDeliverer // a planned adapter that has not landed yet
	} else {
		d, err = r.build(it.Tenant, it.Org, port)
	}
	if errors.Is(err, errNoDeliverer) {
		return nil, ports.E(op, ports.Unavailable, fmt.Errorf("no deliverer for binding %s", it.Binding))
	}
	if err != nil {
		return nil, ports.E(op, ports.Unavailable, fmt.Errorf("binding %s: %w", it.Binding, err))
	}
	r.cache[key] = d
	return d, nil
}

// build makes the Deliverer of one port bound for an organization.
func (r *resolver) build(tenant, org, port string) (ports.Deliverer, error) {
	switch port {
	case ports.FileDrops.Port():
		fd, err := mappings.Bind(r.hb.cfg, ports.FileDrops, tenant, org, r.hb.deps)
		if err != nil {
			return nil, err
		}
		return fileDrop{fd}, nil
	case ports.GLExporters.Port():
		exp, err := mappings.Bind(r.hb.cfg, ports.GLExporters, tenant, org, r.hb.deps)
		if err != nil {
			return nil, err
		}
		o, _ := r.hb.cfg.Org(tenant, org)
		return glPost{exp: exp, org: o}, nil
	case ports.InvoiceDeliverers.Port():
		ch, err := mappings.Bind(r.hb.cfg, ports.InvoiceDeliverers, tenant, org, r.hb.deps)
		if err != nil {
			return nil, err
		}
		out := &invoicedelivery.Outbox{Channel: ch, Store: r.hb.store, Now: r.hb.deps.Now}
		if _, _, ok := r.hb.cfg.Binding(tenant, org, ports.EInvoiceFormats.Port()); ok {
			f, err := mappings.Bind(r.hb.cfg, ports.EInvoiceFormats, tenant, org, r.hb.deps)
			if err != nil {
				return nil, err
			}
			out.Renderers = append(out.Renderers, invoicedelivery.FormatterRenderer{F: f})
		}
		if _, _, ok := r.hb.cfg.Binding(tenant, org, ports.InvoiceRenderers.Port()); ok {
			rd, err := mappings.Bind(r.hb.cfg, ports.InvoiceRenderers, tenant, org, r.hb.deps)
			if err != nil {
				return nil, err
			}
			out.Renderers = append(out.Renderers, rd)
		}
		return out, nil
	}
	return nil, errNoDeliverer
}

// errNoDeliverer: the hub has no way yet to deliver to the port.
var errNoDeliverer = errors.New("no deliverer")

// fileDrop delivers a "payout.file" item (payload: ports.PayoutFile as
// JSON) through a FileDropper, keyed by the item's idempotency key.
type fileDrop struct{ fd ports.FileDropper }

func (d fileDrop) Deliver(ctx context.Context, it ports.OutboxItem) error {
	var f ports.PayoutFile
	if err := json.Unmarshal(it.Payload, &f); err != nil || f.Name == "" {
		return ports.E("outbox.file_drop", ports.Invalid, fmt.Errorf("item %s: payload is not a payout file: %v", it.ID, err))
	}
	_, err := d.fd.Drop(ctx, f.Name, f.Body, it.IdempotencyKey)
	return err
}

// glPost delivers a "charge.post" item (payload: app.Journal) as one
// balanced ledger batch: unbilled receivable against revenue, accounts from
// the organization's chart-of-accounts map.
type glPost struct {
	exp ports.GLExporter
	org *mappings.Org
}

func (g glPost) Deliver(ctx context.Context, it ports.OutboxItem) error {
	const op = "outbox.gl_export"
	var j app.Journal
	if err := json.Unmarshal(it.Payload, &j); err != nil || len(j.Lines) == 0 {
		return ports.E(op, ports.Invalid, fmt.Errorf("item %s: payload is not a revenue journal: %v", it.ID, err))
	}
	debit, credit := g.account("receivable.unbilled", "receivable.insurer"), g.account("revenue."+g.module(), "revenue.outpatient", "revenue")
	if debit == "" || credit == "" {
		return ports.E(op, ports.Invalid, fmt.Errorf("organization %s maps no receivable or revenue account (accounts: receivable.unbilled or receivable.insurer, revenue.<module>)", it.Org))
	}
	ps := make([]ledger.Posting, len(j.Lines))
	for i, l := range j.Lines {
		ps[i] = ledger.Posting{Ref: l.ID, Memo: l.Kind + " " + l.Reason, Amount: l.Amount}
	}
	b := ledger.FromPostings(fmt.Sprintf("JRN-%s-%08d", it.Org, j.Number), it.CreatedAt, debit, credit, "", ps)
	b.Tenant, b.Org = it.Tenant, it.Org
	_, err := g.exp.Export(ctx, b)
	return err
}

func (g glPost) account(keys ...string) string {
	if g.org == nil {
		return ""
	}
	for _, k := range keys {
		if a := g.org.Accounts[k]; a != "" {
			return a
		}
	}
	return ""
}

func (g glPost) module() string {
	if g.org == nil || g.org.Capture == nil {
		return ""
	}
	return g.org.Capture.Module
}

// parseArgs parses flags that may come before and after positional
// arguments ("--tenant T ID --reason R") and returns the positionals.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
