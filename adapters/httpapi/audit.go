package httpapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

// auditReaders may read and verify their tenant's audit log.
var auditReaders = []ports.Role{ports.RoleAuditor, ports.RoleFinance, ports.RoleImplementer}

func (s *Server) auditRoutes() []Route {
	return []Route{
		{Method: "GET", Pattern: "/v1/audit", Roles: auditReaders, Handler: s.listAudit},
		{Method: "GET", Pattern: "/v1/audit/verify", Roles: auditReaders, Handler: s.verifyAudit},
	}
}

// AuditEntry is an audit entry as the API sends it.
type AuditEntry struct {
	Tenant  string          `json:"tenant"`
	Seq     int64           `json:"seq"`
	Time    time.Time       `json:"time"`
	Actor   string          `json:"actor"`
	Action  string          `json:"action"`
	Subject string          `json:"subject"`
	Before  json.RawMessage `json:"before,omitempty"`
	After   json.RawMessage `json:"after,omitempty"`
	Reason  string          `json:"reason,omitempty"`
	Prev    string          `json:"prev"`
	Hash    string          `json:"hash"`
}

// AuditEntryOf converts a stored entry; state that is not valid JSON is
// sent as a JSON string so one bad row cannot break a listing.
func AuditEntryOf(e audit.Entry) AuditEntry {
	return AuditEntry{
		Tenant: e.Tenant, Seq: e.Seq, Time: e.Time, Actor: e.Actor, Action: e.Action, Subject: e.Subject,
		Before: rawOrString(e.Before), After: rawOrString(e.After), Reason: e.Reason,
		Prev: e.Prev.String(), Hash: e.Hash.String(),
	}
}

func rawOrString(b json.RawMessage) json.RawMessage {
	if len(b) == 0 || json.Valid(b) {
		return b
	}
	s, _ := json.Marshal(string(b))
	return s
}

// AuditPage is one page of GET /v1/audit.
type AuditPage struct {
	Entries    []AuditEntry `json:"entries"`
	NextCursor string       `json:"next_cursor,omitempty"` // pass as ?cursor= for the next page
}

// listAudit lists the caller's tenant's entries in sequence order; the
// cursor is the last sequence number seen.
func (s *Server) listAudit(w http.ResponseWriter, r *http.Request) error {
	p, _ := PrincipalFrom(r.Context())
	page, err := PageOf(r)
	if err != nil {
		return err
	}
	var after int64
	if page.Cursor != "" {
		after, _ = strconv.ParseInt(page.Cursor, 10, 64)
	}
	var es []audit.Entry
	err = s.store.View(r.Context(), func(ctx context.Context, tx ports.Tx) error {
		var err error
		es, err = tx.Audit().Scan(ctx, p.Tenant, after, page.Size())
		return err
	})
	if err != nil {
		return err
	}
	out := AuditPage{Entries: make([]AuditEntry, 0, len(es))}
	for _, e := range es {
		out.Entries = append(out.Entries, AuditEntryOf(e))
	}
	if len(es) == page.Size() {
		out.NextCursor = strconv.FormatInt(es[len(es)-1].Seq, 10)
	}
	return WriteJSON(w, http.StatusOK, out)
}

// PageOf reads a listing's ?cursor= (a sequence number) and ?limit=.
func PageOf(r *http.Request) (ports.Page, error) {
	var errs validate.Errors
	q := r.URL.Query()
	var p ports.Page
	if c := q.Get("cursor"); c != "" {
		if n, err := strconv.ParseInt(c, 10, 64); err != nil || n < 0 {
			errs.Add("cursor", "invalid", "want the next_cursor of the previous page")
		}
		p.Cursor = c
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			errs.Add("limit", "invalid", "want a whole number from 1 to "+strconv.Itoa(ports.MaxPageLimit))
		}
		p.Limit = n
	}
	return p, errs.Err()
}

// VerifyResult is the answer of GET /v1/audit/verify.
type VerifyResult struct {
	Tenant  string       `json:"tenant"`
	OK      bool         `json:"ok"`
	Entries int64        `json:"entries"`          // entries verified before the break, or all
	Head    string       `json:"head,omitempty"`   // hash of the last good entry
	Broken  *BrokenEntry `json:"broken,omitempty"` // the first broken entry
}

// BrokenEntry names where a chain breaks.
type BrokenEntry struct {
	Seq    int64  `json:"seq"`
	Reason string `json:"reason"`
}

func (s *Server) verifyAudit(w http.ResponseWriter, r *http.Request) error {
	p, _ := PrincipalFrom(r.Context())
	n, head, err := app.VerifyTenant(r.Context(), s.store, p.Tenant)
	res := VerifyResult{Tenant: p.Tenant, OK: err == nil, Entries: n}
	if n > 0 {
		res.Head = head.String()
	}
	var be *audit.BreakError
	if errors.As(err, &be) {
		res.Broken = &BrokenEntry{Seq: be.Seq, Reason: be.Reason}
	} else if err != nil {
		return err
	}
	return WriteJSON(w, http.StatusOK, res)
}
