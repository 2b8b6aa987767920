// Package de is the German zone bundle: XRechnung 3.0 (CII and UBL) and
// ZUGFeRD 2.x EN16931 e-invoices, and the EBM tariff, in EUR with half-up rounding.
package de

import (
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	_ "github.com/revhub/revhub/zones/de/xrechnung"
	_ "github.com/revhub/revhub/zones/de/zugferd"
)

func init() {
	ports.RegisterZone(ports.ZoneSpec{
		Country:  "DE",
		Name:     "Germany",
		Currency: money.EUR,
		Rounding: money.HalfUp,
		EInvoice: []string{"xrechnung", "zugferd"},
		Tariff:   []string{"ebm"},
	})
}
