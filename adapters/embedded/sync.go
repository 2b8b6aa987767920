package embedded

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/ports"
)

type syncRepo struct{ *tx }

func (r syncRepo) Received(ctx context.Context, tenant, org, binding string, amount *money.Amount, at time.Time) error {
	return r.ReceivedN(ctx, tenant, org, binding, 1, amount, at)
}

func (r syncRepo) touch(ctx context.Context, op, tenant, org, binding string) error {
	_, err := r.tx.tx.ExecContext(ctx, `INSERT INTO sync_bindings (tenant, org, binding) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
		tenant, org, binding)
	return wrap(op, err)
}

func (r syncRepo) Note(ctx context.Context, tenant, org, binding string, ok bool, errText string, at time.Time) error {
	const op = "embedded.Sync.Note"
	if err := r.touch(ctx, op, tenant, org, binding); err != nil {
		return err
	}
	q := `UPDATE sync_bindings SET last_error = ?, last_error_at = ? WHERE tenant = ? AND org = ? AND binding = ?`
	args := []any{errText, us(at), tenant, org, binding}
	if ok {
		q = `UPDATE sync_bindings SET last_success_at = ? WHERE tenant = ? AND org = ? AND binding = ?`
		args = []any{us(at), tenant, org, binding}
	}
	_, err := r.tx.tx.ExecContext(ctx, q, args...)
	return wrap(op, err)
}

func (r syncRepo) SetBreaker(ctx context.Context, tenant, org, binding string, s delivery.BreakerState, at time.Time) error {
	const op = "embedded.Sync.SetBreaker"
	if err := r.touch(ctx, op, tenant, org, binding); err != nil {
		return err
	}
	_, err := r.tx.tx.ExecContext(ctx, `UPDATE sync_bindings SET breaker = ?, breaker_since = CASE WHEN breaker = ? THEN breaker_since ELSE ? END
		WHERE tenant = ? AND org = ? AND binding = ?`, string(s), string(s), us(at), tenant, org, binding)
	return wrap(op, err)
}

func (r syncRepo) Status(ctx context.Context, q ports.SyncQuery, now time.Time) ([]ports.SyncStatus, error) {
	const op = "embedded.Sync.Status"
	b := statusBuilder{SyncStatusSet: ports.NewSyncStatusSet(q.Tenant), errAt: map[[2]string]int64{}}
	filter := `tenant = ?1 AND (?2 = '' OR org = ?2) AND (?3 = '' OR binding = ?3)`
	args := []any{q.Tenant, q.Org, q.Binding}
	steps := []struct {
		query string
		scan  func(*sql.Rows) error
	}{
		{`SELECT org, binding, state, coalesce(currency, ''), count(*), coalesce(sum(amount_minor), 0) FROM outbox WHERE ` + filter +
			` GROUP BY org, binding, state, currency`, b.outboxTally},
		{`SELECT org, binding, max(sent_at), min(CASE WHEN state IN ('pending', 'failed') THEN created_at END), max(last_error_at)
			FROM outbox WHERE ` + filter + ` GROUP BY org, binding`, b.outboxTimes(now)},
		{`SELECT org, binding, currency, count, amount_minor FROM sync_received WHERE ` + filter, b.received},
		{`SELECT org, binding, last_success_at, last_error, last_error_at, breaker, breaker_since FROM sync_bindings WHERE ` + filter, b.binding},
	}
	for _, s := range steps {
		if err := r.each(ctx, s.query, args, s.scan); err != nil {
			return nil, wrap(op, err)
		}
	}
	for k, at := range b.errAt {
		var msg string
		err := r.tx.tx.QueryRowContext(ctx, `SELECT last_error FROM outbox WHERE tenant = ? AND org = ? AND binding = ? AND last_error_at = ? LIMIT 1`,
			q.Tenant, k[0], k[1], at).Scan(&msg)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, wrap(op, err)
		}
		b.NoteError(k[0], k[1], msg, fromUS(sql.NullInt64{Int64: at, Valid: true}))
	}
	return b.List(), nil
}

func (r syncRepo) each(ctx context.Context, query string, args []any, scan func(*sql.Rows) error) error {
	rows, err := r.tx.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// statusBuilder scans Status's rows into a ports.SyncStatusSet and keeps
// the time of each binding's newest outbox error for the message lookup.
type statusBuilder struct {
	*ports.SyncStatusSet
	errAt map[[2]string]int64
}

func (b *statusBuilder) outboxTally(rows *sql.Rows) error {
	var org, binding, state, cur string
	var n, minor int64
	if err := rows.Scan(&org, &binding, &state, &cur, &n, &minor); err != nil {
		return err
	}
	return b.AddOutbox(org, binding, state, cur, n, minor)
}

func (b *statusBuilder) outboxTimes(now time.Time) func(*sql.Rows) error {
	return func(rows *sql.Rows) error {
		var org, binding string
		var sent, oldest, errAt sql.NullInt64
		if err := rows.Scan(&org, &binding, &sent, &oldest, &errAt); err != nil {
			return err
		}
		b.SetOutboxTimes(org, binding, fromUS(sent), fromUS(oldest), now)
		if errAt.Valid {
			b.errAt[[2]string{org, binding}] = errAt.Int64
		}
		return nil
	}
}

func (b *statusBuilder) received(rows *sql.Rows) error {
	var org, binding, cur string
	var n, minor int64
	if err := rows.Scan(&org, &binding, &cur, &n, &minor); err != nil {
		return err
	}
	return b.AddReceived(org, binding, cur, n, minor)
}

func (b *statusBuilder) binding(rows *sql.Rows) error {
	var org, binding, msg, breaker string
	var ok, errAt, since sql.NullInt64
	if err := rows.Scan(&org, &binding, &ok, &msg, &errAt, &breaker, &since); err != nil {
		return err
	}
	b.SetNotes(org, binding, fromUS(ok), msg, fromUS(errAt), breaker, fromUS(since))
	return nil
}
