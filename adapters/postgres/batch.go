package postgres

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/core/audit"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

// The batch methods send many statements in one round trip (a pgx.Batch
// pipeline, or one statement over unnest'ed arrays). They exist for the
// hot paths that move thousands of rows per transaction.

// GetMany probes the unique key once per id, as ChargeItems.GetMany does.
func (r documentRepo) GetMany(ctx context.Context, tenant, kind string, ids []string) ([]ports.Document, error) {
	const op = "postgres.Documents.GetMany"
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := r.tx.tx.Query(ctx, `SELECT d.* FROM (SELECT DISTINCT unnest($3::text[])) AS u(id) CROSS JOIN LATERAL
		(SELECT `+documentCols+` FROM documents WHERE tenant = $1 AND kind = $2 AND id = u.id LIMIT 1) AS d`, tenant, kind, ids)
	if err != nil {
		return nil, wrap(op, err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ports.Document, error) {
		d, _, err := scanDocument(row)
		return d, err
	})
	return out, wrap(op, err)
}

func (r documentRepo) PutMany(ctx context.Context, ds []ports.Document) ([]int64, error) {
	const op = "postgres.Documents.PutMany"
	b := &pgx.Batch{}
	for i, d := range ds {
		args, err := r.row(d)
		if err != nil {
			return nil, invalid(op, fmt.Errorf("document %d: %w", i, err))
		}
		if d.Version == 0 {
			b.Queue(`INSERT INTO documents (tenant, kind, id, version, org, key, ref, status, amount_minor, currency, body, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING`, args...)
			continue
		}
		args[3] = d.Version
		b.Queue(`UPDATE documents SET version = version + 1, org = $5, key = $6, ref = $7, status = $8,
			amount_minor = $9, currency = $10, body = $11, updated_at = $12 WHERE tenant = $1 AND kind = $2 AND id = $3 AND version = $4`, args...)
	}
	br := r.tx.tx.SendBatch(ctx, b)
	out := make([]int64, len(ds))
	var first error
	for i, d := range ds {
		tag, err := br.Exec()
		switch {
		case first != nil:
		case err != nil:
			first = wrap(op, err)
		case tag.RowsAffected() == 0:
			first = conflict(op, "%s %s: duplicate id or key, or version %d is stale", d.Kind, d.ID, d.Version)
		}
		out[i] = d.Version + 1
	}
	if err := br.Close(); err != nil && first == nil {
		first = wrap(op, err)
	}
	if first != nil {
		return nil, first
	}
	return out, nil
}

// PutMany looks up which artifacts exist already (one index probe each)
// and COPYs the others: cheaper than INSERT … ON CONFLICT, which checks
// every row speculatively before inserting it.
func (r artifactRepo) PutMany(ctx context.Context, as []ports.Artifact) (int, error) {
	news, err := r.Missing(ctx, as)
	if err != nil {
		return 0, err
	}
	return len(news), r.Create(ctx, news)
}

func (r artifactRepo) Missing(ctx context.Context, as []ports.Artifact) ([]ports.Artifact, error) {
	const op = "postgres.Artifacts.Missing"
	if len(as) == 0 {
		return nil, nil
	}
	tenants, ids := make([]string, len(as)), make([]string, len(as))
	for i, a := range as {
		if err := a.CheckKey(); err != nil {
			return nil, invalid(op, fmt.Errorf("artifact %d: %w", i, err))
		}
		tenants[i], ids[i] = a.Tenant, a.ID
	}
	rows, err := r.tx.tx.Query(ctx, `SELECT a.tenant, a.id FROM artifacts a
		JOIN unnest($1::text[], $2::text[]) AS u(tenant, id) ON a.tenant = u.tenant AND a.id = u.id`, tenants, ids)
	if err != nil {
		return nil, wrap(op, err)
	}
	type key struct{ tenant, id string }
	seen := make(map[key]bool, len(as))
	var k key
	if _, err := pgx.ForEachRow(rows, []any{&k.tenant, &k.id}, func() error {
		seen[k] = true
		return nil
	}); err != nil {
		return nil, wrap(op, err)
	}
	// Usually every artifact is missing, once: as is returned as it is
	// rather than copied (an artifact is some 200 bytes).
	var out []ports.Artifact
	for i, a := range as {
		k := key{a.Tenant, a.ID}
		switch {
		case !seen[k] && out == nil:
		case !seen[k]:
			out = append(out, a)
		case out == nil:
			out = append(make([]ports.Artifact, 0, len(as)-1), as[:i]...)
		}
		seen[k] = true
	}
	if out == nil {
		return as[:len(as):len(as)], nil
	}
	return out, nil
}

