package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// Document and run kinds of settlement.
const (
	KindRemittance    = "remittance"
	KindDispute       = "dispute"
	KindDisbursement  = "disbursement"
	KindFFSPayment    = "ffs_payment"
	KindRecoupment    = "recoupment"
	RunKindSettlement = "settlement"
	RunKindFFS        = "ffs"
)

// SettlementRequest asks for one settlement run of a tenant.
type SettlementRequest struct {
	Tenant string
	Run    settlement.RunConfig
	Actor  string
	Limit  int // at most this many claims; 0 = every approved claim in the pool
}

// RunSummary is the JSON summary kept on the run record.
type RunSummary struct {
	Period      settlement.Period                `json:"period"`
	Claims      int                              `json:"claims"`
	Paid        int                              `json:"paid"`
	Remittances int                              `json:"remittances"`
	Total       string                           `json:"total"`
	Fees        string                           `json:"fees"`
	Net         string                           `json:"net"`
	Currency    string                           `json:"currency"`
	Exceptions  map[settlement.ExceptionKind]int `json:"exceptions,omitempty"`
}

// RunSettlement runs a settlement in one transaction: it reserves every
// approved claim no run holds (set-based; concurrent runs never share one,
// claims approved meanwhile wait for the next run), writes one remittance
// per provider, sends retryable exceptions back to the pool, records the run
// with its exception buckets and audits it. A run never fails for a bad
// claim: the claim lands in a bucket.
func RunSettlement(ctx context.Context, s ports.Store, r SettlementRequest, now time.Time) (settlement.RunResult, error) {
	var res settlement.RunResult
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		b, err := settlement.NewRunBuilder(r.Run)
		if err != nil {
			return ports.E("settlement.Run", ports.Invalid, err)
		}
		repo, err := ports.ClaimsOf(tx)
		if err != nil {
			return err
		}
		if err := tx.Runs().Start(ctx, ports.Run{ID: r.Run.RunID, Tenant: r.Tenant, Kind: RunKindSettlement, StartedAt: now}); err != nil {
			return err
		}
		var addErr error
		if _, err := repo.Reserve(ctx, ports.ReserveQuery{Tenant: r.Tenant, RunID: r.Run.RunID, Limit: r.Limit, At: now},
			func(it settlement.RunItem) error { _, addErr = b.Add(it); return addErr }); err != nil {
			return err
		}
		if res, err = b.Result(); err != nil {
			return err
		}
		if err := repo.Except(ctx, r.Tenant, r.Run.RunID, res.Exceptions, false); err != nil {
			return err
		}
		docs := make([]ports.Document, len(res.Remittances))
		for i := range res.Remittances {
			if docs[i], err = remittanceDoc(r.Tenant, &res.Remittances[i], 0, now); err != nil {
				return err
			}
		}
		if err := tx.Documents().PutBatch(ctx, docs); err != nil {
			return err
		}
		sum := SummaryOf(res)
		body, err := json.Marshal(sum)
		if err != nil {
			return err
		}
		if err := tx.Runs().Finish(ctx, r.Tenant, r.Run.RunID, ports.RunSucceeded, body, now); err != nil {
			return err
		}
		_, err = Record(ctx, tx, r.Tenant, audit.Draft{Actor: r.Actor, Action: "settlement.run", Subject: "run/" + r.Run.RunID, After: body}, now)
		return err
	})
	return res, err
}

// SummaryOf sums up a run result as kept on the run record.
func SummaryOf(res settlement.RunResult) RunSummary {
	return RunSummary{Period: res.Period, Claims: res.Claims, Paid: res.Paid, Remittances: len(res.Remittances),
		Total: res.Total.Number(), Fees: res.Fees.Number(), Net: res.Net.Number(), Currency: string(res.Total.Currency()),
		Exceptions: res.Buckets()}
}

func remittanceDoc(tenant string, r *settlement.Remittance, version int64, now time.Time) (ports.Document, error) {
	body, err := json.Marshal(r)
	if err != nil {
		return ports.Document{}, fmt.Errorf("remittance %s: %w", r.ID, err)
	}
	net := r.NetPayable
	return ports.Document{Kind: KindRemittance, Tenant: tenant, ID: r.ID, Version: version, Org: r.NPI, Ref: r.RunID,
		Status: string(r.Status), Amount: &net, Body: body, UpdatedAt: now}, nil
}

// RemittanceView is what the API shows a provider: the header, its status
// and proof, and one page of lines.
type RemittanceView struct {
	Remittance settlement.Remittance
	Lines      []settlement.RunItem
	Next       string // cursor of the next page of lines; "" at the end
}

// GetRemittance reads a remittance with a page of its lines.
func GetRemittance(ctx context.Context, s ports.Store, tenant, id string, p ports.Page) (RemittanceView, error) {
	var v RemittanceView
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		r, _, err := loadRemittance(ctx, tx, tenant, id)
		if err != nil {
			return err
		}
		repo, err := ports.ClaimsOf(tx)
		if err != nil {
			return err
		}
		v.Remittance = r
		from := 0
		if p.Cursor != "" {
			if from, err = strconv.Atoi(p.Cursor); err != nil || from < 0 || from > len(r.Lines) {
				return ports.E("settlement.GetRemittance", ports.Invalid, fmt.Errorf("bad cursor %q", p.Cursor))
			}
		}
		to := min(from+p.Size(), len(r.Lines))
		if to < len(r.Lines) {
			v.Next = strconv.Itoa(to)
		}
		v.Lines, err = repo.Lines(ctx, tenant, r.Lines[from:to])
		return err
	})
	return v, err
}

