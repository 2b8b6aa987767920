package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// Settlement API limits.
const (
	maxClaimsBody = 64 << 20 // POST /v1/claims
	maxProofBody  = 16 << 20 // a bank confirmation file
	maxSmallBody  = 64 << 10 // every other JSON request
)

var (
	financeOnly = []ports.Role{ports.RoleFinance}
	remitReader = append([]ports.Role{ports.RoleProvider}, syncReaders...)
)

func init() {
	addRoutes(func(hb *hub) []httpapi.Route {
		return []httpapi.Route{
			{Method: "POST", Pattern: "/v1/claims", Roles: []ports.Role{ports.RoleIntegration}, Handler: hb.postClaims},
			{Method: "POST", Pattern: "/v1/settlement-runs", Roles: financeOnly, Handler: hb.postSettlementRun},
			{Method: "GET", Pattern: "/v1/remittances", Roles: remitReader, Handler: hb.listRemittances},
			{Method: "GET", Pattern: "/v1/remittances/{id}", Roles: remitReader, Handler: hb.getRemittance},
			{Method: "POST", Pattern: "/v1/remittances/{id}/proof", Roles: financeOnly, Handler: hb.postProof},
			{Method: "POST", Pattern: "/v1/remittances/{id}/disputes", Roles: []ports.Role{ports.RoleProvider}, Handler: hb.postDispute},
			{Method: "GET", Pattern: "/v1/disputes", Roles: syncReaders, Handler: hb.listDisputes},
			{Method: "POST", Pattern: "/v1/disputes/{id}/resolve", Roles: financeOnly, Handler: hb.resolveDispute},
		}
	})
}

// actorOf names the caller in the audit log and in separation of duties.
func actorOf(p httpapi.Principal) string { return "token:" + p.TokenID }

// requestOf returns the caller and the request's JSON body.
func requestOf[T any](r *http.Request) (httpapi.Principal, T, error) {
	p, _ := httpapi.PrincipalFrom(r.Context())
	var q T
	err := httpapi.DecodeJSON(r, maxSmallBody, &q)
	return p, q, err
}

// IntakeResult is the answer of POST /v1/claims when every claim was taken.
type IntakeResult struct {
	New        int `json:"new"`
	Duplicates int `json:"duplicates"`
}

// postClaims takes adjudicated claims: revhub claim JSON (one object or an
// array) or a FHIR Bundle of Claims and ClaimResponses. Idempotent by claim
// id and version. Refused claims give a 422 problem naming each claim and
// field; the others of the request are stored (invalid claims whose id and
// version are readable are stored as REJECTED, for submission quality).
func (hb *hub) postClaims(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	format := app.ClaimsJSON
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt == "application/fhir+json" {
		format = app.ClaimsFHIR
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxClaimsBody))
	if err != nil {
		return validate.Errorf("body", "too_large", "at most %d bytes", maxClaimsBody)
	}
	srcs, err := app.ClaimSourcesOf(format, body, settlement.FHIROptions{LOB: r.URL.Query().Get("lob")})
	if err != nil {
		return err
	}
	rep, err := app.IntakeClaims(r.Context(), hb.store, p.Tenant, srcs, hb.deps.Now())
	if err != nil {
		return err
	}
	if prob := intakeProblem(rep); prob != nil {
		return prob
	}
	return httpapi.WriteJSON(w, http.StatusOK, IntakeResult{New: rep.New, Duplicates: rep.Duplicates})
}

// intakeProblem describes the refused claims of an intake, or returns nil.
func intakeProblem(rep app.IntakeReport) *httpapi.Problem {
	if len(rep.Rejected) == 0 && len(rep.Conflicts) == 0 {
		return nil
	}
	var errs []httpapi.FieldProblem
	for _, rc := range rep.Rejected {
		for _, fe := range rc.Errors.Prefix(validate.Index("claims", rc.Index)) {
			errs = append(errs, httpapi.FieldProblem{Path: fe.Path, Code: fe.Code, Detail: fe.Msg})
		}
	}
	for _, k := range rep.Conflicts {
		errs = append(errs, httpapi.FieldProblem{Path: "claims", Code: "conflict",
			Detail: fmt.Sprintf("claim %s version %d was stored before with other content; send a new version", k.ID, k.Version)})
	}
	return &httpapi.Problem{Status: http.StatusUnprocessableEntity, Code: "claims_refused", Errors: errs,
		Detail: fmt.Sprintf("%d rejected, %d conflicts; %d new versions stored (rejected claims with a readable id and version among them, as REJECTED), %d duplicates",
			len(rep.Rejected), len(rep.Conflicts), rep.New, rep.Duplicates)}
}

