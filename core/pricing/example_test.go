package pricing_test

import (
	"fmt"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/day"
	"github.com/revhub/revhub/core/pricing/rules"
)

// Example_price resolves an EBM price (points × point value carried as a
// four-decimal unit price) and prices two units of it.
func Example_price() {
	tf, _ := pricing.Build(pricing.StandardPrecedence, []pricing.Entry{{
		Service: "03000", List: "ebm", Kind: pricing.National, Currency: money.EUR,
		UnitPrice: money.MustRate("14.8721"), From: day.MustParse("2025-01-01"), To: day.Open, Version: "2025Q1",
	}})
	p, _ := pricing.NewPricer(tf, nil, money.HalfUp)
	pc, _ := p.Price(pricing.ChargeContext{
		Facts:    rules.Facts{Service: "03000", At: time.Date(2025, 3, 3, 9, 30, 0, 0, time.UTC)},
		Quantity: money.Int(2),
	})
	fmt.Println(pc.Amount, pc.Trace.Entry.List, pc.Trace.Entry.Version, pc.Trace.Why)
	// Output: 29.74 EUR ebm 2025Q1 national list "ebm" is the first in precedence with a version in force
}
