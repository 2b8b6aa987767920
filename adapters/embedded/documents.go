package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/revhub/revhub/ports"
)

type documentRepo struct{ *tx }

const documentCols = `seq, tenant, kind, id, version, org, key, ref, status, amount_minor, currency, body, updated_at`

func (r documentRepo) Put(ctx context.Context, d ports.Document) (int64, error) {
	const op = "embedded.Documents.Put"
	if err := d.Check(); err != nil {
		return 0, invalid(op, err)
	}
	minor, cur := amountCols(d.Amount)
	key := sql.NullString{String: d.Key, Valid: d.Key != ""}
	at := us(orNow(d.UpdatedAt, r.now))
	if d.Version == 0 {
		res, err := r.tx.tx.ExecContext(ctx, `INSERT INTO documents (tenant, kind, id, version, org, key, ref, status, amount_minor, currency, body, updated_at)
			VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
			d.Tenant, d.Kind, d.ID, d.Org, key, d.Ref, d.Status, minor, cur, []byte(d.Body), at)
		if err != nil {
			return 0, wrap(op, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return 0, conflict(op, "%s %s or its key %q exists already", d.Kind, d.ID, d.Key)
		}
		return 1, nil
	}
	if d.Key != "" {
		var n int
		if err := r.tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE tenant = ? AND kind = ? AND key = ? AND id <> ?`,
			d.Tenant, d.Kind, d.Key, d.ID).Scan(&n); err != nil {
			return 0, wrap(op, err)
		}
		if n > 0 {
			return 0, conflict(op, "another %s has key %q", d.Kind, d.Key)
		}
	}
	res, err := r.tx.tx.ExecContext(ctx, `UPDATE documents SET version = version + 1, org = ?, key = ?, ref = ?, status = ?,
		amount_minor = ?, currency = ?, body = ?, updated_at = ? WHERE tenant = ? AND kind = ? AND id = ? AND version = ?`,
		d.Org, key, d.Ref, d.Status, minor, cur, []byte(d.Body), at, d.Tenant, d.Kind, d.ID, d.Version)
	if err != nil {
		return 0, wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		cur, err := r.Get(ctx, d.Tenant, d.Kind, d.ID)
		if err != nil {
			return 0, err
		}
		return 0, conflict(op, "%s %s is at version %d, not %d", d.Kind, d.ID, cur.Version, d.Version)
	}
	return d.Version + 1, nil
}

func (r documentRepo) PutBatch(ctx context.Context, ds []ports.Document) error {
	for i, d := range ds {
		if d.Version != 0 {
			return invalid("embedded.Documents.PutBatch", fmt.Errorf("document %d: PutBatch only creates (version 0)", i))
		}
		if _, err := r.Put(ctx, d); err != nil {
			return fmt.Errorf("document %d: %w", i, err)
		}
	}
	return nil
}

func (r documentRepo) Get(ctx context.Context, tenant, kind, id string) (ports.Document, error) {
	return r.one(ctx, "embedded.Documents.Get", `id = ?`, tenant, kind, id)
}

func (r documentRepo) ByKey(ctx context.Context, tenant, kind, key string) (ports.Document, error) {
	return r.one(ctx, "embedded.Documents.ByKey", `key = ?`, tenant, kind, key)
}

func (r documentRepo) one(ctx context.Context, op, where, tenant, kind, v string) (ports.Document, error) {
	d, _, err := scanDocument(r.tx.tx.QueryRowContext(ctx, `SELECT `+documentCols+` FROM documents WHERE tenant = ? AND kind = ? AND `+where,
		tenant, kind, v))
	if errors.Is(err, sql.ErrNoRows) {
		return d, notFound(op, kind+" "+v)
	}
	return d, wrap(op, err)
}

func (r documentRepo) List(ctx context.Context, q ports.DocumentQuery) ([]ports.Document, string, error) {
	const op = "embedded.Documents.List"
	after, err := cursor(op, q.Page)
	if err != nil {
		return nil, "", err
	}
	n := q.Page.Size()
	rows, err := r.tx.tx.QueryContext(ctx, `SELECT `+documentCols+` FROM documents
		WHERE tenant = ?1 AND kind = ?2 AND seq > ?3 AND (?4 = '' OR org = ?4) AND (?5 = '' OR ref = ?5) AND (?6 = '' OR status = ?6)
		ORDER BY seq LIMIT ?7`, q.Tenant, q.Kind, after, q.Org, q.Ref, q.Status, n+1)
	if err != nil {
		return nil, "", wrap(op, err)
	}
	return page(op, rows, n, scanDocument)
}

func scanDocument(s scanner) (ports.Document, int64, error) {
	var d ports.Document
	var seq int64
	var key, cur sql.NullString
	var minor, at sql.NullInt64
	var body []byte
	if err := s.Scan(&seq, &d.Tenant, &d.Kind, &d.ID, &d.Version, &d.Org, &key, &d.Ref, &d.Status, &minor, &cur, &body, &at); err != nil {
		return d, 0, err
	}
	amt, err := amountOf(minor, cur)
	if err != nil {
		return d, 0, err
	}
	d.Key, d.Amount, d.Body, d.UpdatedAt = key.String, amt, body, fromUS(at)
	return d, seq, nil
}
