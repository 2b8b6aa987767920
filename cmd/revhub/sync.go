package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/revhub/revhub/adapters/httpapi"
	"github.com/revhub/revhub/core/app"
	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/validate"
	"github.com/revhub/revhub/ports"
)

var syncReaders = []ports.Role{ports.RoleFinance, ports.RoleImplementer, ports.RoleAuditor}

func init() {
	register("sync", "sync status and dead-letter replay: revhub sync status [--tenant T] | replay --tenant T ID --reason R", runSync)
	addRoutes(func(hb *hub) []httpapi.Route {
		return []httpapi.Route{
			{Method: "GET", Pattern: "/v1/sync", Roles: syncReaders, Handler: hb.getSync},
			{Method: "GET", Pattern: "/v1/sync/items", Roles: syncReaders, Handler: hb.getSyncItems},
			{Method: "POST", Pattern: "/v1/outbox/{id}/replay", Roles: []ports.Role{ports.RoleImplementer}, Handler: hb.replayOutbox},
		}
	})
}

// Tally is a count and its amounts, one per currency.
type Tally struct {
	Count   int64          `json:"count"`
	Amounts []money.Amount `json:"amounts"`
}

// SyncBinding is the sync status of one (org, binding).
type SyncBinding struct {
	Org           string     `json:"org"`
	Binding       string     `json:"binding"`
	Received      Tally      `json:"received"`
	Queued        Tally      `json:"queued"`
	Sent          Tally      `json:"sent"`
	Failed        Tally      `json:"failed"`
	DeadLettered  Tally      `json:"dead_lettered"`
	Unknown       Tally      `json:"outcome_unknown"`
	LastSuccess   *time.Time `json:"last_success,omitempty"`
	LastError     string     `json:"last_error,omitempty"`
	LastErrorAt   *time.Time `json:"last_error_at,omitempty"`
	OldestPending int64      `json:"oldest_pending_seconds"`
	Breaker       string     `json:"breaker"`
	BreakerSince  *time.Time `json:"breaker_since,omitempty"`
}

// SyncReport is the answer of GET /v1/sync.
type SyncReport struct {
	Tenant   string        `json:"tenant"`
	At       time.Time     `json:"at"`
	Bindings []SyncBinding `json:"bindings"`
}

func tallyOf(t ports.Tally) Tally {
	return Tally{Count: t.Count, Amounts: append([]money.Amount{}, t.Amounts...)}
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// syncReport reads the store's sync status of a tenant and adds every
// binding its organizations configure that has no activity yet, so a
// fresh hub shows what it will deliver to.
func (hb *hub) syncReport(ctx context.Context, q ports.SyncQuery) (SyncReport, error) {
	now := hb.deps.Now()
	var sts []ports.SyncStatus
	err := hb.store.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		var err error
		sts, err = tx.Sync().Status(ctx, q, now)
		return err
	})
	if err != nil {
		return SyncReport{}, err
	}
	rep := SyncReport{Tenant: q.Tenant, At: now.UTC(), Bindings: []SyncBinding{}}
	seen := map[string]bool{}
	for _, s := range sts {
		seen[s.Org+"\x00"+s.Binding] = true
		rep.Bindings = append(rep.Bindings, SyncBinding{Org: s.Org, Binding: s.Binding,
			Received: tallyOf(s.Received), Queued: tallyOf(s.Queued), Sent: tallyOf(s.Sent), Failed: tallyOf(s.Failed),
			DeadLettered: tallyOf(s.DeadLettered), Unknown: tallyOf(s.Unknown),
			LastSuccess: timePtr(s.LastSuccess), LastError: s.LastError, LastErrorAt: timePtr(s.LastErrorAt),
			OldestPending: int64(s.OldestQueued / time.Second), Breaker: string(cmpOr(s.Breaker, delivery.Closed)), BreakerSince: timePtr(s.BreakerSince)})
	}
	if t, ok := hb.tenant(q.Tenant); ok {
		for _, o := range t.Orgs {
			if q.Org != "" && o.ID != q.Org {
				continue
			}
			for port, b := range o.Bindings {
				name := port + "/" + b.Adapter
				if port == "tariff" || (q.Binding != "" && name != q.Binding) || seen[o.ID+"\x00"+name] {
					continue
				}
				rep.Bindings = append(rep.Bindings, SyncBinding{Org: o.ID, Binding: name, Breaker: string(delivery.Closed),
					Received: Tally{Amounts: []money.Amount{}}, Queued: Tally{Amounts: []money.Amount{}}, Sent: Tally{Amounts: []money.Amount{}},
					Failed: Tally{Amounts: []money.Amount{}}, DeadLettered: Tally{Amounts: []money.Amount{}}, Unknown: Tally{Amounts: []money.Amount{}}})
			}
		}
	}
	slices.SortFunc(rep.Bindings, func(a, b SyncBinding) int { return strings.Compare(a.Org+"\x00"+a.Binding, b.Org+"\x00"+b.Binding) })
	return rep, nil
}

