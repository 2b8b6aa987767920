package embedded

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/revhub/revhub/ports"
)

type tokenRepo struct{ *tx }

const tokenCols = `id, tenant, name, role, provider, hash, created_at, revoked_at`

func (r tokenRepo) Create(ctx context.Context, t ports.Token) error {
	const op = "embedded.Tokens.Create"
	res, err := r.tx.tx.ExecContext(ctx, `INSERT INTO api_tokens (`+tokenCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		t.ID, t.Tenant, t.Name, string(t.Role), t.Provider, t.Hash[:], us(orNow(t.CreatedAt, r.now)), revokedAt(t.RevokedAt))
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return conflict(op, "token %s or its hash exists already", t.ID)
	}
	return nil
}

func (r tokenRepo) ByHash(ctx context.Context, hash [32]byte) (ports.Token, error) {
	t, err := scanToken(r.tx.tx.QueryRowContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE hash = ?`, hash[:]))
	if errors.Is(err, sql.ErrNoRows) {
		return t, notFound("embedded.Tokens.ByHash", "token")
	}
	return t, wrap("embedded.Tokens.ByHash", err)
}

func (r tokenRepo) Revoke(ctx context.Context, tenant, id string, at time.Time) error {
	const op = "embedded.Tokens.Revoke"
	res, err := r.tx.tx.ExecContext(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE tenant = ? AND id = ?`, us(at), tenant, id)
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(op, "token "+id)
	}
	return nil
}

func (r tokenRepo) List(ctx context.Context, tenant string) ([]ports.Token, error) {
	const op = "embedded.Tokens.List"
	rows, err := r.tx.tx.QueryContext(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE tenant = ? ORDER BY created_at, id`, tenant)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer rows.Close()
	var out []ports.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, wrap(op, err)
		}
		out = append(out, t)
	}
	return out, wrap(op, rows.Err())
}

func scanToken(s scanner) (ports.Token, error) {
	var t ports.Token
	var role string
	var hash []byte
	var created, revoked sql.NullInt64
	if err := s.Scan(&t.ID, &t.Tenant, &t.Name, &role, &t.Provider, &hash, &created, &revoked); err != nil {
		return t, err
	}
	t.Role = ports.Role(role)
	copy(t.Hash[:], hash)
	t.CreatedAt = fromUS(created)
	if revoked.Valid {
		at := fromUS(revoked)
		t.RevokedAt = &at
	}
	return t, nil
}

func revokedAt(t *time.Time) sql.NullInt64 {
	if t == nil {
		return sql.NullInt64{}
	}
	return nullUS(*t)
}
