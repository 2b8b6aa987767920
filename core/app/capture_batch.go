package app

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/core/buflist"
	"github.com/revhub/revhub/core/capture"
	"github.com/revhub/revhub/ports"
)

// slot is what a batch knows of one charge item: the stored version it
// read (0 when new) and the state it will write.
type slot struct {
	tenant string
	base   int64
	item   ChargeItem
	exists bool // stored before the batch or created by it
	dirty  bool
}

// batch accumulates a transaction's writes so that each kind of row is
// written in one round trip, whatever the number of events. A charge item
// and its adjustments name the artifact that caused them, rather than an
// artifact link row per item: one indexed row fewer per event.
type batch struct {
	c            *Capturer
	o            applyOpts
	now          time.Time
	slots        map[slotKey]*slot
	order        []slotKey      // in first-touch order
	slab         []slot         // backs the slots: one allocation per batch
	lines        int            // lines planned in the batch
	items        []ports.Record // the charge items to write, in order
	bufs         [][]byte       // back the items' bodies and the artifacts' packs (see batchBufs)
	arts         []ports.Artifact
	artsNew      bool                // arts holds only artifacts found missing (see Predecide)
	recv         map[tenantOrg]int64 // envelopes received
	adjs         []ports.Document
	journals     map[journalKey]*journal
	journalOrder []journalKey
	drafts       map[string][]audit.Draft
	tenants      []string
	firstsStored int                             // items found stored whose lines are all first versions
	traces       map[string][]ports.PricingTrace // per tenant, the distinct traces of the items to write
}

// Struct map keys, rather than strings joined by "\x00", allocate nothing
// per event.
type (
	slotKey    struct{ tenant, id string }
	tenantOrg  struct{ tenant, org string }
	journalKey struct{ tenant, org, binding string }
)

// newSlot returns a zero slot from the batch's slab.
func (b *batch) newSlot() *slot {
	if len(b.slab) == cap(b.slab) {
		b.slab = make([]slot, 0, max(b.lines, 16))
	}
	b.slab = b.slab[:len(b.slab)+1]
	return &b.slab[len(b.slab)-1]
}

// applyBatch applies every valid envelope's plan inside tx.
func (c *Capturer) applyBatch(ctx context.Context, tx ports.Tx, envs []Envelope, plans [][]plannedIntent, outs []Outcome, o applyOpts, now time.Time) error {
	b, err := c.decideBatch(ctx, tx, envs, plans, outs, o, now)
	if err != nil {
		return err
	}
	defer b.release()
	return b.write(ctx, tx)
}

// decideBatch reads the charge items a batch touches through tx and decides
// what every valid envelope's plan does to them, writing nothing yet.
func (c *Capturer) decideBatch(ctx context.Context, tx ports.Tx, envs []Envelope, plans [][]plannedIntent, outs []Outcome, o applyOpts, now time.Time) (*batch, error) {
	b := &batch{c: c, o: o, now: now, recv: map[tenantOrg]int64{},
		journals: map[journalKey]*journal{}, drafts: map[string][]audit.Draft{}}
	if err := b.load(ctx, tx, envs, plans, outs); err != nil {
		return nil, err
	}
	b.archive(envs, outs)
	ids := make([]string, 0, b.lines) // backs the outcomes' Items
	for i, e := range envs {
		if outs[i].Err != nil {
			continue
		}
		b.recv[tenantOrg{e.Tenant, e.Org}]++
		start := len(ids)
		for _, p := range plans[i] {
			for _, pl := range p.lines {
				act, id, err := b.decide(e, outs[i].Artifact, p.in, pl)
				if err != nil {
					return nil, fmt.Errorf("capture %s: %w", pl.line.Key, err)
				}
				outs[i].Actions[act]++
				if act != capture.Ignore {
					ids = append(ids, id)
				}
			}
		}
		if len(ids) > start {
			outs[i].Items = ids[start:len(ids):len(ids)]
		}
	}
	// In key order, which is the order write locks them in (see write).
	slices.SortFunc(b.order, func(x, y slotKey) int {
		return cmp.Or(strings.Compare(x.tenant, y.tenant), strings.Compare(x.id, y.id))
	})
	// Encoded here, so that a predecided batch's transaction only writes.
	// The bodies share one buffer: one allocation per batch, not per item.
	b.items = make([]ports.Record, len(b.order))
	buf := batchBufs.Get(itemJSONSize * len(b.order))
	refs := traceRefs{}
	for i, k := range b.order {
		s := b.slots[k]
		if len(s.item.Trace) > 0 {
			s.item.TraceRef, s.item.Trace = refs.of(s.tenant, s.item.Trace), nil
		}
		start := len(buf)
		var err error
		if buf, err = s.item.appendJSON(buf); err != nil {
			return nil, fmt.Errorf("charge item %s: %w", s.item.ID, err)
		}
		b.items[i] = ports.Record{Tenant: s.tenant, ID: s.item.ID, Version: s.base, Ref: s.item.Encounter, Body: buf[start:len(buf):len(buf)]}
	}
	b.traces, b.bufs = refs.traces, append(b.bufs, buf)
	return b, nil
}

