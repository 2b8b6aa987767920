// Package us is the United States zone: amounts in USD with half-up rounding.
// US payers and providers exchange X12 835/820 and NACHA files rather than
// e-invoices, so the zone offers no e-invoice formats or national tariff yet.
package us

import (
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

func init() {
	ports.RegisterZone(ports.ZoneSpec{
		Country:  "US",
		Name:     "United States",
		Currency: money.USD,
		Rounding: money.HalfUp,
	})
}
