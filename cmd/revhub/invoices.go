package main

import (
	"encoding/base64"
	"encoding/hex"
	"net/http"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/ports"
)

// HeaderSHA256 carries the hex SHA-256 recorded when an invoice was issued.
const HeaderSHA256 = "X-Revhub-Sha256"

func init() {
	addRoutes(func(hb *hub) []httpapi.Route {
		// Issued invoices are immutable: there is deliberately no PUT, PATCH
		// or DELETE; corrections are credit notes.
		return []httpapi.Route{
			{Method: "GET", Pattern: "/v1/invoices/{number}", Roles: syncReaders, Handler: hb.getInvoice},
		}
	})
}

// getInvoice sends an issued invoice's canonical FHIR Invoice bytes exactly
// as issued, after checking them against the hash recorded at issue.
func (hb *hub) getInvoice(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	inv, raw, err := app.GetInvoice(r.Context(), hb.store, p.Tenant, r.PathValue("number"))
	if err != nil {
		return err
	}
	sum, err := hex.DecodeString(inv.SHA256)
	if err != nil {
		return ports.E("invoice.get", ports.Other, err)
	}
	w.Header().Set("Content-Type", "application/fhir+json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set(HeaderSHA256, inv.SHA256)
	w.Header().Set("Repr-Digest", "sha-256=:"+base64.StdEncoding.EncodeToString(sum)+":")
	w.Header().Set("Cache-Control", "private, immutable")
	_, _ = w.Write(raw)
	return nil
}
