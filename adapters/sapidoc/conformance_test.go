package sapidoc_test

import (
	"testing"
	"time"

	"github.com/revhub/revhub/adapters/sapidoc"
	"github.com/revhub/revhub/ports"
	"github.com/revhub/revhub/testharness"
	"github.com/revhub/revhub/testharness/conformance/gltest"
	"github.com/revhub/revhub/testharness/fakes/fakesap"
)

const passwordRef = "env:SAP_PASSWORD"

// config is a binding for a fake; lookup selects read-before-write.
func config(sap *fakesap.Server, lookup bool) sapidoc.Config {
	c := sapidoc.Config{Endpoint: sap.Endpoint, Username: sap.User, PasswordRef: passwordRef, PartnerNumber: "REVHUB",
		PartnerType: "LS", SenderPort: "REVHUB", ReceiverPartner: "S4PCLNT100", ReceiverPort: "SAPS4P", Client: "100",
		CompanyCode: "1000", DocType: "SA", MaxLines: 999, Timeout: 5 * time.Second, IDocType: "ACC_DOCUMENT03", AccountZeroPadded: true}
	if lookup {
		c.LookupEndpoint = sap.Lookup
	}
	return c
}

func start(t *testing.T, lookup bool) (*sapidoc.Exporter, *fakesap.Server) {
	t.Helper()
	sap := fakesap.Start(t)
	exp, err := sapidoc.New(config(sap, lookup), testharness.Deps(t, passwordRef, sap.Password))
	if err != nil {
		t.Fatal(err)
	}
	return exp, sap
}

func TestConformance(t *testing.T) {
	for _, lookup := range []bool{true, false} {
		name := "receiverDedupes"
		if lookup {
			name = "readBeforeWrite"
		}
		t.Run(name, func(t *testing.T) {
			gltest.Run(t, gltest.Features{Idempotent: true, MaxLinesPerDoc: 999}, func(t *testing.T) (ports.GLExporter, gltest.Probe) {
				return start(t, lookup)
			})
		})
	}
}
