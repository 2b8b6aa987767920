package main

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/episode"
	"github.com/revhub/revhub/core/invoicing"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/mappings"
	"github.com/revhub/revhub/ports"
)

// billers work the episode queue: they resolve flags, approve and invoice.
var billers = []ports.Role{ports.RoleFinance}

func init() {
	addRoutes(func(hb *hub) []httpapi.Route {
		return []httpapi.Route{
			{Method: "POST", Pattern: "/v1/episodes/{id}/settlement", Roles: []ports.Role{ports.RoleFinance, ports.RoleIntegration}, Handler: hb.settleEpisode},
			{Method: "GET", Pattern: "/v1/episodes/{id}", Roles: syncReaders, Handler: hb.getEpisode},
			{Method: "GET", Pattern: "/v1/episodes/{id}/versions/{n}", Roles: syncReaders, Handler: hb.getEpisodeVersion},
			{Method: "GET", Pattern: "/v1/episodes/{id}/flags", Roles: syncReaders, Handler: hb.getEpisodeFlags},
			{Method: "POST", Pattern: "/v1/episodes/{id}/flags/{charge}/resolve", Roles: billers, Handler: hb.resolveEpisodeFlag},
			{Method: "POST", Pattern: "/v1/episodes/{id}/assignment", Roles: billers, Handler: hb.assignEpisode},
			{Method: "POST", Pattern: "/v1/episodes/{id}/approve", Roles: billers, Handler: hb.approveEpisode},
			{Method: "POST", Pattern: "/v1/episodes/{id}/invoices", Roles: billers, Handler: hb.invoiceEpisode},
			{Method: "GET", Pattern: "/v1/work-queue", Roles: syncReaders, Handler: hb.workQueue},
		}
	})
}

// maxEpisodeBody bounds an episode request: a settlement may list many charges.
const maxEpisodeBody = 1 << 20

// readBody is httpapi.DecodeJSON, except that an empty body leaves v as it
// is (the handlers then name the fields they need).
func readBody(r *http.Request, v any) error {
	if err := httpapi.DecodeJSON(r, maxEpisodeBody, v); !errors.Is(err, validate.ErrRequired) {
		return err
	}
	return nil
}

// reply returns a function sending a use case's result as 200 JSON, or
// its error as a problem: return reply(w)(app.GetEpisode(...)).
func reply(w http.ResponseWriter) func(any, error) error {
	return func(v any, err error) error {
		if err != nil {
			return err
		}
		return httpapi.WriteJSON(w, http.StatusOK, v)
	}
}

// callerOf names the caller of r in audit entries.
func callerOf(r *http.Request) string {
	p, _ := httpapi.PrincipalFrom(r.Context())
	return actorOf(p)
}

func tenantOf(r *http.Request) string {
	p, _ := httpapi.PrincipalFrom(r.Context())
	return p.Tenant
}

// SettleBody is the body of POST /v1/episodes/{id}/settlement.
type SettleBody struct {
	Org     string           `json:"org"`
	Patient string           `json:"patient"`
	Reason  string           `json:"reason"`
	Plans   []episode.Plan   `json:"plans"`             // the patient's coverage, payers in order
	Charges []episode.Charge `json:"charges,omitempty"` // default: the priced charge items of Encounter/{id}
}

// EpisodeSettled is the answer of a settlement.
type EpisodeSettled struct {
	Episode app.Episode        `json:"episode"`
	Version app.EpisodeVersion `json:"version"`
}

func (hb *hub) settleEpisode(w http.ResponseWriter, r *http.Request) error {
	var b SettleBody
	if err := readBody(r, &b); err != nil {
		return err
	}
	svc, err := hb.services()
	if err != nil {
		return err
	}
	o, err := svc.org(tenantOf(r), b.Org)
	if err != nil {
		return err
	}
	ep, v, err := app.SettleEpisode(r.Context(), hb.store, app.SettleRequest{Tenant: tenantOf(r), Org: b.Org, Episode: r.PathValue("id"),
		Patient: b.Patient, Charges: b.Charges, Groups: o.org.Pricing.Groups, Plans: b.Plans, Rules: assignRules(o.org),
		Rounding: o.zone.Rounding, Reason: b.Reason, Actor: callerOf(r)}, hb.deps.Now())
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusCreated, EpisodeSettled{Episode: ep, Version: v})
}

func assignRules(o *mappings.Org) []episode.AssignRule {
	if o.Billing == nil {
		return nil
	}
	return o.Billing.Assign
}

func (hb *hub) getEpisode(w http.ResponseWriter, r *http.Request) error {
	return reply(w)(app.GetEpisode(r.Context(), hb.store, tenantOf(r), r.PathValue("id")))
}