func cmpOr(s, def delivery.BreakerState) delivery.BreakerState {
	if s == "" {
		return def
	}
	return s
}

func (hb *hub) getSync(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	rep, err := hb.syncReport(r.Context(), ports.SyncQuery{Tenant: p.Tenant, Org: r.URL.Query().Get("org"), Binding: r.URL.Query().Get("binding")})
	if err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, rep)
}

// SyncItem is one outbox item behind a count (without its payload).
type SyncItem struct {
	ID             string         `json:"id"`
	Org            string         `json:"org"`
	Binding        string         `json:"binding"`
	Kind           string         `json:"kind"`
	IdempotencyKey string         `json:"idempotency_key"`
	Amount         *money.Amount  `json:"amount,omitempty"`
	State          delivery.State `json:"state"`
	Attempts       int            `json:"attempts"`
	LastError      string         `json:"last_error,omitempty"`
	CreatedAt      time.Time      `json:"created_at"`
	NextAttemptAt  *time.Time     `json:"next_attempt_at,omitempty"`
	SentAt         *time.Time     `json:"sent_at,omitempty"`
}

// SyncItems is one page of GET /v1/sync/items.
type SyncItems struct {
	Items      []SyncItem `json:"items"`
	NextCursor string     `json:"next_cursor,omitempty"`
}

var syncStates = []delivery.State{delivery.Pending, delivery.Failed, delivery.Sent, delivery.DeadLettered, delivery.OutcomeUnknown}

func (hb *hub) getSyncItems(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	q := r.URL.Query()
	page, err := httpapi.PageOf(r)
	oq := ports.OutboxQuery{Tenant: p.Tenant, Org: q.Get("org"), Binding: q.Get("binding"), State: delivery.State(q.Get("state")), Page: page}
	var errs validate.Errors
	errs.Merge("", err)
	if oq.State != "" && !slices.Contains(syncStates, oq.State) {
		errs.Add("state", "invalid", fmt.Sprintf("want one of %v", syncStates))
	}
	if err := errs.Err(); err != nil {
		return err
	}
	var items []ports.OutboxItem
	var next string
	err = hb.store.View(r.Context(), func(ctx context.Context, tx ports.Tx) error {
		var err error
		items, next, err = tx.Outbox().List(ctx, oq)
		return err
	})
	if err != nil {
		return err
	}
	out := SyncItems{Items: make([]SyncItem, 0, len(items)), NextCursor: next}
	for _, it := range items {
		si := SyncItem{ID: it.ID, Org: it.Org, Binding: it.Binding, Kind: it.Kind, IdempotencyKey: it.IdempotencyKey,
			Amount: it.Amount, State: it.State, Attempts: it.Attempts, LastError: it.LastError, CreatedAt: it.CreatedAt,
			SentAt: timePtr(it.SentAt)}
		if it.State == delivery.Pending || it.State == delivery.Failed {
			si.NextAttemptAt = timePtr(it.NextAttemptAt)
		}
		out.Items = append(out.Items, si)
	}
	return httpapi.WriteJSON(w, http.StatusOK, out)
}

// ReplayBody is the body of the replay routes.
type ReplayBody struct {
	Reason   string `json:"reason"`
	Postings bool   `json:"postings,omitempty"` // artifacts: also queue revenue postings
}