// RunRequest is the body of POST /v1/settlement-runs.
type RunRequest struct {
	RunID      string             `json:"run_id"`
	Payer      string             `json:"payer"`
	Cadence    settlement.Cadence `json:"cadence"`
	From       string             `json:"from"` // period start, 2006-01-02
	Currency   string             `json:"currency"`
	FeePercent string             `json:"fee_percent,omitempty"`
	Limit      int                `json:"limit,omitempty"`
}

// RunResponse is the answer of POST /v1/settlement-runs.
type RunResponse struct {
	RunID       string           `json:"run_id"`
	Summary     app.RunSummary   `json:"summary"`
	Remittances []RemittanceJSON `json:"remittances"`
}

func (q RunRequest) config() (settlement.RunConfig, error) {
	var errs validate.Errors
	cfg := settlement.RunConfig{RunID: q.RunID, Payer: q.Payer, Fees: settlement.Fees{Rounding: money.HalfUp}}
	if q.RunID == "" {
		errs.Required("run_id")
	}
	if q.Payer == "" {
		errs.Required("payer")
	}
	if !q.Cadence.Valid() {
		errs.Add("cadence", "invalid", "want weekly, biweekly or monthly")
	}
	from, err := time.Parse("2006-01-02", q.From)
	if err != nil {
		errs.Add("from", "invalid", "want the period's first day as 2006-01-02")
	}
	cfg.Period = q.Cadence.First(from)
	if cfg.Currency, err = money.ParseCurrency(q.Currency); err != nil {
		errs.Add("currency", "invalid", "want an ISO 4217 code")
	}
	if q.FeePercent != "" {
		if cfg.Fees.Percent, err = money.ParseRate(q.FeePercent); err != nil {
			errs.Add("fee_percent", "invalid", "want a decimal percentage such as 0.5")
		}
	}
	if q.Limit < 0 {
		errs.Add("limit", "invalid", "want 0 (every approved claim) or more")
	}
	return cfg, errs.Err()
}

// postSettlementRun runs a settlement over every approved claim no run
// holds and answers with the run's summary and remittances.
func (hb *hub) postSettlementRun(w http.ResponseWriter, r *http.Request) error {
	p, q, err := requestOf[RunRequest](r)
	if err != nil {
		return err
	}
	cfg, err := q.config()
	if err != nil {
		return err
	}
	if err := hb.payOnlyLive(r.Context(), p.Tenant, &cfg); err != nil {
		return err
	}
	res, err := app.RunSettlement(r.Context(), hb.store, app.SettlementRequest{Tenant: p.Tenant, Run: cfg, Actor: actorOf(p), Limit: q.Limit}, hb.deps.Now())
	if ports.Is(ports.Conflict, err) {
		return &httpapi.Problem{Status: http.StatusConflict, Code: "run_exists", Detail: "run " + q.RunID + " exists already; a run id is used once"}
	}
	if err != nil {
		return err
	}
	out := RunResponse{RunID: cfg.RunID, Summary: app.SummaryOf(res), Remittances: make([]RemittanceJSON, len(res.Remittances))}
	for i, rem := range res.Remittances {
		out.Remittances[i] = remittanceJSON(rem)
	}
	return httpapi.WriteJSON(w, http.StatusCreated, out)
}

// RemittanceJSON is a remittance as the API shows it (the TIN masked).
type RemittanceJSON struct {
	ID            string                 `json:"id"`
	RunID         string                 `json:"run_id"`
	Payer         string                 `json:"payer"`
	NPI           string                 `json:"npi"`
	TIN           string                 `json:"tin"`
	PeriodFrom    time.Time              `json:"period_from"`
	PeriodTo      time.Time              `json:"period_to"`
	Status        settlement.RemitStatus `json:"status"`
	Claims        int                    `json:"claims"`
	TotalApproved money.Amount           `json:"total_approved"`
	Fees          money.Amount           `json:"fees"`
	NetPayable    money.Amount           `json:"net_payable"`
	Adjustments   []AdjustmentJSON       `json:"adjustments"`
	Proof         string                 `json:"proof,omitempty"`
	PaidAt        *time.Time             `json:"paid_at,omitempty"`
	OpenDisputes  int                    `json:"open_disputes"`
	Lines         []RemittanceLineJSON   `json:"lines,omitempty"`
	NextCursor    string                 `json:"next_cursor,omitempty"`
}

