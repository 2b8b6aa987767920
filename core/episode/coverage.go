package episode

import (
	"fmt"
	"slices"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// Rule is one coverage rule of a plan for a set of service groups.
type Rule struct {
	Groups      []string     `yaml:"groups" json:"groups,omitempty" doc:"service groups the rule covers; empty: every group"`
	NotCovered  bool         `yaml:"not_covered" json:"not_covered,omitempty"`
	Copay       money.Amount `yaml:"-" json:"copay,omitzero"`                 // fixed patient amount per service
	Coinsurance money.Rate   `yaml:"coinsurance" json:"coinsurance,omitzero"` // patient percent of what remains, e.g. 20
	Deductible  bool         `yaml:"deductible" json:"deductible,omitempty"`  // charges count toward the yearly deductible first
}

// Plan is a payer's plan: ordered rules (first match wins) and a yearly
// per-patient deductible.
type Plan struct {
	ID         string       `json:"id"`
	Payer      string       `json:"payer"`
	Rules      []Rule       `json:"rules"`
	Deductible money.Amount `json:"deductible,omitzero"` // zero amount: none
}

// Validate checks a plan.
func (p Plan) Validate() error {
	var errs validate.Errors
	if p.ID == "" {
		errs.Required("id")
	}
	if p.Payer == "" {
		errs.Required("payer")
	}
	for i, r := range p.Rules {
		path := validate.Index("rules", i)
		if r.Coinsurance.Sign() < 0 || r.Coinsurance.Cmp(money.Int(100)) > 0 {
			errs.Add(path+".coinsurance", "out_of_range", "want a percent between 0 and 100")
		}
		if r.Copay.Valid() && r.Copay.Sign() < 0 {
			errs.Add(path+".copay", "negative", "must not be negative")
		}
	}
	return errs.Err()
}

func (p Plan) rule(group string) (Rule, bool) {
	for _, r := range p.Rules {
		if len(r.Groups) == 0 || slices.Contains(r.Groups, group) {
			return r, true
		}
	}
	return Rule{}, false
}

// Accumulators hold deductible already met, per (plan, patient, year).
type Accumulators map[AccKey]money.Amount

// AccKey addresses one deductible accumulator.
type AccKey struct {
	Plan, Patient string
	Year          int
}

// Reason says why a share falls to its party.
type Reason string

// The share reasons.
const (
	Covered     Reason = "covered"
	NotCovered  Reason = "not_covered"
	Deductible  Reason = "deductible"
	Copay       Reason = "copay"
	Coinsurance Reason = "coinsurance"
	NoCoverage  Reason = "no_coverage" // no payer left: the patient owes it
)

// Patient is the party name of the patient's share.
const Patient = "patient"

// Share is one party's part of a charge.
type Share struct {
	Party  string       `json:"party"` // payer id or Patient
	Amount money.Amount `json:"amount"`
	Reason Reason       `json:"reason"`
	Plan   string       `json:"plan,omitempty"` // plan whose rule produced it
}

func (s Share) String() string { return fmt.Sprintf("%s %s (%s)", s.Party, s.Amount, s.Reason) }
