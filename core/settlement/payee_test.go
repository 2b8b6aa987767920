package settlement_test

import (
	"errors"
	"testing"
	"time"

	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
)

func payeeAccount() settlement.PayeeAccount {
	return settlement.PayeeAccount{Tenant: "acme", Ref: "bank/p0", Name: "Provider 0", PayeeID: "1234567893", Routing: "231380104",
		Account: "987654321", AccountType: settlement.Checking, EffectiveFrom: time.Date(2026, 3, 2, 0, 0, 0, 0, time.UTC), Prenote: settlement.PrenoteDue}
}

func TestPayeeAccount_validate(t *testing.T) {
	for _, tc := range []struct {
		name, path, code string
		edit             func(*settlement.PayeeAccount)
	}{
		{"ok", "", "", func(*settlement.PayeeAccount) {}},
		{"routing check digit", "routing", "check_digit", func(a *settlement.PayeeAccount) { a.Routing = "231380105" }},
		{"account charset", "account", "invalid", func(a *settlement.PayeeAccount) { a.Account = "12 34" }},
		{"account type", "account_type", "invalid", func(a *settlement.PayeeAccount) { a.AccountType = 0 }},
		{"ref with a space", "ref", "invalid", func(a *settlement.PayeeAccount) { a.Ref = "bank p0" }},
		{"name too long", "name", "too_long", func(a *settlement.PayeeAccount) { a.Name = "A VERY LONG PROVIDER NAME INC" }},
		{"no effective date", "effective_from", "required", func(a *settlement.PayeeAccount) { a.EffectiveFrom = time.Time{} }},
		{"prenote state", "prenote", "invalid", func(a *settlement.PayeeAccount) { a.Prenote = "cleared" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := payeeAccount()
			tc.edit(&a)
			err := a.Validate()
			if tc.path == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var fe *validate.FieldError
			if !errors.As(err, &fe) || fe.Path != tc.path || fe.Code != tc.code {
				t.Fatalf("got %v, want %s %s", err, tc.path, tc.code)
			}
		})
	}
}

func TestPayeeAccount_liveOnlyAfterPrenoteWindow(t *testing.T) {
	day := func(d int) time.Time { return time.Date(2026, 3, d, 10, 0, 0, 0, time.UTC) }
	a := payeeAccount()
	if a.Live(day(20)) || !a.Pending(day(20)) {
		t.Fatal("an account without a prenote is live")
	}
	a.Prenote, a.PrenoteDate, a.LiveFrom = settlement.PrenoteSent, day(3), day(6)
	if a.Live(day(5)) || !a.Pending(day(5)) {
		t.Fatal("live inside the prenote window")
	}
	if !a.Live(day(6)) || a.Pending(day(6)) {
		t.Fatal("not live once the window passed")
	}
	a.EffectiveFrom = day(9)
	if a.Live(day(8)) || !a.Live(day(9)) {
		t.Fatal("live before effective_from")
	}
	a.Prenote = settlement.PrenoteReturned
	if a.Live(day(20)) || a.Pending(day(20)) {
		t.Fatal("a returned prenote is live or pending")
	}
	if e := a.PrenoteEntry(); !e.Prenote || !e.Amount.IsZero() || e.TraceRef != a.Ref || e.Account != a.Account {
		t.Fatalf("prenote entry %+v", e)
	}
}
