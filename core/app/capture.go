package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"sync/atomic"
	"time"

	"github.com/revhub/revhub/core/capture"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// Document kinds written by capture.
const (
	KindChargeItem = "charge_item"
	KindAdjustment = "charge_adjustment"
)

// Priced is a line's price: the amount, the unit price and the trace that
// explains it (price entry, precedence step, rules applied).
type Priced struct {
	Amount    money.Amount
	UnitPrice money.Rate
	Trace     json.RawMessage
}

// PriceFunc prices one billable line of an intent for (tenant, org).
type PriceFunc func(tenant, org string, in capture.Intent, l capture.Line) (Priced, error)

// Capturer turns FHIR events into priced charge items, exactly once per
// source version, with audited adjustments.
type Capturer struct {
	Store ports.Store
	Rules func(tenant, org string) (capture.Rules, error)
	Price PriceFunc
	// Posting returns the binding that receives revenue postings for an
	// org ("gl_export/sap_idoc"), or "" for none.
	Posting func(tenant, org string) string
	Actor   string // who capture acts as in the audit log

	// lookAll is how many more batches Predecide looks every charge item
	// up for, first versions included (see Predecide).
	lookAll atomic.Int32
}

// lookAllBatches is how many batches Predecide looks every item up for
// after one met a first version's item stored: a stream with scattered
// redeliveries then decides again at Commit at most once in that many
// batches, instead of every other one.
const lookAllBatches = 16

// Envelope is one inbound payload: a FHIR resource or Bundle.
type Envelope struct {
	Tenant, Org string
	Source      string // "nats:revhub.evt.acme.berlin.fhir" or "api"
	Payload     []byte // stored as is; must not change once given to capture
	Artifact    string // the artifact already keeping Payload (a replay), or "" to keep it
}

// Outcome is what one envelope did.
type Outcome struct {
	Artifact string         // the payload kept: "<artifact>", or "<pack>:<line>" for one of a batch's (see archive.go)
	Actions  capture.Counts // how many lines took each capture action
	Items    []string       // charge item ids touched
	Err      error          // bad input: nothing was written for this envelope
	Problems []*validate.FieldError
}

// ChargeItem is the stored body of a charge item. Its first charge has no
// adjustment document: the item records it in Charge, so the money it
// moved is Charge plus its adjustments.
type ChargeItem struct {
	ID        string        `json:"id"`
	Key       string        `json:"key"`      // source reference, "Procedure/p1" or "...#fee:admin"
	Source    string        `json:"source"`   // the FHIR resource, "Procedure/p1"
	Version   int64         `json:"version"`  // newest source version applied
	Revision  int           `json:"revision"` // bumps with each replacement
	Active    bool          `json:"active"`   // false once reversed
	Service   string        `json:"service"`
	Quantity  money.Rate    `json:"quantity"`
	UnitPrice money.Rate    `json:"unit_price"`
	Amount    *money.Amount `json:"amount,omitempty"`
	// Charge is revision 1's amount: the first charge has no adjustment
	// document, so an item's money is Charge plus its adjustments.
	Charge    *money.Amount `json:"charge,omitempty"`
	When      time.Time     `json:"when"`
	Subject   string        `json:"subject"`
	Encounter string        `json:"encounter,omitempty"`
	Org       string        `json:"org"`
	Artifact  string        `json:"artifact"` // the raw payload of the version applied
	// TraceRef names the item's pricing trace among the tenant's
	// PricingTraces, where a stored item keeps it. Trace holds the trace
	// itself while the item is priced, and in items stored before traces
	// were kept apart.
	TraceRef string          `json:"trace_ref,omitempty"`
	Trace    json.RawMessage `json:"trace,omitempty"`
}

// Adjustment is the stored body of a reversal, a replacement or a charge
// after a reversal; every adjustment, first charges included, is posted.
type Adjustment struct {
	ID         string       `json:"id"`
	ChargeItem string       `json:"charge_item"`
	Kind       string       `json:"kind"` // "charge", "reversal", "replacement"
	Revision   int          `json:"revision"`
	Amount     money.Amount `json:"amount"` // signed: reversals are negative
	Version    int64        `json:"source_version"`
	Artifact   string       `json:"artifact"` // the raw payload that caused it
	Reason     string       `json:"reason"`
}

type plannedLine struct {
	line   capture.Line
	priced Priced
	id     string // ChargeItemID of the line's key
}

type plannedIntent struct {
	in    capture.Intent
	lines []plannedLine
}

// Ingest applies a batch of envelopes in one transaction. An envelope with
// bad input gets its Err and writes nothing; the others apply. Redelivered or
// replayed envelopes change nothing (each source version applies once).
func (c *Capturer) Ingest(ctx context.Context, envs []Envelope, now time.Time) ([]Outcome, error) {
	return c.Plan(envs).Commit(ctx, now)
}

// Planned is a batch of envelopes decoded, evaluated and priced: the part
// of Ingest that writes nothing, so that a consumer can plan the next batch
// while the previous one commits.
type Planned struct {
	c     *Capturer
	envs  []Envelope
	plans [][]plannedIntent
	errs  []error
	pre   *batch // decided by Predecide, nil if not
	outs  []Outcome
}

// Plan decodes, evaluates and prices a batch of envelopes.
func (c *Capturer) Plan(envs []Envelope) *Planned {
	p := &Planned{c: c, envs: envs, plans: make([][]plannedIntent, len(envs)), errs: make([]error, len(envs))}
	for i, e := range envs {
		p.plans[i], p.errs[i] = c.plan(e)
	}
	return p
}

