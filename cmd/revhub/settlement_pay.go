package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

func init() {
	addRoutes(func(hb *hub) []httpapi.Route {
		return []httpapi.Route{
			{Method: "POST", Pattern: "/v1/ffs-runs/preview", Roles: financeOnly, Handler: hb.previewFFS},
			{Method: "POST", Pattern: "/v1/ffs-runs", Roles: financeOnly, Handler: hb.postFFS},
			{Method: "POST", Pattern: "/v1/disbursements", Roles: financeOnly, Handler: hb.createDisbursement},
			{Method: "GET", Pattern: "/v1/disbursements/{id}", Roles: syncReaders, Handler: hb.getDisbursement},
			{Method: "POST", Pattern: "/v1/disbursements/{id}/approve", Roles: financeOnly, Handler: hb.approveDisbursement},
			{Method: "POST", Pattern: "/v1/disbursements/{id}/release", Roles: financeOnly, Handler: hb.releaseDisbursement},
			{Method: "POST", Pattern: "/v1/disbursements/{id}/outcome", Roles: financeOnly, Handler: hb.recordOutcome},
			{Method: "GET", Pattern: "/v1/reports/{name}", Roles: syncReaders, Handler: hb.getReport},
		}
	})
}

// FFSRequest is the body of the fee-for-service routes.
type FFSRequest struct {
	RunID       string                  `json:"run_id"`
	LOB         string                  `json:"lob"`
	ServiceFrom string                  `json:"service_from"` // 2006-01-02, inclusive
	ServiceTo   string                  `json:"service_to"`   // 2006-01-02, exclusive
	Statuses    []settlement.ClaimState `json:"statuses,omitempty"`
	Currency    string                  `json:"currency"`
	HeldTINs    []string                `json:"held_tins,omitempty"`
	PromptPay   struct {
		Days     map[string]int `json:"days,omitempty"`
		WarnDays int            `json:"warn_days,omitempty"`
	} `json:"prompt_pay"`
}

func (hb *hub) ffsRequest(r *http.Request, preview bool) (app.FFSRequest, error) {
	p, q, err := requestOf[FFSRequest](r)
	if err != nil {
		return app.FFSRequest{}, err
	}
	var errs validate.Errors
	out := app.FFSRequest{Tenant: p.Tenant, RunID: q.RunID, LOB: q.LOB, Statuses: q.Statuses, Actor: actorOf(p),
		PromptPay: settlement.PromptPay{Days: q.PromptPay.Days, WarnDays: q.PromptPay.WarnDays}}
	if q.RunID == "" && !preview {
		errs.Required("run_id")
	}
	if q.LOB == "" {
		errs.Required("lob")
	}
	for i, s := range q.Statuses {
		if !s.Valid() {
			errs.Add(validate.Index("statuses", i), "invalid", "want a claim state such as APPROVED")
		}
	}
	if out.ServiceFrom, err = time.Parse("2006-01-02", q.ServiceFrom); err != nil {
		errs.Add("service_from", "invalid", "want the first service date as 2006-01-02")
	}
	if out.ServiceTo, err = time.Parse("2006-01-02", q.ServiceTo); err != nil || !out.ServiceTo.After(out.ServiceFrom) {
		errs.Add("service_to", "invalid", "want the day after the last service date as 2006-01-02, after service_from")
	}
	if out.Currency, err = money.ParseCurrency(q.Currency); err != nil {
		errs.Add("currency", "invalid", "want an ISO 4217 code")
	}
	if held := q.HeldTINs; len(held) > 0 {
		out.Held = func(_ string, tin settlement.TIN) bool { return slices.Contains(held, string(tin)) }
	}
	if err := errs.Err(); err != nil {
		return out, err
	}
	dir, err := hb.payees(r.Context(), p.Tenant)
	out.EFT = dir.known
	return out, err
}

// FFSPreview is the answer of POST /v1/ffs-runs/preview.
type FFSPreview struct {
	Claims int64          `json:"claims"`
	Totals []money.Amount `json:"totals"`
}

