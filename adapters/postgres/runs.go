package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/ports"
)

type runRepo struct{ *tx }

const runCols = `seq, tenant, id, kind, status, started_at, finished_at, parent, summary`

func (r runRepo) Start(ctx context.Context, run ports.Run) error {
	const op = "postgres.Runs.Start"
	if err := run.Check(); err != nil {
		return invalid(op, err)
	}
	tag, err := r.tx.tx.Exec(ctx, `INSERT INTO runs (tenant, id, kind, status, started_at, parent, summary)
		VALUES ($1, $2, $3, 'running', $4, $5, $6) ON CONFLICT DO NOTHING`,
		run.Tenant, run.ID, run.Kind, orNow(run.StartedAt, r.now), run.Parent, jsonArg(run.Summary))
	if err != nil {
		return wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		return conflict(op, "tenant %s already has run %s", run.Tenant, run.ID)
	}
	return nil
}

func (r runRepo) Finish(ctx context.Context, tenant, id string, s ports.RunStatus, summary json.RawMessage, at time.Time) error {
	const op = "postgres.Runs.Finish"
	if s == ports.RunRunning || s == "" {
		return invalid(op, errors.New("a run finishes as succeeded, failed or dry_run"))
	}
	if len(summary) > 0 && !json.Valid(summary) {
		return invalid(op, errors.New("summary is not valid JSON"))
	}
	tag, err := r.tx.tx.Exec(ctx, `UPDATE runs SET status = $1, summary = coalesce($2, summary), finished_at = $3
		WHERE tenant = $4 AND id = $5 AND status = 'running'`, string(s), jsonArg(summary), orNow(at, r.now), tenant, id)
	if err != nil {
		return wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		if _, err := r.Get(ctx, tenant, id); err != nil {
			return err
		}
		return conflict(op, "run %s is already finished", id)
	}
	return nil
}

func (r runRepo) Get(ctx context.Context, tenant, id string) (ports.Run, error) {
	const op = "postgres.Runs.Get"
	run, _, err := scanRun(r.tx.tx.QueryRow(ctx, `SELECT `+runCols+` FROM runs WHERE tenant = $1 AND id = $2`, tenant, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return run, notFound(op, "run "+id)
	}
	return run, wrap(op, err)
}

func (r runRepo) List(ctx context.Context, q ports.RunQuery) ([]ports.Run, string, error) {
	const op = "postgres.Runs.List"
	before, err := cursor(op, q.Page)
	if err != nil {
		return nil, "", err
	}
	if before == 0 {
		before = math.MaxInt64
	}
	n := q.Page.Size()
	rows, err := r.tx.tx.Query(ctx, `SELECT `+runCols+` FROM runs
		WHERE tenant = $1 AND seq < $2 AND ($3 = '' OR kind = $3) AND ($4 = '' OR parent = $4)
		ORDER BY seq DESC LIMIT $5`, q.Tenant, before, q.Kind, q.Parent, n+1)
	if err != nil {
		return nil, "", wrap(op, err)
	}
	return page(op, rows, n, scanRun)
}

func scanRun(s pgx.Row) (ports.Run, int64, error) {
	var run ports.Run
	var seq int64
	var status string
	var finished *time.Time
	var summary []byte
	if err := s.Scan(&seq, &run.Tenant, &run.ID, &run.Kind, &status, &run.StartedAt, &finished, &run.Parent, &summary); err != nil {
		return run, 0, err
	}
	run.Status, run.StartedAt, run.FinishedAt = ports.RunStatus(status), run.StartedAt.UTC(), utc(finished)
	if len(summary) > 0 {
		run.Summary = summary
	}
	return run, seq, nil
}

// jsonArg passes JSON text to a jsonb column; empty means NULL.
func jsonArg(b json.RawMessage) any {
	if len(b) == 0 {
		return nil
	}
	return string(b)
}
