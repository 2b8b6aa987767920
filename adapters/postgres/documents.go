package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/ports"
)

type documentRepo struct{ *tx }

const documentCols = `seq, tenant, kind, id, version, org, key, ref, status, amount_minor, currency, body, updated_at`

var documentInsertCols = []string{"tenant", "kind", "id", "version", "org", "key", "ref", "status", "amount_minor", "currency", "body", "updated_at"}

func (r documentRepo) row(d ports.Document) ([]any, error) {
	if err := d.Check(); err != nil {
		return nil, err
	}
	minor, cur := amountCols(d.Amount)
	var key *string
	if d.Key != "" {
		key = &d.Key
	}
	return []any{d.Tenant, d.Kind, d.ID, int64(1), d.Org, key, d.Ref, d.Status, minor, cur, string(d.Body), orNow(d.UpdatedAt, r.now)}, nil
}

func (r documentRepo) Put(ctx context.Context, d ports.Document) (int64, error) {
	const op = "postgres.Documents.Put"
	args, err := r.row(d)
	if err != nil {
		return 0, invalid(op, err)
	}
	if d.Version == 0 {
		tag, err := r.tx.tx.Exec(ctx, `INSERT INTO documents (tenant, kind, id, version, org, key, ref, status, amount_minor, currency, body, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`, args...)
		if err != nil {
			return 0, wrap(op, err)
		}
		if tag.RowsAffected() == 0 {
			return 0, conflict(op, "%s %s or its key %q exists already", d.Kind, d.ID, d.Key)
		}
		return 1, nil
	}
	if d.Key != "" {
		var taken bool
		if err := r.tx.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM documents WHERE tenant = $1 AND kind = $2 AND key = $3 AND id <> $4)`,
			d.Tenant, d.Kind, d.Key, d.ID).Scan(&taken); err != nil {
			return 0, wrap(op, err)
		}
		if taken {
			return 0, conflict(op, "another %s has key %q", d.Kind, d.Key)
		}
	}
	args[3] = d.Version
	tag, err := r.tx.tx.Exec(ctx, `UPDATE documents SET version = version + 1, org = $5, key = $6, ref = $7, status = $8,
		amount_minor = $9, currency = $10, body = $11, updated_at = $12 WHERE tenant = $1 AND kind = $2 AND id = $3 AND version = $4`, args...)
	if err != nil {
		return 0, wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		cur, err := r.Get(ctx, d.Tenant, d.Kind, d.ID)
		if err != nil {
			return 0, err
		}
		return 0, conflict(op, "%s %s is at version %d, not %d", d.Kind, d.ID, cur.Version, d.Version)
	}
	return d.Version + 1, nil
}

// PutBatch writes new documents with COPY.
func (r documentRepo) PutBatch(ctx context.Context, ds []ports.Document) error {
	const op = "postgres.Documents.PutBatch"
	rows := make([][]any, len(ds))
	for i, d := range ds {
		if d.Version != 0 {
			return invalid(op, fmt.Errorf("document %d: PutBatch only creates (version 0)", i))
		}
		row, err := r.row(d)
		if err != nil {
			return invalid(op, fmt.Errorf("document %d: %w", i, err))
		}
		rows[i] = row
	}
	_, err := r.tx.tx.CopyFrom(ctx, pgx.Identifier{"documents"}, documentInsertCols, pgx.CopyFromRows(rows))
	r.tx.bulk = true
	return wrap(op, err)
}

func (r documentRepo) Get(ctx context.Context, tenant, kind, id string) (ports.Document, error) {
	return r.one(ctx, "postgres.Documents.Get", `id = $3`, tenant, kind, id)
}

func (r documentRepo) ByKey(ctx context.Context, tenant, kind, key string) (ports.Document, error) {
	return r.one(ctx, "postgres.Documents.ByKey", `key = $3`, tenant, kind, key)
}

func (r documentRepo) one(ctx context.Context, op, where, tenant, kind, v string) (ports.Document, error) {
	d, _, err := scanDocument(r.tx.tx.QueryRow(ctx, `SELECT `+documentCols+` FROM documents WHERE tenant = $1 AND kind = $2 AND `+where,
		tenant, kind, v))
	if errors.Is(err, pgx.ErrNoRows) {
		return d, notFound(op, kind+" "+v)
	}
	return d, wrap(op, err)
}

func (r documentRepo) List(ctx context.Context, q ports.DocumentQuery) ([]ports.Document, string, error) {
	const op = "postgres.Documents.List"
	after, err := cursor(op, q.Page)
	if err != nil {
		return nil, "", err
	}
	n := q.Page.Size()
	rows, err := r.tx.tx.Query(ctx, `SELECT `+documentCols+` FROM documents
		WHERE tenant = $1 AND kind = $2 AND seq > $3 AND ($4 = '' OR org = $4) AND ($5 = '' OR ref = $5) AND ($6 = '' OR status = $6)
		ORDER BY seq LIMIT $7`, q.Tenant, q.Kind, after, q.Org, q.Ref, q.Status, n+1)
	if err != nil {
		return nil, "", wrap(op, err)
	}
	return page(op, rows, n, scanDocument)
}

func scanDocument(s pgx.Row) (ports.Document, int64, error) {
	var d ports.Document
	var seq int64
	var key, cur *string
	var minor *int64
	var body []byte
	var at time.Time
	if err := s.Scan(&seq, &d.Tenant, &d.Kind, &d.ID, &d.Version, &d.Org, &key, &d.Ref, &d.Status, &minor, &cur, &body, &at); err != nil {
		return d, 0, err
	}
	amt, err := amountOf(minor, cur)
	if err != nil {
		return d, 0, err
	}
	if key != nil {
		d.Key = *key
	}
	d.Amount, d.Body, d.UpdatedAt = amt, body, at.UTC()
	return d, seq, nil
}