// AdjustmentJSON is a dispute resolution's change to a remittance.
type AdjustmentJSON struct {
	DisputeID string       `json:"dispute_id"`
	ClaimID   string       `json:"claim_id"`
	Amount    money.Amount `json:"amount"`
	Reason    string       `json:"reason"`
	DecidedBy string       `json:"decided_by"`
	At        time.Time    `json:"at"`
}

// RemittanceLineJSON is one paid claim of a remittance.
type RemittanceLineJSON struct {
	ClaimID   string       `json:"claim_id"`
	Version   int64        `json:"version"`
	Member    string       `json:"member"`
	Encounter string       `json:"encounter"`
	LOB       string       `json:"lob"`
	Approved  money.Amount `json:"approved"`
	Service   string       `json:"service_date"`
}

func remittanceJSON(r settlement.Remittance) RemittanceJSON {
	out := RemittanceJSON{ID: r.ID, RunID: r.RunID, Payer: r.Payer, NPI: r.NPI, TIN: r.TIN.String(), PeriodFrom: r.Period.From, PeriodTo: r.Period.To,
		Status: r.Status, Claims: r.Claims, TotalApproved: r.TotalApproved, Fees: r.Fees, NetPayable: r.NetPayable, Proof: r.Proof,
		PaidAt: timePtr(r.PaidAt), OpenDisputes: r.OpenDisputes, Adjustments: []AdjustmentJSON{}}
	for _, a := range r.Adjustments {
		out.Adjustments = append(out.Adjustments, AdjustmentJSON{DisputeID: a.DisputeID, ClaimID: a.ClaimID, Amount: a.Amount, Reason: a.Reason, DecidedBy: a.DecidedBy, At: a.At})
	}
	return out
}

// RemittancePage is one page of GET /v1/remittances.
type RemittancePage struct {
	Items      []RemittanceJSON `json:"items"`
	NextCursor string           `json:"next_cursor,omitempty"`
}

