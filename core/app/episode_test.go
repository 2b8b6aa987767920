package app_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/episode"
	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness/stores"
)

func eur(c int64) money.Amount { return money.MustNew(c, money.EUR) }

var (
	gold = episode.Plan{ID: "gold", Payer: "payer-a", Deductible: eur(5000), Rules: []episode.Rule{
		{Groups: []string{"lab"}, Copay: eur(500)},
		{Coinsurance: money.MustRate("20"), Deductible: true},
	}}
	assignRules = []episode.AssignRule{{Name: "payer-a-desk", Payers: []string{"payer-a"}, Biller: "bea"}}
	medical     = invoicing.Tax{Category: invoicing.Exempt, Rate: money.Int(0), ExemptionReason: "Medical care", ExemptionCode: "VATEX-EU-132-1C"}
)

func settleReq(ep string, charges ...episode.Charge) app.SettleRequest {
	return app.SettleRequest{Tenant: "acme", Org: "berlin", Episode: ep, Patient: "Patient/p1", Charges: charges,
		Plans: []episode.Plan{gold}, Rules: assignRules, Rounding: money.HalfUp, Reason: "charges arrived", Actor: "user:anna"}
}

func epCharge(id, group string, cents int64, flag string) episode.Charge {
	return episode.Charge{ID: id, Service: "S-" + id, Group: group, Date: now, Amount: eur(cents), Flag: flag}
}

func invoiceReq(key string) app.EpisodeInvoiceRequest {
	addr := invoicing.Address{City: "Berlin", Country: "DE"}
	return app.EpisodeInvoiceRequest{Tenant: "acme", Episode: "e1",
		Seller: invoicing.Party{Name: "Klinik Berlin", VATID: "DE123456789", Address: addr},
		Buyers: map[string]invoicing.Party{"payer-a": {Name: "Payer A", Address: addr}, episode.Patient: {Name: "Pat Ient", Address: addr}},
		Tax:    medical, DueDays: 30, Series: series, CreditSeries: series, Rounding: money.HalfUp, Actor: "user:bea", IdempotencyKey: key}
}

