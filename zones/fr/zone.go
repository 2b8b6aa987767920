// Package fr is the French zone bundle: Factur-X e-invoices (MINIMUM, BASIC,
// EN16931) and the NABM tariff, in EUR with half-up rounding.
package fr

import (
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
	_ "github.com/revhub/revhub/zones/fr/facturx"
)

func init() {
	ports.RegisterZone(ports.ZoneSpec{
		Country:  "FR",
		Name:     "France",
		Currency: money.EUR,
		Rounding: money.HalfUp,
		EInvoice: []string{"facturx"},
		Tariff:   []string{"nabm"},
	})
}
