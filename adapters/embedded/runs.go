package embedded

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math"
	"time"

	"github.com/revhub/revhub/ports"
)

type runRepo struct{ *tx }

const runCols = `seq, tenant, id, kind, status, started_at, finished_at, parent, summary`

func (r runRepo) Start(ctx context.Context, run ports.Run) error {
	const op = "embedded.Runs.Start"
	if err := run.Check(); err != nil {
		return invalid(op, err)
	}
	res, err := r.tx.tx.ExecContext(ctx, `INSERT INTO runs (tenant, id, kind, status, started_at, parent, summary)
		VALUES (?, ?, ?, 'running', ?, ?, ?) ON CONFLICT DO NOTHING`,
		run.Tenant, run.ID, run.Kind, us(orNow(run.StartedAt, r.now)), run.Parent, nullBytes(run.Summary))
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return conflict(op, "tenant %s already has run %s", run.Tenant, run.ID)
	}
	return nil
}

func (r runRepo) Finish(ctx context.Context, tenant, id string, s ports.RunStatus, summary json.RawMessage, at time.Time) error {
	const op = "embedded.Runs.Finish"
	if s == ports.RunRunning || s == "" {
		return invalid(op, errors.New("a run finishes as succeeded, failed or dry_run"))
	}
	if len(summary) > 0 && !json.Valid(summary) {
		return invalid(op, errors.New("summary is not valid JSON"))
	}
	res, err := r.tx.tx.ExecContext(ctx, `UPDATE runs SET status = ?, summary = coalesce(?, summary), finished_at = ?
		WHERE tenant = ? AND id = ? AND status = 'running'`, string(s), nullBytes(summary), us(orNow(at, r.now)), tenant, id)
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		if _, err := r.Get(ctx, tenant, id); err != nil {
			return err
		}
		return conflict(op, "run %s is already finished", id)
	}
	return nil
}

func (r runRepo) Get(ctx context.Context, tenant, id string) (ports.Run, error) {
	const op = "embedded.Runs.Get"
	run, _, err := scanRun(r.tx.tx.QueryRowContext(ctx, `SELECT `+runCols+` FROM runs WHERE tenant = ? AND id = ?`, tenant, id))
	if errors.Is(err, sql.ErrNoRows) {
		return run, notFound(op, "run "+id)
	}
	return run, wrap(op, err)
}

func (r runRepo) List(ctx context.Context, q ports.RunQuery) ([]ports.Run, string, error) {
	const op = "embedded.Runs.List"
	before, err := cursor(op, q.Page)
	if err != nil {
		return nil, "", err
	}
	if before == 0 {
		before = math.MaxInt64
	}
	n := q.Page.Size()
	rows, err := r.tx.tx.QueryContext(ctx, `SELECT `+runCols+` FROM runs
		WHERE tenant = ?1 AND seq < ?2 AND (?3 = '' OR kind = ?3) AND (?4 = '' OR parent = ?4)
		ORDER BY seq DESC LIMIT ?5`, q.Tenant, before, q.Kind, q.Parent, n+1)
	if err != nil {
		return nil, "", wrap(op, err)
	}
	return page(op, rows, n, scanRun)
}

func scanRun(s scanner) (ports.Run, int64, error) {
	var run ports.Run
	var seq int64
	var status string
	var started, finished sql.NullInt64
	var summary []byte
	if err := s.Scan(&seq, &run.Tenant, &run.ID, &run.Kind, &status, &started, &finished, &run.Parent, &summary); err != nil {
		return run, 0, err
	}
	run.Status, run.StartedAt, run.FinishedAt = ports.RunStatus(status), fromUS(started), fromUS(finished)
	if len(summary) > 0 {
		run.Summary = summary
	}
	return run, seq, nil
}