// previewFFS counts and sums what the same request to POST /v1/ffs-runs
// would take now, changing nothing.
func (hb *hub) previewFFS(w http.ResponseWriter, r *http.Request) error {
	q, err := hb.ffsRequest(r, true)
	if err != nil {
		return err
	}
	n, totals, err := app.PreviewFFS(r.Context(), hb.store, q, hb.deps.Now())
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, FFSPreview{Claims: n, Totals: append([]money.Amount{}, totals...)})
}

// FFSPaymentJSON is one check or EFT of a fee-for-service run.
type FFSPaymentJSON struct {
	TIN      string            `json:"tin"`
	Method   settlement.Method `json:"method"`
	Gross    money.Amount      `json:"gross"`
	Offset   money.Amount      `json:"offset"`
	Net      money.Amount      `json:"net"`
	Claims   int               `json:"claims"`
	Urgent   bool              `json:"urgent"`
	Deadline string            `json:"prompt_pay_deadline,omitempty"`
}

// FFSResponse is the answer of POST /v1/ffs-runs.
type FFSResponse struct {
	RunID      string           `json:"run_id"`
	Payments   []FFSPaymentJSON `json:"payments"`
	Gross      money.Amount     `json:"gross"`
	Offset     money.Amount     `json:"offset"`
	Net        money.Amount     `json:"net"`
	Flagged    int              `json:"flagged"`
	Carried    int              `json:"carried"`
	Exceptions map[string]int   `json:"exceptions"`
}

// postFFS executes a fee-for-service run.
func (hb *hub) postFFS(w http.ResponseWriter, r *http.Request) error {
	q, err := hb.ffsRequest(r, false)
	if err != nil {
		return err
	}
	res, err := app.RunFFS(r.Context(), hb.store, q, hb.deps.Now())
	if ports.Is(ports.Conflict, err) {
		return &httpapi.Problem{Status: http.StatusConflict, Code: "run_exists", Detail: "run " + q.RunID + " exists already; a run id is used once"}
	}
	if err != nil {
		return err
	}
	out := FFSResponse{RunID: q.RunID, Payments: []FFSPaymentJSON{}, Gross: res.Gross, Offset: res.Offset, Net: res.Net, Flagged: res.Flagged,
		Carried: len(res.Carry), Exceptions: map[string]int{}}
	for _, pm := range res.Payments {
		pj := FFSPaymentJSON{TIN: pm.TIN.String(), Method: pm.Method, Gross: pm.Gross, Offset: pm.Offset, Net: pm.Net, Claims: len(pm.Claims), Urgent: pm.Urgent}
		if !pm.Deadline.IsZero() {
			pj.Deadline = pm.Deadline.Format("2006-01-02")
		}
		out.Payments = append(out.Payments, pj)
	}
	for _, e := range res.Exceptions {
		out.Exceptions[string(e.Kind)]++
	}
	return httpapi.WriteJSON(w, http.StatusCreated, out)
}

// apiDuties: every disbursement duty needs a finance token, and the four
// duties need four different tokens (separation of duties by actor).
var apiDuties = settlement.Duties{settlement.DutyCreate: {string(ports.RoleFinance)}, settlement.DutyApprove: {string(ports.RoleFinance)},
	settlement.DutyRelease: {string(ports.RoleFinance)}, settlement.DutyOutcome: {string(ports.RoleFinance)}}

// disbursements returns the use case of a tenant without its payout
// wiring: only release needs that (see withPayout).
func (hb *hub) disbursements() *app.Disbursements {
	return &app.Disbursements{Store: hb.store, Duties: apiDuties}
}

// DisbursementJSON is a disbursement with its history.
type DisbursementJSON struct {
	ID            string                       `json:"id"`
	RunID         string                       `json:"run_id"`
	Amount        money.Amount                 `json:"amount"`
	EffectiveDate string                       `json:"effective_date"`
	State         settlement.DisbursementState `json:"state"`
	By            map[settlement.Duty]string   `json:"by"`
	AutoRetry     bool                         `json:"auto_retry"` // false once a person must record the outcome
	History       []DisbursementStepJSON       `json:"history"`
}

// DisbursementStepJSON is one transition of a disbursement.
type DisbursementStepJSON struct {
	From  settlement.DisbursementState `json:"from,omitempty"`
	To    settlement.DisbursementState `json:"to"`
	Actor string                       `json:"actor,omitempty"`
	Note  string                       `json:"note,omitempty"`
	At    time.Time                    `json:"at"`
}

