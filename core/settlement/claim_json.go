package settlement

import (
	"bytes"
	"encoding/json"
	"errors"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// MaxClaimJSON caps one claim document's size.
const MaxClaimJSON = 1 << 20

const dateLayout = "2006-01-02"

type claimWire struct {
	ID          string        `json:"id"`
	Version     int64         `json:"version"`
	Status      ClaimState    `json:"status"`
	Member      string        `json:"member"`
	Provider    providerWire  `json:"provider"`
	LOB         string        `json:"lob"`
	Encounter   string        `json:"encounter,omitempty"`
	Received    string        `json:"received"`
	Lines       []lineWire    `json:"lines"`
	Billed      *money.Amount `json:"billed,omitempty"`
	Allowed     *money.Amount `json:"allowed,omitempty"`
	Approved    *money.Amount `json:"approved,omitempty"`
	Adjustments []carcWire    `json:"adjustments,omitempty"`
}

type providerWire struct {
	NPI             string `json:"npi"`
	TIN             string `json:"tin"`
	Name            string `json:"name,omitempty"`
	PayeeAccountRef string `json:"payee_account_ref,omitempty"`
}

type lineWire struct {
	Code        string        `json:"code"`
	CodeSystem  string        `json:"code_system,omitempty"`
	Modifiers   []string      `json:"modifiers,omitempty"`
	ServiceDate string        `json:"service_date"`
	Units       int64         `json:"units,omitempty"`
	Billed      *money.Amount `json:"billed"`
	Allowed     *money.Amount `json:"allowed,omitempty"`
	Approved    *money.Amount `json:"approved,omitempty"`
	Adjustments []carcWire    `json:"adjustments,omitempty"`
}

type carcWire struct {
	Group  AdjustmentGroup `json:"group"`
	Code   string          `json:"code"`
	Amount *money.Amount   `json:"amount"`
}

// DecodeClaim reads one claim in revhub's adjudicated-claim JSON (dates as
// "2006-01-02", amounts as {"amount":"12.50","currency":"USD"}; missing
// totals are summed from the lines) and validates it. Every problem comes
// back as validate.Errors naming the field; unknown fields are rejected.
func DecodeClaim(b []byte) (Claim, error) {
	if len(b) > MaxClaimJSON {
		return Claim{}, validate.Errors{validate.Errorf("", "too_large", "a claim is at most %d bytes", MaxClaimJSON)}
	}
	var w claimWire
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&w); err != nil {
		return Claim{}, validate.Errors{{Path: jsonPath(err), Code: "syntax", Msg: err.Error(), Err: err}}
	}
	var errs validate.Errors
	c := Claim{ID: w.ID, Version: w.Version, Status: w.Status, Member: w.Member, LOB: w.LOB, Encounter: w.Encounter,
		Provider: ClaimProvider{NPI: w.Provider.NPI, TIN: TIN(w.Provider.TIN), Name: w.Provider.Name, PayeeAccountRef: w.Provider.PayeeAccountRef}}
	c.Received = parseDay(&errs, "received", w.Received)
	c.Adjustments = carcsOf(w.Adjustments)
	c.Lines = make([]ClaimLine, len(w.Lines))
	for i, l := range w.Lines {
		c.Lines[i] = ClaimLine{Code: l.Code, CodeSystem: l.CodeSystem, Modifiers: l.Modifiers, Units: l.Units,
			Billed: deref(l.Billed), Allowed: deref(l.Allowed), Approved: deref(l.Approved), Adjustments: carcsOf(l.Adjustments)}
		c.Lines[i].ServiceDate = parseDay(&errs, validate.Index("lines", i)+".service_date", l.ServiceDate)
	}
	c.Billed, c.Allowed, c.Approved = deref(w.Billed), deref(w.Allowed), deref(w.Approved)
	c.fillTotals()
	if err := c.Validate(); err != nil {
		errs.Merge("", err)
	}
	return c, errs.Err()
}

// fillTotals sums missing totals from the lines when every line has the amount.
func (c *Claim) fillTotals() {
	pick := []func(*ClaimLine) money.Amount{
		func(l *ClaimLine) money.Amount { return l.Billed },
		func(l *ClaimLine) money.Amount { return l.Allowed },
		func(l *ClaimLine) money.Amount { return l.Approved },
	}
	for i, dst := range []*money.Amount{&c.Billed, &c.Allowed, &c.Approved} {
		if dst.Valid() || len(c.Lines) == 0 {
			continue
		}
		var sum money.Amount
		for j := range c.Lines {
			a := pick[i](&c.Lines[j])
			if !a.Valid() {
				sum = money.Amount{}
				break
			}
			if j == 0 {
				sum = a
				continue
			}
			var err error
			if sum, err = sum.Add(a); err != nil {
				sum = money.Amount{}
				break
			}
		}
		*dst = sum
	}
}

// EncodeClaim writes c in the JSON DecodeClaim reads.
func EncodeClaim(c Claim) ([]byte, error) {
	w := claimWire{ID: c.ID, Version: c.Version, Status: c.Status, Member: c.Member, LOB: c.LOB, Encounter: c.Encounter,
		Provider: providerWire{NPI: c.Provider.NPI, TIN: string(c.Provider.TIN), Name: c.Provider.Name, PayeeAccountRef: c.Provider.PayeeAccountRef},
		Received: day(c.Received), Billed: ptr(c.Billed), Allowed: ptr(c.Allowed), Approved: ptr(c.Approved),
		Adjustments: carcWires(c.Adjustments)}
	w.Lines = make([]lineWire, len(c.Lines))
	for i, l := range c.Lines {
		w.Lines[i] = lineWire{Code: l.Code, CodeSystem: l.CodeSystem, Modifiers: l.Modifiers, ServiceDate: day(l.ServiceDate),
			Units: l.Units, Billed: ptr(l.Billed), Allowed: ptr(l.Allowed), Approved: ptr(l.Approved), Adjustments: carcWires(l.Adjustments)}
	}
	return json.Marshal(w)
}

func parseDay(errs *validate.Errors, path, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		errs.Add(path, "invalid_date", "want a date as 2006-01-02")
	}
	return t
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(dateLayout)
}

func deref(a *money.Amount) money.Amount {
	if a == nil {
		return money.Amount{}
	}
	return *a
}

func ptr(a money.Amount) *money.Amount {
	if !a.Valid() {
		return nil
	}
	return &a
}

func carcsOf(ws []carcWire) []CARC {
	if len(ws) == 0 {
		return nil
	}
	out := make([]CARC, len(ws))
	for i, w := range ws {
		out[i] = CARC{Group: w.Group, Code: w.Code, Amount: deref(w.Amount)}
	}
	return out
}

func carcWires(as []CARC) []carcWire {
	if len(as) == 0 {
		return nil
	}
	out := make([]carcWire, len(as))
	for i, a := range as {
		out[i] = carcWire{Group: a.Group, Code: a.Code, Amount: ptr(a.Amount)}
	}
	return out
}

// jsonPath names the field of a JSON type error, or "" for syntax errors.
func jsonPath(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return te.Field
	}
	return ""
}