// Predecide decides the batch against the charge items and artifacts as
// committed now, outside the write transaction, so that Commit only writes.
// The writes are conditional (a charge item or artifact is created only if
// still missing, a charge item updated only at the version read): if one
// changed meanwhile, Commit decides again inside its transaction. Without
// Predecide, or if it fails, Commit decides inside its transaction.
//
// The charge item of a source's first version is assumed new, without a
// lookup, unless the batch also holds a later version of that source: in a
// live stream it almost always is. Where it is not (a redelivery or a
// replay), the item's create conflicts at Commit, which then decides
// again, and the Capturer looks every item up until lookAllBatches batches
// in a row have found none of their first versions' items stored.
func (p *Planned) Predecide(ctx context.Context, now time.Time) {
	outs := p.fresh()
	assume := p.c.lookAll.Load() <= 0
	err := p.c.Store.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		b, err := p.c.decideBatch(ctx, tx, p.envs, p.plans, outs, applyOpts{assumeNew: assume}, now)
		if err != nil {
			return err
		}
		if !assume {
			if b.firstsStored > 0 {
				p.c.lookAll.Store(lookAllBatches)
			} else {
				p.c.lookAll.Add(-1)
			}
		}
		p.pre = b
		b.arts, err = tx.Artifacts().Missing(ctx, b.arts)
		b.artsNew = true
		return err
	})
	if err != nil {
		p.pre = nil
		return
	}
	p.outs = outs
}

// Commit applies a planned batch in one transaction, as Ingest does; now
// dates what it decides.
func (p *Planned) Commit(ctx context.Context, now time.Time) ([]Outcome, error) {
	var outs []Outcome
	var err error
	if p.pre != nil {
		outs = p.outs
		err = p.c.Store.Update(ctx, func(ctx context.Context, tx ports.Tx) error { return p.pre.write(ctx, tx) })
		p.pre.release()
		if p.pre.o.assumeNew && ports.Is(ports.Conflict, err) {
			p.c.lookAll.Store(lookAllBatches)
		}
	}
	// A batch that lost a race to a batch committing beside it is decided
	// again inside its own transaction, a few times before it gives up (its
	// messages then come again after the consumer's backoff).
	again := p.pre == nil || ports.Is(ports.Conflict, err)
	for try := 0; again && try < 3; try++ {
		err = p.c.Store.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
			outs = p.fresh()
			return p.c.applyBatch(ctx, tx, p.envs, p.plans, outs, applyOpts{}, now)
		})
		again = ports.Is(ports.Conflict, err)
	}
	if err != nil {
		return nil, err
	}
	for i := range outs {
		if outs[i].Err == nil {
			continue
		}
		var es validate.Errors
		if errors.As(outs[i].Err, &es) {
			outs[i].Problems = es
		} else if fe := (*validate.FieldError)(nil); errors.As(outs[i].Err, &fe) {
			outs[i].Problems = []*validate.FieldError{fe}
		}
	}
	return outs, nil
}

// fresh returns the outcomes before anything is decided.
func (p *Planned) fresh() []Outcome {
	outs := make([]Outcome, len(p.envs))
	for i := range outs {
		outs[i] = Outcome{Err: p.errs[i]}
	}
	return outs
}

func (c *Capturer) plan(e Envelope) ([]plannedIntent, error) {
	rules, err := c.Rules(e.Tenant, e.Org)
	if err != nil {
		return nil, &validate.FieldError{Path: "organization", Code: "unknown_organization", Msg: err.Error(), Err: err}
	}
	rs, err := capture.Parse(e.Payload)
	if err != nil {
		return nil, err
	}
	var errs validate.Errors
	out := make([]plannedIntent, 0, len(rs))
	for i, r := range rs {
		in, err := capture.Evaluate(r, rules)
		if err != nil {
			errs.Merge(entryPath(len(rs), i), err)
			continue
		}
		p := plannedIntent{in: in}
		for _, l := range in.Lines {
			pl := plannedLine{line: l, id: ChargeItemID(e.Tenant, l.Key)}
			if l.Billable {
				if pl.priced, err = c.Price(e.Tenant, e.Org, in, l); err != nil {
					errs.Merge(entryPath(len(rs), i)+"."+l.Service, err)
					continue
				}
			}
			p.lines = append(p.lines, pl)
		}
		out = append(out, p)
	}
	return out, errs.Err()
}

func entryPath(n, i int) string {
	if n == 1 {
		return ""
	}
	return validate.Index("Bundle.entry", i)
}

// applyOpts change how a plan applies during a replay.
type applyOpts struct {
	reprice    bool // re-evaluate the version already applied: a changed price or code is a replacement
	noPostings bool // do not queue revenue postings
	assumeNew  bool // do not look up the items of first versions (see Predecide)
}

// ChargeItemID is the deterministic id of the charge item for a source key.
func ChargeItemID(tenant, key string) string {
	h := sha256.Sum256([]byte(tenant + "\x00" + key))
	return "ci-" + hex.EncodeToString(h[:12])
}

func (c *Capturer) posting(tenant, org string) string {
	if c.Posting == nil {
		return ""
	}
	return c.Posting(tenant, org)
}

func (c *Capturer) actor() string {
	if c.Actor != "" {
		return c.Actor
	}
	return "system:capture"
}
