package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

type syncRepo struct{ *tx }

func (r syncRepo) Received(ctx context.Context, tenant, org, binding string, amount *money.Amount, at time.Time) error {
	return r.ReceivedN(ctx, tenant, org, binding, 1, amount, at)
}

func (r syncRepo) touch(ctx context.Context, op, tenant, org, binding string) error {
	_, err := r.tx.tx.Exec(ctx, `INSERT INTO sync_bindings (tenant, org, binding) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
		tenant, org, binding)
	return wrap(op, err)
}

func (r syncRepo) Note(ctx context.Context, tenant, org, binding string, ok bool, errText string, at time.Time) error {
	const op = "postgres.Sync.Note"
	if err := r.touch(ctx, op, tenant, org, binding); err != nil {
		return err
	}
	var err error
	if ok {
		_, err = r.tx.tx.Exec(ctx, `UPDATE sync_bindings SET last_success_at = $1 WHERE tenant = $2 AND org = $3 AND binding = $4`,
			at.UTC(), tenant, org, binding)
	} else {
		_, err = r.tx.tx.Exec(ctx, `UPDATE sync_bindings SET last_error = $1, last_error_at = $2 WHERE tenant = $3 AND org = $4 AND binding = $5`,
			errText, at.UTC(), tenant, org, binding)
	}
	return wrap(op, err)
}

func (r syncRepo) SetBreaker(ctx context.Context, tenant, org, binding string, s delivery.BreakerState, at time.Time) error {
	const op = "postgres.Sync.SetBreaker"
	if err := r.touch(ctx, op, tenant, org, binding); err != nil {
		return err
	}
	_, err := r.tx.tx.Exec(ctx, `UPDATE sync_bindings SET breaker = $1, breaker_since = CASE WHEN breaker = $1 THEN breaker_since ELSE $2 END
		WHERE tenant = $3 AND org = $4 AND binding = $5`, string(s), at.UTC(), tenant, org, binding)
	return wrap(op, err)
}

func (r syncRepo) Status(ctx context.Context, q ports.SyncQuery, now time.Time) ([]ports.SyncStatus, error) {
	const op = "postgres.Sync.Status"
	b := statusBuilder{SyncStatusSet: ports.NewSyncStatusSet(q.Tenant), errAt: map[[2]string]time.Time{}}
	filter := `tenant = $1 AND ($2 = '' OR org = $2) AND ($3 = '' OR binding = $3)`
	steps := []struct {
		query string
		scan  func(pgx.Rows) error
	}{
		{`SELECT org, binding, state, coalesce(currency, ''), count(*), coalesce(sum(amount_minor), 0)::bigint FROM outbox WHERE ` + filter +
			` GROUP BY org, binding, state, currency`, b.outboxTally},
		{`SELECT org, binding, max(sent_at), min(CASE WHEN state IN ('pending', 'failed') THEN created_at END), max(last_error_at)
			FROM outbox WHERE ` + filter + ` GROUP BY org, binding`, b.outboxTimes(now)},
		{`SELECT org, binding, currency, count, amount_minor FROM sync_received WHERE ` + filter, b.received},
		{`SELECT org, binding, last_success_at, last_error, last_error_at, breaker, breaker_since FROM sync_bindings WHERE ` + filter, b.binding},
	}
	for _, s := range steps {
		rows, err := r.tx.tx.Query(ctx, s.query, q.Tenant, q.Org, q.Binding)
		if err != nil {
			return nil, wrap(op, err)
		}
		for rows.Next() && err == nil {
			err = s.scan(rows)
		}
		rows.Close()
		if err == nil {
			err = rows.Err()
		}
		if err != nil {
			return nil, wrap(op, err)
		}
	}
	for k, at := range b.errAt {
		var msg string
		err := r.tx.tx.QueryRow(ctx, `SELECT last_error FROM outbox WHERE tenant = $1 AND org = $2 AND binding = $3 AND last_error_at = $4 LIMIT 1`,
			q.Tenant, k[0], k[1], at).Scan(&msg)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, wrap(op, err)
		}
		b.NoteError(k[0], k[1], msg, at)
	}
	return b.List(), nil
}

// statusBuilder scans Status's rows into a ports.SyncStatusSet and keeps
// the time of each binding's newest outbox error for the message lookup.
type statusBuilder struct {
	*ports.SyncStatusSet
	errAt map[[2]string]time.Time
}

func (b *statusBuilder) outboxTally(rows pgx.Rows) error {
	var org, binding, state, cur string
	var n, minor int64
	if err := rows.Scan(&org, &binding, &state, &cur, &n, &minor); err != nil {
		return err
	}
	return b.AddOutbox(org, binding, state, cur, n, minor)
}

func (b *statusBuilder) outboxTimes(now time.Time) func(pgx.Rows) error {
	return func(rows pgx.Rows) error {
		var org, binding string
		var sent, oldest, errAt *time.Time
		if err := rows.Scan(&org, &binding, &sent, &oldest, &errAt); err != nil {
			return err
		}
		b.SetOutboxTimes(org, binding, utc(sent), utc(oldest), now)
		if errAt != nil {
			b.errAt[[2]string{org, binding}] = *errAt
		}
		return nil
	}
}

func (b *statusBuilder) received(rows pgx.Rows) error {
	var org, binding, cur string
	var n, minor int64
	if err := rows.Scan(&org, &binding, &cur, &n, &minor); err != nil {
		return err
	}
	return b.AddReceived(org, binding, cur, n, minor)
}

func (b *statusBuilder) binding(rows pgx.Rows) error {
	var org, binding, msg, breaker string
	var ok, errAt, since *time.Time
	if err := rows.Scan(&org, &binding, &ok, &msg, &errAt, &breaker, &since); err != nil {
		return err
	}
	b.SetNotes(org, binding, utc(ok), msg, utc(errAt), breaker, utc(since))
	return nil
}