func readReplayBody(r *http.Request, needReason bool) (ReplayBody, error) {
	var b ReplayBody
	if r.ContentLength != 0 {
		dec := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 64<<10))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&b); err != nil && err != io.EOF {
			return b, &validate.FieldError{Path: "body", Code: "invalid_json", Msg: "want {\"reason\": \"...\"}"}
		}
	}
	if needReason && strings.TrimSpace(b.Reason) == "" {
		return b, &validate.FieldError{Path: "reason", Code: "required", Msg: "say why, for the audit log", Err: validate.ErrRequired}
	}
	return b, nil
}

// replayOutbox puts a dead-lettered or outcome-unknown item back in the
// queue, audited with the caller and the reason.
func (hb *hub) replayOutbox(w http.ResponseWriter, r *http.Request) error {
	p, _ := httpapi.PrincipalFrom(r.Context())
	b, err := readReplayBody(r, true)
	if err != nil {
		return err
	}
	id := r.PathValue("id")
	if err := app.ReplayDeadLetter(r.Context(), hb.store, p.Tenant, id, "token:"+p.TokenID, b.Reason, hb.deps.Now()); err != nil {
		return err
	}
	return httpapi.WriteJSON(w, http.StatusOK, map[string]string{"id": id, "state": string(delivery.Pending)})
}

const syncUsage = `usage:
  revhub sync status [--tenant T] [--org O] [--binding B]
  revhub sync replay --tenant T ID --reason R`

func runSync(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "status" && args[0] != "replay") {
		return exitUsage{syncUsage}
	}
	fs := flag.NewFlagSet("sync "+args[0], flag.ContinueOnError)
	fs.SetOutput(stderr)
	var hf hubFlags
	hf.register(fs, false)
	tenant := fs.String("tenant", "", "tenant (status: default every tenant in mappings)")
	org := fs.String("org", "", "status: only this organization")
	binding := fs.String("binding", "", "status: only this binding, e.g. gl_export/sap_idoc")
	reason := fs.String("reason", "", "replay: why, for the audit log (required)")
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return exitUsage{syncUsage}
	}
	if args[0] == "replay" && (len(pos) != 1 || *tenant == "" || *reason == "") || args[0] == "status" && len(pos) > 0 {
		return exitUsage{syncUsage}
	}
	hb, err := hf.open(ctx, newLogger(stderr), false)
	if err != nil {
		return err
	}
	defer hb.Close()
	if args[0] == "replay" {
		if err := app.ReplayDeadLetter(ctx, hb.store, *tenant, pos[0], cliActor(), *reason, hb.deps.Now()); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "replayed %s: pending again\n", pos[0])
		return nil
	}
	tenants := []string{*tenant}
	if *tenant == "" {
		tenants = hb.tenants()
	}
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "TENANT\tORG\tBINDING\tRECEIVED\tQUEUED\tSENT\tFAILED\tDEAD\tUNKNOWN\tOLDEST\tBREAKER\tLAST ERROR")
	for _, t := range tenants {
		rep, err := hb.syncReport(ctx, ports.SyncQuery{Tenant: t, Org: *org, Binding: *binding})
		if err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
		for _, b := range rep.Bindings {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", t, b.Org, b.Binding, cell(b.Received), cell(b.Queued),
				cell(b.Sent), cell(b.Failed), cell(b.DeadLettered), cell(b.Unknown), age(b.OldestPending), b.Breaker, oneLine(b.LastError))
		}
	}
	return w.Flush()
}

// cell renders a tally as "3 (45.00 EUR)".
func cell(t Tally) string {
	if len(t.Amounts) == 0 {
		return fmt.Sprint(t.Count)
	}
	as := make([]string, len(t.Amounts))
	for i, a := range t.Amounts {
		as[i] = a.String()
	}
	return fmt.Sprintf("%d (%s)", t.Count, strings.Join(as, ", "))
}

func age(s int64) string {
	if s == 0 {
		return "-"
	}
	return (time.Duration(s) * time.Second).String()
}

func oneLine(s string) string {
	if s == "" {
		return "-"
	}
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}
