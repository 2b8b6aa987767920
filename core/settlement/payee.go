package settlement

import (
	"encoding/json"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
)

// PrenoteState is where a payee account stands in its prenote (zero-dollar
// account validation) before live ACH entries may go to it.
type PrenoteState string

// The prenote states of a payee account.
const (
	PrenoteDue      PrenoteState = "due"      // registered: the next prenote file carries it; paid by check meanwhile
	PrenoteSent     PrenoteState = "sent"     // in a prenote file: live from LiveFrom unless the bank returns it
	PrenoteReturned PrenoteState = "returned" // the bank returned the prenote: never paid by EFT until registered anew
)

// PayeeAccount is one entry of the payee bank directory: where a payee
// reference (a claim's Provider.PayeeAccountRef) is paid by ACH.
type PayeeAccount struct {
	Tenant        string
	Ref           string // the payee reference claims carry; 1-50 printable ASCII without spaces or * \ ~ ^ :
	Version       int64  // 0 to create; the stored version to update (optimistic lock)
	Name          string // receiving company or individual; ≤ 22 printable ASCII
	PayeeID       string // NPI or provider id in the entry; ≤ 15 characters
	Routing       string // 9-digit ABA routing number with a valid check digit
	Account       AccountNumber
	AccountType   AccountType
	EffectiveFrom time.Time // date part: no live entry before this day
	Prenote       PrenoteState
	PrenoteFile   string    // the file that carried the prenote; "" until sent
	PrenoteDate   time.Time // the prenote's effective entry date; zero until sent
	LiveFrom      time.Time // first day live entries may go to it (prenote window passed); zero until sent
	ReturnCode    string    // the bank's return reason (R03, …) when returned
	UpdatedAt     time.Time
}

// Validate reports every problem with the account's registration in one pass.
func (a PayeeAccount) Validate() error {
	var errs validate.Errors
	switch {
	case a.Ref == "":
		errs.Required("ref")
	case len(a.Ref) > 50 || !allBytes(a.Ref, isTRNChar):
		errs.Add("ref", "invalid", "want 1-50 printable ASCII characters without spaces or * \\ ~ ^ :")
	}
	checkText(&errs, "name", a.Name, 22)
	if len(a.PayeeID) > 15 || !allBytes(a.PayeeID, isPrintable) {
		errs.Add("payee_id", "invalid", "want at most 15 printable ASCII characters")
	}
	checkRouting(&errs, "routing", a.Routing)
	checkAccount(&errs, "account", a.Account)
	checkAccountType(&errs, "account_type", a.AccountType)
	if a.EffectiveFrom.IsZero() {
		errs.Required("effective_from")
	}
	switch a.Prenote {
	case PrenoteDue, PrenoteSent, PrenoteReturned:
	default:
		errs.Add("prenote", "invalid", "want due, sent or returned")
	}
	return errs.Err()
}

// SameAccount reports whether b names the same bank account as a, so that
// registering b again keeps a's prenote.
func (a PayeeAccount) SameAccount(b PayeeAccount) bool {
	return a.Routing == b.Routing && a.Account == b.Account && a.AccountType == b.AccountType
}

// Live reports whether live entries may go to the account on day: its
// prenote went out, the window passed without a return, and it is effective.
func (a PayeeAccount) Live(day time.Time) bool {
	d := dateOf(day)
	return a.Prenote == PrenoteSent && !a.LiveFrom.IsZero() && !d.Before(dateOf(a.LiveFrom)) && !d.Before(dateOf(a.EffectiveFrom))
}

// Pending reports whether the account waits for its prenote or its window
// on day: payments then go by check or to the PrenotePending bucket.
func (a PayeeAccount) Pending(day time.Time) bool {
	return a.Prenote != PrenoteReturned && !a.Live(day)
}

// Entry is the account as a disbursement entry without amount or trace.
func (a PayeeAccount) Entry() DisbursementEntry {
	return DisbursementEntry{PayeeName: a.Name, PayeeID: a.PayeeID, Routing: a.Routing, Account: a.Account, AccountType: a.AccountType}
}

// PrenoteEntry is the zero-dollar prenote of the account, traced by its ref.
func (a PayeeAccount) PrenoteEntry() DisbursementEntry {
	e := a.Entry()
	e.Amount, e.Prenote, e.TraceRef = money.Zero(money.USD), true, a.Ref
	return e
}

// ParseAccountType reads "checking" or "savings".
func ParseAccountType(s string) (AccountType, bool) {
	switch s {
	case "checking":
		return Checking, true
	case "savings":
		return Savings, true
	}
	return 0, false
}

func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// payeeJSON is how an account shows in the API and the audit log: the
// account number masked.
type payeeJSON struct {
	Ref           string       `json:"ref"`
	Version       int64        `json:"version"`
	Name          string       `json:"name"`
	PayeeID       string       `json:"payee_id,omitempty"`
	Routing       string       `json:"routing"`
	Account       string       `json:"account"`
	AccountType   string       `json:"account_type"`
	EffectiveFrom string       `json:"effective_from"`
	Prenote       PrenoteState `json:"prenote"`
	PrenoteFile   string       `json:"prenote_file,omitempty"`
	PrenoteDate   string       `json:"prenote_date,omitempty"`
	LiveFrom      string       `json:"live_from,omitempty"`
	ReturnCode    string       `json:"return_code,omitempty"`
}

// MarshalJSON writes the account with its number masked: JSON of a payee
// account never carries the digits.
func (a PayeeAccount) MarshalJSON() ([]byte, error) {
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	return json.Marshal(payeeJSON{Ref: a.Ref, Version: a.Version, Name: a.Name, PayeeID: a.PayeeID, Routing: a.Routing, Account: a.Account.String(),
		AccountType: a.AccountType.String(), EffectiveFrom: day(a.EffectiveFrom), Prenote: a.Prenote, PrenoteFile: a.PrenoteFile,
		PrenoteDate: day(a.PrenoteDate), LiveFrom: day(a.LiveFrom), ReturnCode: a.ReturnCode})
}
