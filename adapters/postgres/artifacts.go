package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/ports"
)

type artifactRepo struct{ *tx }

const artifactCols = `tenant, id, org, direction, media_type, sha256, source, created_at, parent, status`

func (r artifactRepo) Put(ctx context.Context, a ports.Artifact) error {
	const op = "postgres.Artifacts.Put"
	if err := a.Check(); err != nil {
		return invalid(op, err)
	}
	tag, err := r.tx.tx.Exec(ctx, `INSERT INTO artifacts (`+artifactCols+`, body)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) ON CONFLICT DO NOTHING`, r.row(a)...)
	if err != nil {
		return wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		return conflict(op, "tenant %s already has artifact %s", a.Tenant, a.ID)
	}
	return nil
}

// row is a checked artifact as the values of artifactCopyCols.
func (r artifactRepo) row(a ports.Artifact) []any {
	row := make([]any, len(artifactCopyCols))
	sum := a.WithDefaults().SHA256
	r.copyRow(row, a, sum[:], nil)
	return row
}

func (r artifactRepo) Get(ctx context.Context, tenant, id string) (ports.Artifact, error) {
	const op = "postgres.Artifacts.Get"
	var body []byte
	a, err := scanArtifact(r.tx.tx.QueryRow(ctx, `SELECT `+artifactCols+`, body FROM artifacts WHERE tenant = $1 AND id = $2`, tenant, id), &body)
	if errors.Is(err, pgx.ErrNoRows) {
		return a, notFound(op, "artifact "+id)
	}
	if err != nil {
		return a, wrap(op, err)
	}
	a.Body = body
	return a, nil
}

func (r artifactRepo) Stages(ctx context.Context, tenant, id string) ([]ports.Artifact, error) {
	rows, err := r.tx.tx.Query(ctx, `SELECT `+artifactCols+` FROM artifacts WHERE tenant = $1 AND parent = $2 AND parent <> '' ORDER BY seq`, tenant, id)
	if err != nil {
		return nil, wrap("postgres.Artifacts.Stages", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ports.Artifact, error) { return scanArtifact(row, nil) })
	return out, wrap("postgres.Artifacts.Stages", err)
}

func (r artifactRepo) SetStatus(ctx context.Context, tenant, id string, s ports.ArtifactStatus) error {
	const op = "postgres.Artifacts.SetStatus"
	if s != ports.Resolved && s != ports.Unresolved {
		return invalid(op, errors.New(`status must be "resolved" or "unresolved"`))
	}
	tag, err := r.tx.tx.Exec(ctx, `UPDATE artifacts SET status = $1 WHERE tenant = $2 AND id = $3`, string(s), tenant, id)
	if err != nil {
		return wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		return notFound(op, "artifact "+id)
	}
	return nil
}

func (r artifactRepo) Link(ctx context.Context, tenant, id string, ref ports.Ref) error {
	const op = "postgres.Artifacts.Link"
	tag, err := r.tx.tx.Exec(ctx, `INSERT INTO artifact_links (tenant, artifact_id, ref_kind, ref_id)
		SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM artifacts WHERE tenant = $1 AND id = $2)
		ON CONFLICT DO NOTHING`, tenant, id, ref.Kind, ref.ID)
	if err != nil {
		return wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		var exists bool
		if err := r.tx.tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM artifacts WHERE tenant = $1 AND id = $2)`, tenant, id).Scan(&exists); err != nil {
			return wrap(op, err)
		}
		if !exists {
			return notFound(op, "artifact "+id)
		}
	}
	return nil
}

func (r artifactRepo) Links(ctx context.Context, tenant, id string) ([]ports.Ref, error) {
	rows, err := r.tx.tx.Query(ctx, `SELECT ref_kind, ref_id FROM artifact_links WHERE tenant = $1 AND artifact_id = $2 ORDER BY seq`, tenant, id)
	if err != nil {
		return nil, wrap("postgres.Artifacts.Links", err)
	}
	out, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (ports.Ref, error) {
		var ref ports.Ref
		err := row.Scan(&ref.Kind, &ref.ID)
		return ref, err
	})
	return out, wrap("postgres.Artifacts.Links", err)
}

// Prune keeps every artifact that is unresolved or young, and every
// ancestor of a kept one, and deletes the rest with their links.
func (r artifactRepo) Prune(ctx context.Context, tenant string, before time.Time) (int, error) {
	const op = "postgres.Artifacts.Prune"
	tag, err := r.tx.tx.Exec(ctx, `WITH RECURSIVE kept(id) AS (
			SELECT id FROM artifacts WHERE tenant = $1 AND NOT (status = 'resolved' AND created_at < $2)
			UNION
			SELECT a.parent FROM artifacts a JOIN kept k ON a.id = k.id WHERE a.tenant = $1 AND a.parent <> ''
		)
		DELETE FROM artifacts WHERE tenant = $1 AND status = 'resolved' AND created_at < $2 AND id NOT IN (SELECT id FROM kept)`,
		tenant, before.UTC())
	if err != nil {
		return 0, wrap(op, err)
	}
	if _, err := r.tx.tx.Exec(ctx, `DELETE FROM artifact_links l WHERE l.tenant = $1
		AND NOT EXISTS (SELECT 1 FROM artifacts a WHERE a.tenant = $1 AND a.id = l.artifact_id)`, tenant); err != nil {
		return 0, wrap(op, err)
	}
	return int(tag.RowsAffected()), nil
}

func scanArtifact(s pgx.Row, body *[]byte) (ports.Artifact, error) {
	var a ports.Artifact
	var dir, status string
	var sum []byte
	dest := []any{&a.Tenant, &a.ID, &a.Org, &dir, &a.MediaType, &sum, &a.Source, &a.CreatedAt, &a.Parent, &status}
	if body != nil {
		dest = append(dest, body)
	}
	if err := s.Scan(dest...); err != nil {
		return a, err
	}
	a.Direction, a.Status, a.CreatedAt = ports.Direction(dir), ports.ArtifactStatus(status), a.CreatedAt.UTC()
	copy(a.SHA256[:], sum)
	return a, nil
}
