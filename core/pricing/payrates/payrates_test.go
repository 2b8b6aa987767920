package payrates_test

import (
	"errors"
	"testing"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/payrates"
)

func rate(s string) *money.Rate { r := money.MustRate(s); return &r }

func TestDecide(t *testing.T) {
	tables := []payrates.RateTable{{ID: "home-visits", Circumstance: "home_visit", Rows: []payrates.TableRow{
		{From: day.MustParse("2025-01-01"), To: day.MustParse("2025-07-01"), Rate: money.MustRate("41.25")},
		{From: day.MustParse("2025-07-01"), Rate: money.MustRate("43.125")},
	}}}
	all := payrates.Sources{Authorization: rate("30.00"), Contract: rate("28.00"),
		Provider: payrates.Configured{Rate: rate("27.50"), Option: payrates.PayConfigured},
		Offering: payrates.Configured{Rate: rate("25.00"), Option: payrates.PayInvoiced}, Tables: tables}
	without := func(f func(*payrates.Sources)) payrates.Sources { s := all; f(&s); return s }
	noAuth := without(func(s *payrates.Sources) { s.Authorization = nil })
	offeringOnly := payrates.Sources{Offering: payrates.Configured{Rate: rate("25.00"), Option: payrates.PayInvoiced}}
	for _, tc := range []struct {
		name         string
		src          payrates.Sources
		invoiced     string
		qty          int64
		circumstance string
		date         string
		step         payrates.Step
		payable      string
		adjustment   string // "" = none
		reason       string
	}{
		{name: "authorization rate, invoiced equal", src: all, invoiced: "30.00", qty: 2, step: payrates.StepAuthorization, payable: "60.00"},
		{name: "authorization rate, provider says pay configured", src: all, invoiced: "32.10", qty: 2, step: payrates.StepAuthorization, payable: "60.00", adjustment: "4.20", reason: payrates.ReasonPaidConfigured},
		{name: "contract rate", src: noAuth, invoiced: "28.00", qty: 3, step: payrates.StepContract, payable: "84.00"},
		{name: "contract rate, pay configured", src: noAuth, invoiced: "29.99", qty: 3, step: payrates.StepContract, payable: "84.00", adjustment: "5.97", reason: payrates.ReasonPaidConfigured},
		{name: "provider rate, pay configured below invoice", src: without(func(s *payrates.Sources) { s.Authorization, s.Contract = nil, nil }), invoiced: "30.00", qty: 1, step: payrates.StepProvider, payable: "27.50", adjustment: "2.50", reason: payrates.ReasonPaidConfigured},
		{name: "provider rate, pay invoiced", src: without(func(s *payrates.Sources) {
			s.Authorization, s.Contract, s.Provider.Option = nil, nil, payrates.PayInvoiced
		}), invoiced: "30.00", qty: 1, step: payrates.StepProvider, payable: "30.00"},
		{name: "provider rate, do not pay", src: without(func(s *payrates.Sources) {
			s.Authorization, s.Contract, s.Provider.Option = nil, nil, payrates.DoNotPay
		}), invoiced: "30.00", qty: 2, step: payrates.StepProvider, payable: "0.00", adjustment: "60.00", reason: payrates.ReasonNotPaid},
		{name: "offering rate, offering's option pays invoiced", src: offeringOnly, invoiced: "26.00", qty: 1, step: payrates.StepOffering, payable: "26.00"},
		{name: "offering rate, invoiced below rate, pay configured", src: payrates.Sources{Offering: payrates.Configured{Rate: rate("25.00"), Option: payrates.PayConfigured}}, invoiced: "24.00", qty: 1, step: payrates.StepOffering, payable: "25.00", adjustment: "-1.00", reason: payrates.ReasonPaidConfigured},
		{name: "provider's option wins over the offering's", src: payrates.Sources{Provider: payrates.Configured{Option: payrates.DoNotPay}, Offering: payrates.Configured{Rate: rate("25.00"), Option: payrates.PayInvoiced}}, invoiced: "26.00", qty: 1, step: payrates.StepOffering, payable: "0.00", adjustment: "26.00", reason: payrates.ReasonNotPaid},
		{name: "custom table overrides the cascade", src: all, invoiced: "41.25", qty: 1, circumstance: "home_visit", step: payrates.StepCustom, payable: "41.25"},
		{name: "custom table by date, sub-cent rate, pay configured", src: all, invoiced: "45.00", qty: 3, circumstance: "home_visit", date: "2025-08-01", step: payrates.StepCustom, payable: "129.38", adjustment: "5.62", reason: payrates.ReasonPaidConfigured},
		{name: "other circumstance uses the cascade", src: all, invoiced: "30.00", qty: 1, circumstance: "clinic", step: payrates.StepAuthorization, payable: "30.00"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d := "2025-03-01"
			if tc.date != "" {
				d = tc.date
			}
			l := payrates.Line{Service: "S1", Date: day.MustParse(d), Circumstance: tc.circumstance, Quantity: money.Int(tc.qty),
				InvoicedUnit: money.MustRate(tc.invoiced), Currency: money.EUR}
			r, err := payrates.Decide(l, tc.src, money.HalfUp)
			if err != nil {
				t.Fatal(err)
			}
			if r.Step != tc.step || r.Payable.Number() != tc.payable {
				t.Fatalf("step %s payable %s", r.Step, r.Payable)
			}
			switch {
			case tc.adjustment == "" && r.Adjustment != nil:
				t.Fatalf("unexpected adjustment %+v", r.Adjustment)
			case tc.adjustment != "" && (r.Adjustment == nil || r.Adjustment.Amount.Number() != tc.adjustment || r.Adjustment.Reason != tc.reason):
				t.Fatalf("adjustment %+v, want %s %s", r.Adjustment, tc.adjustment, tc.reason)
			}
			if r.Adjustment != nil {
				if sum, _ := r.Payable.Add(r.Adjustment.Amount); sum != r.Invoiced {
					t.Fatal("payable + adjustment != invoiced")
				}
			}
		})
	}
}

func TestDecide_errors(t *testing.T) {
	l := payrates.Line{Service: "S1", Date: day.MustParse("2025-03-01"), Quantity: money.Int(1), InvoicedUnit: money.MustRate("10"), Currency: money.EUR}
	if _, err := payrates.Decide(l, payrates.Sources{}, money.HalfUp); !errors.Is(err, payrates.ErrNoRate) {
		t.Fatalf("got %v", err)
	}
	var noOpt *payrates.NoOptionError
	if _, err := payrates.Decide(l, payrates.Sources{Contract: rate("9")}, money.HalfUp); !errors.As(err, &noOpt) {
		t.Fatalf("got %v", err)
	}
}
