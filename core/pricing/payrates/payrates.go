// Package payrates decides, on the payer side, how much to pay for an
// invoiced service line: from a custom rate table where one applies, else
// from the first of the authorization line rate, the utilization contract
// rate, the provider's service rate and the service offering rate. When the
// invoiced unit amount differs, the configured option decides what is paid,
// and the difference becomes a payment adjustment with its reason.
package payrates

import (
	"fmt"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing/day"
)

// Option is what to do when the invoiced unit amount differs from the rate.
type Option uint8

// The options a provider or service offering configures.
const (
	_ Option = iota
	// PayInvoiced pays the invoiced rate.
	PayInvoiced
	// PayConfigured pays the configured rate.
	PayConfigured
	// DoNotPay pays nothing for the line.
	DoNotPay
)

var optionNames = [...]string{"", "pay_invoiced", "pay_configured", "do_not_pay"}

// String returns the snake_case name used in mappings.
func (o Option) String() string {
	if o >= PayInvoiced && o <= DoNotPay {
		return optionNames[o]
	}
	return fmt.Sprintf("option(%d)", o)
}

// MarshalText implements encoding.TextMarshaler.
func (o Option) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler.
func (o *Option) UnmarshalText(b []byte) error {
	for i, n := range optionNames {
		if i > 0 && n == string(b) {
			*o = Option(i)
			return nil
		}
	}
	return fmt.Errorf("unknown rate option %q (want pay_invoiced, pay_configured or do_not_pay)", b)
}

// Step is where the rate came from.
type Step uint8

// The cascade, custom tables first.
const (
	_ Step = iota
	StepCustom
	StepAuthorization
	StepContract
	StepProvider
	StepOffering
)

var stepNames = [...]string{"", "custom_rate_table", "authorization_line", "utilization_contract", "provider_service_rate", "service_offering_rate"}

// String returns the snake_case name.
func (s Step) String() string {
	if s >= StepCustom && s <= StepOffering {
		return stepNames[s]
	}
	return fmt.Sprintf("step(%d)", s)
}

// MarshalText implements encoding.TextMarshaler.
func (s Step) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Configured is a provider's or service offering's rate and mismatch option.
type Configured struct {
	Rate   *money.Rate `yaml:"rate" json:"rate,omitempty"`
	Option Option      `yaml:"option" json:"option,omitempty"`
}

// RateTable holds custom rates for a circumstance (e.g. "home_visit"), by date.
type RateTable struct {
	ID           string     `yaml:"id" json:"id"`
	Circumstance string     `yaml:"circumstance" json:"circumstance"`
	Service      string     `yaml:"service" json:"service,omitempty"` // "" = any service
	Rows         []TableRow `yaml:"rows" json:"rows"`
}

// TableRow is a rate in force over [From, To).
type TableRow struct {
	From day.Day    `yaml:"valid_from" json:"valid_from"`
	To   day.Day    `yaml:"valid_to" json:"valid_to"` // left out: no end
	Rate money.Rate `yaml:"rate" json:"rate"`
}

// Sources are the rates known for one invoiced line.
type Sources struct {
	Authorization *money.Rate // the authorization line's rate
	Contract      *money.Rate // the utilization contract's rate
	Provider      Configured  // the provider's rate for the service
	Offering      Configured  // the service offering's rate
	Tables        []RateTable // custom rates; the first matching row overrides the cascade
}

// Line is an invoiced service line.
type Line struct {
	Service      string
	Date         day.Day
	Circumstance string
	Quantity     money.Rate
	InvoicedUnit money.Rate
	Currency     money.Currency
}

// Adjustment is the part of the invoiced amount not paid, with its reason.
type Adjustment struct {
	Amount money.Amount `json:"amount"` // invoiced − payable
	Reason string       `json:"reason"`
}

// Adjustment reasons.
const (
	ReasonPaidConfigured = "rate_differs_paid_configured"
	ReasonNotPaid        = "rate_differs_not_paid"
)

// Result is what to pay for a line and why.
type Result struct {
	Step       Step         `json:"step"`
	Table      string       `json:"table,omitempty"` // for StepCustom
	Rate       money.Rate   `json:"rate"`            // the configured unit rate
	Option     Option       `json:"option,omitempty"`
	Invoiced   money.Amount `json:"invoiced"`
	Configured money.Amount `json:"configured"` // Rate × quantity
	Payable    money.Amount `json:"payable"`
	Adjustment *Adjustment  `json:"adjustment,omitempty"` // nil when paid as invoiced
}

// ErrNoRate reports a line with no rate from any source.
var ErrNoRate = fmt.Errorf("payrates: no rate for the line in any source")

// NoOptionError reports a rate mismatch with no option configured to decide it.
type NoOptionError struct{ Invoiced, Rate money.Rate }

func (e *NoOptionError) Error() string {
	return fmt.Sprintf("payrates: invoiced unit %s differs from rate %s and neither provider nor offering names an option", e.Invoiced, e.Rate)
}

// Decide returns what to pay for l, rounding unit × quantity with rnd.
func Decide(l Line, s Sources, rnd money.Rounding) (Result, error) {
	var r Result
	var ok bool
	r.Step, r.Table, r.Rate, ok = pick(l, s)
	if !ok {
		return Result{}, ErrNoRate
	}
	var err error
	if r.Invoiced, err = l.InvoicedUnit.Apply(l.Quantity, l.Currency, rnd); err != nil {
		return Result{}, err
	}
	if r.Configured, err = r.Rate.Apply(l.Quantity, l.Currency, rnd); err != nil {
		return Result{}, err
	}
	r.Payable = r.Invoiced
	if l.InvoicedUnit.Cmp(r.Rate) == 0 {
		return r, nil
	}
	r.Option = s.Provider.Option
	if r.Option == 0 {
		r.Option = s.Offering.Option
	}
	switch r.Option {
	case PayInvoiced:
		return r, nil
	case PayConfigured:
		r.Payable = r.Configured
		r.Adjustment = &Adjustment{Reason: ReasonPaidConfigured}
	case DoNotPay:
		r.Payable = money.Zero(l.Currency)
		r.Adjustment = &Adjustment{Reason: ReasonNotPaid}
	default:
		return Result{}, &NoOptionError{Invoiced: l.InvoicedUnit, Rate: r.Rate}
	}
	if r.Adjustment.Amount, err = r.Invoiced.Sub(r.Payable); err != nil {
		return Result{}, err
	}
	if r.Adjustment.Amount.IsZero() { // the rates differ below the currency's precision
		r.Adjustment = nil
	}
	return r, nil
}

func pick(l Line, s Sources) (Step, string, money.Rate, bool) {
	for _, t := range s.Tables {
		if t.Circumstance != l.Circumstance || (t.Service != "" && t.Service != l.Service) {
			continue
		}
		for _, row := range t.Rows {
			to := row.To
			if to == 0 {
				to = day.Open
			}
			if (day.Period{From: row.From, To: to}).Contains(l.Date) {
				return StepCustom, t.ID, row.Rate, true
			}
		}
	}
	for _, c := range [...]struct {
		step Step
		rate *money.Rate
	}{{StepAuthorization, s.Authorization}, {StepContract, s.Contract}, {StepProvider, s.Provider.Rate}, {StepOffering, s.Offering.Rate}} {
		if c.rate != nil {
			return c.step, "", *c.rate, true
		}
	}
	return 0, "", money.Rate{}, false
}
