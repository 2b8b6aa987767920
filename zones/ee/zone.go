// Package ee is the Estonian zone bundle: e-arve 1.2 XML and EN 16931 UBL
// e-invoices, and the Tervisekassa tariff, in EUR with half-up rounding.
package ee

import (
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	_ "github.com/revhub/revhub/zones/ee/earve"
)

func init() {
	ports.RegisterZone(ports.ZoneSpec{
		Country:  "EE",
		Name:     "Estonia",
		Currency: money.EUR,
		Rounding: money.HalfUp,
		EInvoice: []string{"e_arve", "en16931_ubl"},
		Tariff:   []string{"tervisekassa"},
	})
}
