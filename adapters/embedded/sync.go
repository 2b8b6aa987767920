package embedded

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
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
	b := statusBuilder{tenant: q.Tenant, m: map[[2]string]*ports.SyncStatus{}}
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
		b.noteError(k, msg, fromUS(sql.NullInt64{Int64: at, Valid: true}))
	}
	return b.list(), nil
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

// statusBuilder merges the outbox figures and the recorded notes.
type statusBuilder struct {
	tenant string
	m      map[[2]string]*ports.SyncStatus
	errAt  map[[2]string]int64
}

func (b *statusBuilder) get(org, binding string) *ports.SyncStatus {
	k := [2]string{org, binding}
	s := b.m[k]
	if s == nil {
		s = &ports.SyncStatus{Tenant: b.tenant, Org: org, Binding: binding, Breaker: delivery.Closed}
		b.m[k] = s
	}
	return s
}

func (b *statusBuilder) outboxTally(rows *sql.Rows) error {
	var org, binding, state, cur string
	var n, minor int64
	if err := rows.Scan(&org, &binding, &state, &cur, &n, &minor); err != nil {
		return err
	}
	s := b.get(org, binding)
	var t *ports.Tally
	switch delivery.State(state) {
	case delivery.Pending:
		t = &s.Queued
	case delivery.Sent:
		t = &s.Sent
	case delivery.Failed:
		t = &s.Failed
	case delivery.DeadLettered:
		t = &s.DeadLettered
	case delivery.OutcomeUnknown:
		t = &s.Unknown
	default:
		return fmt.Errorf("outbox state %q", state)
	}
	return t.Add(n, minor, money.Currency(cur))
}

func (b *statusBuilder) outboxTimes(now time.Time) func(*sql.Rows) error {
	return func(rows *sql.Rows) error {
		var org, binding string
		var sent, oldest, errAt sql.NullInt64
		if err := rows.Scan(&org, &binding, &sent, &oldest, &errAt); err != nil {
			return err
		}
		s := b.get(org, binding)
		s.LastSuccess = fromUS(sent)
		if oldest.Valid {
			s.OldestQueued = max(0, now.Sub(fromUS(oldest)))
		}
		if errAt.Valid {
			if b.errAt == nil {
				b.errAt = map[[2]string]int64{}
			}
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
	return b.get(org, binding).Received.Add(n, minor, money.Currency(cur))
}

func (b *statusBuilder) binding(rows *sql.Rows) error {
	var org, binding, msg, breaker string
	var ok, errAt, since sql.NullInt64
	if err := rows.Scan(&org, &binding, &ok, &msg, &errAt, &breaker, &since); err != nil {
		return err
	}
	s := b.get(org, binding)
	if t := fromUS(ok); t.After(s.LastSuccess) {
		s.LastSuccess = t
	}
	b.noteError([2]string{org, binding}, msg, fromUS(errAt))
	s.Breaker, s.BreakerSince = delivery.BreakerState(breaker), fromUS(since)
	return nil
}

func (b *statusBuilder) noteError(k [2]string, msg string, at time.Time) {
	s := b.get(k[0], k[1])
	if !at.IsZero() && !at.Before(s.LastErrorAt) {
		s.LastError, s.LastErrorAt = msg, at
	}
}

func (b *statusBuilder) list() []ports.SyncStatus {
	out := make([]ports.SyncStatus, 0, len(b.m))
	for _, s := range b.m {
		out = append(out, *s)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Org != out[j].Org {
			return out[i].Org < out[j].Org
		}
		return out[i].Binding < out[j].Binding
	})
	return out
}
