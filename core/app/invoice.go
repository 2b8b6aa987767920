package app

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/revhub/revhub/core/fhir"
	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

// KindInvoice is the document kind of issued invoices and credit notes.
const KindInvoice = "invoice"

// Series says how an invoice is numbered: a gapless counter per (series,
// period) and a renderer from mappings ("DE-BER-2026-000042").
type Series struct {
	Name   string
	Period string // "2026" for a yearly reset, "" for none
	Format func(seq int64) (string, error)
}

// IssueRequest asks to issue one invoice from a draft.
type IssueRequest struct {
	Tenant, Org string
	Series      Series
	Draft       invoicing.Invoice // without number and issue date
	Rounding    money.Rounding    // the zone's
	Actor       string
	Delivery    string            // binding that delivers it ("einvoice/xrechnung"), "" for none
	Shares      []ports.LineShare // for a patient invoice: what insurance covers per line
	Language    string            // the recipient's language for rendered documents
	// IdempotencyKey, when set, makes a retried request return the invoice
	// the first one issued instead of taking a new number.
	IdempotencyKey string
}

// IssuedInvoice is the stored body of an issued invoice. It never changes.
type IssuedInvoice struct {
	Invoice  invoicing.Invoice `json:"invoice"`
	SHA256   string            `json:"sha256"`   // of the canonical FHIR Invoice bytes
	Artifact string            `json:"artifact"` // where those bytes are kept
	Shares   []ports.LineShare `json:"shares,omitempty"`
	Language string            `json:"language,omitempty"`
}

// IssueInvoice numbers, calculates and stores an invoice in one
// transaction: the number comes from a gapless series (an abort gives it
// back), the canonical FHIR Invoice JSON is kept byte for byte with its
// hash, delivery is queued in the outbox, and the issue is audited.
func IssueInvoice(ctx context.Context, s ports.Store, r IssueRequest, now time.Time) (IssuedInvoice, error) {
	var out IssuedInvoice
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		var err error
		out, err = issueOnce(ctx, tx, r, now)
		return err
	})
	return out, err
}

// issueOnce issues r unless its idempotency key was seen, in which case it
// returns what the first request issued.
func issueOnce(ctx context.Context, tx ports.Tx, r IssueRequest, now time.Time) (IssuedInvoice, error) {
	if r.IdempotencyKey == "" {
		return issue(ctx, tx, r, now)
	}
	const scope = "invoice.issue"
	first, stored, err := tx.Idempotency().Claim(ctx, r.Tenant, scope, r.IdempotencyKey)
	if err != nil {
		return IssuedInvoice{}, err
	}
	if !first {
		var out IssuedInvoice
		if stored == nil {
			return out, ports.E("invoice.Issue", ports.Conflict, fmt.Errorf("request %s is still being issued", r.IdempotencyKey))
		}
		return out, json.Unmarshal(stored, &out)
	}
	out, err := issue(ctx, tx, r, now)
	if err != nil {
		return out, err
	}
	b, err := json.Marshal(out)
	if err != nil {
		return out, err
	}
	return out, tx.Idempotency().Complete(ctx, r.Tenant, scope, r.IdempotencyKey, b)
}

// IssueInTx is IssueInvoice inside a caller's transaction.
func IssueInTx(ctx context.Context, tx ports.Tx, r IssueRequest, now time.Time) (IssuedInvoice, error) {
	return issueOnce(ctx, tx, r, now)
}

func issue(ctx context.Context, tx ports.Tx, r IssueRequest, now time.Time) (IssuedInvoice, error) {
	const op = "invoice.Issue"
	seq, err := tx.Numbering().Next(ctx, r.Tenant, r.Series.Name, r.Series.Period)
	if err != nil {
		return IssuedInvoice{}, err
	}
	inv := r.Draft
	if inv.Number, err = r.Series.Format(seq); err != nil {
		return IssuedInvoice{}, ports.E(op, ports.Invalid, err)
	}
	if inv.IssueDate, err = invoicing.ParseDate(now.UTC().Format("2006-01-02")); err != nil {
		return IssuedInvoice{}, err
	}
	if err := inv.Calculate(r.Rounding); err != nil {
		return IssuedInvoice{}, ports.E(op, ports.Invalid, err)
	}
	canonical, err := json.Marshal(fhir.InvoiceOf(&inv))
	if err != nil {
		return IssuedInvoice{}, err
	}
	sum := sha256.Sum256(canonical)
	out := IssuedInvoice{Invoice: inv, SHA256: hex.EncodeToString(sum[:]), Artifact: "out-invoice-" + inv.Number,
		Shares: r.Shares, Language: r.Language}
	if err := tx.Artifacts().Put(ctx, ports.Artifact{ID: out.Artifact, Tenant: r.Tenant, Org: r.Org, Direction: ports.Outbound,
		MediaType: "application/fhir+json", SHA256: sum, Body: canonical, Source: "issue", CreatedAt: now}); err != nil {
		return IssuedInvoice{}, err
	}
	body, err := json.Marshal(out)
	if err != nil {
		return IssuedInvoice{}, err
	}
	due := inv.Totals.Due
	ref := ""
	if len(inv.Preceding) > 0 {
		ref = inv.Preceding[0].Number
	}
	if _, err := tx.Documents().Put(ctx, ports.Document{Kind: KindInvoice, Tenant: r.Tenant, ID: inv.Number, Org: r.Org,
		Key: inv.Number, Ref: ref, Status: string(inv.TypeCode), Amount: &due, Body: body, UpdatedAt: now}); err != nil {
		return IssuedInvoice{}, err
	}
	if err := tx.Artifacts().Link(ctx, r.Tenant, out.Artifact, ports.Ref{Kind: KindInvoice, ID: inv.Number}); err != nil {
		return IssuedInvoice{}, err
	}
	if r.Delivery != "" {
		if err := tx.Outbox().Enqueue(ctx, ports.OutboxItem{ID: "deliver-" + inv.Number, Tenant: r.Tenant, Org: r.Org,
			Binding: r.Delivery, Kind: ports.KindInvoiceDeliver, IdempotencyKey: "invoice/" + r.Tenant + "/" + inv.Number,
			Payload: body, Amount: &due, CreatedAt: now, NextAttemptAt: now}); err != nil {
			return IssuedInvoice{}, err
		}
	}
	_, err = Record(ctx, tx, r.Tenant, auditDraft(r.Actor, "invoice.issue", KindInvoice+"/"+inv.Number, "",
		nil, map[string]string{"number": inv.Number, "type": string(inv.TypeCode), "due": due.String(), "sha256": out.SHA256}), now)
	return out, err
}

