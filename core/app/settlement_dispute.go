package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// FinanceQueue is the org of the payer's finance work queue; disputes are
// stored under it.
const FinanceQueue = "finance"

// DisputeCase is a dispute in the finance queue with the original claim
// attached, exactly as it was submitted.
type DisputeCase struct {
	Dispute settlement.Dispute
	Claim   json.RawMessage // the disputed claim version's stored body
}

type disputeWire struct {
	ID           string                   `json:"id"`
	RemittanceID string                   `json:"remittance_id"`
	ClaimID      string                   `json:"claim_id"`
	ClaimVersion int64                    `json:"claim_version,omitempty"`
	Reason       string                   `json:"reason"`
	Requested    *money.Amount            `json:"requested,omitempty"`
	RaisedBy     string                   `json:"raised_by"`
	RaisedAt     time.Time                `json:"raised_at"`
	Status       settlement.DisputeStatus `json:"status"`
	Decision     *decisionWire            `json:"decision,omitempty"`
	Claim        json.RawMessage          `json:"claim"`
}

type decisionWire struct {
	Outcome    settlement.Outcome `json:"outcome"`
	Adjustment *money.Amount      `json:"adjustment,omitempty"`
	Note       string             `json:"note"`
	By         string             `json:"by"`
	At         time.Time          `json:"at"`
}

func optAmount(a money.Amount) *money.Amount {
	if !a.Valid() {
		return nil
	}
	return &a
}

func (c DisputeCase) doc(tenant string, version int64, now time.Time) (ports.Document, error) {
	d := c.Dispute
	w := disputeWire{ID: d.ID, RemittanceID: d.RemittanceID, ClaimID: d.ClaimID, ClaimVersion: d.ClaimVersion, Reason: d.Reason, Requested: optAmount(d.Requested),
		RaisedBy: d.RaisedBy, RaisedAt: d.RaisedAt, Status: d.Status, Claim: c.Claim}
	if x := d.Decision; x != nil {
		w.Decision = &decisionWire{Outcome: x.Outcome, Adjustment: optAmount(x.Adjustment), Note: x.Note, By: x.By, At: x.At}
	}
	body, err := json.Marshal(w)
	if err != nil {
		return ports.Document{}, err
	}
	return ports.Document{Kind: KindDispute, Tenant: tenant, ID: d.ID, Version: version, Org: FinanceQueue, Ref: d.RemittanceID,
		Status: string(d.Status), Amount: w.Requested, Body: body, UpdatedAt: now}, nil
}

func caseOf(doc ports.Document) (DisputeCase, error) {
	var w disputeWire
	if err := json.Unmarshal(doc.Body, &w); err != nil {
		return DisputeCase{}, fmt.Errorf("dispute %s: stored body: %w", doc.ID, err)
	}
	d := settlement.Dispute{ID: w.ID, RemittanceID: w.RemittanceID, ClaimID: w.ClaimID, ClaimVersion: w.ClaimVersion, Reason: w.Reason, RaisedBy: w.RaisedBy,
		RaisedAt: w.RaisedAt, Status: w.Status}
	if w.Requested != nil {
		d.Requested = *w.Requested
	}
	if x := w.Decision; x != nil {
		d.Decision = &settlement.Decision{Outcome: x.Outcome, Note: x.Note, By: x.By, At: x.At}
		if x.Adjustment != nil {
			d.Decision.Adjustment = *x.Adjustment
		}
	}
	return DisputeCase{Dispute: d, Claim: w.Claim}, nil
}

