package episode

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/revhub/revhub/core/money"
)

// Charge is a priced charge item of the episode.
type Charge struct {
	ID       string       `json:"id"`
	Service  string       `json:"service"`
	Group    string       `json:"group,omitempty"`
	Date     time.Time    `json:"date"`
	Amount   money.Amount `json:"amount"`
	Flag     string       `json:"flag,omitempty"`     // non-empty: flagged by audit, with the reason
	Resolved bool         `json:"resolved,omitempty"` // the flag was resolved by a person
}

// Line is a charge and its shares; the shares always add up to the charge.
type Line struct {
	Charge Charge  `json:"charge"`
	Shares []Share `json:"shares"`
}

// Split divides each charge among the coverages (payers in order) and the
// patient (party Patient; patient is the id keying deductibles). For each payer, what reaches it is first met against its
// deductible, then its copay, then its coinsurance — those parts pass on to
// the next payer (who may cover the patient's share) and finally to the
// patient. Charges are taken in (date, id) order so deductibles accumulate
// deterministically. acc is updated with deductible met.
func Split(charges []Charge, plans []Plan, patient string, acc Accumulators, rnd money.Rounding) ([]Line, error) {
	sorted := slices.Clone(charges)
	slices.SortStableFunc(sorted, func(a, b Charge) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID, b.ID))
	})
	lines := make([]Line, 0, len(sorted))
	for _, c := range sorted {
		if !c.Amount.Valid() {
			return nil, fmt.Errorf("episode: charge %s has no amount", c.ID)
		}
		shares, err := splitOne(c, plans, patient, acc, rnd)
		if err != nil {
			return nil, fmt.Errorf("episode: charge %s: %w", c.ID, err)
		}
		lines = append(lines, Line{Charge: c, Shares: shares})
	}
	return lines, nil
}

func splitOne(c Charge, plans []Plan, patient string, acc Accumulators, rnd money.Rounding) ([]Share, error) {
	cur := c.Amount.Currency()
	open := c.Amount // what the next payer is asked to cover
	var shares []Share
	var passed []Share // patient-side parts of the last payer that covered anything
	for _, p := range plans {
		if open.IsZero() {
			break
		}
		r, ok := p.rule(c.Group)
		if !ok || r.NotCovered {
			continue
		}
		var patientParts []Share
		rest := open
		take := func(amt money.Amount, why Reason) error {
			if amt.Sign() <= 0 {
				return nil
			}
			patientParts = append(patientParts, Share{Party: Patient, Amount: amt, Reason: why, Plan: p.ID})
			var err error
			rest, err = rest.Sub(amt)
			return err
		}
		if r.Deductible && p.Deductible.Valid() && !p.Deductible.IsZero() {
			k := AccKey{Plan: p.ID, Patient: patient, Year: c.Date.Year()}
			met, ok := acc[k]
			if !ok {
				met = money.Zero(cur)
			}
			left, err := p.Deductible.Sub(met)
			if err != nil {
				return nil, err
			}
			d := minAmount(left, rest)
			if err := take(d, Deductible); err != nil {
				return nil, err
			}
			if acc[k], err = met.Add(maxZero(d)); err != nil {
				return nil, err
			}
		}
		if r.Copay.Valid() {
			if err := take(minAmount(r.Copay, rest), Copay); err != nil {
				return nil, err
			}
		}
		if r.Coinsurance.Sign() > 0 && rest.Sign() > 0 {
			pct, err := money.Percent(r.Coinsurance)
			if err != nil {
				return nil, err
			}
			co, err := rest.Mul(pct, rnd)
			if err != nil {
				return nil, err
			}
			if err := take(co, Coinsurance); err != nil {
				return nil, err
			}
		}
		if rest.Sign() != 0 {
			shares = append(shares, Share{Party: p.Payer, Amount: rest, Reason: Covered, Plan: p.ID})
		}
		passed = patientParts
		open = money.Zero(cur)
		for _, s := range patientParts {
			var err error
			if open, err = open.Add(s.Amount); err != nil {
				return nil, err
			}
		}
	}
	switch {
	case open.IsZero():
	case len(passed) > 0:
		shares = append(shares, passed...) // the last covering payer's patient parts stand
	case len(shares) == 0 && hasNotCovered(c, plans):
		shares = append(shares, Share{Party: Patient, Amount: open, Reason: NotCovered})
	default:
		shares = append(shares, Share{Party: Patient, Amount: open, Reason: NoCoverage})
	}
	return shares, nil
}

func hasNotCovered(c Charge, plans []Plan) bool {
	for _, p := range plans {
		if r, ok := p.rule(c.Group); ok && r.NotCovered {
			return true
		}
	}
	return false
}

func minAmount(a, b money.Amount) money.Amount {
	if c, err := a.Cmp(b); err == nil && c > 0 {
		return maxZero(b)
	}
	return maxZero(a)
}

func maxZero(a money.Amount) money.Amount {
	if a.Sign() < 0 {
		return money.Zero(a.Currency())
	}
	return a
}
