package embedded

import (
	"context"
	"database/sql"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

// tx is one transaction's view of every repository.
type tx struct {
	tx  *sql.Tx
	now func() time.Time
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

// us stores a time as microseconds since the epoch.
func us(t time.Time) int64 { return t.UnixMicro() }

// nullUS stores a zero time as NULL.
func nullUS(t time.Time) sql.NullInt64 {
	if t.IsZero() {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: t.UnixMicro(), Valid: true}
}

// fromUS reads a stored time; NULL and 0 give the zero time.
func fromUS(v sql.NullInt64) time.Time {
	if !v.Valid || v.Int64 == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}

func amountCols(a *money.Amount) (sql.NullInt64, sql.NullString) {
	if a == nil {
		return sql.NullInt64{}, sql.NullString{}
	}
	return sql.NullInt64{Int64: a.Minor(), Valid: true}, sql.NullString{String: string(a.Currency()), Valid: true}
}

func amountOf(minor sql.NullInt64, cur sql.NullString) (*money.Amount, error) {
	if !minor.Valid || !cur.Valid {
		return nil, nil
	}
	a, err := money.New(minor.Int64, money.Currency(cur.String))
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
		return now()
	}
	return t
}

// strs runs a query of one text column and returns its values.
func (t *tx) strs(ctx context.Context, op, query string, args ...any) ([]string, error) {
	rows, err := t.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			return nil, wrap(op, err)
		}
		out = append(out, v)
	}
	return out, wrap(op, rows.Err())
}

// page reads up to n rows (the query asked for n+1) with scan, which also
// returns a row's seq, and the cursor of the next page.
func page[T any](op string, rows *sql.Rows, n int, scan func(scanner) (T, int64, error)) ([]T, string, error) {
	defer rows.Close()
	var out []T
	var last int64
	more := false
	for rows.Next() {
		if len(out) == n {
			more = true
			break
		}
		v, seq, err := scan(rows)
		if err != nil {
			return nil, "", wrap(op, err)
		}
		out, last = append(out, v), seq
	}
	if err := rows.Err(); err != nil {
		return nil, "", wrap(op, err)
	}
	return out, ports.NextCursor(more, last), nil
}
