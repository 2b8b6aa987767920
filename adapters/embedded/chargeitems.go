package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/revhub/revhub/ports"
)

type chargeItemRepo struct{ *tx }

// PutMany runs one statement per record: SQLite is in process, so inside
// the one write transaction that is already cheap.
func (r chargeItemRepo) PutMany(ctx context.Context, rs []ports.Record) error {
	const op = "embedded.ChargeItems.PutMany"
	for i, rec := range rs {
		if err := rec.Check(); err != nil {
			return invalid(op, fmt.Errorf("record %d: %w", i, err))
		}
		var res sql.Result
		var err error
		if rec.Version == 0 {
			res, err = r.tx.tx.ExecContext(ctx, `INSERT INTO charge_items (tenant, id, version, ref, body) VALUES (?, ?, 1, ?, ?) ON CONFLICT DO NOTHING`,
				rec.Tenant, rec.ID, rec.Ref, []byte(rec.Body))
		} else {
			res, err = r.tx.tx.ExecContext(ctx, `UPDATE charge_items SET version = version + 1, ref = ?, body = ? WHERE tenant = ? AND id = ? AND version = ?`,
				rec.Ref, []byte(rec.Body), rec.Tenant, rec.ID, rec.Version)
		}
		if err != nil {
			return wrap(op, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return conflict(op, "charge item %s exists already, or is missing or not at version %d", rec.ID, rec.Version)
		}
	}
	return nil
}

func (r chargeItemRepo) GetMany(ctx context.Context, tenant string, ids []string) ([]ports.Record, error) {
	const op = "embedded.ChargeItems.GetMany"
	var out []ports.Record
	err := inChunks(ids, []any{tenant}, func(in string, args []any) error {
		got, err := r.query(ctx, `SELECT `+recordCols+` FROM charge_items WHERE tenant = ? AND id IN `+in, args...)
		out = append(out, got...)
		return err
	})
	if err != nil {
		return nil, wrap(op, err)
	}
	return out, nil
}

func (r chargeItemRepo) Get(ctx context.Context, tenant, id string) (ports.Record, error) {
	const op = "embedded.ChargeItems.Get"
	var rec ports.Record
	var body []byte
	err := r.tx.tx.QueryRowContext(ctx, `SELECT `+recordCols+` FROM charge_items WHERE tenant = ? AND id = ?`, tenant, id).
		Scan(&rec.Tenant, &rec.ID, &rec.Version, &rec.Ref, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return rec, notFound(op, "charge item "+id)
	}
	rec.Body = body
	return rec, wrap(op, err)
}

// List pages by id: the cursor is the last id of the previous page.
func (r chargeItemRepo) List(ctx context.Context, tenant string, p ports.Page) ([]ports.Record, string, error) {
	n := p.Size()
	out, err := r.query(ctx, `SELECT `+recordCols+` FROM charge_items WHERE tenant = ? AND id > ? ORDER BY id LIMIT ?`,
		tenant, p.Cursor, n+1)
	if err != nil {
		return nil, "", wrap("embedded.ChargeItems.List", err)
	}
	out, next := ports.RecordPage(out, n)
	return out, next, nil
}

// ListRef pages the records under ref by id, over the partial ref index.
func (r chargeItemRepo) ListRef(ctx context.Context, tenant, ref string, p ports.Page) ([]ports.Record, string, error) {
	n := p.Size()
	out, err := r.query(ctx, `SELECT `+recordCols+` FROM charge_items WHERE tenant = ? AND ref = ? AND ref <> '' AND id > ? ORDER BY id LIMIT ?`,
		tenant, ref, p.Cursor, n+1)
	if err != nil {
		return nil, "", wrap("embedded.ChargeItems.ListRef", err)
	}
	out, next := ports.RecordPage(out, n)
	return out, next, nil
}

// recordCols are the columns query reads, in its order.
const recordCols = "tenant, id, version, ref, body"

func (r chargeItemRepo) query(ctx context.Context, q string, args ...any) ([]ports.Record, error) {
	rows, err := r.tx.tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ports.Record
	for rows.Next() {
		var rec ports.Record
		var body []byte
		if err := rows.Scan(&rec.Tenant, &rec.ID, &rec.Version, &rec.Ref, &body); err != nil {
			return nil, err
		}
		rec.Body = body
		out = append(out, rec)
	}
	return out, rows.Err()
}