func (r artifactRepo) Create(ctx context.Context, as []ports.Artifact) error {
	const op = "postgres.Artifacts.Create"
	if len(as) == 0 {
		return nil
	}
	n := len(artifactCopyCols)
	rows, vals := make([][]any, len(as)), make([]any, n*len(as))
	sums := make([]byte, 0, 32*len(as))
	var prev []any
	for i, a := range as {
		if err := a.Check(); err != nil {
			return invalid(op, fmt.Errorf("artifact %d: %w", i, err))
		}
		sum := a.WithDefaults().SHA256
		sums = append(sums, sum[:]...)
		rows[i] = vals[i*n : (i+1)*n : (i+1)*n]
		r.copyRow(rows[i], a, sums[32*i:32*(i+1):32*(i+1)], prev)
		prev = rows[i]
	}
	_, err := r.tx.tx.CopyFrom(ctx, pgx.Identifier{"artifacts"}, artifactCopyCols, pgx.CopyFromRows(rows))
	return wrap(op, err)
}

var artifactCopyCols = []string{"tenant", "id", "org", "direction", "media_type", "sha256", "source", "created_at", "parent", "status", "body"}

// copyRow fills row with a checked artifact as a row of artifactCopyCols,
// defaults applied, sum its SHA-256. Boxing a value in an interface
// allocates, and a batch's artifacts mostly share their tenant, org,
// direction, type, time, parent and status: where prev, the previous row
// (or nil), holds the same value, its interface is reused.
func (r artifactRepo) copyRow(row []any, a ports.Artifact, sum []byte, prev []any) {
	a = a.WithDefaults()
	row[0], row[1], row[2], row[3] = reuse(prev, 0, a.Tenant), a.ID, reuse(prev, 2, a.Org), reuse(prev, 3, string(a.Direction))
	row[4], row[5], row[6], row[7] = reuse(prev, 4, a.MediaType), sum, a.Source, reuse(prev, 7, orNow(a.CreatedAt, r.now))
	row[8], row[9], row[10] = reuse(prev, 8, a.Parent), reuse(prev, 9, string(a.Status)), a.Body
}

// reuse returns prev[i] if it holds v, else v in a new interface.
func reuse[T comparable](prev []any, i int, v T) any {
	if prev != nil {
		if p, ok := prev[i].(T); ok && p == v {
			return prev[i]
		}
	}
	return v
}

func (r artifactRepo) LinkMany(ctx context.Context, tenant string, links []ports.Link) error {
	const op = "postgres.Artifacts.LinkMany"
	if len(links) == 0 {
		return nil
	}
	art, kind, ref := make([]string, len(links)), make([]string, len(links)), make([]string, len(links))
	for i, l := range links {
		art[i], kind[i], ref[i] = l.Artifact, l.Ref.Kind, l.Ref.ID
	}
	_, err := r.tx.tx.Exec(ctx, `INSERT INTO artifact_links (tenant, artifact_id, ref_kind, ref_id)
		SELECT $1, a, k, i FROM unnest($2::text[], $3::text[], $4::text[]) AS u(a, k, i)
		ON CONFLICT DO NOTHING`, tenant, art, kind, ref)
	return wrap(op, err)
}

func (r auditRepo) InsertMany(ctx context.Context, es []audit.Entry) error {
	const op = "postgres.Audit.InsertMany"
	b := &pgx.Batch{}
	for _, e := range es {
		b.Queue(`INSERT INTO audit_entries (`+auditCols+`)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`,
			e.Tenant, e.Seq, e.Time.UTC(), e.Actor, e.Action, e.Subject, nullBytes(e.Before), nullBytes(e.After), e.Reason, e.Prev[:], e.Hash[:])
	}
	br := r.tx.tx.SendBatch(ctx, b)
	var first error
	for _, e := range es {
		tag, err := br.Exec()
		switch {
		case first != nil:
		case err != nil:
			first = wrap(op, err)
		case tag.RowsAffected() == 0:
			first = conflict(op, "tenant %s already has audit entry %d", e.Tenant, e.Seq)
		}
	}
	if err := br.Close(); err != nil && first == nil {
		first = wrap(op, err)
	}
	return first
}

func (r syncRepo) ReceivedN(ctx context.Context, tenant, org, binding string, n int64, total *money.Amount, at time.Time) error {
	const op = "postgres.Sync.ReceivedN"
	var cur string
	var minor int64
	if total != nil {
		cur, minor = string(total.Currency()), total.Minor()
	}
	if _, err := r.tx.tx.Exec(ctx, `INSERT INTO sync_received AS s (tenant, org, binding, currency, count, amount_minor)
		VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (tenant, org, binding, currency)
		DO UPDATE SET count = s.count + excluded.count, amount_minor = s.amount_minor + excluded.amount_minor`,
		tenant, org, binding, cur, n, minor); err != nil {
		return wrap(op, err)
	}
	return r.touch(ctx, op, tenant, org, binding)
}