func disbursementJSON(x settlement.Disbursement) DisbursementJSON {
	out := DisbursementJSON{ID: x.ID, RunID: x.RunID, Amount: x.Amount, EffectiveDate: x.EffectiveDate.Format("2006-01-02"), State: x.State,
		By: x.By, AutoRetry: settlement.AutoRetry(x.State), History: make([]DisbursementStepJSON, len(x.History))}
	for i, h := range x.History {
		out.History[i] = DisbursementStepJSON{From: h.From, To: h.To, Actor: h.Actor, Note: h.Note, At: h.At}
	}
	return out
}

// DisbursementRequest is the body of POST /v1/disbursements.
type DisbursementRequest struct {
	RunID     string `json:"run_id"`
	Requested string `json:"requested_date,omitempty"` // 2006-01-02; default today
}

// actorFor is the caller as separation of duties sees it.
func actorFor(p httpapi.Principal) settlement.Actor {
	return settlement.Actor{ID: actorOf(p), Roles: []string{string(p.Role)}}
}

func (hb *hub) createDisbursement(w http.ResponseWriter, r *http.Request) error {
	p, q, err := requestOf[DisbursementRequest](r)
	if err != nil {
		return err
	}
	now := hb.deps.Now()
	requested := now
	if q.Requested != "" {
		var err error
		if requested, err = time.Parse("2006-01-02", q.Requested); err != nil {
			return validate.Errorf("requested_date", "invalid", "want 2006-01-02")
		}
	}
	if q.RunID == "" {
		return validate.Errorf("run_id", "required", "name the settlement run to pay")
	}
	if err := hb.runExists(r.Context(), p.Tenant, q.RunID); err != nil {
		return err
	}
	x, err := hb.disbursements().Create(r.Context(), p.Tenant, q.RunID, requested, actorFor(p), now)
	if ports.Is(ports.Conflict, err) && !errors.Is(err, settlement.ErrTransition) {
		return &httpapi.Problem{Status: http.StatusConflict, Code: "disbursement_exists", Detail: "run " + q.RunID + " has a disbursement already"}
	}
	if err != nil {
		return stateProblem(err)
	}
	return httpapi.WriteJSON(w, http.StatusCreated, disbursementJSON(x))
}

// runExists is a 404 for a run the tenant does not have.
func (hb *hub) runExists(ctx context.Context, tenant, runID string) error {
	return hb.store.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		_, err := tx.Runs().Get(ctx, tenant, runID)
		return err
	})
}

// getDisbursement first takes in what delivery reported for a releasing
// disbursement (released, outcome unknown or failed), then sends it.
func (hb *hub) getDisbursement(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	x, err := hb.disbursements().Sync(r.Context(), p.Tenant, r.PathValue("id"), hb.deps.Now())
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, disbursementJSON(x))
}

func (hb *hub) approveDisbursement(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	x, err := hb.disbursements().Approve(r.Context(), p.Tenant, r.PathValue("id"), actorFor(p), hb.deps.Now())
	if err != nil {
		return stateProblem(err)
	}
	return httpapi.WriteJSON(w, http.StatusOK, disbursementJSON(x))
}

// releaseDisbursement builds the bank file and queues it for delivery.
func (hb *hub) releaseDisbursement(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	po, err := hb.payoutOf(r.Context(), p.Tenant)
	if err != nil {
		return notConfigured(err)
	}
	d := hb.disbursements()
	d.Builder, d.Originator, d.Binding, d.Org = po.Builder, po.Originator, po.Binding, po.Org
	d.Payee = po.Payees.entry
	x, err := d.Release(r.Context(), p.Tenant, r.PathValue("id"), actorFor(p), hb.deps.Now())
	if err != nil {
		return stateProblem(err)
	}
	return httpapi.WriteJSON(w, http.StatusOK, disbursementJSON(x))
}

// OutcomeRequest is the body of POST /v1/disbursements/{id}/outcome.
type OutcomeRequest struct {
	State settlement.DisbursementState `json:"state"`
	Note  string                       `json:"note"`
}