func loadRemittance(ctx context.Context, tx ports.Tx, tenant, id string) (settlement.Remittance, int64, error) {
	var r settlement.Remittance
	d, err := tx.Documents().Get(ctx, tenant, KindRemittance, id)
	if err != nil {
		return r, 0, err
	}
	if err := json.Unmarshal(d.Body, &r); err != nil {
		return r, 0, fmt.Errorf("remittance %s: stored body: %w", id, err)
	}
	return r, d.Version, nil
}

func saveRemittance(ctx context.Context, tx ports.Tx, tenant string, r *settlement.Remittance, version int64, now time.Time) error {
	d, err := remittanceDoc(tenant, r, version, now)
	if err != nil {
		return err
	}
	_, err = tx.Documents().Put(ctx, d)
	return err
}

// ProofRequest is finance's upload of a bank's payment confirmation.
type ProofRequest struct {
	Tenant       string
	RemittanceID string
	File         []byte // the bank confirmation, kept byte for byte
	MediaType    string
	Source       string // "api", "sftp:/in/confirmations/…"
	Actor        string
}

// MarkRemittancePaid keeps the proof file as an artifact, moves the
// remittance GENERATED → PAID and audits it; after commit it publishes
// "settlement.remittance.paid" on bus (when not nil) so the provider sees it
// at once. The event is published after the commit: a failed publish is
// returned wrapping ErrNotPublished, and the status is readable through
// GetRemittance regardless.
func MarkRemittancePaid(ctx context.Context, s ports.Store, bus ports.Bus, r ProofRequest, now time.Time) (settlement.Remittance, error) {
	var rem settlement.Remittance
	artifactID := "proof-" + r.RemittanceID
	err := s.Update(ctx, func(ctx context.Context, tx ports.Tx) error {
		var v int64
		var err error
		if rem, v, err = loadRemittance(ctx, tx, r.Tenant, r.RemittanceID); err != nil {
			return err
		}
		before, _ := json.Marshal(rem)
		if err := rem.MarkPaid(artifactID, now); err != nil {
			return ports.E("settlement.MarkPaid", ports.Conflict, err)
		}
		if err := tx.Artifacts().Put(ctx, ports.Artifact{ID: artifactID, Tenant: r.Tenant, Org: rem.NPI, Direction: ports.Inbound,
			MediaType: r.MediaType, Body: r.File, Source: r.Source, CreatedAt: now}); err != nil {
			return err
		}
		if err := tx.Artifacts().Link(ctx, r.Tenant, artifactID, ports.Ref{Kind: KindRemittance, ID: rem.ID}); err != nil {
			return err
		}
		if err := saveRemittance(ctx, tx, r.Tenant, &rem, v, now); err != nil {
			return err
		}
		after, _ := json.Marshal(rem)
		_, err = Record(ctx, tx, r.Tenant, audit.Draft{Actor: r.Actor, Action: "remittance.paid", Subject: "remittance/" + rem.ID, Before: before, After: after}, now)
		return err
	})
	if err != nil || bus == nil {
		return rem, err
	}
	if err := publishRemittance(ctx, bus, r.Tenant, rem, "settlement.remittance.paid"); err != nil {
		return rem, fmt.Errorf("%w: %w", ErrNotPublished, err)
	}
	return rem, nil
}

// ErrNotPublished is wrapped when a change committed but its event could
// not be published; the change stands and is readable.
var ErrNotPublished = errors.New("committed, event not published")

func publishRemittance(ctx context.Context, bus ports.Bus, tenant string, rem settlement.Remittance, topic string) error {
	subj, err := ports.Subject(tenant, rem.NPI, topic)
	if err != nil {
		return err
	}
	data, err := json.Marshal(map[string]any{"remittance": rem.ID, "status": rem.Status, "net_payable": rem.NetPayable, "proof": rem.Proof})
	if err != nil {
		return err
	}
	_, err = bus.Publish(ctx, ports.Message{Subject: subj, ID: topic + "/" + rem.ID + "/" + string(rem.Status), Data: data})
	return err
}

// RemittanceQuery filters ListRemittances; empty fields match everything.
type RemittanceQuery struct {
	NPI    string
	RunID  string
	Status settlement.RemitStatus
}

// ListRemittances returns a page of remittance headers (without lines).
func ListRemittances(ctx context.Context, s ports.Store, tenant string, q RemittanceQuery, p ports.Page) ([]settlement.Remittance, string, error) {
	var out []settlement.Remittance
	var next string
	err := s.View(ctx, func(ctx context.Context, tx ports.Tx) error {
		docs, n, err := tx.Documents().List(ctx, ports.DocumentQuery{Tenant: tenant, Kind: KindRemittance, Org: q.NPI, Ref: q.RunID, Status: string(q.Status), Page: p})
		next = n
		for _, d := range docs {
			var r settlement.Remittance
			if err := json.Unmarshal(d.Body, &r); err != nil {
				return fmt.Errorf("remittance %s: stored body: %w", d.ID, err)
			}
			r.Lines = nil
			out = append(out, r)
		}
		return err
	})
	return out, next, err
}
