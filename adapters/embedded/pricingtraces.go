package embedded

import (
	"context"
	"fmt"
	"strings"

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
	for lo := 0; lo < len(ids); lo += 500 {
		chunk := ids[lo:min(lo+500, len(ids))]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, tenant)
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := r.tx.tx.QueryContext(ctx, `SELECT id, body FROM pricing_traces WHERE tenant = ? AND id IN (?`+
			strings.Repeat(", ?", len(chunk)-1)+`)`, args...)
		if err != nil {
			return nil, wrap(op, err)
		}
		for rows.Next() {
			var t ports.PricingTrace
			var body []byte
			if err := rows.Scan(&t.ID, &body); err != nil {
				rows.Close()
				return nil, wrap(op, err)
			}
			t.Body = body
			out = append(out, t)
		}
		if err := rows.Err(); err != nil {
			return nil, wrap(op, err)
		}
		rows.Close()
	}
	return out, nil
}