// An episode goes through settlement, flag resolution, approval and
// invoicing; a recomputation is a new version with a diff and its invoices
// are corrected (384) or credited (381), never changed.
func TestEpisode_settleApproveInvoiceCorrect(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		ctx := context.Background()
		ep, v1, err := app.SettleEpisode(ctx, s, settleReq("e1", epCharge("c1", "lab", 3000, "duplicate of c0?"), epCharge("c2", "visit", 10000, "")), now)
		if err != nil {
			t.Fatal(err)
		}
		if ep.Stage != episode.Review || ep.Version != 1 || ep.Biller != "bea" || ep.ByRule != "payer-a-desk" || len(ep.Flags) != 1 {
			t.Fatalf("episode %+v", ep)
		}
		if got := ep.Totals["payer-a"].Minor(); got != 2500+4000 || len(v1.Diff) != 2 {
			t.Fatalf("payer total %d, diff %q", got, v1.Diff)
		}
		_, err = app.ApproveEpisode(ctx, s, "acme", "e1", "user:bea", now)
		if !errors.Is(err, episode.ErrUnresolvedFlags) || !strings.Contains(err.Error(), "c1") {
			t.Fatalf("approve with an open flag: %v", err)
		}
		if _, err := app.IssueEpisodeInvoices(ctx, s, invoiceReq(""), now); !ports.Is(ports.Conflict, err) {
			t.Fatalf("invoicing before approval: %v", err)
		}
		if _, err := app.ResolveFlag(ctx, s, "acme", "e1", "c1", "not a duplicate: second sample", "user:bea", now); err != nil {
			t.Fatal(err)
		}
		if _, err := app.ApproveEpisode(ctx, s, "acme", "e1", "user:bea", now); err != nil {
			t.Fatal(err)
		}
		first, err := app.IssueEpisodeInvoices(ctx, s, invoiceReq("req-1"), now)
		if err != nil {
			t.Fatal(err)
		}
		if len(first.Issued) != 2 || first.Issued[0].Invoice.Buyer.Name != "Payer A" || first.Issued[1].Invoice.Totals.Due.Minor() != 500+5000+1000 {
			t.Fatalf("issued %+v", first.Issued)
		}
		if len(first.Issued[1].Shares) != 2 || first.Issued[1].Shares[0].Covered.Minor() != 2500 {
			t.Fatalf("patient shares %+v", first.Issued[1].Shares)
		}
		again, err := app.IssueEpisodeInvoices(ctx, s, invoiceReq("req-1"), now)
		if err != nil || again.Issued[0].Invoice.Number != first.Issued[0].Invoice.Number || again.Issued[1].SHA256 != first.Issued[1].SHA256 {
			t.Fatalf("retried request: %v %+v", err, again)
		}

		// Recomputed: c2 costs more, the flag on c1 stays resolved.
		later := now.Add(time.Hour)
		ep, v2, err := app.SettleEpisode(ctx, s, settleReq("e1", epCharge("c1", "lab", 3000, "duplicate of c0?"), epCharge("c2", "visit", 12000, "")), later)
		if err != nil {
			t.Fatal(err)
		}
		if ep.Version != 2 || ep.Stage != episode.Review || len(v2.Diff) != 1 || !strings.HasPrefix(v2.Diff[0], "~ c2") || !ep.Flags[0].Resolved {
			t.Fatalf("version 2: %+v diff %q", ep, v2.Diff)
		}
		if _, err := app.ApproveEpisode(ctx, s, "acme", "e1", "user:bea", later); err != nil {
			t.Fatal(err)
		}
		fix, err := app.IssueEpisodeInvoices(ctx, s, invoiceReq("req-2"), later)
		if err != nil {
			t.Fatal(err)
		}
		for i, inv := range fix.Issued {
			orig := first.Issued[i].Invoice
			if inv.Invoice.TypeCode != invoicing.CorrectedInvoice || inv.Invoice.Preceding[0].Number != orig.Number {
				t.Fatalf("correction %d: %s refs %+v", i, inv.Invoice.TypeCode, inv.Invoice.Preceding)
			}
		}
		if fix.Issued[0].Invoice.Number != "BER-2026-000003" || fix.Issued[0].Invoice.Totals.Due.Minor() != 2500+5600 {
			t.Fatalf("payer correction %s due %v", fix.Issued[0].Invoice.Number, fix.Issued[0].Invoice.Totals.Due)
		}
		if got, _, err := app.GetInvoice(ctx, s, "acme", first.Issued[0].Invoice.Number); err != nil || got.SHA256 != first.Issued[0].SHA256 {
			t.Fatalf("the original changed: %v", err)
		}

		// Version 3: only the lab charge is left; both invoices are corrected.
		_, v3, err := app.SettleEpisode(ctx, s, settleReq("e1", epCharge("c1", "lab", 3000, "duplicate of c0?")), later)
		if err != nil {
			t.Fatal(err)
		}
		if v3.Diff[0] != "- c2 S-c2 120.00 EUR" {
			t.Fatalf("diff %q", v3.Diff)
		}
		d, err := app.GetEpisodeVersion(ctx, s, "acme", "e1", 3, 1)
		if err != nil || len(d.Diff) != 1 || !strings.HasPrefix(d.Diff[0], "- c2") {
			t.Fatalf("diff 3 against 1: %v %q", err, d.Diff)
		}
		if _, err := app.ApproveEpisode(ctx, s, "acme", "e1", "user:bea", later); err != nil {
			t.Fatal(err)
		}
		third, err := app.IssueEpisodeInvoices(ctx, s, invoiceReq(""), later)
		if err != nil {
			t.Fatal(err)
		}
		if len(third.Issued) != 2 || third.Issued[0].Invoice.TypeCode != invoicing.CorrectedInvoice || third.Issued[1].Invoice.TypeCode != invoicing.CorrectedInvoice {
			t.Fatalf("third issuance %+v", third)
		}
		// Version 4 bills the same: nothing is issued, both invoices stand.
		if _, _, err := app.SettleEpisode(ctx, s, settleReq("e1", epCharge("c1", "lab", 3000, "duplicate of c0?")), later); err != nil {
			t.Fatal(err)
		}
		if _, err := app.ApproveEpisode(ctx, s, "acme", "e1", "user:bea", later); err != nil {
			t.Fatal(err)
		}
		fourth, err := app.IssueEpisodeInvoices(ctx, s, invoiceReq(""), later)
		if err != nil || len(fourth.Issued) != 0 || len(fourth.Unchanged) != 2 {
			t.Fatalf("fourth issuance %+v: %v", fourth, err)
		}

		// Hand assignment wins over the rule; the work queue filters.
		if _, err := app.AssignEpisode(ctx, s, "acme", "e1", "carl", assignRules, "user:lead", later); err != nil {
			t.Fatal(err)
		}
		if _, _, err := app.SettleEpisode(ctx, s, settleReq("e2", epCharge("c9", "visit", 2000, "")), later); err != nil {
			t.Fatal(err)
		}
		queue, _, err := app.WorkQueue(ctx, s, app.QueueQuery{Tenant: "acme", Biller: "carl"})
		if err != nil || len(queue) != 1 || queue[0].ID != "e1" || queue[0].ByRule != "" {
			t.Fatalf("carl's queue: %v %+v", err, queue)
		}
		queue, _, err = app.WorkQueue(ctx, s, app.QueueQuery{Tenant: "acme", Stage: episode.Review})
		if err != nil || len(queue) != 1 || queue[0].ID != "e2" || queue[0].Biller != "bea" {
			t.Fatalf("review queue: %v %+v", err, queue)
		}
		// e1's lab charge no longer meets any deductible: e2 of the same
		// patient and year pays all of its 20.00 toward it.
		e2, err := app.GetEpisode(ctx, s, "acme", "e2")
		if err != nil || e2.Totals[episode.Patient].Minor() != 2000 {
			t.Fatalf("e2 %+v %v", e2.Totals, err)
		}
		if _, err := app.AssignEpisode(ctx, s, "acme", "e1", "", assignRules, "user:lead", later); err != nil {
			t.Fatal(err)
		}
		if ep, _ := app.GetEpisode(ctx, s, "acme", "e1"); ep.Biller != "bea" || ep.ByRule != "payer-a-desk" {
			t.Fatalf("back to the rule: %+v", ep)
		}
		if _, err := app.GetEpisode(ctx, s, "other", "e1"); !ports.Is(ports.NotFound, err) {
			t.Fatalf("another tenant's episode: %v", err)
		}
		if _, _, err := app.VerifyTenant(ctx, s, "acme"); err != nil {
			t.Fatal(err)
		}
	})
}

