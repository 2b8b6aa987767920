package settlement

import (
	"fmt"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// ClaimState is where an adjudicated claim stands at the payer.
type ClaimState string

// The claim states of intake.
const (
	ClaimReceived ClaimState = "RECEIVED" // clean claim received, not yet adjudicated
	ClaimPended   ClaimState = "PENDED"   // waiting for information
	ClaimApproved ClaimState = "APPROVED" // adjudicated for payment: a settlement run takes it
	ClaimDenied   ClaimState = "DENIED"   // adjudicated, nothing to pay
	ClaimVoided   ClaimState = "VOIDED"   // withdrawn or replaced
	ClaimRejected ClaimState = "REJECTED" // failed intake validation; kept for submission quality, never paid
)

// Valid reports whether s is a known claim state.
func (s ClaimState) Valid() bool {
	switch s {
	case ClaimReceived, ClaimPended, ClaimApproved, ClaimDenied, ClaimVoided, ClaimRejected:
		return true
	}
	return false
}

// TIN is a provider's taxpayer identification number. It prints masked (all
// but the last four digits replaced by '*') under every fmt verb; use
// string(t) where a file needs the digits.
type TIN string

// String returns the masked TIN.
func (t TIN) String() string { return AccountNumber(t).String() }

// Format prints the masked form for every verb.
func (t TIN) Format(f fmt.State, _ rune) { fmt.Fprint(f, t.String()) }

// ClaimProvider is the rendering provider of a claim and where it is paid.
type ClaimProvider struct {
	NPI             string // 10-digit National Provider Identifier
	TIN             TIN    // 9-digit taxpayer identification number
	Name            string
	PayeeAccountRef string // reference into the payee bank directory; never the account number; "" = none on file
}

// CARC is a claim adjustment: group, claim adjustment reason code and amount.
// A positive amount reduces the payment.
type CARC struct {
	Group  AdjustmentGroup
	Code   string // e.g. "45", "CO" group with "45" = charge exceeds fee schedule
	Amount money.Amount
}

// ClaimLine is one adjudicated service line.
type ClaimLine struct {
	Code        string // procedure or revenue code
	CodeSystem  string // "HC" CPT/HCPCS, "NU" revenue code, ...; "" = HC
	Modifiers   []string
	ServiceDate time.Time // date part
	Units       int64     // 0 = one
	Billed      money.Amount
	Allowed     money.Amount // zero (invalid) Amount = not adjudicated yet
	Approved    money.Amount // zero (invalid) Amount = not adjudicated yet
	Adjustments []CARC
}

// Claim is one version of an adjudicated claim. ID and Version identify it;
// a later version (a re-adjudication) replaces the earlier ones.
type Claim struct {
	ID          string
	Version     int64 // ≥ 1
	Status      ClaimState
	Member      string // the payer's member id (PHI: never logged)
	Provider    ClaimProvider
	LOB         string    // line of business: "commercial", "medicaid", ...
	Encounter   string    // the provider's encounter or patient control number
	Received    time.Time // clean-claim (received) date; starts the prompt-pay clock
	Lines       []ClaimLine
	Billed      money.Amount // Σ lines billed
	Allowed     money.Amount // Σ lines allowed; zero (invalid) Amount = not given
	Approved    money.Amount // Σ lines approved; zero (invalid) Amount = missing
	Adjustments []CARC       // claim-level adjustments
}

// String names the claim without member data; the TIN is masked.
func (c Claim) String() string {
	s := fmt.Sprintf("claim %s v%d %s npi %s tin %s", c.ID, c.Version, c.Status, c.Provider.NPI, c.Provider.TIN)
	if c.Approved.Valid() {
		s += " approved " + c.Approved.String()
	}
	return s
}

// Format prints String for every verb, so %+v never shows the member.
func (c Claim) Format(f fmt.State, _ rune) { fmt.Fprint(f, c.String()) }

// Currency is the claim's currency: the billed total's.
func (c Claim) Currency() money.Currency { return c.Billed.Currency() }

// ServicePeriod returns the first and last service date of the lines.
func (c Claim) ServicePeriod() (from, to time.Time) {
	for i, l := range c.Lines {
		if i == 0 || l.ServiceDate.Before(from) {
			from = l.ServiceDate
		}
		if i == 0 || l.ServiceDate.After(to) {
			to = l.ServiceDate
		}
	}
	return from, to
}

// Validate reports every problem with the claim in one pass, by field path.
func (c Claim) Validate() error {
	var errs validate.Errors
	switch {
	case c.ID == "":
		errs.Required("id")
	case len(c.ID) > 64 || !allBytes(c.ID, isClaimIDChar):
		errs.Add("id", "invalid", "want 1-64 of A-Z a-z 0-9 _ - . /")
	}
	if c.Version < 1 {
		errs.Add("version", "invalid", "want a version ≥ 1")
	}
	if !c.Status.Valid() {
		errs.Add("status", "unknown_code", "want RECEIVED, PENDED, APPROVED, DENIED, VOIDED or REJECTED")
	}
	if c.Member == "" {
		errs.Required("member")
	}
	switch {
	case c.Provider.NPI == "":
		errs.Required("provider.npi")
	case !NPIValid(c.Provider.NPI):
		errs.Add("provider.npi", "check_digit", "want 10 digits with a valid Luhn check digit")
	}
	switch {
	case c.Provider.TIN == "":
		errs.Required("provider.tin")
	case len(c.Provider.TIN) != 9 || !allBytes(string(c.Provider.TIN), isClaimDigit):
		errs.Add("provider.tin", "invalid", "want 9 digits")
	}
	if c.LOB == "" {
		errs.Required("lob")
	}
	if c.Received.IsZero() {
		errs.Required("received")
	}
	cur := c.Billed.Currency()
	if !c.Billed.Valid() {
		errs.Required("billed")
	}
	c.validateTotals(&errs, cur)
	return errs.Err()
}

func (c Claim) validateTotals(errs *validate.Errors, cur money.Currency) {
	if len(c.Lines) == 0 {
		errs.Add("lines", "required", "a claim needs at least one service line")
	}
	var billed, allowed, approved int64
	allAllowed, allApproved := true, true
	for i, l := range c.Lines {
		p := validate.Index("lines", i)
		if l.Code == "" {
			errs.Required(p + ".code")
		}
		if l.ServiceDate.IsZero() {
			errs.Required(p + ".service_date")
		}
		if l.Units < 0 {
			errs.Add(p+".units", "negative", "want units ≥ 0")
		}
		claimAmount(errs, p+".billed", l.Billed, cur, true)
		claimAmount(errs, p+".allowed", l.Allowed, cur, false)
		claimAmount(errs, p+".approved", l.Approved, cur, false)
		if l.Allowed.Valid() && l.Billed.Valid() && l.Allowed.Minor() > l.Billed.Minor() {
			errs.Add(p+".allowed", "exceeds_billed", "allowed is more than billed")
		}
		if l.Approved.Valid() && l.Allowed.Valid() && l.Approved.Minor() > l.Allowed.Minor() {
			errs.Add(p+".approved", "exceeds_allowed", "approved is more than allowed")
		}
		checkCARCs(errs, p+".adjustments", l.Adjustments, cur)
		billed += l.Billed.Minor()
		allowed += l.Allowed.Minor()
		approved += l.Approved.Minor()
		allAllowed = allAllowed && l.Allowed.Valid()
		allApproved = allApproved && l.Approved.Valid()
	}
	checkCARCs(errs, "adjustments", c.Adjustments, cur)
	sumMatches(errs, "billed", c.Billed, billed, true)
	claimAmount(errs, "allowed", c.Allowed, cur, false)
	claimAmount(errs, "approved", c.Approved, cur, false)
	sumMatches(errs, "allowed", c.Allowed, allowed, allAllowed)
	sumMatches(errs, "approved", c.Approved, approved, allApproved)
	if c.Status == ClaimDenied && c.Approved.Valid() && c.Approved.Sign() > 0 {
		errs.Add("approved", "denied_with_payment", "a denied claim approves nothing")
	}
}

func sumMatches(errs *validate.Errors, path string, total money.Amount, sum int64, complete bool) {
	if total.Valid() && complete && total.Minor() != sum {
		errs.Add(path, "sum_mismatch", fmt.Sprintf("want the sum of the lines, %s", money.MustNew(sum, total.Currency()).Number()))
	}
}

func claimAmount(errs *validate.Errors, path string, a money.Amount, cur money.Currency, required bool) {
	switch {
	case !a.Valid():
		if required {
			errs.Required(path)
		}
	case cur != "" && a.Currency() != cur:
		errs.Add(path, "currency_mismatch", "want "+string(cur)+", got "+string(a.Currency()))
	case a.Sign() < 0:
		errs.Add(path, "negative", "want an amount ≥ 0")
	}
}

func checkCARCs(errs *validate.Errors, path string, as []CARC, cur money.Currency) {
	for i, a := range as {
		p := validate.Index(path, i)
		if !a.Group.Valid() {
			errs.Add(p+".group", "unknown_code", "want CO, PR, OA, PI or CR")
		}
		if a.Code == "" || len(a.Code) > 5 || !allBytes(a.Code, isUpperAlnum) {
			errs.Add(p+".code", "invalid", "want a reason code of 1-5 of A-Z 0-9")
		}
		switch {
		case !a.Amount.Valid():
			errs.Required(p + ".amount")
		case cur != "" && a.Amount.Currency() != cur:
			errs.Add(p+".amount", "currency_mismatch", "want "+string(cur))
		}
	}
}

func isClaimDigit(c byte) bool { return c >= '0' && c <= '9' }
func isClaimIDChar(c byte) bool {
	return isIDChar(c) || c == '.' || c == '/'
}
