package embedded

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/revhub/revhub/ports"
)

type artifactRepo struct{ *tx }

const artifactCols = `tenant, id, org, direction, media_type, sha256, source, created_at, parent, status`

func (r artifactRepo) Put(ctx context.Context, a ports.Artifact) error {
	const op = "embedded.Artifacts.Put"
	if err := a.Check(); err != nil {
		return invalid(op, err)
	}
	a = a.WithDefaults()
	res, err := r.tx.tx.ExecContext(ctx, `INSERT INTO artifacts (`+artifactCols+`, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
		a.Tenant, a.ID, a.Org, string(a.Direction), a.MediaType, a.SHA256[:], a.Source, us(orNow(a.CreatedAt, r.now)),
		a.Parent, string(a.Status), a.Body)
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return conflict(op, "tenant %s already has artifact %s", a.Tenant, a.ID)
	}
	return nil
}

func (r artifactRepo) Get(ctx context.Context, tenant, id string) (ports.Artifact, error) {
	const op = "embedded.Artifacts.Get"
	var body []byte
	a, err := scanArtifact(r.tx.tx.QueryRowContext(ctx, `SELECT `+artifactCols+`, body FROM artifacts WHERE tenant = ? AND id = ?`,
		tenant, id), &body)
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound(op, "artifact "+id)
	}
	if err != nil {
		return a, wrap(op, err)
	}
	a.Body = body
	return a, nil
}

func (r artifactRepo) Stages(ctx context.Context, tenant, id string) ([]ports.Artifact, error) {
	const op = "embedded.Artifacts.Stages"
	rows, err := r.tx.tx.QueryContext(ctx, `SELECT `+artifactCols+` FROM artifacts WHERE tenant = ? AND parent = ? AND parent <> '' ORDER BY seq`, tenant, id)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer rows.Close()
	var out []ports.Artifact
	for rows.Next() {
		a, err := scanArtifact(rows, nil)
		if err != nil {
			return nil, wrap(op, err)
		}
		out = append(out, a)
	}
	return out, wrap(op, rows.Err())
}

func (r artifactRepo) SetStatus(ctx context.Context, tenant, id string, s ports.ArtifactStatus) error {
	const op = "embedded.Artifacts.SetStatus"
	if s != ports.Resolved && s != ports.Unresolved {
		return invalid(op, errors.New(`status must be "resolved" or "unresolved"`))
	}
	res, err := r.tx.tx.ExecContext(ctx, `UPDATE artifacts SET status = ? WHERE tenant = ? AND id = ?`, string(s), tenant, id)
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound(op, "artifact "+id)
	}
	return nil
}

func (r artifactRepo) Link(ctx context.Context, tenant, id string, ref ports.Ref) error {
	const op = "embedded.Artifacts.Link"
	var n int
	if err := r.tx.tx.QueryRowContext(ctx, `SELECT count(*) FROM artifacts WHERE tenant = ? AND id = ?`, tenant, id).Scan(&n); err != nil {
		return wrap(op, err)
	}
	if n == 0 {
		return notFound(op, "artifact "+id)
	}
	_, err := r.tx.tx.ExecContext(ctx, `INSERT INTO artifact_links (tenant, artifact_id, ref_kind, ref_id) VALUES (?, ?, ?, ?)
		ON CONFLICT DO NOTHING`, tenant, id, ref.Kind, ref.ID)
	return wrap(op, err)
}

func (r artifactRepo) Links(ctx context.Context, tenant, id string) ([]ports.Ref, error) {
	const op = "embedded.Artifacts.Links"
	rows, err := r.tx.tx.QueryContext(ctx, `SELECT ref_kind, ref_id FROM artifact_links WHERE tenant = ? AND artifact_id = ? ORDER BY seq`, tenant, id)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer rows.Close()
	var out []ports.Ref
	for rows.Next() {
		var ref ports.Ref
		if err := rows.Scan(&ref.Kind, &ref.ID); err != nil {
			return nil, wrap(op, err)
		}
		out = append(out, ref)
	}
	return out, wrap(op, rows.Err())
}

// Prune keeps every artifact that is unresolved or young, and every
// ancestor of a kept one, and deletes the rest with their links.
func (r artifactRepo) Prune(ctx context.Context, tenant string, before time.Time) (int, error) {
	const op = "embedded.Artifacts.Prune"
	res, err := r.tx.tx.ExecContext(ctx, `WITH RECURSIVE kept(id) AS (
			SELECT id FROM artifacts WHERE tenant = ?1 AND NOT (status = 'resolved' AND created_at < ?2)
			UNION
			SELECT a.parent FROM artifacts a JOIN kept k ON a.id = k.id WHERE a.tenant = ?1 AND a.parent <> ''
		)
		DELETE FROM artifacts WHERE tenant = ?1 AND status = 'resolved' AND created_at < ?2 AND id NOT IN (SELECT id FROM kept)`,
		tenant, us(before))
	if err != nil {
		return 0, wrap(op, err)
	}
	n, _ := res.RowsAffected()
	if _, err := r.tx.tx.ExecContext(ctx, `DELETE FROM artifact_links WHERE tenant = ?1
		AND artifact_id NOT IN (SELECT id FROM artifacts WHERE tenant = ?1)`, tenant); err != nil {
		return 0, wrap(op, err)
	}
	return int(n), nil
}

func scanArtifact(s scanner, body *[]byte) (ports.Artifact, error) {
	var a ports.Artifact
	var dir, status string
	var sum []byte
	var created sql.NullInt64
	dest := []any{&a.Tenant, &a.ID, &a.Org, &dir, &a.MediaType, &sum, &a.Source, &created, &a.Parent, &status}
	if body != nil {
		dest = append(dest, body)
	}
	if err := s.Scan(dest...); err != nil {
		return a, err
	}
	a.Direction, a.Status, a.CreatedAt = ports.Direction(dir), ports.ArtifactStatus(status), fromUS(created)
	copy(a.SHA256[:], sum)
	return a, nil
}