// recordOutcome records the bank's answer, given by a person.
func (hb *hub) recordOutcome(w http.ResponseWriter, r *http.Request) error {
	p, q, err := requestOf[OutcomeRequest](r)
	if err != nil {
		return err
	}
	var errs validate.Errors
	if !slices.Contains([]settlement.DisbursementState{settlement.DisbReleased, settlement.DisbSettled, settlement.DisbReturned, settlement.DisbFailed}, q.State) {
		errs.Add("state", "invalid", "want released, settled, returned or failed")
	}
	if strings.TrimSpace(q.Note) == "" {
		errs.Add("note", "required", "say what the bank answered, for the audit log")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	x, err := hb.disbursements().RecordOutcome(r.Context(), p.Tenant, r.PathValue("id"), actorFor(p), q.State, q.Note, hb.deps.Now())
	if err != nil {
		return stateProblem(err)
	}
	return httpapi.WriteJSON(w, http.StatusOK, disbursementJSON(x))
}

// settlementReport computes a report by name as a header and rows.
func settlementReport(ctx context.Context, s ports.Store, tenant, name string, cur money.Currency, top int, now time.Time) ([]string, [][]string, error) {
	switch name {
	case "summary":
		sum, err := app.SettlementSummaryReport(ctx, s, tenant, cur, top)
		if err != nil {
			return nil, nil, err
		}
		h, rows := sum.CSV()
		return h, rows, nil
	case "providers":
		ps, err := app.ProviderPerformanceReport(ctx, s, tenant)
		if err != nil {
			return nil, nil, err
		}
		h, rows := settlement.PerformanceCSV(ps)
		return h, rows, nil
	case "aging":
		as, err := app.ClaimsAgingReport(ctx, s, tenant, now)
		if err != nil {
			return nil, nil, err
		}
		h, rows := settlement.AgingCSV(as)
		return h, rows, nil
	}
	return nil, nil, errUnknownReport
}

var errUnknownReport = &validate.FieldError{Path: "name", Code: "unknown_code", Msg: "want summary, providers or aging"}

// Report is a report as JSON: its columns and one object per row.
type Report struct {
	Report  string              `json:"report"`
	Columns []string            `json:"columns"`
	Rows    []map[string]string `json:"rows"`
}

// getReport sends a settlement report as JSON, or as CSV for ?format=csv
// or Accept: text/csv.
func (hb *hub) getReport(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	q := r.URL.Query()
	var errs validate.Errors
	cur, err := money.ParseCurrency(cmp.Or(q.Get("currency"), "USD"))
	if err != nil {
		errs.Add("currency", "invalid", "want an ISO 4217 code")
	}
	top, err := strconv.Atoi(cmp.Or(q.Get("top"), "10"))
	if err != nil || top < 1 || top > ports.MaxPageLimit {
		errs.Add("top", "invalid", fmt.Sprintf("want a whole number from 1 to %d", ports.MaxPageLimit))
	}
	format := q.Get("format")
	if format != "" && format != "csv" && format != "json" {
		errs.Add("format", "invalid", "want csv or json")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	name := r.PathValue("name")
	header, rows, err := settlementReport(r.Context(), hb.store, p.Tenant, name, cur, top, hb.deps.Now())
	if errors.Is(err, errUnknownReport) {
		return &httpapi.Problem{Status: http.StatusNotFound, Code: "not_found", Detail: "no report " + name + "; want summary, providers or aging"}
	}
	if err != nil {
		return err
	}
	if format == "csv" || format == "" && wantsCSV(r.Header.Get("Accept")) {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`.csv"`)
		return settlement.WriteCSV(w, header, rows)
	}
	out := Report{Report: name, Columns: header, Rows: make([]map[string]string, len(rows))}
	for i, row := range rows {
		out.Rows[i] = make(map[string]string, len(header))
		for j, c := range header {
			out.Rows[i][c] = row[j]
		}
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// wantsCSV reports whether an Accept header prefers text/csv to JSON.
func wantsCSV(accept string) bool {
	for _, part := range strings.Split(accept, ",") {
		mt, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mt {
		case "text/csv":
			return true
		case "application/json", "*/*":
			return false
		}
	}
	return false
}
