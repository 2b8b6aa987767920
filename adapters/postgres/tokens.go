package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/ports"
)

type tokenRepo struct{ *tx }

const tokenCols = `id, tenant, name, role, provider, hash, created_at, revoked_at`

func (r tokenRepo) Create(ctx context.Context, t ports.Token) error {
	const op = "postgres.Tokens.Create"
	var revoked *time.Time
	if t.RevokedAt != nil {
		revoked = ts(*t.RevokedAt)
	}
	tag, err := r.tx.tx.Exec(ctx, `INSERT INTO api_tokens (`+tokenCols+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING`,
		t.ID, t.Tenant, t.Name, string(t.Role), t.Provider, t.Hash[:], orNow(t.CreatedAt, r.now), revoked)
	if err != nil {
		return wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		return conflict(op, "token %s or its hash exists already", t.ID)
	}
	return nil
}

func (r tokenRepo) ByHash(ctx context.Context, hash [32]byte) (ports.Token, error) {
	t, err := scanToken(r.tx.tx.QueryRow(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE hash = $1`, hash[:]))
	if errors.Is(err, pgx.ErrNoRows) {
		return t, notFound("postgres.Tokens.ByHash", "token")
	}
	return t, wrap("postgres.Tokens.ByHash", err)
}

func (r tokenRepo) Revoke(ctx context.Context, tenant, id string, at time.Time) error {
	const op = "postgres.Tokens.Revoke"
	tag, err := r.tx.tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = coalesce(revoked_at, $1) WHERE tenant = $2 AND id = $3`, at.UTC(), tenant, id)
	if err != nil {
		return wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		return notFound(op, "token "+id)
	}
	return nil
}

func (r tokenRepo) List(ctx context.Context, tenant string) ([]ports.Token, error) {
	rows, err := r.tx.tx.Query(ctx, `SELECT `+tokenCols+` FROM api_tokens WHERE tenant = $1 ORDER BY created_at, id`, tenant)
	if err != nil {
		return nil, wrap("postgres.Tokens.List", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ports.Token, error) { return scanToken(row) })
	return out, wrap("postgres.Tokens.List", err)
}

func scanToken(s pgx.Row) (ports.Token, error) {
	var t ports.Token
	var role string
	var hash []byte
	var revoked *time.Time
	if err := s.Scan(&t.ID, &t.Tenant, &t.Name, &role, &t.Provider, &hash, &t.CreatedAt, &revoked); err != nil {
		return t, err
	}
	t.Role, t.CreatedAt = ports.Role(role), t.CreatedAt.UTC()
	copy(t.Hash[:], hash)
	if revoked != nil {
		at := revoked.UTC()
		t.RevokedAt = &at
	}
	return t, nil
}