// itemJSONSize is room for a typical charge item's JSON, its trace named
// by reference: the batch's bodies then fit their one buffer, which grows
// only for unusually long ids or escapes.
const itemJSONSize = 512

// batchBufs keeps batches' large buffers (half a megabyte of item bodies
// per 1,000 items, and the payload packs) from one batch to the next. A
// batch hands its buffers back once its writes are done.
var batchBufs = buflist.New(8, 8<<20)

// release hands the batch's buffers back to batchBufs once its transaction
// has ended (the store has read what they back): nothing may read its items
// or artifacts afterwards.
func (b *batch) release() {
	if b == nil {
		return
	}
	for _, x := range b.bufs {
		batchBufs.Put(x)
	}
	b.bufs, b.items, b.arts = nil, nil, nil
}

// traceRefs names a batch's pricing traces by content, each distinct trace
// hashed once: the items of a batch share a few traces.
type traceRefs struct {
	ids    map[string]map[string]string // tenant → trace → id
	traces map[string][]ports.PricingTrace
}

// of returns the id of the tenant's trace, queuing the trace the first time.
func (r *traceRefs) of(tenant string, trace []byte) string {
	if id, ok := r.ids[tenant][string(trace)]; ok {
		return id
	}
	if r.ids == nil {
		r.ids, r.traces = map[string]map[string]string{}, map[string][]ports.PricingTrace{}
	}
	if r.ids[tenant] == nil {
		r.ids[tenant] = map[string]string{}
	}
	id := contentID("tr-", sha256.Sum256(trace))
	r.ids[tenant][string(trace)] = id
	r.traces[tenant] = append(r.traces[tenant], ports.PricingTrace{ID: id, Body: trace})
	return id
}

// load reads, in one query per tenant, every charge item the batch touches;
// with o.assumeNew, only those of sources with a version other than the
// first in the batch.
func (b *batch) load(ctx context.Context, tx ports.Tx, envs []Envelope, plans [][]plannedIntent, outs []Outcome) error {
	ids := map[string][]lookup{}
	for i, e := range envs {
		if outs[i].Err != nil {
			continue
		}
		if _, ok := ids[e.Tenant]; !ok {
			b.tenants = append(b.tenants, e.Tenant)
			ids[e.Tenant] = make([]lookup, 0, len(envs))
		}
		for _, p := range plans[i] {
			for _, pl := range p.lines {
				ids[e.Tenant] = append(ids[e.Tenant], lookup{pl.id, p.in.Version == 1})
			}
		}
	}
	for _, list := range ids {
		b.lines += len(list)
	}
	b.slots = make(map[slotKey]*slot, b.lines)
	b.order = make([]slotKey, 0, b.lines)
	slices.Sort(b.tenants)
	for _, tenant := range b.tenants {
		list := distinctLookups(ids[tenant])
		look := make([]string, 0, len(list))
		for _, l := range list {
			if !l.first || !b.o.assumeNew {
				look = append(look, l.id)
			}
		}
		recs, err := tx.ChargeItems().GetMany(ctx, tenant, look)
		if err != nil {
			return err
		}
		for _, r := range recs {
			s := b.newSlot()
			s.tenant, s.base, s.exists = tenant, r.Version, true
			if s.item, err = chargeItemOf(r); err != nil {
				return err
			}
			b.slots[slotKey{tenant, r.ID}] = s
			if i, ok := slices.BinarySearchFunc(list, r.ID, func(l lookup, id string) int { return strings.Compare(l.id, id) }); ok && list[i].first {
				b.firstsStored++
			}
		}
	}
	return nil
}

// lookup is a charge item a batch touches, and whether only first
// versions of its source do.
type lookup struct {
	id    string
	first bool
}

// distinctLookups sorts ls by id and merges each id's lookups into one.
func distinctLookups(ls []lookup) []lookup {
	slices.SortFunc(ls, func(x, y lookup) int { return strings.Compare(x.id, y.id) })
	out := ls[:0]
	for _, l := range ls {
		if n := len(out); n > 0 && out[n-1].id == l.id {
			out[n-1].first = out[n-1].first && l.first
			continue
		}
		out = append(out, l)
	}
	return out
}

