package nacha

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

var _ ports.PayoutOriginator = (*Builder)(nil)

// Originator returns the originating account of the binding, the account
// number read from account_ref; it names every missing setting.
func (b *Builder) Originator(ctx context.Context) (settlement.Originator, error) {
	const op = "nacha.Originator"
	var missing []string
	for _, s := range []struct{ key, v string }{{"company_name", b.cfg.CompanyName}, {"company_id", b.cfg.CompanyID},
		{"odfi_routing", b.cfg.ODFIRouting}, {"account_ref", b.cfg.AccountRef}} {
		if s.v == "" {
			missing = append(missing, s.key)
		}
	}
	if len(missing) > 0 {
		return settlement.Originator{}, ports.E(op, ports.Unavailable,
			fmt.Errorf("the originating account needs %s in the nacha binding", strings.Join(missing, ", ")))
	}
	if b.secrets == nil {
		return settlement.Originator{}, ports.E(op, ports.Unavailable, fmt.Errorf("account_ref: no secret resolver"))
	}
	acct, err := b.secrets.Resolve(ctx, b.cfg.AccountRef)
	if err != nil {
		return settlement.Originator{}, ports.E(op, ports.Unavailable, fmt.Errorf("account_ref %s: %w", b.cfg.AccountRef, err))
	}
	typ, _ := settlement.ParseAccountType(orDefault(b.cfg.AccountType, "checking"))
	o := settlement.Originator{CompanyName: b.cfg.CompanyName, CompanyID: b.cfg.CompanyID, ODFIRouting: b.cfg.ODFIRouting,
		Account: settlement.AccountNumber(strings.TrimSpace(string(acct))), AccountType: typ}
	if err := o.Validate(); err != nil {
		return settlement.Originator{}, ports.E(op, ports.Invalid, fmt.Errorf("originating account (account_ref %s): %w", b.cfg.AccountRef, err))
	}
	return o, nil
}

// LiveFrom counts prenote_days banking days from the prenote's settlement date.
func (b *Builder) LiveFrom(prenoteEffective time.Time) time.Time {
	y, m, day := prenoteEffective.Date() // a civil date, whatever its location
	d := time.Date(y, m, day, 0, 0, 0, 0, b.cal.loc)
	days := b.cfg.PrenoteDays
	if days == 0 {
		days = 3
	}
	for range days {
		d = b.cal.nextBankingDay(d)
	}
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}
