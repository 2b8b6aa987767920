package postgres

import (
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

// tx is one transaction's view of every repository.
type tx struct {
	tx   pgx.Tx
	now  func() time.Time
	bulk bool // documents were bulk-written (see stats)
}

var _ ports.Tx = (*tx)(nil)

func (t *tx) Audit() ports.AuditRepo                { return auditRepo{t} }
func (t *tx) Tokens() ports.TokenRepo               { return tokenRepo{t} }
func (t *tx) Outbox() ports.OutboxRepo              { return outboxRepo{t} }
func (t *tx) Numbering() ports.NumberingRepo        { return numberingRepo{t} }
func (t *tx) Idempotency() ports.IdempotencyRepo    { return idempotencyRepo{t} }
func (t *tx) Artifacts() ports.ArtifactRepo         { return artifactRepo{t} }
func (t *tx) Runs() ports.RunRepo                   { return runRepo{t} }
func (t *tx) Sync() ports.SyncRepo                  { return syncRepo{t} }
func (t *tx) Documents() ports.DocumentRepo         { return documentRepo{t} }
func (t *tx) ChargeItems() ports.ChargeItemRepo     { return chargeItemRepo{t} }
func (t *tx) PricingTraces() ports.PricingTraceRepo { return pricingTraceRepo{t} }

// ts stores a zero time as NULL.
func ts(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// utc reads a nullable time; NULL gives the zero time.
func utc(t *time.Time) time.Time {
	if t == nil || t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

func amountCols(a *money.Amount) (*int64, *string) {
	if a == nil {
		return nil, nil
	}
	m, c := a.Minor(), string(a.Currency())
	return &m, &c
}

func amountOf(minor *int64, cur *string) (*money.Amount, error) {
	if minor == nil || cur == nil {
		return nil, nil
	}
	a, err := money.New(*minor, money.Currency(*cur))
	if err != nil {
		return nil, err
	}
	return &a, nil
}

// cursor parses a page cursor: the seq of the last row returned.
func cursor(op string, p ports.Page) (int64, error) {
	n, err := p.After()
	if err != nil {
		return 0, invalid(op, err)
	}
	return n, nil
}

func orNow(t time.Time, now func() time.Time) time.Time {
	if t.IsZero() {
		return now().UTC()
	}
	return t.UTC()
}

func nullBytes(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// page collects up to n rows (the query asked for n+1) with scan, which also
// returns a row's seq, and the cursor of the next page.
func page[T any](op string, rows pgx.Rows, n int, scan func(pgx.Row) (T, int64, error)) ([]T, string, error) {
	type row struct {
		seq int64
		v   T
	}
	got, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (row, error) {
		v, seq, err := scan(r)
		return row{seq, v}, err
	})
	if err != nil {
		return nil, "", wrap(op, err)
	}
	more := len(got) > n
	if more {
		got = got[:n]
	}
	out := make([]T, len(got))
	var last int64
	for i, g := range got {
		out[i], last = g.v, g.seq
	}
	return out, ports.NextCursor(more, last), nil
}
