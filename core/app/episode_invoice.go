package app

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/revhub/revhub/core/episode"
	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// EpisodeInvoiceRequest asks for the invoices of an approved settlement:
// one per payer and one for the patient's share.
type EpisodeInvoiceRequest struct {
	Tenant, Episode string
	Seller          invoicing.Party
	Buyers          map[string]invoicing.Party // party (payer id or "patient") -> recipient
	Tax             invoicing.Tax              // VAT treatment of the lines: medical care is exempt
	Payment         *invoicing.PaymentMeans
	DueDays         int
	Series          Series // invoices and corrected invoices
	CreditSeries    Series // credit notes
	Rounding        money.Rounding
	Actor           string
	Delivery        string
	Language        string
	// IdempotencyKey, when set, makes a retried request answer with the
	// invoices the first one issued.
	IdempotencyKey string
}

// EpisodeInvoices is what one issuance produced.
type EpisodeInvoices struct {
	Episode   string          `json:"episode"`
	Version   int             `json:"version"`
	Issued    []IssuedInvoice `json:"issued"`
	Unchanged []string        `json:"unchanged,omitempty"` // standing invoices the new version leaves as they are
}

// IssueEpisodeInvoices issues, in one transaction, the invoices of an
// episode's approved version. A party invoiced from an earlier version gets
// a corrected invoice (384, referencing the one it replaces) when its lines
// changed, a credit note (381) when it owes nothing any more, and nothing
// when its lines are the same. The episode becomes invoiced.
func IssueEpisodeInvoices(ctx context.Context, s ports.Store, r EpisodeInvoiceRequest, now time.Time) (EpisodeInvoices, error) {
	var out EpisodeInvoices
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		const scope = "episode.invoice"
		if r.IdempotencyKey != "" {
			first, stored, err := tx.Idempotency().Claim(ctx, r.Tenant, scope, r.Episode+"/"+r.IdempotencyKey)
			if err != nil {
				return err
			}
			if !first {
				if stored == nil {
					return ports.E("episode.Invoice", ports.Conflict, fmt.Errorf("request %s is still being issued", r.IdempotencyKey))
				}
				return json.Unmarshal(stored, &out)
			}
		}
		var err error
		if out, err = issueEpisode(ctx, tx, r, now); err != nil {
			return err
		}
		if r.IdempotencyKey == "" {
			return nil
		}
		b, err := json.Marshal(out)
		if err != nil {
			return err
		}
		return tx.Idempotency().Complete(ctx, r.Tenant, scope, r.Episode+"/"+r.IdempotencyKey, b)
	})
	return out, err
}

func issueEpisode(ctx context.Context, tx ports.Tx, r EpisodeInvoiceRequest, now time.Time) (EpisodeInvoices, error) {
	const op = "episode.Invoice"
	ep, dv, err := loadEpisode(ctx, tx, r.Tenant, r.Episode)
	if err != nil {
		return EpisodeInvoices{}, err
	}
	if ep.Stage != episode.Approved {
		return EpisodeInvoices{}, ports.E(op, ports.Conflict, fmt.Errorf("episode %s is %s; invoices are issued from an approved settlement", r.Episode, ep.Stage))
	}
	v, err := getVersion(ctx, tx, r.Tenant, r.Episode, ep.Approved)
	if err != nil {
		return EpisodeInvoices{}, err
	}
	parties := append(append([]string(nil), ep.Payers...), episode.Patient)
	for _, p := range slices.Sorted(maps.Keys(ep.Invoices)) {
		if !slices.Contains(parties, p) {
			parties = append(parties, p) // invoiced before, no longer on the episode
		}
	}
	var errs validate.Errors
	for _, p := range parties {
		if _, owes := v.Totals[p]; owes && r.Buyers[p].Name == "" {
			errs.Add("buyers."+p, "required", "name the recipient of "+p+"'s invoice")
		}
	}
	if err := errs.Err(); err != nil {
		return EpisodeInvoices{}, err
	}
	out := EpisodeInvoices{Episode: r.Episode, Version: v.N}
	issued := map[string]string{}
	for _, p := range parties {
		prev := ep.Invoices[p]
		lines, shares, err := partyLines(v.Version, p, r.Tax)
		if err != nil {
			return EpisodeInvoices{}, ports.E(op, ports.Invalid, err)
		}
		if len(lines) == 0 {
			if prev == "" {
				continue
			}
			cn, err := creditInTx(ctx, tx, CreditRequest{Tenant: r.Tenant, Org: ep.Org, Original: prev, Series: r.CreditSeries,
				Rounding: r.Rounding, Actor: r.Actor, Delivery: r.Delivery,
				Reason: fmt.Sprintf("settlement version %d leaves nothing for %s", v.N, p)}, now)
			if err != nil {
				return EpisodeInvoices{}, err
			}
			out.Issued = append(out.Issued, cn)
			continue
		}
		draft, err := episodeDraft(r, v.Version, p, lines, now)
		if err != nil {
			return EpisodeInvoices{}, err
		}
		if prev != "" {
			old, err := issuedInTx(ctx, tx, r.Tenant, prev)
			if err != nil {
				return EpisodeInvoices{}, err
			}
			if sameLines(old.Invoice.Lines, lines) {
				issued[p] = prev
				out.Unchanged = append(out.Unchanged, prev)
				continue
			}
			draft.TypeCode = invoicing.CorrectedInvoice
			draft.Preceding = []invoicing.Reference{{Number: old.Invoice.Number, IssueDate: old.Invoice.IssueDate}}
			draft.Notes = append([]string{fmt.Sprintf("Corrects invoice %s: settlement of episode %s recomputed (version %d)",
				old.Invoice.Number, r.Episode, v.N)}, draft.Notes...)
		}
		req := IssueRequest{Tenant: r.Tenant, Org: ep.Org, Series: r.Series, Draft: draft, Rounding: r.Rounding, Actor: r.Actor,
			Delivery: r.Delivery, Language: r.Language}
		if p == episode.Patient {
			req.Shares = shares
		}
		if r.IdempotencyKey != "" {
			req.IdempotencyKey = r.Episode + "/" + r.IdempotencyKey + "/" + p
		}
		inv, err := issueOnce(ctx, tx, req, now)
		if err != nil {
			return EpisodeInvoices{}, err
		}
		issued[p] = inv.Invoice.Number
		out.Issued = append(out.Issued, inv)
	}
	ep.Stage, ep.Invoiced, ep.Invoices = episode.Invoiced, v.N, issued
	if err := putEpisode(ctx, tx, r.Tenant, dv, ep, now); err != nil {
		return EpisodeInvoices{}, err
	}
	numbers := make([]string, len(out.Issued))
	for i, inv := range out.Issued {
		numbers[i] = inv.Invoice.Number
	}
	_, err = Record(ctx, tx, r.Tenant, auditDraft(r.Actor, "episode.invoice", KindEpisode+"/"+r.Episode, "", nil,
		map[string]any{"version": v.N, "issued": numbers, "unchanged": out.Unchanged}), now)
	return out, err
}

