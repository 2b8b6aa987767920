package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"
)

type numberingRepo struct{ *tx }

// Next upserts the counter row, which stays locked until the transaction
// ends: concurrent callers queue on it, and a rollback undoes the increment.
func (r numberingRepo) Next(ctx context.Context, tenant, series, period string) (int64, error) {
	const op = "postgres.Numbering.Next"
	var n int64
	if err := r.tx.tx.QueryRow(ctx, `INSERT INTO number_series AS s (tenant, series, period, last) VALUES ($1, $2, $3, 1)
		ON CONFLICT (tenant, series, period) DO UPDATE SET last = s.last + 1 RETURNING last`,
		tenant, series, period).Scan(&n); err != nil {
		return 0, wrap(op, err)
	}
	if _, err := r.tx.tx.Exec(ctx, `INSERT INTO numbers_issued (tenant, series, period, number) VALUES ($1, $2, $3, $4)`,
		tenant, series, period, n); err != nil {
		return 0, wrap(op, err)
	}
	return n, nil
}

func (r numberingRepo) Last(ctx context.Context, tenant, series, period string) (int64, error) {
	var n int64
	err := r.tx.tx.QueryRow(ctx, `SELECT last FROM number_series WHERE tenant = $1 AND series = $2 AND period = $3`,
		tenant, series, period).Scan(&n)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	return n, wrap("postgres.Numbering.Last", err)
}

type idempotencyRepo struct{ *tx }

// Claim inserts the key; a concurrent claim of the same key waits on the
// first transaction's row and then reads its outcome.
func (r idempotencyRepo) Claim(ctx context.Context, tenant, scope, key string) (bool, []byte, error) {
	const op = "postgres.Idempotency.Claim"
	tag, err := r.tx.tx.Exec(ctx, `INSERT INTO idempotency_keys (tenant, scope, key) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		tenant, scope, key)
	if err != nil {
		return false, nil, wrap(op, err)
	}
	if tag.RowsAffected() == 1 {
		return true, nil, nil
	}
	var done bool
	var result []byte
	if err := r.tx.tx.QueryRow(ctx, `SELECT completed, result FROM idempotency_keys WHERE tenant = $1 AND scope = $2 AND key = $3`,
		tenant, scope, key).Scan(&done, &result); err != nil {
		return false, nil, wrap(op, err)
	}
	if done && result == nil {
		result = []byte{}
	}
	return false, result, nil
}

func (r idempotencyRepo) Complete(ctx context.Context, tenant, scope, key string, result []byte) error {
	const op = "postgres.Idempotency.Complete"
	if result == nil {
		result = []byte{}
	}
	tag, err := r.tx.tx.Exec(ctx, `UPDATE idempotency_keys SET completed = true, result = $1 WHERE tenant = $2 AND scope = $3 AND key = $4`,
		result, tenant, scope, key)
	if err != nil {
		return wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		return notFound(op, "idempotency key "+scope+"/"+key)
	}
	return nil
}