// getEpisodeVersion answers one settlement version with its diff against
// the version before, or against ?against=N.
func (hb *hub) getEpisodeVersion(w http.ResponseWriter, r *http.Request) error {
	var errs validate.Errors
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		errs.Add("n", "invalid", "want a version number from 1")
	}
	against := 0
	if s := r.URL.Query().Get("against"); s != "" {
		if against, err = strconv.Atoi(s); err != nil || against < 1 {
			errs.Add("against", "invalid", "want a version number from 1")
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	return reply(w)(app.GetEpisodeVersion(r.Context(), hb.store, tenantOf(r), r.PathValue("id"), n, against))
}

// EpisodeFlags is the answer of GET /v1/episodes/{id}/flags.
type EpisodeFlags struct {
	Episode    string     `json:"episode"`
	Version    int        `json:"version"`
	Unresolved int        `json:"unresolved"`
	Flags      []app.Flag `json:"flags"`
}

func (hb *hub) getEpisodeFlags(w http.ResponseWriter, r *http.Request) error {
	ep, err := app.GetEpisode(r.Context(), hb.store, tenantOf(r), r.PathValue("id"))
	if err != nil {
		return err
	}
	out := EpisodeFlags{Episode: ep.ID, Version: ep.Version, Flags: ep.Flags}
	if out.Flags == nil {
		out.Flags = []app.Flag{}
	}
	for _, f := range ep.Flags {
		if !f.Resolved {
			out.Unresolved++
		}
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// ResolveBody is the body of POST .../flags/{charge}/resolve.
type ResolveBody struct {
	Note string `json:"note"`
}

func (hb *hub) resolveEpisodeFlag(w http.ResponseWriter, r *http.Request) error {
	var b ResolveBody
	if err := readBody(r, &b); err != nil {
		return err
	}
	if b.Note == "" {
		return &validate.FieldError{Path: "note", Code: "required", Msg: "say how the flag was resolved, for the audit log", Err: validate.ErrRequired}
	}
	return reply(w)(app.ResolveFlag(r.Context(), hb.store, tenantOf(r), r.PathValue("id"), r.PathValue("charge"), b.Note, callerOf(r), hb.deps.Now()))
}

// AssignBody is the body of POST /v1/episodes/{id}/assignment: a biller,
// or auto to hand the episode back to the organization's rules.
type AssignBody struct {
	Biller string `json:"biller,omitempty"`
	Auto   bool   `json:"auto,omitempty"`
}

func (hb *hub) assignEpisode(w http.ResponseWriter, r *http.Request) error {
	var b AssignBody
	if err := readBody(r, &b); err != nil {
		return err
	}
	if (b.Biller == "") == !b.Auto {
		return &validate.FieldError{Path: "biller", Code: "required", Msg: "name a biller, or send auto: true (not both)", Err: validate.ErrRequired}
	}
	tenant, id := tenantOf(r), r.PathValue("id")
	var rules []episode.AssignRule
	if b.Auto {
		_, o, err := hb.episodeOrg(r, id)
		if err != nil {
			return err
		}
		rules = assignRules(o.org)
	}
	return reply(w)(app.AssignEpisode(r.Context(), hb.store, tenant, id, b.Biller, rules, callerOf(r), hb.deps.Now()))
}

// episodeOrg reads an episode of the caller's tenant and its organization's services.
func (hb *hub) episodeOrg(r *http.Request, id string) (app.Episode, *orgServices, error) {
	ep, err := app.GetEpisode(r.Context(), hb.store, tenantOf(r), id)
	if err != nil {
		return ep, nil, err
	}
	svc, err := hb.services()
	if err != nil {
		return ep, nil, err
	}
	o, err := svc.org(tenantOf(r), ep.Org)
	return ep, o, err
}

// approveEpisode approves the newest version; open audit flags refuse it
// with 409 unresolved_flags naming each flagged charge.
func (hb *hub) approveEpisode(w http.ResponseWriter, r *http.Request) error {
	tenant, id := tenantOf(r), r.PathValue("id")
	ep, err := app.ApproveEpisode(r.Context(), hb.store, tenant, id, callerOf(r), hb.deps.Now())
	if errors.Is(err, episode.ErrUnresolvedFlags) {
		p := &httpapi.Problem{Status: http.StatusConflict, Code: "unresolved_flags", Detail: err.Error()}
		if cur, gerr := app.GetEpisode(r.Context(), hb.store, tenant, id); gerr == nil {
			for _, f := range cur.Flags {
				if !f.Resolved {
					p.Errors = append(p.Errors, httpapi.FieldProblem{Path: "flags." + f.Charge, Code: "unresolved",
						Detail: fmt.Sprintf("%s: %s; resolve it at /v1/episodes/%s/flags/%s/resolve", f.Service, f.Reason, id, f.Charge)})
				}
			}
		}
		return p
	}
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, ep)
}

// InvoiceBody is the body of POST /v1/episodes/{id}/invoices.
type InvoiceBody struct {
	Buyers   map[string]invoicing.Party `json:"buyers"`             // party -> recipient
	Seller   *invoicing.Party           `json:"seller,omitempty"`   // default: the organization in mappings
	Tax      *invoicing.Tax             `json:"tax,omitempty"`      // default: exempt hospital and medical care
	Payment  *invoicing.PaymentMeans    `json:"payment,omitempty"`  // BG-16
	DueDays  int                        `json:"due_days,omitempty"` // default 30
	Language string                     `json:"language,omitempty"`
}

// exemptMedical is VAT-exempt hospital and medical care (Art. 132(1)(b)
// of Directive 2006/112/EC).
var exemptMedical = invoicing.Tax{Category: invoicing.Exempt, Rate: money.Int(0), ExemptionCode: "VATEX-EU-132-1B",
	ExemptionReason: "Hospital and medical care, exempt under Art. 132(1)(b) Directive 2006/112/EC"}

// invoiceEpisode issues the approved settlement's invoices. The client's
// Idempotency-Key header makes a retry answer with the same invoices.
func (hb *hub) invoiceEpisode(w http.ResponseWriter, r *http.Request) error {
	b := InvoiceBody{DueDays: 30}
	if err := readBody(r, &b); err != nil {
		return err
	}
	tenant, id := tenantOf(r), r.PathValue("id")
	ep, o, err := hb.episodeOrg(r, id)
	if err != nil {
		return err
	}
	now := hb.deps.Now()
	inv, err := seriesOf(o.org, mappings.Invoice, now)
	if err != nil {
		return err
	}
	credit, err := seriesOf(o.org, mappings.CreditNote, now)
	if err != nil {
		return err
	}
	req := app.EpisodeInvoiceRequest{Tenant: tenant, Episode: id, Seller: sellerOf(o.org), Buyers: b.Buyers, Tax: exemptMedical,
		Payment: b.Payment, DueDays: b.DueDays, Series: inv, CreditSeries: credit, Rounding: o.zone.Rounding, Actor: callerOf(r),
		Language: b.Language, IdempotencyKey: r.Header.Get("Idempotency-Key")}
	if b.Seller != nil {
		req.Seller = *b.Seller
	}
	if b.Tax != nil {
		req.Tax = *b.Tax
	}
	if name, _, ok := hb.cfg.Binding(tenant, ep.Org, ports.InvoiceDeliverers.Port()); ok {
		req.Delivery = ports.InvoiceDeliverers.Port() + "/" + name
	}
	out, err := app.IssueEpisodeInvoices(r.Context(), hb.store, req, now)
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusCreated, out)
}

// seriesOf is the organization's numbering series for a document type,
// rendered with its code and the issue date's year and month.
func seriesOf(o *mappings.Org, dt mappings.DocType, now time.Time) (app.Series, error) {
	s, ok := o.Numbering[dt]
	if !ok {
		return app.Series{}, ports.E("episode.Invoice", ports.Invalid, fmt.Errorf("%s has no %s series in mappings", o.ID, dt))
	}
	period := ""
	if s.Reset == mappings.ResetYearly {
		period = strconv.Itoa(now.Year())
	}
	return app.Series{Name: s.Name, Period: period, Format: func(seq int64) (string, error) {
		return s.Format(o.Code, now.Year(), int(now.Month()), seq)
	}}, nil
}

// sellerOf is the organization as the seller of its invoices.
func sellerOf(o *mappings.Org) invoicing.Party {
	return invoicing.Party{Name: o.Name, VATID: o.Identifiers["vat_id"], LegalID: o.Identifiers["registry"],
		Address: invoicing.Address{Country: o.Zone}}
}

// WorkQueuePage is the answer of GET /v1/work-queue.
type WorkQueuePage struct {
	Episodes   []app.Episode `json:"episodes"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

// workQueue lists episodes, who holds them and at which stage, filtered by
// ?org=, ?biller= and ?stage=.
func (hb *hub) workQueue(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	page, err := httpapi.PageOf(r)
	if err != nil {
		return err
	}
	stage := episode.Stage(q.Get("stage"))
	switch stage {
	case "", episode.Open, episode.Review, episode.Approved, episode.Invoiced:
	default:
		return &validate.FieldError{Path: "stage", Code: "invalid", Msg: "want open, review, approved or invoiced"}
	}
	eps, next, err := app.WorkQueue(r.Context(), hb.store, app.QueueQuery{Tenant: tenantOf(r), Org: q.Get("org"), Biller: q.Get("biller"),
		Stage: stage, Page: page})
	if err != nil {
		return err
	}
	if eps == nil {
		eps = []app.Episode{}
	}
	return httpapi.WriteJSON(w, http.StatusOK, WorkQueuePage{Episodes: eps, NextCursor: next})
}