// GetInvoice returns an issued invoice and verifies its kept bytes still
// match the hash recorded at issue.
func GetInvoice(ctx context.Context, s ports.Store, tenant, number string) (IssuedInvoice, []byte, error) {
	var out IssuedInvoice
	var raw []byte
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		var err error
		if out, err = issuedInTx(ctx, tx, tenant, number); err != nil {
			return err
		}
		a, err := tx.Artifacts().Get(ctx, tenant, out.Artifact)
		if err != nil {
			return err
		}
		if hex.EncodeToString(a.SHA256[:]) != out.SHA256 {
			return fmt.Errorf("invoice %s: kept bytes do not match the hash recorded at issue", number)
		}
		raw = a.Body
		return nil
	})
	return out, raw, err
}

// CreditRequest asks for a credit note that fully cancels an invoice.
type CreditRequest struct {
	Tenant, Org string
	Original    string // number of the invoice to cancel
	Series      Series
	Rounding    money.Rounding
	Actor       string
	Reason      string
	Delivery    string
}

// IssueCreditNote issues a credit note (type 381) that repeats every line
// of the original and references it (BG-3). An invoice is credited at most
// once: a second request is Kind Conflict.
func IssueCreditNote(ctx context.Context, s ports.Store, r CreditRequest, now time.Time) (IssuedInvoice, error) {
	var out IssuedInvoice
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		var err error
		out, err = creditInTx(ctx, tx, r, now)
		return err
	})
	return out, err
}

func creditInTx(ctx context.Context, tx ports.Tx, r CreditRequest, now time.Time) (IssuedInvoice, error) {
	orig, err := issuedInTx(ctx, tx, r.Tenant, r.Original)
	if err != nil {
		return IssuedInvoice{}, err
	}
	if orig.Invoice.TypeCode == invoicing.CreditNote {
		return IssuedInvoice{}, ports.E("invoice.Credit", ports.Invalid, fmt.Errorf("%s is a credit note; credit notes are not credited", r.Original))
	}
	prior, _, err := tx.Documents().List(ctx, ports.DocumentQuery{Tenant: r.Tenant, Kind: KindInvoice, Ref: r.Original,
		Status: string(invoicing.CreditNote), Page: ports.Page{Limit: 1}})
	if err != nil {
		return IssuedInvoice{}, err
	}
	if len(prior) > 0 {
		return IssuedInvoice{}, ports.E("invoice.Credit", ports.Conflict, fmt.Errorf("%s is already cancelled by credit note %s", r.Original, prior[0].ID))
	}
	draft := redraft(orig.Invoice, invoicing.CreditNote)
	draft.Notes = append([]string{"Cancels invoice " + orig.Invoice.Number + ": " + r.Reason}, draft.Notes...)
	return issue(ctx, tx, IssueRequest{Tenant: r.Tenant, Org: r.Org, Series: r.Series, Draft: draft,
		Rounding: r.Rounding, Actor: r.Actor, Delivery: r.Delivery}, now)
}

// redraft turns an issued invoice into the draft of a document of type
// code that references it (BG-3): number, dates and computed fields cleared.
func redraft(orig invoicing.Invoice, code invoicing.TypeCode) invoicing.Invoice {
	draft := orig
	draft.Number, draft.IssueDate, draft.VAT, draft.Totals = "", invoicing.Date{}, nil, invoicing.Totals{}
	draft.TypeCode = code
	draft.Preceding = []invoicing.Reference{{Number: orig.Number, IssueDate: orig.IssueDate}}
	draft.Prepaid = money.Amount{}
	draft.Lines = append([]invoicing.Line(nil), orig.Lines...)
	for i := range draft.Lines {
		draft.Lines[i].NetAmount = money.Amount{}
	}
	return draft
}

// issuedInTx reads an issued invoice's stored body.
func issuedInTx(ctx context.Context, tx ports.Tx, tenant, number string) (IssuedInvoice, error) {
	var out IssuedInvoice
	d, err := tx.Documents().Get(ctx, tenant, KindInvoice, number)
	if err != nil {
		return out, err
	}
	return out, json.Unmarshal(d.Body, &out)
}
