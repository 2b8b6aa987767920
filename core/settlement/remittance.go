package settlement

import (
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// PaymentMethod is how the money of a payment advice moves (X12 BPR04).
type PaymentMethod string

// The payment methods a remittance supports.
const (
	MethodACH   PaymentMethod = "ACH" // automated clearing house (CCD+) credit
	MethodCheck PaymentMethod = "CHK" // paper check
	MethodNone  PaymentMethod = "NON" // no payment: the advice only explains adjudication
)

// ClaimStatus is the payer's processing status of a claim (X12 CLP02).
type ClaimStatus string

// The claim statuses of a remittance.
const (
	StatusPrimary              ClaimStatus = "1"
	StatusSecondary            ClaimStatus = "2"
	StatusTertiary             ClaimStatus = "3"
	StatusDenied               ClaimStatus = "4"
	StatusPrimaryForwarded     ClaimStatus = "19"
	StatusSecondaryForwarded   ClaimStatus = "20"
	StatusTertiaryForwarded    ClaimStatus = "21"
	StatusReversal             ClaimStatus = "22"
	StatusNotOursForwarded     ClaimStatus = "23"
	StatusPredeterminationOnly ClaimStatus = "25"
)

// Valid reports whether s is a known claim status.
func (s ClaimStatus) Valid() bool {
	switch s {
	case StatusPrimary, StatusSecondary, StatusTertiary, StatusDenied, StatusPrimaryForwarded,
		StatusSecondaryForwarded, StatusTertiaryForwarded, StatusReversal, StatusNotOursForwarded,
		StatusPredeterminationOnly:
		return true
	}
	return false
}

// AdjustmentGroup says who bears an adjustment (X12 CAS01).
type AdjustmentGroup string

// The adjustment groups.
const (
	GroupContractual    AdjustmentGroup = "CO" // contractual obligation: written off, not billable to the patient
	GroupPatient        AdjustmentGroup = "PR" // patient responsibility
	GroupOther          AdjustmentGroup = "OA" // other adjustment
	GroupPayerInitiated AdjustmentGroup = "PI" // payer-initiated reduction
	GroupCorrection     AdjustmentGroup = "CR" // correction and reversal
)

// Valid reports whether g is a known group.
func (g AdjustmentGroup) Valid() bool {
	switch g {
	case GroupContractual, GroupPatient, GroupOther, GroupPayerInitiated, GroupCorrection:
		return true
	}
	return false
}

// PaymentAdvice is one payer's payment (or non-payment) to one provider with
// the explanation of every claim it covers: an electronic remittance advice.
//
// It balances: Total = Σ claim Paid − Σ ProviderAdjustments (a positive
// provider adjustment reduces the payment). Amounts share Total's currency.
type PaymentAdvice struct {
	Payer               Payer
	Payee               Payee
	Method              PaymentMethod
	Total               money.Amount // the payment; negative when the provider owes the payer
	Date                time.Time    // check issue or EFT effective date (date part)
	TraceNumber         string       // check number or EFT trace number, repeated in the bank deposit
	PayerBank           BankAccount  // ACH only: the account the money leaves from
	PayeeBank           BankAccount  // ACH only: the provider's account
	ProductionDate      time.Time    // when the payer adjudicated the batch; zero if not given
	Claims              []ClaimPayment
	ProviderAdjustments []ProviderAdjustment
}

// Payer is the health plan that pays.
type Payer struct {
	Name    string
	ID      string // payer identifier: "1" followed by the payer's EIN (TRN03, BPR10)
	Address Address
	Contact Contact // technical contact for the remittance
}

// Payee is the provider being paid.
type Payee struct {
	Name    string
	NPI     string // 10-digit National Provider Identifier; NPI or TIN is required
	TIN     string // 9-digit taxpayer identification number
	Address Address
}

// Address is a postal address; the zero value means not given.
type Address struct {
	Line1, Line2 string
	City         string
	State        string // two-letter state or province code
	PostalCode   string
}

// Contact is how to reach a person or desk; at least one way is required.
type Contact struct {
	Name  string
	Phone string // digits only
	Email string
}

// BankAccount is a US deposit account; its number prints masked.
type BankAccount struct {
	Routing string // 9-digit ABA routing number
	Account AccountNumber
	Type    AccountType
}

// ClaimPayment is the adjudication and payment of one claim.
//
// It balances: Charge − Σ Adjustments − Σ line adjustments = Paid, and, when
// it has lines, Σ line Paid − Σ Adjustments = Paid (claim-level adjustments
// are in no line).
type ClaimPayment struct {
	PatientControlNumber  string // the provider's claim id, as submitted: the match key
	Status                ClaimStatus
	Charge                money.Amount // total billed
	Paid                  money.Amount // may be zero (denied) or negative (reversal)
	PatientResponsibility money.Amount // the patient's share
	FilingIndicator       string       // claim filing indicator code: "12" PPO, "HM" HMO, "MB" Medicare B, ...
	PayerControlNumber    string       // the payer's internal claim number (ICN)
	FacilityCode          string       // place of service or bill type; optional
	Frequency             string       // claim frequency: "1" original, "7" replacement, "8" void; optional
	Patient               Patient
	ServiceStart          time.Time // statement period start; zero if not given
	ServiceEnd            time.Time // statement period end; zero if not given
	Adjustments           []Adjustment
	Lines                 []ServiceLine
}

// Patient names the patient of a claim.
type Patient struct {
	LastName, FirstName string
	MemberID            string // the payer's member identification number
}

// ServiceLine is the payment of one billed service line.
// It balances: Charge − Σ Adjustments = Paid.
type ServiceLine struct {
	Procedure     Procedure
	Charge        money.Amount
	Paid          money.Amount
	Allowed       money.Amount // the allowed amount; the zero (invalid) Amount means not reported
	Units         int64        // units of service paid; 0 means not reported (one unit)
	Date          time.Time    // date of service; zero if not given
	ControlNumber string       // the provider's line item control number, echoed back
	Adjustments   []Adjustment
}

// Procedure is a coded service with up to four modifiers.
type Procedure struct {
	Qualifier string // code list: "HC" CPT/HCPCS, "AD" ADA, "NU" revenue code, ...
	Code      string
	Modifiers [4]string // empty entries are absent; filled from the first
}

// Adjustment explains why a paid amount differs from the charge. A positive
// amount reduces the payment, a negative one increases it.
type Adjustment struct {
	Group    AdjustmentGroup
	Reason   string // claim adjustment reason code (CARC), e.g. "45"
	Amount   money.Amount
	Quantity int64 // units adjusted; 0 means not given
}

// ProviderAdjustment changes the payment outside any claim: interest,
// recoupments, forward balances. A positive amount reduces the payment.
type ProviderAdjustment struct {
	Reason       string    // provider adjustment reason code, e.g. "WO" overpayment recovery, "L6" interest
	Reference    string    // e.g. the original claim number a recoupment refers to; optional
	FiscalPeriod time.Time // last day of the provider's fiscal period it applies to
	Amount       money.Amount
}

// Validate reports every problem with the advice in one pass: required
// fields, codes, one currency, and the balancing rules of a remittance.
func (p PaymentAdvice) Validate() error {
	var errs validate.Errors
	cur := p.Total.Currency()
	if !p.Total.Valid() {
		errs.Required("total")
	}
	requireText(&errs, "payer.name", p.Payer.Name)
	requireText(&errs, "payer.id", p.Payer.ID)
	errs.Merge("payer.address", p.Payer.Address.validate(true))
	errs.Merge("payer.contact", p.Payer.Contact.validate())
	requireText(&errs, "payee.name", p.Payee.Name)
	p.Payee.validate(&errs)
	p.validatePayment(&errs)
	if len(p.Claims) == 0 && len(p.ProviderAdjustments) == 0 {
		errs.Add("claims", "required", "an advice explains at least one claim or provider adjustment")
	}
	sum := int64(0)
	overflow := false
	for i := range p.Claims {
		c := &p.Claims[i]
		if err := c.Validate(cur); err != nil {
			errs.Merge(validate.Index("claims", i), err)
		}
		sum, overflow = addMinor(sum, c.Paid.Minor(), overflow)
	}
	for i, a := range p.ProviderAdjustments {
		if err := a.validate(cur); err != nil {
			errs.Merge(validate.Index("provider_adjustments", i), err)
		}
		sum, overflow = addMinor(sum, -a.Amount.Minor(), overflow)
	}
	if overflow {
		errs.Add("total", "overflow", "the sum of payments overflows")
	} else if p.Total.Valid() && sum != p.Total.Minor() {
		errs.Add("total", "unbalanced", "want Σ claim paid − Σ provider adjustments = "+minorText(sum, p.Total)+", got "+p.Total.Number())
	}
	return errs.Err()
}

func (p PaymentAdvice) validatePayment(errs *validate.Errors) {
	switch p.Method {
	case MethodACH:
		checkBank(errs, "payer_bank", p.PayerBank)
		checkBank(errs, "payee_bank", p.PayeeBank)
	case MethodCheck:
	case MethodNone:
		if p.Total.Valid() && !p.Total.IsZero() {
			errs.Add("total", "not_zero", "an advice without payment (NON) has a zero total")
		}
	case "":
		errs.Required("method")
	default:
		errs.Add("method", "unknown_code", "want ACH, CHK or NON")
	}
	if p.Date.IsZero() {
		errs.Required("date")
	}
	requireText(errs, "trace_number", p.TraceNumber)
}

func (p Payee) validate(errs *validate.Errors) {
	switch {
	case p.NPI == "" && p.TIN == "":
		errs.Add("payee.npi", "required", "an NPI or a TIN is required")
	case p.NPI != "" && !NPIValid(p.NPI):
		errs.Add("payee.npi", "check_digit", "want 10 digits with a valid NPI check digit")
	}
	if p.TIN != "" && (len(p.TIN) != 9 || !allOf(p.TIN, isDigit)) {
		errs.Add("payee.tin", "invalid", "want 9 digits")
	}
	if p.Address != (Address{}) {
		errs.Merge("payee.address", p.Address.validate(false))
	}
}

func (a Address) validate(required bool) error {
	var errs validate.Errors
	if required || a != (Address{}) {
		requireText(&errs, "line1", a.Line1)
		requireText(&errs, "city", a.City)
	}
	optionalText(&errs, "line2", a.Line2)
	if a.State != "" && (len(a.State) != 2 || !allOf(a.State, isUpper)) {
		errs.Add("state", "invalid", "want a two-letter code")
	}
	if a.PostalCode != "" && (len(a.PostalCode) < 3 || len(a.PostalCode) > 15 || !allOf(a.PostalCode, isCodeChar)) {
		errs.Add("postal_code", "invalid", "want 3-15 of A-Z 0-9")
	}
	return errs.Err()
}

func (c Contact) validate() error {
	var errs validate.Errors
	if c.Phone == "" && c.Email == "" {
		errs.Add("phone", "required", "a phone number or an email address is required")
	}
	if c.Phone != "" && !allOf(c.Phone, isDigit) {
		errs.Add("phone", "invalid", "want digits only")
	}
	optionalText(&errs, "name", c.Name)
	optionalText(&errs, "email", c.Email)
	return errs.Err()
}

// Validate reports every problem with the claim payment, in currency cur.
func (c *ClaimPayment) Validate(cur money.Currency) error {
	var errs validate.Errors
	requireText(&errs, "patient_control_number", c.PatientControlNumber)
	if !c.Status.Valid() {
		errs.Add("status", "unknown_code", "want a claim status code such as 1, 4 or 22")
	}
	checkAmount(&errs, "charge", c.Charge, cur)
	checkAmount(&errs, "paid", c.Paid, cur)
	checkAmount(&errs, "patient_responsibility", c.PatientResponsibility, cur)
	requireText(&errs, "filing_indicator", c.FilingIndicator)
	requireText(&errs, "payer_control_number", c.PayerControlNumber)
	optionalText(&errs, "facility_code", c.FacilityCode)
	optionalText(&errs, "frequency", c.Frequency)
	optionalText(&errs, "patient.last_name", c.Patient.LastName)
	optionalText(&errs, "patient.first_name", c.Patient.FirstName)
	optionalText(&errs, "patient.member_id", c.Patient.MemberID)
	if !c.ServiceEnd.IsZero() && c.ServiceEnd.Before(c.ServiceStart) {
		errs.Add("service_end", "before_start", "the service period ends before it starts")
	}
	claimAdj, of := checkAdjustments(&errs, "adjustments", c.Adjustments, cur, false)
	lineAdj, linePaid := int64(0), int64(0)
	for i := range c.Lines {
		l := &c.Lines[i]
		adj, err := l.validate(cur)
		if err != nil {
			errs.Merge(validate.Index("lines", i), err)
		}
		lineAdj, of = addMinor(lineAdj, adj, of)
		linePaid, of = addMinor(linePaid, l.Paid.Minor(), of)
	}
	want, of := addMinor(c.Charge.Minor(), -claimAdj, of)
	want, of = addMinor(want, -lineAdj, of)
	byLines, of := addMinor(linePaid, -claimAdj, of)
	switch {
	case of:
		errs.Add("paid", "overflow", "the adjustments overflow")
	case want != c.Paid.Minor():
		errs.Add("paid", "unbalanced", "want charge − Σ adjustments = "+minorText(want, c.Paid)+", got "+c.Paid.Number())
	case len(c.Lines) > 0 && byLines != c.Paid.Minor():
		errs.Add("paid", "unbalanced", "want Σ line paid − Σ claim adjustments = "+minorText(byLines, c.Paid)+", got "+c.Paid.Number())
	}
	return errs.Err()
}

// validate returns the sum of the line's adjustments and its problems.
func (l *ServiceLine) validate(cur money.Currency) (int64, error) {
	var errs validate.Errors
	requireText(&errs, "procedure.qualifier", l.Procedure.Qualifier)
	requireText(&errs, "procedure.code", l.Procedure.Code)
	gap := false
	for i, m := range l.Procedure.Modifiers {
		switch {
		case m == "":
			gap = true
		case gap:
			errs.Add(validate.Index("procedure.modifiers", i), "gap", "modifiers fill from the first")
		default:
			optionalText(&errs, validate.Index("procedure.modifiers", i), m)
		}
	}
	checkAmount(&errs, "charge", l.Charge, cur)
	checkAmount(&errs, "paid", l.Paid, cur)
	if l.Allowed.Valid() && l.Allowed.Currency() != cur {
		errs.Add("allowed", "currency_mismatch", "want "+string(cur))
	}
	if l.Units < 0 {
		errs.Add("units", "negative", "want zero or more units")
	}
	optionalText(&errs, "control_number", l.ControlNumber)
	adj, of := checkAdjustments(&errs, "adjustments", l.Adjustments, cur, false)
	want, of := addMinor(l.Charge.Minor(), -adj, of)
	switch {
	case of:
		errs.Add("paid", "overflow", "the adjustments overflow")
	case want != l.Paid.Minor():
		errs.Add("paid", "unbalanced", "want charge − Σ adjustments = "+minorText(want, l.Paid)+", got "+l.Paid.Number())
	}
	return adj, errs.Err()
}

func checkAdjustments(errs *validate.Errors, path string, adj []Adjustment, cur money.Currency, of bool) (int64, bool) {
	sum := int64(0)
	for i, a := range adj {
		if !a.Group.Valid() || a.Reason == "" || !allOf(a.Reason, isCodeChar) || a.Quantity < 0 ||
			!a.Amount.Valid() || a.Amount.Currency() != cur {
			p := validate.Index(path, i)
			switch {
			case !a.Group.Valid():
				errs.Add(p+".group", "unknown_code", "want CO, PR, OA, PI or CR")
			case a.Reason == "" || !allOf(a.Reason, isCodeChar):
				errs.Add(p+".reason", "invalid", "want a reason code of A-Z 0-9")
			case a.Quantity < 0:
				errs.Add(p+".quantity", "negative", "want zero or more")
			default:
				checkAmount(errs, p+".amount", a.Amount, cur)
			}
		}
		sum, of = addMinor(sum, a.Amount.Minor(), of)
	}
	return sum, of
}

func (a ProviderAdjustment) validate(cur money.Currency) error {
	var errs validate.Errors
	if a.Reason == "" || !allOf(a.Reason, isCodeChar) {
		errs.Add("reason", "invalid", "want a reason code of A-Z 0-9")
	}
	optionalText(&errs, "reference", a.Reference)
	if a.FiscalPeriod.IsZero() {
		errs.Required("fiscal_period")
	}
	checkAmount(&errs, "amount", a.Amount, cur)
	return errs.Err()
}

// NPIValid reports whether s is a 10-digit National Provider Identifier with
// a correct Luhn check digit (computed over the prefix 80840).
func NPIValid(s string) bool {
	if len(s) != 10 || !allOf(s, isDigit) {
		return false
	}
	sum := 24 // the Luhn contribution of the prefix 80840
	for i := 8; i >= 0; i-- {
		d := int(s[i] - '0')
		if (8-i)%2 == 0 {
			if d *= 2; d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10-sum%10)%10 == int(s[9]-'0')
}

func checkBank(errs *validate.Errors, path string, b BankAccount) {
	if !RoutingValid(b.Routing) {
		errs.Add(path+".routing", "check_digit", "want 9 digits with a valid ABA check digit")
	}
	if b.Account == "" || len(b.Account) > 35 || !allOf(string(b.Account), isCodeChar) {
		errs.Add(path+".account", "invalid", "want 1-35 of A-Z 0-9")
	}
	if b.Type != Checking && b.Type != Savings {
		errs.Add(path+".type", "invalid", "want checking or savings")
	}
}

func checkAmount(errs *validate.Errors, path string, a money.Amount, cur money.Currency) {
	switch {
	case !a.Valid():
		errs.Required(path)
	case a.Currency() != cur:
		errs.Add(path, "currency_mismatch", "want "+string(cur)+", got "+string(a.Currency()))
	}
}

func requireText(errs *validate.Errors, path, s string) {
	if s == "" {
		errs.Required(path)
		return
	}
	optionalText(errs, path, s)
}

func optionalText(errs *validate.Errors, path, s string) {
	if !allOf(s, isPrintableByte) {
		errs.Add(path, "charset", "want printable ASCII")
	}
}

// addMinor adds b to a, latching overflow.
func addMinor(a, b int64, of bool) (int64, bool) {
	s := a + b
	if (s > a) != (b > 0) {
		return s, true
	}
	return s, of
}

func minorText(m int64, like money.Amount) string {
	a, err := money.New(m, like.Currency())
	if err != nil {
		return "?"
	}
	return a.Number()
}

func allOf(s string, ok func(byte) bool) bool {
	for i := range len(s) {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isDigit(c byte) bool         { return c >= '0' && c <= '9' }
func isUpper(c byte) bool         { return c >= 'A' && c <= 'Z' }
func isPrintableByte(c byte) bool { return c >= 0x20 && c <= 0x7e }
func isCodeChar(c byte) bool      { return isDigit(c) || isUpper(c) }