// listRemittances lists remittance headers, filtered by ?provider=, ?run=
// and ?status=. A provider token sees only its own provider's.
func (hb *hub) listRemittances(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	page, err := httpapi.PageOf(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	rq := app.RemittanceQuery{NPI: q.Get("provider"), RunID: q.Get("run"), Status: settlement.RemitStatus(q.Get("status"))}
	if p.Role == ports.RoleProvider {
		if rq.NPI != "" && rq.NPI != p.Provider {
			return &httpapi.Problem{Status: http.StatusNotFound, Code: "not_found", Detail: "no such resource"}
		}
		rq.NPI = p.Provider
	}
	rems, next, err := app.ListRemittances(r.Context(), hb.store, p.Tenant, rq, page)
	if err != nil {
		return err
	}
	out := RemittancePage{Items: make([]RemittanceJSON, len(rems)), NextCursor: next}
	for i, rem := range rems {
		out.Items[i] = remittanceJSON(rem)
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// getRemittance sends a remittance with a page of its lines (?cursor=,
// ?limit=); another provider's remittance is 404 to a provider token.
func (hb *hub) getRemittance(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	page, err := httpapi.PageOf(r)
	if err != nil {
		return err
	}
	v, err := app.GetRemittance(r.Context(), hb.store, p.Tenant, r.PathValue("id"), page)
	if err != nil {
		return err
	}
	if err := ownRemittance(p, v.Remittance); err != nil {
		return err
	}
	out := remittanceJSON(v.Remittance)
	out.NextCursor = v.Next
	out.Lines = make([]RemittanceLineJSON, len(v.Lines))
	for i, l := range v.Lines {
		out.Lines[i] = RemittanceLineJSON{ClaimID: l.ClaimID, Version: l.Version, Member: l.Member, Encounter: l.Encounter, LOB: l.LOB,
			Approved: l.Approved, Service: l.Service.Format("2006-01-02")}
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// ownRemittance hides another provider's remittance from a provider token.
func ownRemittance(p httpapi.Principal, r settlement.Remittance) error {
	if p.Role == ports.RoleProvider && r.NPI != p.Provider {
		return &httpapi.Problem{Status: http.StatusNotFound, Code: "not_found", Detail: "no such resource"}
	}
	return nil
}

// postProof keeps the body (the bank's confirmation file, any media type)
// as the remittance's payment proof, marks it PAID and tells the provider:
// an event on <tenant>.<npi>.settlement.remittance.paid when serve has a
// bus, and GET /v1/remittances/{id} at once.
func (hb *hub) postProof(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxProofBody))
	if err != nil {
		return validate.Errorf("body", "too_large", "at most %d bytes", maxProofBody)
	}
	if len(body) == 0 {
		return validate.Errorf("body", "required", "send the bank's confirmation file as the body")
	}
	mt := r.Header.Get("Content-Type")
	if mt == "" {
		mt = "application/octet-stream"
	}
	rem, err := app.MarkRemittancePaid(r.Context(), hb.store, hb.bus, app.ProofRequest{Tenant: p.Tenant, RemittanceID: r.PathValue("id"),
		File: body, MediaType: mt, Source: "api:" + p.TokenID, Actor: actorOf(p)}, hb.deps.Now())
	if errors.Is(err, app.ErrNotPublished) { // the API shows the proof regardless
		hb.deps.Logger.Warn("remittance paid, event not published", "remittance", rem.ID, "err", err)
	} else if err != nil {
		return stateProblem(err)
	}
	return httpapi.WriteJSON(w, http.StatusOK, remittanceJSON(rem))
}

// stateProblem explains a refused settlement step: separation of duties
// (403) and a state transition the machine does not allow (409) say what
// was refused and why; other errors map as usual.
func stateProblem(err error) error {
	var de *settlement.DutyError
	var pe *ports.Error
	detail := err.Error()
	if errors.As(err, &pe) && pe.Err != nil {
		detail = pe.Err.Error()
	}
	switch {
	case errors.As(err, &de) && de.Already != "":
		return &httpapi.Problem{Status: http.StatusForbidden, Code: "separation_of_duties", Detail: de.Error()}
	case errors.As(err, &de):
		return &httpapi.Problem{Status: http.StatusForbidden, Code: "duty_not_allowed", Detail: de.Error()}
	case errors.Is(err, settlement.ErrTransition):
		return &httpapi.Problem{Status: http.StatusConflict, Code: "transition_refused", Detail: detail}
	}
	return err
}

// DisputeRequest is the body of POST /v1/remittances/{id}/disputes.
type DisputeRequest struct {
	ID           string        `json:"id,omitempty"` // scoped to the remittance (stored as dsp-<remittance>-<id>); default: the claim id
	ClaimID      string        `json:"claim_id"`
	ClaimVersion int64         `json:"claim_version,omitempty"`
	Reason       string        `json:"reason"`
	Requested    *money.Amount `json:"requested,omitempty"`
}

// DisputeJSON is a dispute with the original claim attached.
type DisputeJSON struct {
	ID           string                   `json:"id"`
	RemittanceID string                   `json:"remittance_id"`
	ClaimID      string                   `json:"claim_id"`
	ClaimVersion int64                    `json:"claim_version"`
	Reason       string                   `json:"reason"`
	Requested    *money.Amount            `json:"requested,omitempty"`
	RaisedBy     string                   `json:"raised_by"`
	RaisedAt     time.Time                `json:"raised_at"`
	Status       settlement.DisputeStatus `json:"status"`
	Claim        json.RawMessage          `json:"claim"` // provider.tin masked
}

func disputeJSON(c app.DisputeCase) DisputeJSON {
	d := c.Dispute
	out := DisputeJSON{ID: d.ID, RemittanceID: d.RemittanceID, ClaimID: d.ClaimID, ClaimVersion: d.ClaimVersion, Reason: d.Reason,
		RaisedBy: d.RaisedBy, RaisedAt: d.RaisedAt, Status: d.Status, Claim: maskedClaim(c.Claim)}
	if d.Requested.Valid() {
		out.Requested = &d.Requested
	}
	return out
}

// maskedClaim is a stored claim body with the provider's TIN masked, as
// remittances show it; a body without provider.tin is sent as stored.
func maskedClaim(body json.RawMessage) json.RawMessage {
	var c, p map[string]json.RawMessage
	var tin string
	if json.Unmarshal(body, &c) != nil || json.Unmarshal(c["provider"], &p) != nil || json.Unmarshal(p["tin"], &tin) != nil || tin == "" {
		return body
	}
	p["tin"], _ = json.Marshal(settlement.TIN(tin).String())
	c["provider"], _ = json.Marshal(p)
	out, _ := json.Marshal(c)
	return out
}

// postDispute raises the provider's dispute against one line of its
// remittance; it lands in the finance queue with the original claim.
func (hb *hub) postDispute(w http.ResponseWriter, r *http.Request) error {
	p, q, err := requestOf[DisputeRequest](r)
	if err != nil {
		return err
	}
	remID := r.PathValue("id")
	v, err := app.GetRemittance(r.Context(), hb.store, p.Tenant, remID, ports.Page{Limit: 1})
	if err != nil {
		return err
	}
	if err := ownRemittance(p, v.Remittance); err != nil {
		return err
	}
	d := settlement.Dispute{ID: q.ID, RemittanceID: remID, ClaimID: q.ClaimID, ClaimVersion: q.ClaimVersion, Reason: q.Reason,
		RaisedBy: "provider:" + p.Provider + "/" + actorOf(p)}
	// Ids live under the caller's own remittance, so a taken id never
	// tells one provider about another's disputes.
	if own := cmp.Or(q.ID, q.ClaimID); own != "" {
		d.ID = "dsp-" + remID + "-" + own
	}
	if q.Requested != nil {
		d.Requested = *q.Requested
	}
	if err := d.Validate(); err != nil {
		return err
	}
	c, err := app.RaiseDispute(r.Context(), hb.store, p.Tenant, d, hb.deps.Now())
	if ports.Is(ports.Conflict, err) && !errors.Is(err, settlement.ErrTransition) {
		return &httpapi.Problem{Status: http.StatusConflict, Code: "dispute_exists", Detail: "dispute " + d.ID + " exists already; give another id"}
	}
	if err != nil {
		return stateProblem(err)
	}
	return httpapi.WriteJSON(w, http.StatusCreated, disputeJSON(c))
}

// DisputePage is one page of the finance queue.
type DisputePage struct {
	Items      []DisputeJSON `json:"items"`
	NextCursor string        `json:"next_cursor,omitempty"`
}

// listDisputes is the finance queue: open disputes, oldest first.
func (hb *hub) listDisputes(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	page, err := httpapi.PageOf(r)
	if err != nil {
		return err
	}
	cs, next, err := app.OpenDisputes(r.Context(), hb.store, p.Tenant, page)
	if err != nil {
		return err
	}
	out := DisputePage{Items: make([]DisputeJSON, len(cs)), NextCursor: next}
	for i, c := range cs {
		out.Items[i] = disputeJSON(c)
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// ResolveRequest is the body of POST /v1/disputes/{id}/resolve.
type ResolveRequest struct {
	Outcome    settlement.Outcome `json:"outcome"`
	Adjustment *money.Amount      `json:"adjustment,omitempty"`
	Note       string             `json:"note"`
}

// resolveDispute applies finance's decision; the remittance gains an
// adjustment line, the original line and record stay, and the audit log
// keeps the remittance before and after.
func (hb *hub) resolveDispute(w http.ResponseWriter, r *http.Request) error {
	p, q, err := requestOf[ResolveRequest](r)
	if err != nil {
		return err
	}
	if strings.TrimSpace(q.Note) == "" {
		return validate.Errorf("note", "required", "say why, for the provider and the audit log")
	}
	dec := settlement.Decision{Outcome: q.Outcome, Note: q.Note, By: actorOf(p)}
	if q.Adjustment != nil {
		dec.Adjustment = *q.Adjustment
	}
	rem, err := app.ResolveDispute(r.Context(), hb.store, p.Tenant, r.PathValue("id"), dec, hb.deps.Now())
	if err != nil {
		return stateProblem(err)
	}
	return httpapi.WriteJSON(w, http.StatusOK, remittanceJSON(rem))
}
