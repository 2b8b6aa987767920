package embedded

import (
	"context"
	"fmt"

	"github.com/revhub/revhub/ports"
)

type pricingTraceRepo struct{ *tx }

// PutMany inserts the traces one statement each: a batch of charge items
// names few distinct traces.
func (r pricingTraceRepo) PutMany(ctx context.Context, tenant string, ts []ports.PricingTrace) error {
	const op = "embedded.PricingTraces.PutMany"
	for i, t := range ts {
		if err := t.Check(); err != nil {
			return invalid(op, fmt.Errorf("trace %d: %w", i, err))
		}
		if _, err := r.tx.tx.ExecContext(ctx, `INSERT INTO pricing_traces (tenant, id, body) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
			tenant, t.ID, []byte(t.Body)); err != nil {
			return wrap(op, err)
		}
	}
	return nil
}

func (r pricingTraceRepo) GetMany(ctx context.Context, tenant string, ids []string) ([]ports.PricingTrace, error) {
	const op = "embedded.PricingTraces.GetMany"
	var out []ports.PricingTrace
	err := inChunks(ids, []any{tenant}, func(in string, args []any) error {
		rows, err := r.tx.tx.QueryContext(ctx, `SELECT id, body FROM pricing_traces WHERE tenant = ? AND id IN `+in, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var t ports.PricingTrace
			var body []byte
			if err := rows.Scan(&t.ID, &body); err != nil {
				return err
			}
			t.Body = body
			out = append(out, t)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, wrap(op, err)
	}
	return out, nil
}
