package main

import (
	"errors"
	"net/http"
	"regexp"
	"time"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// payeeAdmins register payee bank accounts and send their prenotes.
var payeeAdmins = []ports.Role{ports.RoleFinance, ports.RoleImplementer}

func init() {
	addRoutes(func(hb *hub) []httpapi.Route {
		return []httpapi.Route{
			{Method: "POST", Pattern: "/v1/payee-accounts", Roles: payeeAdmins, Handler: hb.registerPayee},
			{Method: "GET", Pattern: "/v1/payee-accounts", Roles: syncReaders, Handler: hb.listPayees},
			{Method: "GET", Pattern: "/v1/payee-accounts/{ref...}", Roles: syncReaders, Handler: hb.getPayee},
			{Method: "POST", Pattern: "/v1/prenotes", Roles: payeeAdmins, Handler: hb.sendPrenotes},
			{Method: "POST", Pattern: "/v1/prenotes/returns", Roles: financeOnly, Handler: hb.returnPrenote},
		}
	})
}

// PayeeRequest is the body of POST /v1/payee-accounts.
type PayeeRequest struct {
	Ref           string `json:"ref"` // the payee_account_ref claims carry
	Name          string `json:"name"`
	PayeeID       string `json:"payee_id,omitempty"`
	Routing       string `json:"routing"`
	Account       string `json:"account"`
	AccountType   string `json:"account_type"`
	EffectiveFrom string `json:"effective_from,omitempty"` // 2006-01-02; default today
}

// registerPayee registers or changes a payee's bank account; a new or
// changed account gets a prenote before it is paid by EFT. The answer masks
// the account number.
func (hb *hub) registerPayee(w http.ResponseWriter, r *http.Request) error {
	p, q, err := requestOf[PayeeRequest](r)
	if err != nil {
		return err
	}
	now := hb.deps.Now()
	a := settlement.PayeeAccount{Tenant: p.Tenant, Ref: q.Ref, Name: q.Name, PayeeID: q.PayeeID, Routing: q.Routing,
		Account: settlement.AccountNumber(q.Account), Prenote: settlement.PrenoteDue, EffectiveFrom: now.UTC().Truncate(24 * time.Hour)}
	var errs validate.Errors
	var ok bool
	if a.AccountType, ok = settlement.ParseAccountType(q.AccountType); !ok {
		errs.Add("account_type", "invalid", "want checking or savings")
	}
	if q.EffectiveFrom != "" {
		if a.EffectiveFrom, err = time.Parse(time.DateOnly, q.EffectiveFrom); err != nil {
			errs.Add("effective_from", "invalid", "want 2006-01-02")
		}
	}
	var ve validate.Errors
	if errors.As(a.Validate(), &ve) {
		for _, fe := range ve {
			if fe.Path != "account_type" { // said above, in the request's words
				errs = append(errs, fe)
			}
		}
	}
	if err := errs.Err(); err != nil {
		return err
	}
	if a, err = app.RegisterPayee(r.Context(), hb.store, a, actorOf(p), now); err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, a)
}

// PayeePage is one page of GET /v1/payee-accounts.
type PayeePage struct {
	Items      []settlement.PayeeAccount `json:"items"` // account numbers masked
	NextCursor string                    `json:"next_cursor,omitempty"`
}

// listPayees lists the payee directory, filtered by ?prenote=due|sent|returned.
func (hb *hub) listPayees(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	page, err := httpapi.PageOf(r)
	if err != nil {
		return err
	}
	st := settlement.PrenoteState(r.URL.Query().Get("prenote"))
	switch st {
	case "", settlement.PrenoteDue, settlement.PrenoteSent, settlement.PrenoteReturned:
	default:
		return validate.Errorf("prenote", "invalid", "want due, sent or returned")
	}
	items, next, err := app.ListPayees(r.Context(), hb.store, ports.PayeeQuery{Tenant: p.Tenant, Prenote: st, Page: page})
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, PayeePage{Items: append([]settlement.PayeeAccount{}, items...), NextCursor: next})
}

func (hb *hub) getPayee(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	a, err := app.GetPayee(r.Context(), hb.store, p.Tenant, r.PathValue("ref"))
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, a)
}

// PrenoteResponse is the answer of POST /v1/prenotes.
type PrenoteResponse struct {
	FileID        string                    `json:"file_id"`
	FileName      string                    `json:"file_name"`
	EffectiveDate string                    `json:"effective_date"`
	Accounts      []settlement.PayeeAccount `json:"accounts"` // now sent, with live_from
}

// sendPrenotes queues one prenote file of every account with a prenote due.
func (hb *hub) sendPrenotes(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	po, err := hb.payoutOf(r.Context(), p.Tenant)
	if err != nil {
		return notConfigured(err)
	}
	if po.LiveFrom == nil {
		return &httpapi.Problem{Status: http.StatusServiceUnavailable, Code: "payout_not_configured", Detail: "the payout adapter has no prenote window"}
	}
	res, err := app.SendPrenotes(r.Context(), hb.store, app.PrenoteRequest{Tenant: p.Tenant, Org: po.Org, Binding: po.Binding, Builder: po.Builder,
		Originator: po.Originator, LiveFrom: po.LiveFrom, Actor: actorOf(p)}, hb.deps.Now())
	if ports.Is(ports.NotFound, err) {
		return &httpapi.Problem{Status: http.StatusConflict, Code: "no_prenote_due", Detail: "no payee account has a prenote due"}
	}
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusCreated, PrenoteResponse{FileID: string(res.File.ID), FileName: res.File.Name,
		EffectiveDate: res.File.EffectiveDate.Format(time.DateOnly), Accounts: res.Accounts})
}

// PrenoteReturnRequest is the body of POST /v1/prenotes/returns.
type PrenoteReturnRequest struct {
	Ref  string `json:"ref"`
	Code string `json:"code"` // the return reason code, R01-R99
}

var returnCode = regexp.MustCompile(`^R[0-9]{2}$`)

// returnPrenote records the bank's return of a prenote: the account is paid
// by check until registered anew.
func (hb *hub) returnPrenote(w http.ResponseWriter, r *http.Request) error {
	p, q, err := requestOf[PrenoteReturnRequest](r)
	if err != nil {
		return err
	}
	var errs validate.Errors
	if q.Ref == "" {
		errs.Required("ref")
	}
	if !returnCode.MatchString(q.Code) {
		errs.Add("code", "invalid", "want a return reason code such as R03")
	}
	if err := errs.Err(); err != nil {
		return err
	}
	a, err := app.ReturnPrenote(r.Context(), hb.store, p.Tenant, q.Ref, q.Code, actorOf(p), hb.deps.Now())
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, a)
}
