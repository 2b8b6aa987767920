package embedded

import (
	"context"
	"database/sql"
	"errors"
)

type numberingRepo struct{ *tx }

func (r numberingRepo) Next(ctx context.Context, tenant, series, period string) (int64, error) {
	const op = "embedded.Numbering.Next"
	var n int64
	if err := r.tx.tx.QueryRowContext(ctx, `INSERT INTO number_series (tenant, series, period, last) VALUES (?, ?, ?, 1)
		ON CONFLICT (tenant, series, period) DO UPDATE SET last = last + 1 RETURNING last`,
		tenant, series, period).Scan(&n); err != nil {
		return 0, wrap(op, err)
	}
	if _, err := r.tx.tx.ExecContext(ctx, `INSERT INTO numbers_issued (tenant, series, period, number) VALUES (?, ?, ?, ?)`,
		tenant, series, period, n); err != nil {
		return 0, wrap(op, err)
	}
	return n, nil
}

func (r numberingRepo) Last(ctx context.Context, tenant, series, period string) (int64, error) {
	var n int64
	err := r.tx.tx.QueryRowContext(ctx, `SELECT last FROM number_series WHERE tenant = ? AND series = ? AND period = ?`,
		tenant, series, period).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	return n, wrap("embedded.Numbering.Last", err)
}

type idempotencyRepo struct{ *tx }

func (r idempotencyRepo) Claim(ctx context.Context, tenant, scope, key string) (bool, []byte, error) {
	const op = "embedded.Idempotency.Claim"
	res, err := r.tx.tx.ExecContext(ctx, `INSERT INTO idempotency_keys (tenant, scope, key) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		tenant, scope, key)
	if err != nil {
		return false, nil, wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 1 {
		return true, nil, nil
	}
	var done bool
	var result []byte
	if err := r.tx.tx.QueryRowContext(ctx, `SELECT completed, result FROM idempotency_keys WHERE tenant = ? AND scope = ? AND key = ?`,
		tenant, scope, key).Scan(&done, &result); err != nil {
		return false, nil, wrap(op, err)
	}
	if done && result == nil {
		result = []byte{}
	}
	return false, result, nil
}

func (r idempotencyRepo) Complete(ctx context.Context, tenant, scope, key string, result []byte) error {
	const op = "embedded.Idempotency.Complete"
	if result == nil {
		result = []byte{}
	}
	res, err := r.tx.tx.ExecContext(ctx, `UPDATE idempotency_keys SET completed = 1, result = ? WHERE tenant = ? AND scope = ? AND key = ?`,
		result, tenant, scope, key)
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(op, "idempotency key "+scope+"/"+key)
	}
	return nil
}
