package embedded

import (
	"context"
	"database/sql"
	"errors"

	"github.com/revhub/revhub/core/audit"
)

type auditRepo struct{ *tx }

const auditCols = `tenant, seq, at, actor, action, subject, before, after, reason, prev, hash`

func (r auditRepo) Last(ctx context.Context, tenant string) (*audit.Entry, error) {
	row := r.tx.tx.QueryRowContext(ctx, `SELECT `+auditCols+` FROM audit_entries WHERE tenant = ? ORDER BY seq DESC LIMIT 1`, tenant)
	e, err := scanAudit(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, wrap("embedded.Audit.Last", err)
	}
	return &e, nil
}

func (r auditRepo) Insert(ctx context.Context, e audit.Entry) error {
	const op = "embedded.Audit.Insert"
	res, err := r.tx.tx.ExecContext(ctx, `INSERT INTO audit_entries (`+auditCols+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		e.Tenant, e.Seq, us(e.Time), e.Actor, e.Action, e.Subject, nullBytes(e.Before), nullBytes(e.After), e.Reason, e.Prev[:], e.Hash[:])
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return conflict(op, "tenant %s already has audit entry %d", e.Tenant, e.Seq)
	}
	return nil
}

func (r auditRepo) Scan(ctx context.Context, tenant string, afterSeq int64, limit int) ([]audit.Entry, error) {
	const op = "embedded.Audit.Scan"
	rows, err := r.tx.tx.QueryContext(ctx, `SELECT `+auditCols+` FROM audit_entries WHERE tenant = ? AND seq > ? ORDER BY seq LIMIT ?`, tenant, afterSeq, limit)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, wrap(op, err)
		}
		out = append(out, e)
	}
	return out, wrap(op, rows.Err())
}

func (r auditRepo) Tenants(ctx context.Context) ([]string, error) {
	return r.tx.strs(ctx, "embedded.Audit.Tenants", `SELECT DISTINCT tenant FROM audit_entries ORDER BY tenant`)
}

type scanner interface{ Scan(dest ...any) error }

func scanAudit(s scanner) (audit.Entry, error) {
	var e audit.Entry
	var at sql.NullInt64
	var before, after, prev, hash []byte
	if err := s.Scan(&e.Tenant, &e.Seq, &at, &e.Actor, &e.Action, &e.Subject, &before, &after, &e.Reason, &prev, &hash); err != nil {
		return e, err
	}
	e.Time = fromUS(at)
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

func nullBytes(b []byte) any {
	if len(b) == 0 {
		return nil
	}
	return b
}