// decide applies one line to its slot and queues the rows it implies.
func (b *batch) decide(e Envelope, art string, in capture.Intent, pl plannedLine) (capture.Action, string, error) {
	id := pl.id
	k := slotKey{e.Tenant, id}
	s := b.slots[k]
	if s == nil {
		s = b.newSlot()
		s.tenant = e.Tenant
		b.slots[k] = s
	}
	var cur *capture.State
	stored := s.item
	if s.exists {
		cur = &capture.State{Key: stored.Key, AppliedVersion: stored.Version, Revision: stored.Revision,
			Active: stored.Active, Service: stored.Service, Quantity: stored.Quantity}
	}
	d := capture.Decide(cur, pl.line, in.Version)
	if b.o.reprice && d.Action == capture.Ignore && cur.AppliedVersion == in.Version && cur.Active && pl.line.Billable &&
		(cur.Service != pl.line.Service || cur.Quantity.Cmp(pl.line.Quantity) != 0 || *stored.Amount != pl.priced.Amount) {
		d.Action, d.Next.Revision, d.Next.Service, d.Next.Quantity = capture.Replace, cur.Revision+1, pl.line.Service, pl.line.Quantity
	}
	if d.Action == capture.Ignore {
		return d.Action, id, nil
	}
	next := stored
	next.ID, next.Key, next.Source, next.Org = id, pl.line.Key, in.Source, e.Org
	next.Version, next.Revision, next.Active, next.Artifact = d.Next.AppliedVersion, d.Next.Revision, d.Next.Active, art
	if d.Action == capture.Create || d.Action == capture.Replace {
		amt := pl.priced.Amount
		next.Service, next.Quantity, next.UnitPrice, next.Amount = d.Next.Service, d.Next.Quantity, pl.priced.UnitPrice, &amt
		next.Trace, next.TraceRef = pl.priced.Trace, "" // named when the item is encoded
		next.When, next.Subject, next.Encounter = in.When, in.Subject, in.Encounter
	}
	reason := in.Source + " version " + strconv.FormatInt(in.Version, 10)
	if (d.Action == capture.Replace || d.Action == capture.Reverse) && stored.Amount != nil {
		b.adjust(e, Adjustment{ID: adjustmentID(id, stored.Revision, "reversal"), ChargeItem: id, Kind: "reversal",
			Revision: stored.Revision, Amount: stored.Amount.Neg(), Version: in.Version, Artifact: art, Reason: reason})
	}
	if d.Action == capture.Create || d.Action == capture.Replace {
		kind := "charge"
		if d.Action == capture.Replace {
			kind = "replacement"
		}
		a := Adjustment{ID: adjustmentID(id, next.Revision, kind), ChargeItem: id, Kind: kind,
			Revision: next.Revision, Amount: *next.Amount, Version: in.Version, Artifact: art, Reason: reason}
		if next.Revision == 1 {
			// The first charge is recorded by the item itself (one row
			// fewer per event) and posted like any adjustment.
			next.Charge = &a.Amount
			b.post(e, a)
		} else {
			b.adjust(e, a)
		}
	}
	if d.Action == capture.Replace || d.Action == capture.Reverse {
		b.drafts[e.Tenant] = append(b.drafts[e.Tenant], auditDraft(b.c.actor(), "charge_item."+d.Action.String(),
			KindChargeItem+"/"+id, reason, stored, next))
	}
	if !s.dirty {
		b.order = append(b.order, k)
	}
	s.item, s.dirty = next, true
	s.exists = true
	return d.Action, id, nil
}

// adjustmentID names an item's adjustment: "<item>-r<revision>-<kind>".
func adjustmentID(item string, revision int, kind string) string {
	return item + "-r" + strconv.Itoa(revision) + "-" + kind
}

// adjust stores an adjustment document and posts the adjustment.
func (b *batch) adjust(e Envelope, a Adjustment) {
	amt := a.Amount
	body, _ := json.Marshal(a)
	b.adjs = append(b.adjs, ports.Document{Kind: KindAdjustment, Tenant: e.Tenant, ID: a.ID, Org: e.Org,
		Key: a.ID, Ref: a.ChargeItem, Status: a.Kind, Amount: &amt, Body: body, UpdatedAt: b.now})
	b.post(e, a)
}

