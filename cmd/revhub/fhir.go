package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/capture"
	"github.com/revhub/revhub/core/fhir"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// maxFHIRBody caps POST /v1/fhir.
const maxFHIRBody = 16 << 20

// readers may read the tenant's records.
var readers = []ports.Role{ports.RoleFinance, ports.RoleImplementer, ports.RoleAuditor, ports.RoleIntegration}

func init() {
	addRoutes(func(hb *hub) []httpapi.Route {
		return []httpapi.Route{
			{Method: "POST", Pattern: "/v1/fhir", Roles: []ports.Role{ports.RoleIntegration}, Handler: hb.postFHIR},
			{Method: "GET", Pattern: "/v1/charge-items/{id}", Roles: readers, Handler: hb.getChargeItem},
		}
	})
}

// FHIRResult is the answer of POST /v1/fhir.
type FHIRResult struct {
	Artifact string         `json:"artifact"` // id of the raw payload kept
	Actions  map[string]int `json:"actions"`  // capture action -> count
	Entries  []FHIREntry    `json:"entries"`
}

// FHIREntry is the outcome of one resource of the payload.
type FHIREntry struct {
	Index       int      `json:"index"`
	Resource    string   `json:"resource"` // "Procedure/p1"
	Version     int64    `json:"version"`
	ChargeItems []string `json:"charge_items"` // ids, see GET /v1/charge-items/{id}
}

// postFHIR ingests one resource or Bundle synchronously for the caller's
// tenant and the organization in X-Revhub-Org (or ?org=). Bad input is a 400
// naming the field, and nothing of the payload is written.
func (hb *hub) postFHIR(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	org := r.Header.Get("X-Revhub-Org")
	if org == "" {
		org = r.URL.Query().Get("org")
	}
	svc, err := hb.services()
	if err != nil {
		return err
	}
	if _, err := svc.org(p.Tenant, org); err != nil {
		return err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFHIRBody))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return &validate.FieldError{Path: "body", Code: "too_large", Msg: fmt.Sprintf("at most %d bytes", maxFHIRBody)}
		}
		return ports.E("fhir.post", ports.Invalid, err)
	}
	outs, err := svc.capture.Ingest(r.Context(), []app.Envelope{{Tenant: p.Tenant, Org: org, Source: "api:" + p.TokenID, Payload: body}}, hb.deps.Now())
	if err != nil {
		return err
	}
	if err := outs[0].Err; err != nil {
		var fe *validate.FieldError
		var es validate.Errors
		if errors.As(err, &fe) || errors.As(err, &es) {
			return err
		}
		return ports.E("fhir.post", ports.Invalid, err)
	}
	res := FHIRResult{Artifact: outs[0].Artifact, Actions: outs[0].Actions.Map(), Entries: entriesOf(p.Tenant, body, svc, org)}
	return httpapi.WriteJSON(w, http.StatusOK, res)
}

// entriesOf names, per resource of an ingested payload, the charge items
// its lines map to.
func entriesOf(tenant string, body []byte, svc *services, org string) []FHIREntry {
	rs, err := capture.Parse(body)
	if err != nil {
		return nil
	}
	o, _ := svc.org(tenant, org)
	out := make([]FHIREntry, 0, len(rs))
	for i, r := range rs {
		e := FHIREntry{Index: i, Resource: r.Key(), Version: r.Version(), ChargeItems: []string{}}
		if in, err := capture.Evaluate(r, o.capture); err == nil {
			for _, l := range in.Lines {
				if l.Service != "" {
					e.ChargeItems = append(e.ChargeItems, app.ChargeItemID(tenant, l.Key))
				}
			}
		}
		out = append(out, e)
	}
	return out
}

// getChargeItem returns a charge item as FHIR ChargeItem JSON with its
// pricing trace as an extension.
func (hb *hub) getChargeItem(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	var ci app.ChargeItem
	err := hb.store.View(r.Context(), func(ctx context.Context, tx ports.Tx) error {
		var err error
		ci, err = app.GetChargeItem(ctx, tx, p.Tenant, r.PathValue("id"))
		return err
	})
	if err != nil {
		return err
	}
	out := fhir.ChargeItemOf(fhir.ChargeItemInput{ID: ci.ID, Key: ci.Key, Source: ci.Source, Version: ci.Version, Active: ci.Active,
		Service: ci.Service, Quantity: ci.Quantity, UnitPrice: ci.UnitPrice, Amount: ci.Amount, When: ci.When,
		Subject: ci.Subject, Encounter: ci.Encounter, Org: ci.Org, Trace: ci.Trace})
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/fhir+json")
	_, _ = w.Write(append(b, '\n'))
	return nil
}
