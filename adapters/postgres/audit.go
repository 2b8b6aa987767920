package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/ports"
)

type auditRepo struct{ *tx }

const auditCols = `tenant, seq, at, actor, action, subject, before, after, reason, prev, hash`

func (r auditRepo) Last(ctx context.Context, tenant string) (*audit.Entry, error) {
	e, err := scanAudit(r.tx.tx.QueryRow(ctx, `SELECT `+auditCols+` FROM audit_entries WHERE tenant = $1 ORDER BY seq DESC LIMIT 1`, tenant))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("postgres.Audit.Last", err)
	}
	return &e, nil
}

func (r auditRepo) Insert(ctx context.Context, e audit.Entry) error {
	const op = "postgres.Audit.Insert"
	tag, err := r.tx.tx.Exec(ctx, `INSERT INTO audit_entries (`+auditCols+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
		e.Tenant, e.Seq, e.Time.UTC(), e.Actor, e.Action, e.Subject, nullBytes(e.Before), nullBytes(e.After), e.Reason, e.Prev[:], e.Hash[:])
	if err != nil {
		return wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		return conflict(op, "tenant %s already has audit entry %d", e.Tenant, e.Seq)
	}
	return nil
}

func (r auditRepo) Scan(ctx context.Context, tenant string, afterSeq int64, limit int) ([]audit.Entry, error) {
	rows, err := r.tx.tx.Query(ctx, `SELECT `+auditCols+` FROM audit_entries WHERE tenant = $1 AND seq > $2 ORDER BY seq LIMIT $3`,
		tenant, afterSeq, limit)
	if err != nil {
		return nil, wrap("postgres.Audit.Scan", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (audit.Entry, error) { return scanAudit(row) })
	return out, wrap("postgres.Audit.Scan", err)
}

func (r auditRepo) Tenants(ctx context.Context) ([]string, error) {
	rows, err := r.tx.tx.Query(ctx, `SELECT DISTINCT tenant FROM audit_entries ORDER BY tenant`)
	if err != nil {
		return nil, wrap("postgres.Audit.Tenants", err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, wrap("postgres.Audit.Tenants", err)
}

func scanAudit(s pgx.Row) (audit.Entry, error) {
	var e audit.Entry
	var before, after, prev, hash []byte
	if err := s.Scan(&e.Tenant, &e.Seq, &e.Time, &e.Actor, &e.Action, &e.Subject, &before, &after, &e.Reason, &prev, &hash); err != nil {
		return e, err
	}
	e.Time = e.Time.UTC()
	if len(before) > 0 {
		e.Before = before
	}
	if len(after) > 0 {
		e.After = after
	}
	copy(e.Prev[:], prev)
	copy(e.Hash[:], hash)
	return e, nil
}

var _ ports.AuditRepo = auditRepo{}