// Deductibles accumulate across a patient's episodes of a year, and a
// recomputation replaces its own contribution instead of adding to it.
func TestEpisode_deductibleAcrossEpisodes(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		ctx := context.Background()
		for range 2 { // settling e1 twice must not count its deductible twice
			if _, _, err := app.SettleEpisode(ctx, s, settleReq("e1", epCharge("c1", "visit", 3000, "")), now); err != nil {
				t.Fatal(err)
			}
		}
		ep, _, err := app.SettleEpisode(ctx, s, settleReq("e2", epCharge("c2", "visit", 10000, "")), now)
		if err != nil {
			t.Fatal(err)
		}
		// 30.00 met by e1 leaves 20.00 of deductible, then 20 % of 80.00.
		if got := ep.Totals[episode.Patient].Minor(); got != 2000+1600 {
			t.Fatalf("e2 patient owes %d", got)
		}
		if _, _, err := app.SettleEpisode(ctx, s, app.SettleRequest{Tenant: "acme", Org: "berlin", Episode: "e3", Patient: "Patient/p1",
			Plans: []episode.Plan{{ID: "x"}}}, now); err == nil || !strings.Contains(err.Error(), "plans[0].payer") {
			t.Fatalf("bad plan: %v", err)
		}
	})
}

// A charge given without a group takes its service's first group from
// Groups, as pricing does: the lab copay applies.
func TestEpisode_chargeGroupFromGroups(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		r := settleReq("e-groups", epCharge("c1", "", 3000, ""))
		r.Groups = func(service string) []string {
			if service == "S-c1" {
				return []string{"lab", "x-ray"}
			}
			return nil
		}
		ep, v, err := app.SettleEpisode(context.Background(), s, r, now)
		if err != nil {
			t.Fatal(err)
		}
		if got := ep.Totals["payer-a"].Minor(); got != 2500 || v.Lines[0].Charge.Group != "lab" {
			t.Fatalf("payer total %d, group %q; want 2500 after the lab copay", got, v.Lines[0].Charge.Group)
		}
	})
}

// A flagged charge sent as already resolved is still open: only
// ResolveFlag (a person, with a note, audited) resolves it.
func TestEpisode_callerCannotResolveFlags(t *testing.T) {
	stores.Each(t, func(t *testing.T, s ports.Store) {
		ctx := context.Background()
		c := epCharge("c1", "lab", 3000, "duplicate of c0?")
		c.Resolved = true
		ep, _, err := app.SettleEpisode(ctx, s, settleReq("e-flag", c), now)
		if err != nil {
			t.Fatal(err)
		}
		if len(ep.Flags) != 1 || ep.Flags[0].Resolved {
			t.Fatalf("flags %+v, want one open flag", ep.Flags)
		}
		if _, err := app.ApproveEpisode(ctx, s, "acme", "e-flag", "user:bea", now); !errors.Is(err, episode.ErrUnresolvedFlags) {
			t.Fatalf("approve: %v, want ErrUnresolvedFlags", err)
		}
	})
}