// post queues an adjustment for the org's revenue journal, if it has one.
func (b *batch) post(e Envelope, a Adjustment) {
	if binding := b.c.posting(e.Tenant, e.Org); binding != "" && !b.o.noPostings {
		k := journalKey{e.Tenant, e.Org, binding}
		j := b.journals[k]
		if j == nil {
			j = &journal{tenant: e.Tenant, org: e.Org, binding: binding}
			if len(b.journals) == 0 { // usually the batch's only journal
				j.lines = make([]Adjustment, 0, b.lines)
			}
			b.journals[k] = j
			b.journalOrder = append(b.journalOrder, k)
		}
		j.lines = append(j.lines, a)
	}
}

// journal collects one batch's revenue postings for one (tenant, org,
// binding): the ERP receives them as one journal entry, not one call per
// charge.
type journal struct {
	tenant, org, binding string
	lines                []Adjustment
}

// Journal is the payload of a "charge.post" outbox item. Number is gapless
// per (tenant, org): ledgers such as France's FEC want journal entries
// numbered without holes, and a crash never burns one.
type Journal struct {
	ID     string       `json:"id"`
	Number int64        `json:"number"`
	Org    string       `json:"org"`
	Lines  []Adjustment `json:"lines"`
}

// JournalSeries is the numbering series of an organization's journals.
func JournalSeries(org string) string { return "journal/" + org }

// item builds the outbox item; its id and idempotency key derive from the
// adjustments it carries, so a retried batch yields the same posting.
func (j *journal) item(number int64, now time.Time) (ports.OutboxItem, error) {
	ids := make([]byte, 0, 48*len(j.lines))
	for _, l := range j.lines {
		ids = append(append(ids, l.ID...), 0)
	}
	sum := sha256.Sum256(ids)
	id := "journal-" + hex.EncodeToString(sum[:16])
	body, err := (&Journal{ID: id, Number: number, Org: j.org, Lines: j.lines}).appendJSON(make([]byte, 0, 64+384*len(j.lines)))
	if err != nil {
		return ports.OutboxItem{}, err
	}
	// The posting carries its net amount; with mixed currencies it carries none.
	total := new(j.lines[0].Amount)
	for _, l := range j.lines[1:] {
		t, err := total.Add(l.Amount)
		if err != nil {
			total = nil
			break
		}
		*total = t
	}
	return ports.OutboxItem{ID: id, Tenant: j.tenant, Org: j.org, Binding: j.binding, Kind: "charge.post",
		IdempotencyKey: id, Payload: body, Amount: total, CreatedAt: now, NextAttemptAt: now}, nil
}

// write sends the accumulated rows, one round trip per kind of row. Rows
// many batches share (the sync counters, the journal numbering) come last,
// so that a batch committing beside another one waits for them only at its
// end; charge items go in id order, so that two batches lock the rows they
// share in the same order and never deadlock.
func (b *batch) write(ctx context.Context, tx ports.Tx) error {
	switch {
	case b.artsNew:
		if err := tx.Artifacts().Create(ctx, b.arts); err != nil {
			return err
		}
	case len(b.arts) > 0:
		if _, err := tx.Artifacts().PutMany(ctx, b.arts); err != nil {
			return err
		}
	}
	for _, tenant := range b.tenants {
		if err := tx.PricingTraces().PutMany(ctx, tenant, b.traces[tenant]); err != nil {
			return err
		}
	}
	if len(b.items) > 0 {
		if err := tx.ChargeItems().PutMany(ctx, b.items); err != nil {
			return err
		}
	}
	if len(b.adjs) > 0 {
		if err := tx.Documents().PutBatch(ctx, b.adjs); err != nil {
			return err
		}
	}
	recv := slices.SortedFunc(maps.Keys(b.recv), func(x, y tenantOrg) int {
		return cmp.Or(strings.Compare(x.tenant, y.tenant), strings.Compare(x.org, y.org))
	})
	for _, k := range recv {
		if err := tx.Sync().ReceivedN(ctx, k.tenant, k.org, "capture/fhir", b.recv[k], nil, b.now); err != nil {
			return err
		}
	}
	for _, k := range b.journalOrder {
		j := b.journals[k]
		n, err := tx.Numbering().Next(ctx, j.tenant, JournalSeries(j.org), "")
		if err != nil {
			return err
		}
		it, err := j.item(n, b.now)
		if err != nil {
			return err
		}
		if err := tx.Outbox().Enqueue(ctx, it); err != nil {
			return err
		}
	}
	for _, tenant := range b.tenants {
		if err := RecordMany(ctx, tx, tenant, b.drafts[tenant], b.now); err != nil {
			return err
		}
	}
	return nil
}