// partyLines are the invoice lines of one party's shares, one per charge,
// and for the patient what insurance covers of each. A share that cannot be
// added (another currency) is an error, never left out of the sum.
func partyLines(v episode.Version, party string, tax invoicing.Tax) ([]invoicing.Line, []ports.LineShare, error) {
	var lines []invoicing.Line
	var shares []ports.LineShare
	for _, l := range v.Lines {
		var mine, covered money.Amount
		var why, payers []string
		for _, s := range l.Shares {
			var err error
			switch {
			case s.Party == party:
				mine, err = addOrSet(mine, s.Amount)
				why = append(why, string(s.Reason))
			case s.Party != episode.Patient:
				covered, err = addOrSet(covered, s.Amount)
				payers = append(payers, s.Party)
			}
			if err != nil {
				return nil, nil, fmt.Errorf("charge %s: share of %s: %w", l.Charge.ID, s.Party, err)
			}
		}
		if !mine.Valid() || mine.IsZero() {
			continue
		}
		id := strconv.Itoa(len(lines) + 1)
		lines = append(lines, invoicing.Line{ID: id, Name: l.Charge.Service, SellerItemID: l.Charge.Service,
			Note:     l.Charge.ID + " " + l.Charge.Date.Format("2006-01-02") + ": " + strings.Join(why, ", "),
			Quantity: money.Int(1), Unit: "C62", Price: mine, Tax: tax})
		if covered.Valid() {
			shares = append(shares, ports.LineShare{LineID: id, Covered: covered, Payer: strings.Join(payers, ", "), Reason: strings.Join(why, ", ")})
		}
	}
	return lines, shares, nil
}

func addOrSet(sum, a money.Amount) (money.Amount, error) {
	if !sum.Valid() {
		return a, nil
	}
	return sum.Add(a)
}

func episodeDraft(r EpisodeInvoiceRequest, v episode.Version, party string, lines []invoicing.Line, now time.Time) (invoicing.Invoice, error) {
	inv := invoicing.Invoice{TypeCode: invoicing.CommercialInvoice, Currency: lines[0].Price.Currency(), Seller: r.Seller,
		Buyer: r.Buyers[party], Payment: r.Payment, Lines: lines,
		Notes: []string{fmt.Sprintf("Episode %s, settlement version %d", r.Episode, v.N)}}
	if r.DueDays > 0 {
		due, err := invoicing.ParseDate(now.UTC().AddDate(0, 0, r.DueDays).Format("2006-01-02"))
		if err != nil {
			return inv, err
		}
		inv.DueDate = due
	}
	return inv, nil
}

// sameLines reports whether an issued invoice's lines bill what lines do.
func sameLines(issued, lines []invoicing.Line) bool {
	if len(issued) != len(lines) {
		return false
	}
	for i, l := range lines {
		o := issued[i]
		if o.SellerItemID != l.SellerItemID || o.Price != l.Price || o.Note != l.Note || o.Quantity.Cmp(l.Quantity) != 0 {
			return false
		}
	}
	return true
}