// RaiseDispute files a provider's dispute against one remittance line. It
// lands in the finance queue with the original claim attached; the
// remittance goes to DISPUTED; both are audited.
func RaiseDispute(ctx context.Context, s ports.Store, tenant string, d settlement.Dispute, now time.Time) (DisputeCase, error) {
	const op = "settlement.RaiseDispute"
	var c DisputeCase
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		rem, v, err := loadRemittance(ctx, tx, tenant, d.RemittanceID)
		if err != nil {
			return err
		}
		repo, err := ports.ClaimsOf(tx)
		if err != nil {
			return err
		}
		before := auditedRemittance(rem)
		d.RaisedAt = now
		if err := rem.Open(&d); err != nil {
			return ports.E(op, ports.Invalid, err)
		}
		line, _ := rem.Line(d.ClaimID, d.ClaimVersion)
		d.ClaimVersion = line.Version
		claim, err := repo.Get(ctx, tenant, d.ClaimID, d.ClaimVersion)
		if err != nil {
			return err
		}
		c = DisputeCase{Dispute: d, Claim: claim.Body}
		doc, err := c.doc(tenant, 0, now)
		if err != nil {
			return err
		}
		if _, err := tx.Documents().Put(ctx, doc); err != nil {
			return err
		}
		if err := saveRemittance(ctx, tx, tenant, &rem, v, now); err != nil {
			return err
		}
		after := auditedRemittance(rem)
		_, err = Record(ctx, tx, tenant, audit.Draft{Actor: d.RaisedBy, Action: "dispute.raise", Subject: "remittance/" + rem.ID,
			Before: before, After: after, Reason: "dispute " + d.ID + " on claim " + d.ClaimID + ": " + d.Reason}, now)
		return err
	})
	return c, err
}

// OpenDisputes returns a page of the finance queue: open disputes, oldest first.
func OpenDisputes(ctx context.Context, s ports.Store, tenant string, p ports.Page) ([]DisputeCase, string, error) {
	var out []DisputeCase
	var next string
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		docs, n, err := tx.Documents().List(ctx, ports.DocumentQuery{Tenant: tenant, Kind: KindDispute, Org: FinanceQueue,
			Status: string(settlement.DisputeOpen), Page: p})
		if err != nil {
			return err
		}
		next = n
		for _, d := range docs {
			c, err := caseOf(d)
			if err != nil {
				return err
			}
			out = append(out, c)
		}
		return nil
	})
	return out, next, err
}

// ResolveDispute applies finance's decision: an adjustment line on the
// remittance (the original line stays), the dispute closed, and an audit
// entry holding the remittance before and after and the decision.
func ResolveDispute(ctx context.Context, s ports.Store, tenant, disputeID string, dec settlement.Decision, now time.Time) (settlement.Remittance, error) {
	const op = "settlement.ResolveDispute"
	var rem settlement.Remittance
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		doc, err := tx.Documents().Get(ctx, tenant, KindDispute, disputeID)
		if err != nil {
			return err
		}
		c, err := caseOf(doc)
		if err != nil {
			return err
		}
		var v int64
		if rem, v, err = loadRemittance(ctx, tx, tenant, c.Dispute.RemittanceID); err != nil {
			return err
		}
		before := auditedRemittance(rem)
		dec.At = now
		if err := rem.Resolve(&c.Dispute, dec); err != nil {
			return ports.E(op, ports.Invalid, err)
		}
		nd, err := c.doc(tenant, doc.Version, now)
		if err != nil {
			return err
		}
		if _, err := tx.Documents().Put(ctx, nd); err != nil {
			return err
		}
		if err := saveRemittance(ctx, tx, tenant, &rem, v, now); err != nil {
			return err
		}
		after := auditedRemittance(rem)
		_, err = Record(ctx, tx, tenant, audit.Draft{Actor: dec.By, Action: "dispute.resolve", Subject: "remittance/" + rem.ID,
			Before: before, After: after, Reason: fmt.Sprintf("dispute %s %s: %s", disputeID, dec.Outcome, dec.Note)}, now)
		return err
	})
	return rem, err
}

// auditedRemittance is a remittance as the audit log keeps it: the TIN
// masked, as the API shows it.
func auditedRemittance(r settlement.Remittance) []byte {
	r.TIN = settlement.TIN(r.TIN.String())
	b, _ := json.Marshal(r)
	return b
}
