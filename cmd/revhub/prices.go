package main

import (
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/pricing"
	"github.com/revhub/revhub/core/pricing/pricelist"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

func init() {
	addRoutes(func(hb *hub) []httpapi.Route {
		return []httpapi.Route{
			{Method: "GET", Pattern: "/v1/prices/quote", Roles: readers, Handler: hb.quote},
			{Method: "POST", Pattern: "/v1/price-lists", Roles: []ports.Role{ports.RoleImplementer}, Handler: hb.postPriceList},
		}
	})
}

// QuoteResult is the answer of GET /v1/prices/quote: the priced charge
// with its trace, and the total including charges rules add.
type QuoteResult struct {
	pricing.PricedCharge
	Payer string       `json:"payer,omitempty"`
	Plan  string       `json:"plan,omitempty"`
	Org   string       `json:"org"`
	Total money.Amount `json:"total"`
}

// quote answers what a service costs a payer (or a self-paying patient)
// on a date: ?service=&org=&date=YYYY-MM-DD or RFC 3339 time, optional
// payer, plan, quantity and system.
func (hb *hub) quote(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	q := r.URL.Query()
	var errs validate.Errors
	req := app.QuoteRequest{Tenant: p.Tenant, Org: q.Get("org"), Service: q.Get("service"), System: q.Get("system"),
		Payer: q.Get("payer"), Plan: q.Get("plan")}
	if req.Service == "" {
		errs.Required("service")
	}
	if req.Org == "" {
		errs.Required("org")
	}
	switch d := q.Get("date"); {
	case d == "":
		req.At = hb.deps.Now()
	case len(d) == len("2006-01-02"):
		at, err := time.Parse("2006-01-02", d)
		if err != nil {
			errs.Add("date", "invalid", "want YYYY-MM-DD or an RFC 3339 time")
		}
		req.At = at.Add(12 * time.Hour) // midday: the date itself, away from any hour rule
	default:
		at, err := time.Parse(time.RFC3339, d)
		if err != nil {
			errs.Add("date", "invalid", "want YYYY-MM-DD or an RFC 3339 time")
		}
		req.At = at
	}
	if s := q.Get("quantity"); s != "" {
		qty, err := money.ParseRate(s)
		if err != nil || qty.Sign() <= 0 {
			errs.Add("quantity", "invalid", "want a positive decimal")
		}
		req.Quantity = qty
	}
	if err := errs.Err(); err != nil {
		return err
	}
	svc, err := hb.services()
	if err != nil {
		return err
	}
	pc, err := svc.pricing.Quote(r.Context(), req)
	if err != nil {
		return err
	}
	total, err := pc.Total()
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, QuoteResult{PricedCharge: pc, Payer: req.Payer, Plan: req.Plan, Org: req.Org, Total: total})
}

// maxPriceList caps an uploaded price list.
const maxPriceList = pricelist.DefaultMaxBytes

// postPriceList imports a price list version: the body is the CSV or JSON
// document; ?list=&kind= name it, ?payer=&plan=&org= scope it, ?source=
// names the document and ?version= its version id.
func (hb *hub) postPriceList(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	q := r.URL.Query()
	format := q.Get("format")
	if format == "" {
		mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
		switch mt {
		case "text/csv":
			format = "csv"
		case "application/json":
			format = "json"
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxPriceList))
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return &validate.FieldError{Path: "body", Code: "too_large", Msg: fmt.Sprintf("at most %d bytes", maxPriceList)}
		}
		return ports.E("price_list.post", ports.Invalid, err)
	}
	req, err := hb.priceListImport(p.Tenant, q.Get("list"), q.Get("kind"), q.Get("payer"), q.Get("plan"), q.Get("org"),
		format, q.Get("source"), q.Get("version"), "token:"+p.TokenID, q.Get("reason"), body)
	if err != nil {
		return err
	}
	svc, err := hb.services()
	if err != nil {
		return err
	}
	res, err := svc.pricing.Import(r.Context(), req, hb.deps.Now())
	if err != nil {
		return err
	}
	status := http.StatusCreated
	if res.Unchanged {
		status = http.StatusOK
	}
	return httpapi.WriteJSON(w, status, res)
}

// priceListImport builds an import request with the tenant's zone's
// decimal separator and currency.
func (hb *hub) priceListImport(tenant, list, kind, payer, plan, org, format, source, version, actor, reason string, data []byte) (app.PriceListImport, error) {
	var errs validate.Errors
	k, err := pricing.ParseKind(kind)
	if err != nil {
		errs.Add("kind", "invalid", err.Error())
	}
	if list == "" {
		errs.Required("list")
	}
	if format != "csv" && format != "json" {
		errs.Add("format", "invalid", "send Content-Type text/csv or application/json, or ?format=csv|json")
	}
	svc, err := hb.services()
	if err != nil {
		return app.PriceListImport{}, err
	}
	zone, err := svc.tenantZone(hb, tenant, org)
	if err != nil {
		errs.Merge("", err)
	}
	if err := errs.Err(); err != nil {
		return app.PriceListImport{}, err
	}
	if source == "" {
		source = list + "." + format
	}
	return app.PriceListImport{Tenant: tenant, List: list, Kind: k, Payer: payer, Plan: plan, Org: org, Format: format,
		Source: path.Base(source), Data: data, Decimal: pricelist.DecimalFor(zone.Country), Currency: zone.Currency,
		Version: version, Actor: actor, Reason: reason}, nil
}

// formatOf returns "csv" or "json" from a file name's extension.
func formatOf(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".csv":
		return "csv"
	case ".json":
		return "json"
	}
	return ""
}
