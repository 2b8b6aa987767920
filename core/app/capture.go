package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
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
}

// Envelope is one inbound payload: a FHIR resource or Bundle.
type Envelope struct {
	Tenant, Org string
	Source      string // "nats:revhub.evt.acme.berlin.fhir" or "api"
	Payload     []byte
}

// Outcome is what one envelope did.
type Outcome struct {
	Artifact string         // id of the raw payload kept
	Actions  map[string]int // capture action name -> count
	Items    []string       // charge item ids touched
	Err      error          // bad input: nothing was written for this envelope
	Problems []*validate.FieldError
}

// ChargeItem is the stored body of a charge item.
type ChargeItem struct {
	ID        string          `json:"id"`
	Key       string          `json:"key"`      // source reference, "Procedure/p1" or "...#fee:admin"
	Source    string          `json:"source"`   // the FHIR resource, "Procedure/p1"
	Version   int64           `json:"version"`  // newest source version applied
	Revision  int             `json:"revision"` // bumps with each replacement
	Active    bool            `json:"active"`   // false once reversed
	Service   string          `json:"service"`
	Quantity  money.Rate      `json:"quantity"`
	UnitPrice money.Rate      `json:"unit_price"`
	Amount    *money.Amount   `json:"amount,omitempty"`
	When      time.Time       `json:"when"`
	Subject   string          `json:"subject"`
	Encounter string          `json:"encounter,omitempty"`
	Org       string          `json:"org"`
	Trace     json.RawMessage `json:"trace,omitempty"`
}

// Adjustment is the stored body of a reversal or replacement.
type Adjustment struct {
	ID         string       `json:"id"`
	ChargeItem string       `json:"charge_item"`
	Kind       string       `json:"kind"` // "charge", "reversal", "replacement"
	Revision   int          `json:"revision"`
	Amount     money.Amount `json:"amount"` // signed: reversals are negative
	Version    int64        `json:"source_version"`
	Reason     string       `json:"reason"`
}

type plannedLine struct {
	line   capture.Line
	priced Priced
}

type plannedIntent struct {
	in    capture.Intent
	lines []plannedLine
}

