package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/ports"
)

type pricingTraceRepo struct{ *tx }

// PutMany inserts the traces in one statement over unnest'ed arrays; a
// batch of charge items names few distinct traces.
func (r pricingTraceRepo) PutMany(ctx context.Context, tenant string, ts []ports.PricingTrace) error {
	const op = "postgres.PricingTraces.PutMany"
	if len(ts) == 0 {
		return nil
	}
	ids, bodies := make([]string, len(ts)), make([][]byte, len(ts))
	for i, t := range ts {
		if err := t.Check(); err != nil {
			return invalid(op, fmt.Errorf("trace %d: %w", i, err))
		}
		ids[i], bodies[i] = t.ID, t.Body
	}
	_, err := r.tx.tx.Exec(ctx, `INSERT INTO pricing_traces (tenant, id, body)
		SELECT $1, id, body FROM unnest($2::text[], $3::bytea[]) AS u(id, body) ON CONFLICT DO NOTHING`, tenant, ids, bodies)
	return wrap(op, err)
}

func (r pricingTraceRepo) GetMany(ctx context.Context, tenant string, ids []string) ([]ports.PricingTrace, error) {
	const op = "postgres.PricingTraces.GetMany"
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := r.tx.tx.Query(ctx, `SELECT id, body FROM pricing_traces WHERE tenant = $1 AND id = ANY($2)`, tenant, ids)
	if err != nil {
		return nil, wrap(op, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ports.PricingTrace, error) {
		var t ports.PricingTrace
		var body []byte
		err := row.Scan(&t.ID, &body)
		t.Body = body
		return t, err
	})
	return out, wrap(op, err)
}
