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
// Every amount of the advice, its claims, lines and adjustments is an int64
// count of minor units of Currency, held once here to keep large advices
// compact; Amount turns one into a money.Amount.
//
// It balances: Total = Σ claim Paid − Σ ProviderAdjustments (a positive
// provider adjustment reduces the payment).
type PaymentAdvice struct {
	Payer               Payer
	Payee               Payee
	Method              PaymentMethod
	Currency            money.Currency // the currency of every amount
	Total               int64          // the payment; negative when the provider owes the payer
	Date                Date           // check issue or EFT effective date
	TraceNumber         string         // check number or EFT trace number, repeated in the bank deposit
	PayerBank           BankAccount    // ACH only: the account the money leaves from
	PayeeBank           BankAccount    // ACH only: the provider's account
	ProductionDate      Date           // when the payer adjudicated the batch; zero if not given
	Claims              []ClaimPayment
	ProviderAdjustments []ProviderAdjustment
}

// Amount returns minor units of the advice's currency as a money.Amount
// (invalid when the currency is not ISO 4217).
func (p *PaymentAdvice) Amount(minor int64) money.Amount {
	a, err := money.New(minor, p.Currency)
	if err != nil {
		return money.Amount{}
	}
	return a
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

// ClaimPayment is the adjudication and payment of one claim. Amounts are
// minor units of the advice's currency.
//
// It balances: Charge − Σ Adjustments − Σ line adjustments = Paid, and, when
// it has lines, Σ line Paid − Σ Adjustments = Paid (claim-level adjustments
// are in no line).
type ClaimPayment struct {
	PatientControlNumber  string // the provider's claim id, as submitted: the match key
	Status                ClaimStatus
	Charge                int64  // total billed
	Paid                  int64  // may be zero (denied) or negative (reversal)
	PatientResponsibility int64  // the patient's share
	FilingIndicator       string // claim filing indicator code: "12" PPO, "HM" HMO, "MB" Medicare B, ...
	PayerControlNumber    string // the payer's internal claim number (ICN)
	FacilityCode          string // place of service or bill type; optional
	Frequency             string // claim frequency: "1" original, "7" replacement, "8" void; optional
	Patient               Patient
	ServiceStart          Date // statement period start; zero if not given
	ServiceEnd            Date // statement period end; zero if not given
	Adjustments           []Adjustment
	Lines                 []ServiceLine
}

// Patient names the patient of a claim.
type Patient struct {
	LastName, FirstName string
	MemberID            string // the payer's member identification number
}

// ServiceLine is the payment of one billed service line. Amounts are minor
// units of the advice's currency.
// It balances: Charge − Σ Adjustments = Paid.
type ServiceLine struct {
	Procedure     Procedure
	Charge        int64
	Paid          int64
	Allowed       int64  // the allowed amount, when HasAllowed
	Units         int64  // units of service paid; 0 means not reported (one unit)
	ControlNumber string // the provider's line item control number, echoed back
	Adjustments   []Adjustment
	Date          Date // date of service; zero if not given
	HasAllowed    bool // the payer reported Allowed
}

// Procedure is a coded service with up to four modifiers.
type Procedure struct {
	Qualifier string // code list: "HC" CPT/HCPCS, "AD" ADA, "NU" revenue code, ...
	Code      string
	Modifiers [4]Modifier // zero entries are absent; filled from the first
}

// Modifier is a two-character procedure modifier ("25", "GP"); the zero
// value means none.
type Modifier [2]byte

// ModifierOf returns s as a Modifier; ok is false unless s has two
// characters (the empty s gives the zero Modifier and true).
func ModifierOf(s string) (m Modifier, ok bool) {
	switch len(s) {
	case 0:
		return Modifier{}, true
	case 2:
		return Modifier{s[0], s[1]}, true
	}
	return Modifier{}, false
}

// String returns the two characters, or "" for none.
func (m Modifier) String() string {
	if m == (Modifier{}) {
		return ""
	}
	return string(m[:])
}

// Adjustment explains why a paid amount differs from the charge. A positive
// amount reduces the payment, a negative one increases it.
type Adjustment struct {
	Group    AdjustmentGroup
	Reason   string // claim adjustment reason code (CARC), e.g. "45"
	Amount   int64  // minor units of the advice's currency
	Quantity int64  // units adjusted; 0 means not given
}

// ProviderAdjustment changes the payment outside any claim: interest,
// recoupments, forward balances. A positive amount reduces the payment.
type ProviderAdjustment struct {
	Reason       string // provider adjustment reason code, e.g. "WO" overpayment recovery, "L6" interest
	Reference    string // e.g. the original claim number a recoupment refers to; optional
	FiscalPeriod Date   // last day of the provider's fiscal period it applies to
	Amount       int64  // minor units of the advice's currency
}

// Validate reports every problem with the advice in one pass: required
// fields, codes, dates, and the balancing rules of a remittance.
func (p PaymentAdvice) Validate() error {
	errs := p.header()
	if len(p.Claims) == 0 && len(p.ProviderAdjustments) == 0 {
		errs.Add("claims", "required", "an advice explains at least one claim or provider adjustment")
	}
	sum, overflow := int64(0), false
	for i := range p.Claims {
		c := &p.Claims[i]
		if err := c.Validate(p.Currency); err != nil {
			errs.Merge(validate.Index("claims", i), err)
		}
		sum, overflow = addMinor(sum, c.Paid, overflow)
	}
	for _, a := range p.ProviderAdjustments {
		sum, overflow = addMinor(sum, -a.Amount, overflow)
	}
	if overflow {
		errs.Add("total", "overflow", "the sum of payments overflows")
	} else if sum != p.Total {
		errs.Add("total", "unbalanced", "want Σ claim paid − Σ provider adjustments = "+minorText(sum, p.Currency)+", got "+minorText(p.Total, p.Currency))
	}
	return errs.Err()
}

// ValidateHeader is Validate without the claims and the balance: for a
// reader that streams claims, checks each with ClaimPayment.Validate and
// balances the total itself.
func (p PaymentAdvice) ValidateHeader() error {
	errs := p.header()
	return errs.Err()
}

// header checks everything but the claims and the balance.
func (p PaymentAdvice) header() validate.Errors {
	var errs validate.Errors
	if !p.Currency.Valid() {
		errs.Add("currency", "invalid", "want an ISO 4217 currency code")
	}
	requireText(&errs, "payer.name", p.Payer.Name)
	requireText(&errs, "payer.id", p.Payer.ID)
	errs.Merge("payer.address", p.Payer.Address.validate(true))
	errs.Merge("payer.contact", p.Payer.Contact.validate())
	requireText(&errs, "payee.name", p.Payee.Name)
	p.Payee.validate(&errs)
	p.validatePayment(&errs)
	if !p.ProductionDate.IsZero() && !p.ProductionDate.Valid() {
		errs.Add("production_date", "invalid", "no such day")
	}
	for i, a := range p.ProviderAdjustments {
		if err := a.validate(); err != nil {
			errs.Merge(validate.Index("provider_adjustments", i), err)
		}
	}
	return errs
}

func (p PaymentAdvice) validatePayment(errs *validate.Errors) {
	switch p.Method {
	case MethodACH:
		checkBank(errs, "payer_bank", p.PayerBank)
		checkBank(errs, "payee_bank", p.PayeeBank)
	case MethodCheck:
	case MethodNone:
		if p.Total != 0 {
			errs.Add("total", "not_zero", "an advice without payment (NON) has a zero total")
		}
	case "":
		errs.Required("method")
	default:
		errs.Add("method", "unknown_code", "want ACH, CHK or NON")
	}
	checkDate(errs, "date", p.Date, true)
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

// Validate reports every problem with the claim payment, whose amounts are
// in currency cur.
func (c *ClaimPayment) Validate(cur money.Currency) error {
	var errs validate.Errors
	requireText(&errs, "patient_control_number", c.PatientControlNumber)
	if !c.Status.Valid() {
		errs.Add("status", "unknown_code", "want a claim status code such as 1, 4 or 22")
	}
	requireText(&errs, "filing_indicator", c.FilingIndicator)
	requireText(&errs, "payer_control_number", c.PayerControlNumber)
	optionalText(&errs, "facility_code", c.FacilityCode)
	optionalText(&errs, "frequency", c.Frequency)
	optionalText(&errs, "patient.last_name", c.Patient.LastName)
	optionalText(&errs, "patient.first_name", c.Patient.FirstName)
	optionalText(&errs, "patient.member_id", c.Patient.MemberID)
	checkDate(&errs, "service_start", c.ServiceStart, false)
	checkDate(&errs, "service_end", c.ServiceEnd, false)
	if !c.ServiceEnd.IsZero() && c.ServiceEnd.Before(c.ServiceStart) {
		errs.Add("service_end", "before_start", "the service period ends before it starts")
	}
	claimAdj, of := checkAdjustments(&errs, "adjustments", c.Adjustments, false)
	lineAdj, linePaid := int64(0), int64(0)
	for i := range c.Lines {
		l := &c.Lines[i]
		adj, err := l.validate(cur)
		if err != nil {
			errs.Merge(validate.Index("lines", i), err)
		}
		lineAdj, of = addMinor(lineAdj, adj, of)
		linePaid, of = addMinor(linePaid, l.Paid, of)
	}
	want, of := addMinor(c.Charge, -claimAdj, of)
	want, of = addMinor(want, -lineAdj, of)
	byLines, of := addMinor(linePaid, -claimAdj, of)
	switch {
	case of:
		errs.Add("paid", "overflow", "the adjustments overflow")
	case want != c.Paid:
		errs.Add("paid", "unbalanced", "want charge − Σ adjustments = "+minorText(want, cur)+", got "+minorText(c.Paid, cur))
	case len(c.Lines) > 0 && byLines != c.Paid:
		errs.Add("paid", "unbalanced", "want Σ line paid − Σ claim adjustments = "+minorText(byLines, cur)+", got "+minorText(c.Paid, cur))
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
		case m == Modifier{}:
			gap = true
		case gap:
			errs.Add(validate.Index("procedure.modifiers", i), "gap", "modifiers fill from the first")
		case !isCodeChar(m[0]) || !isCodeChar(m[1]):
			errs.Add(validate.Index("procedure.modifiers", i), "invalid", "want two of A-Z 0-9")
		}
	}
	if l.Units < 0 {
		errs.Add("units", "negative", "want zero or more units")
	}
	if l.Allowed != 0 && !l.HasAllowed {
		errs.Add("allowed", "not_reported", "an allowed amount needs HasAllowed")
	}
	checkDate(&errs, "date", l.Date, false)
	optionalText(&errs, "control_number", l.ControlNumber)
	adj, of := checkAdjustments(&errs, "adjustments", l.Adjustments, false)
	want, of := addMinor(l.Charge, -adj, of)
	switch {
	case of:
		errs.Add("paid", "overflow", "the adjustments overflow")
	case want != l.Paid:
		errs.Add("paid", "unbalanced", "want charge − Σ adjustments = "+minorText(want, cur)+", got "+minorText(l.Paid, cur))
	}
	return adj, errs.Err()
}

func checkAdjustments(errs *validate.Errors, path string, adj []Adjustment, of bool) (int64, bool) {
	sum := int64(0)
	for i, a := range adj {
		switch {
		case !a.Group.Valid():
			errs.Add(validate.Index(path, i)+".group", "unknown_code", "want CO, PR, OA, PI or CR")
		case a.Reason == "" || !allOf(a.Reason, isCodeChar):
			errs.Add(validate.Index(path, i)+".reason", "invalid", "want a reason code of A-Z 0-9")
		case a.Quantity < 0:
			errs.Add(validate.Index(path, i)+".quantity", "negative", "want zero or more")
		}
		sum, of = addMinor(sum, a.Amount, of)
	}
	return sum, of
}

func (a ProviderAdjustment) validate() error {
	var errs validate.Errors
	if a.Reason == "" || !allOf(a.Reason, isCodeChar) {
		errs.Add("reason", "invalid", "want a reason code of A-Z 0-9")
	}
	optionalText(&errs, "reference", a.Reference)
	checkDate(&errs, "fiscal_period", a.FiscalPeriod, true)
	return errs.Err()
}

func checkDate(errs *validate.Errors, path string, d Date, required bool) {
	switch {
	case d.IsZero():
		if required {
			errs.Required(path)
		}
	case !d.Valid():
		errs.Add(path, "invalid", "no such day")
	}
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

func minorText(m int64, cur money.Currency) string {
	a, err := money.New(m, cur)
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

// Date is a calendar day without time zone, as X12 writes it (CCYYMMDD):
// four bytes, so large remittances stay small. The zero value means not given.
type Date struct {
	Year  uint16
	Month uint8
	Day   uint8
}

// NewDate returns the day y-m-d; ok is false unless it exists in years 1..9999.
func NewDate(y, m, d int) (Date, bool) {
	if y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31 {
		return Date{}, false
	}
	v := Date{Year: uint16(y), Month: uint8(m), Day: uint8(d)}
	if !v.Valid() {
		return Date{}, false
	}
	return v, true
}

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	v, _ := NewDate(y, int(m), d)
	return v
}

// Valid reports whether d is a day that exists.
func (d Date) Valid() bool {
	if d.Year < 1 || d.Year > 9999 || d.Month < 1 || d.Month > 12 || d.Day < 1 {
		return false
	}
	if d.Month == 2 && d.Day == 29 {
		y := d.Year
		return y%4 == 0 && (y%100 != 0 || y%400 == 0)
	}
	return d.Day <= monthDays[d.Month]
}

var monthDays = [13]uint8{0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}

// IsZero reports whether the date is not given.
func (d Date) IsZero() bool { return d == Date{} }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.key() < e.key() }

func (d Date) key() uint32 { return uint32(d.Year)<<16 | uint32(d.Month)<<8 | uint32(d.Day) }

// Time returns midnight UTC of d, or the zero time when d is zero.
func (d Date) Time() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	return time.Date(int(d.Year), time.Month(d.Month), int(d.Day), 0, 0, 0, 0, time.UTC)
}

// AppendBasic appends d as CCYYMMDD.
func (d Date) AppendBasic(b []byte) []byte {
	y, m, day := int(d.Year), int(d.Month), int(d.Day)
	return append(b, byte('0'+y/1000%10), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10),
		byte('0'+m/10%10), byte('0'+m%10), byte('0'+day/10%10), byte('0'+day%10))
}

// String returns "YYYY-MM-DD", or "" when not given.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	b := d.AppendBasic(make([]byte, 0, 10))
	return string(b[:4]) + "-" + string(b[4:6]) + "-" + string(b[6:])
}
