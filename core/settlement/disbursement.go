package settlement

import (
	"fmt"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// MaxEntryMinor is the largest amount one ACH entry can carry: ten digits of cents.
const MaxEntryMinor = 9_999_999_999

// AccountType is the kind of deposit account an entry posts to.
type AccountType uint8

// The account types ACH disbursements support.
const (
	Checking AccountType = iota + 1
	Savings
)

func (t AccountType) String() string {
	switch t {
	case Checking:
		return "checking"
	case Savings:
		return "savings"
	}
	return fmt.Sprintf("account_type(%d)", uint8(t))
}

// AccountNumber is a bank account number. It prints masked (all but the last
// four characters replaced by '*') under every fmt verb; use string(a) for the
// digits a bank file needs.
type AccountNumber string

// String returns the masked account number.
func (a AccountNumber) String() string {
	const keep = 4
	if len(a) <= keep {
		return "****"
	}
	b := make([]byte, len(a))
	for i := range b {
		if i < len(a)-keep {
			b[i] = '*'
		} else {
			b[i] = a[i]
		}
	}
	return string(b)
}

// Format prints the masked form for every verb, so %v, %s, %q, %#v and %d never leak it.
func (a AccountNumber) Format(f fmt.State, _ rune) { fmt.Fprint(f, a.String()) }

// Originator is the paying organisation and the account the money leaves from.
type Originator struct {
	CompanyName string        // shown to payees (healthcare EFT: the health plan's name); ≤ 16 characters
	CompanyID   string        // company identification, usually "1"+EIN; healthcare EFT: the 835's TRN03
	ODFIRouting string        // the originating bank's 9-digit routing number
	Account     AccountNumber // the originating account (offset entries of balanced files)
	AccountType AccountType
}

// DisbursementEntry is one payment, or one prenote, to one payee account.
type DisbursementEntry struct {
	PayeeName   string        // receiving company or individual; printable ASCII
	PayeeID     string        // payee identification (NPI or provider id); ≤ 15 characters
	Routing     string        // the payee bank's 9-digit routing number
	Account     AccountNumber // the payee's account; ≤ 17 characters
	AccountType AccountType
	Amount      money.Amount // USD; positive for payments, zero for prenotes
	TraceRef    string       // reassociation trace (TRN02): the 835's check/EFT trace number, unique in the file
	PayerID     string       // TRN03; empty means Originator.CompanyID
	Prenote     bool         // zero-amount account validation entry
	Remittance  []byte       // an X12 interchange sent in CTX addenda; empty means CCD+ with a TRN addenda
}

// DisbursementFile asks for one bank file: every payment of one settlement
// run from one originating account.
type DisbursementFile struct {
	RunID          string // the settlement run; with the originating account it identifies the file
	Originator     Originator
	EffectiveDate  time.Time // requested effective entry date (date part); zero means as soon as possible
	CreatedAt      time.Time // file creation time; zero means the builder's clock
	FileIDModifier string    // one of A-Z, 0-9 distinguishing files of the same day; empty means "A"
	Entries        []DisbursementEntry
}

// RoutingValid reports whether s is nine digits with a correct ABA check digit:
// 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10).
func RoutingValid(s string) bool {
	if len(s) != 9 {
		return false
	}
	weights := [3]int{3, 7, 1}
	sum := 0
	for i := range 9 {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * weights[i%3]
	}
	return sum%10 == 0
}

// Validate reports every problem with the request in one pass.
func (f DisbursementFile) Validate() error {
	var errs validate.Errors
	switch {
	case f.RunID == "":
		errs.Required("run_id")
	case len(f.RunID) > 40 || !allBytes(f.RunID, isIDChar):
		errs.Add("run_id", "invalid", "want 1-40 of A-Z a-z 0-9 _ -")
	}
	errs.Merge("originator", f.Originator.Validate())
	if m := f.FileIDModifier; m != "" && (len(m) != 1 || !isUpperAlnum(m[0])) {
		errs.Add("file_id_modifier", "invalid", "want one of A-Z or 0-9")
	}
	if len(f.Entries) == 0 {
		errs.Add("entries", "required", "a file needs at least one entry")
	}
	seen := make(map[string]int, len(f.Entries))
	for i, e := range f.Entries {
		path := validate.Index("entries", i)
		errs.Merge(path, e.validate())
		if e.TraceRef == "" {
			continue
		}
		if j, dup := seen[e.TraceRef]; dup {
			errs.Add(path+".trace_ref", "duplicate", fmt.Sprintf("same trace_ref as entries[%d]", j))
		}
		seen[e.TraceRef] = i
	}
	return errs.Err()
}

// Validate reports every problem with the originator in one pass.
func (o Originator) Validate() error {
	var errs validate.Errors
	checkText(&errs, "company_name", o.CompanyName, 16)
	switch {
	case o.CompanyID == "":
		errs.Required("company_id")
	case len(o.CompanyID) > 10 || !allBytes(o.CompanyID, isUpperAlnum):
		errs.Add("company_id", "invalid", "want 1-10 of A-Z 0-9 (usually 1 followed by the EIN)")
	}
	checkRouting(&errs, "odfi_routing", o.ODFIRouting)
	checkAccount(&errs, "account", o.Account)
	checkAccountType(&errs, "account_type", o.AccountType)
	return errs.Err()
}

func (e DisbursementEntry) validate() error {
	var errs validate.Errors
	checkText(&errs, "payee_name", e.PayeeName, 0)
	if len(e.PayeeID) > 15 || !allBytes(e.PayeeID, isPrintable) {
		errs.Add("payee_id", "invalid", "want at most 15 printable ASCII characters")
	}
	checkRouting(&errs, "routing", e.Routing)
	checkAccount(&errs, "account", e.Account)
	checkAccountType(&errs, "account_type", e.AccountType)
	e.validateAmount(&errs)
	switch {
	case e.TraceRef == "":
		errs.Required("trace_ref")
	case len(e.TraceRef) > 50 || !allBytes(e.TraceRef, isTRNChar):
		errs.Add("trace_ref", "invalid", "want 1-50 printable ASCII characters without spaces or * \\ ~ ^ :")
	}
	if len(e.PayerID) > 10 || !allBytes(e.PayerID, isUpperAlnum) {
		errs.Add("payer_id", "invalid", "want at most 10 of A-Z 0-9")
	}
	switch {
	case len(e.Remittance) > 0 && e.Prenote:
		errs.Add("remittance", "prenote_remittance", "a prenote carries no remittance")
	case len(e.Remittance) > 9999*80:
		errs.Add("remittance", "too_long", "CTX carries at most 9999 addenda of 80 characters")
	case !allBytes(string(e.Remittance), isPrintable):
		errs.Add("remittance", "charset", "want printable ASCII")
	}
	return errs.Err()
}

func (e DisbursementEntry) validateAmount(errs *validate.Errors) {
	a := e.Amount
	switch {
	case !a.Valid():
		errs.Required("amount")
	case a.Currency() != money.USD:
		errs.Add("amount", "currency", "ACH disburses USD only, got "+string(a.Currency()))
	case e.Prenote && !a.IsZero():
		errs.Add("amount", "prenote_amount", "a prenote's amount is zero")
	case !e.Prenote && a.Sign() <= 0:
		errs.Add("amount", "not_positive", "a payment's amount is positive")
	case a.Minor() > MaxEntryMinor:
		errs.Add("amount", "too_large", "an ACH entry carries at most 99999999.99")
	}
}

func checkText(errs *validate.Errors, path, s string, max int) {
	switch {
	case s == "":
		errs.Required(path)
	case max > 0 && len(s) > max:
		errs.Add(path, "too_long", fmt.Sprintf("want at most %d characters", max))
	case !allBytes(s, isPrintable):
		errs.Add(path, "charset", "want printable ASCII")
	}
}

func checkRouting(errs *validate.Errors, path, s string) {
	switch {
	case s == "":
		errs.Required(path)
	case !RoutingValid(s):
		errs.Add(path, "check_digit", "want 9 digits with a valid ABA check digit")
	}
}

func checkAccount(errs *validate.Errors, path string, a AccountNumber) {
	switch {
	case a == "":
		errs.Required(path)
	case len(a) > 17 || !allBytes(string(a), isAccountChar):
		errs.Add(path, "invalid", "want 1-17 of A-Z 0-9 -")
	}
}

func checkAccountType(errs *validate.Errors, path string, t AccountType) {
	if t != Checking && t != Savings {
		errs.Add(path, "invalid", "want checking or savings")
	}
}

func allBytes(s string, ok func(byte) bool) bool {
	for i := range len(s) {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func isPrintable(c byte) bool   { return c >= 0x20 && c <= 0x7e }
func isUpperAlnum(c byte) bool  { return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' }
func isAccountChar(c byte) bool { return isUpperAlnum(c) || c == '-' }
func isIDChar(c byte) bool      { return isUpperAlnum(c) || c >= 'a' && c <= 'z' || c == '_' || c == '-' }
func isTRNChar(c byte) bool {
	return c > 0x20 && c <= 0x7e && c != '*' && c != '\\' && c != '~' && c != '^' && c != ':'
}