// Ingest applies a batch of envelopes in one transaction. An envelope with
// bad input gets its Err and writes nothing; the others apply. Redelivered or
// replayed envelopes change nothing (each source version applies once).
func (c *Capturer) Ingest(ctx context.Context, envs []Envelope, now time.Time) ([]Outcome, error) {
	outs := make([]Outcome, len(envs))
	plans := make([][]plannedIntent, len(envs))
	for i, e := range envs {
		plans[i], outs[i].Err = c.plan(e)
	}
	err := c.Store.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		for i, e := range envs {
			outs[i].Actions, outs[i].Items, outs[i].Artifact = map[string]int{}, nil, ""
			if outs[i].Err != nil {
				continue
			}
			if err := c.apply(ctx, tx, e, plans[i], &outs[i], applyOpts{}, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := range outs {
		var es validate.Errors
		if errors.As(outs[i].Err, &es) {
			outs[i].Problems = es
		} else if fe := (*validate.FieldError)(nil); errors.As(outs[i].Err, &fe) {
			outs[i].Problems = []*validate.FieldError{fe}
		}
	}
	return outs, nil
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
			pl := plannedLine{line: l}
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
}

func (c *Capturer) apply(ctx context.Context, tx ports.Tx, e Envelope, plan []plannedIntent, out *Outcome, o applyOpts, now time.Time) error {
	sum := sha256.Sum256(e.Payload)
	out.Artifact = "in-" + hex.EncodeToString(sum[:16])
	err := tx.Artifacts().Put(ctx, ports.Artifact{ID: out.Artifact, Tenant: e.Tenant, Org: e.Org, Direction: ports.Inbound,
		MediaType: "application/fhir+json", SHA256: sum, Body: e.Payload, Source: e.Source, CreatedAt: now})
	if err != nil && !ports.Is(ports.Conflict, err) {
		return err
	}
	if err := tx.Sync().Received(ctx, e.Tenant, e.Org, "capture/fhir", nil, now); err != nil {
		return err
	}
	for _, p := range plan {
		for _, pl := range p.lines {
			act, id, err := c.applyLine(ctx, tx, e, p.in, pl, o, now)
			if err != nil {
				return fmt.Errorf("capture %s: %w", pl.line.Key, err)
			}
			out.Actions[act.String()]++
			if act != capture.Ignore {
				out.Items = append(out.Items, id)
				if err := tx.Artifacts().Link(ctx, e.Tenant, out.Artifact, ports.Ref{Kind: KindChargeItem, ID: id}); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// ChargeItemID is the deterministic id of the charge item for a source key.
func ChargeItemID(tenant, key string) string {
	h := sha256.Sum256([]byte(tenant + "\x00" + key))
	return "ci-" + hex.EncodeToString(h[:12])
}

func (c *Capturer) applyLine(ctx context.Context, tx ports.Tx, e Envelope, in capture.Intent, pl plannedLine, o applyOpts, now time.Time) (capture.Action, string, error) {
	id := ChargeItemID(e.Tenant, pl.line.Key)
	var cur *capture.State
	var stored ChargeItem
	var version int64
	doc, err := tx.Documents().Get(ctx, e.Tenant, KindChargeItem, id)
	switch {
	case err == nil:
		if err := json.Unmarshal(doc.Body, &stored); err != nil {
			return 0, id, fmt.Errorf("stored charge item %s: %w", id, err)
		}
		version = doc.Version
		cur = &capture.State{Key: stored.Key, AppliedVersion: stored.Version, Revision: stored.Revision,
			Active: stored.Active, Service: stored.Service, Quantity: stored.Quantity}
	case !ports.Is(ports.NotFound, err):
		return 0, id, err
	}
	d := capture.Decide(cur, pl.line, in.Version)
	if o.reprice && d.Action == capture.Ignore && cur.AppliedVersion == in.Version && cur.Active && pl.line.Billable &&
		(cur.Service != pl.line.Service || cur.Quantity.Cmp(pl.line.Quantity) != 0 || *stored.Amount != pl.priced.Amount) {
		d.Action, d.Next.Revision, d.Next.Service, d.Next.Quantity = capture.Replace, cur.Revision+1, pl.line.Service, pl.line.Quantity
	}
	if d.Action == capture.Ignore {
		return d.Action, id, nil
	}
	next := stored
	next.ID, next.Key, next.Source, next.Org = id, pl.line.Key, in.Source, e.Org
	next.Version, next.Revision, next.Active = d.Next.AppliedVersion, d.Next.Revision, d.Next.Active
	if d.Action == capture.Create || d.Action == capture.Replace {
		amt := pl.priced.Amount
		next.Service, next.Quantity, next.UnitPrice, next.Amount, next.Trace = d.Next.Service, d.Next.Quantity, pl.priced.UnitPrice, &amt, pl.priced.Trace
		next.When, next.Subject, next.Encounter = in.When, in.Subject, in.Encounter
	}
	var adjs []Adjustment
	reason := fmt.Sprintf("%s version %d", in.Source, in.Version)
	if (d.Action == capture.Replace || d.Action == capture.Reverse) && stored.Amount != nil {
		adjs = append(adjs, Adjustment{ID: fmt.Sprintf("%s-r%d-reversal", id, stored.Revision), ChargeItem: id, Kind: "reversal",
			Revision: stored.Revision, Amount: stored.Amount.Neg(), Version: in.Version, Reason: reason})
	}
	if d.Action == capture.Create || d.Action == capture.Replace {
		kind := "charge"
		if d.Action == capture.Replace {
			kind = "replacement"
		}
		adjs = append(adjs, Adjustment{ID: fmt.Sprintf("%s-r%d-%s", id, next.Revision, kind), ChargeItem: id, Kind: kind,
			Revision: next.Revision, Amount: *next.Amount, Version: in.Version, Reason: reason})
	}
	status := "billable"
	if !next.Active {
		status = "aborted"
	}
	body, _ := json.Marshal(next)
	if _, err := tx.Documents().Put(ctx, ports.Document{Kind: KindChargeItem, Tenant: e.Tenant, ID: id, Version: version,
		Org: e.Org, Key: pl.line.Key, Ref: in.Encounter, Status: status, Amount: next.Amount, Body: body, UpdatedAt: now}); err != nil {
		return d.Action, id, err
	}
	for _, a := range adjs {
		amt := a.Amount
		b, _ := json.Marshal(a)
		if _, err := tx.Documents().Put(ctx, ports.Document{Kind: KindAdjustment, Tenant: e.Tenant, ID: a.ID, Org: e.Org,
			Key: a.ID, Ref: id, Status: a.Kind, Amount: &amt, Body: b, UpdatedAt: now}); err != nil {
			return d.Action, id, err
		}
		if binding := c.posting(e.Tenant, e.Org); binding != "" && !o.noPostings {
			if err := tx.Outbox().Enqueue(ctx, ports.OutboxItem{ID: "post-" + a.ID, Tenant: e.Tenant, Org: e.Org, Binding: binding,
				Kind: "charge.post", IdempotencyKey: a.ID, Payload: b, Amount: &amt, CreatedAt: now, NextAttemptAt: now}); err != nil {
				return d.Action, id, err
			}
		}
	}
	if d.Action == capture.Replace || d.Action == capture.Reverse {
		if _, err := Record(ctx, tx, e.Tenant, auditDraft(c.actor(), "charge_item."+d.Action.String(), KindChargeItem+"/"+id, reason,
			stored, next), now); err != nil {
			return d.Action, id, err
		}
	}
	return d.Action, id, nil
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
