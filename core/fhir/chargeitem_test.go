package fhir_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/revhub/revhub/core/fhir"
	"github.com/revhub/revhub/core/money"
)

func TestChargeItemOf(t *testing.T) {
	amt := money.MustNew(3024, money.EUR)
	for _, tc := range []struct {
		name string
		in   fhir.ChargeItemInput
		want []string
	}{
		{"priced", fhir.ChargeItemInput{ID: "ci-1", Key: "Procedure/p1", Source: "Procedure/p1", Active: true, Service: "03000",
			Quantity: money.Int(2), Amount: &amt, When: time.Date(2026, 3, 3, 9, 30, 0, 0, time.UTC), Subject: "Patient/p1",
			Encounter: "Encounter/e1", Trace: json.RawMessage(`{"trace":{"step":3}}`)},
			[]string{`"status":"billable"`, `"priceOverride":{"value":30.24,"currency":"EUR"}`, `"quantity":{"value":2}`,
				`"context":{"reference":"Encounter/e1"}`, `"valueString":"{\"trace\":{\"step\":3}}"`, `"service":[{"reference":"Procedure/p1"}]`}},
		{"reversed", fhir.ChargeItemInput{ID: "ci-2", Key: "Procedure/p2", Service: "03000", Quantity: money.Int(1)},
			[]string{`"status":"aborted"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(fhir.ChargeItemOf(tc.in))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.want {
				if !strings.Contains(string(b), w) {
					t.Errorf("lacks %s:\n%s", w, b)
				}
			}
		})
	}
}
