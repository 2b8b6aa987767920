package embedded

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/ports"
)

type outboxRepo struct{ *tx }

const outboxCols = `seq, tenant, id, org, binding, kind, idempotency_key, payload, amount_minor, currency, state,
	attempts, last_error, created_at, next_attempt_at, updated_at, sent_at, lease_owner, lease_until`

func (r outboxRepo) Enqueue(ctx context.Context, it ports.OutboxItem) error {
	const op = "embedded.Outbox.Enqueue"
	if err := it.Check(); err != nil {
		return invalid(op, err)
	}
	created := orNow(it.CreatedAt, r.now)
	next := it.NextAttemptAt
	if next.IsZero() {
		next = created
	}
	minor, cur := amountCols(it.Amount)
	if it.Payload == nil {
		it.Payload = []byte{}
	}
	res, err := r.tx.tx.ExecContext(ctx, `INSERT INTO outbox (tenant, id, org, binding, kind, idempotency_key, payload,
		amount_minor, currency, state, created_at, next_attempt_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT DO NOTHING`,
		it.Tenant, it.ID, it.Org, it.Binding, it.Kind, it.IdempotencyKey, it.Payload, minor, cur, us(created), us(next), us(created))
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return conflict(op, "tenant %s already has outbox item %s or idempotency key %s", it.Tenant, it.ID, it.IdempotencyKey)
	}
	return nil
}

func (r outboxRepo) EnqueueBatch(ctx context.Context, its []ports.OutboxItem) error {
	for i, it := range its {
		if err := r.Enqueue(ctx, it); err != nil {
			return fmt.Errorf("item %d: %w", i, err)
		}
	}
	return nil
}

func (r outboxRepo) Claim(ctx context.Context, c ports.Claim) ([]ports.OutboxItem, error) {
	const op = "embedded.Outbox.Claim"
	if c.Worker == "" || c.Limit <= 0 || c.Lease <= 0 {
		return nil, invalid(op, errors.New("claim needs a worker, a positive limit and a positive lease"))
	}
	now := us(c.Now)
	gone, err := json.Marshal(append([]string{}, c.Gone...)) // [] rather than null
	if err != nil {
		return nil, wrap(op, err)
	}
	rows, err := r.tx.tx.QueryContext(ctx, `UPDATE outbox SET lease_owner = ?1, lease_until = ?2, updated_at = ?3
		WHERE seq IN (SELECT seq FROM outbox
			WHERE state IN ('pending', 'failed') AND next_attempt_at <= ?3
			  AND (lease_until <= ?3 OR lease_owner IN (SELECT value FROM json_each(?7)))
			  AND (?4 = '' OR tenant = ?4) AND (?5 = '' OR binding = ?5)
			ORDER BY next_attempt_at, seq LIMIT ?6)
		RETURNING `+outboxCols,
		c.Worker, us(c.Now.Add(c.Lease)), now, c.Tenant, c.Binding, c.Limit, string(gone))
	if err != nil {
		return nil, wrap(op, err)
	}
	items, err := scanOutboxRows(rows)
	if err != nil {
		return nil, wrap(op, err)
	}
	sort.Slice(items, func(i, j int) bool {
		if !items[i].it.NextAttemptAt.Equal(items[j].it.NextAttemptAt) {
			return items[i].it.NextAttemptAt.Before(items[j].it.NextAttemptAt)
		}
		return items[i].seq < items[j].seq
	})
	out := make([]ports.OutboxItem, len(items))
	for i := range items {
		out[i] = items[i].it
	}
	return out, nil
}

// Holders reads the outbox_leased index (migration 0017).
func (r outboxRepo) Holders(ctx context.Context, now time.Time) ([]string, error) {
	return r.tx.strs(ctx, "embedded.Outbox.Holders", `SELECT DISTINCT lease_owner FROM outbox
		WHERE state IN ('pending', 'failed') AND lease_until > ? AND lease_owner <> '' ORDER BY lease_owner`, us(now))
}

func (r outboxRepo) Record(ctx context.Context, tenant, id string, a ports.Attempt) error {
	const op = "embedded.Outbox.Record"
	switch a.State {
	case delivery.Sent, delivery.Failed, delivery.DeadLettered, delivery.OutcomeUnknown:
	default:
		return invalid(op, fmt.Errorf("cannot record state %q", a.State))
	}
	next := a.Next
	if a.State != delivery.Failed || next.IsZero() {
		next = a.At
	}
	var sent, errAt sql.NullInt64
	if a.State == delivery.Sent {
		sent = nullUS(a.At)
	}
	if a.Error != "" {
		errAt = nullUS(a.At)
	}
	res, err := r.tx.tx.ExecContext(ctx, `UPDATE outbox SET state = ?, attempts = attempts + 1,
		last_error = CASE WHEN ? = '' THEN last_error ELSE ? END, last_error_at = coalesce(?, last_error_at),
		next_attempt_at = ?, updated_at = ?, sent_at = coalesce(?, sent_at), lease_owner = '', lease_until = 0
		WHERE tenant = ? AND id = ? AND lease_owner = ? AND state IN ('pending', 'failed')`,
		string(a.State), a.Error, a.Error, errAt, us(next), us(a.At), sent, tenant, id, a.Worker)
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return r.why(ctx, op, tenant, id, "is not leased to "+a.Worker)
	}
	return nil
}

func (r outboxRepo) Replay(ctx context.Context, tenant, id string, at time.Time) error {
	const op = "embedded.Outbox.Replay"
	res, err := r.tx.tx.ExecContext(ctx, `UPDATE outbox SET state = 'pending', next_attempt_at = ?, updated_at = ?,
		lease_owner = '', lease_until = 0
		WHERE tenant = ? AND id = ? AND state IN ('dead_lettered', 'outcome_unknown')`, us(at), us(at), tenant, id)
	if err != nil {
		return wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return r.why(ctx, op, tenant, id, "is neither dead-lettered nor of unknown outcome")
	}
	return nil
}

// why tells NotFound from Conflict after an UPDATE matched no row.
func (r outboxRepo) why(ctx context.Context, op, tenant, id, reason string) error {
	it, err := r.Get(ctx, tenant, id)
	if err != nil {
		return err
	}
	return conflict(op, "outbox item %s (%s) %s", id, it.State, reason)
}

func (r outboxRepo) Get(ctx context.Context, tenant, id string) (ports.OutboxItem, error) {
	const op = "embedded.Outbox.Get"
	rows, err := r.tx.tx.QueryContext(ctx, `SELECT `+outboxCols+` FROM outbox WHERE tenant = ? AND id = ?`, tenant, id)
	if err != nil {
		return ports.OutboxItem{}, wrap(op, err)
	}
	items, err := scanOutboxRows(rows)
	if err != nil {
		return ports.OutboxItem{}, wrap(op, err)
	}
	if len(items) == 0 {
		return ports.OutboxItem{}, notFound(op, "outbox item "+id)
	}
	return items[0].it, nil
}

func (r outboxRepo) List(ctx context.Context, q ports.OutboxQuery) ([]ports.OutboxItem, string, error) {
	const op = "embedded.Outbox.List"
	after, err := cursor(op, q.Page)
	if err != nil {
		return nil, "", err
	}
	n := q.Page.Size()
	rows, err := r.tx.tx.QueryContext(ctx, `SELECT `+outboxCols+` FROM outbox
		WHERE tenant = ?1 AND seq > ?2 AND (?3 = '' OR org = ?3) AND (?4 = '' OR binding = ?4) AND (?5 = '' OR state = ?5)
		ORDER BY seq LIMIT ?6`, q.Tenant, after, q.Org, q.Binding, string(q.State), n+1)
	if err != nil {
		return nil, "", wrap(op, err)
	}
	items, err := scanOutboxRows(rows)
	if err != nil {
		return nil, "", wrap(op, err)
	}
	more := len(items) > n
	if more {
		items = items[:n]
	}
	out := make([]ports.OutboxItem, len(items))
	var last int64
	for i := range items {
		out[i], last = items[i].it, items[i].seq
	}
	return out, ports.NextCursor(more, last), nil
}

type seqItem struct {
	seq int64
	it  ports.OutboxItem
}

func scanOutboxRows(rows *sql.Rows) ([]seqItem, error) {
	defer rows.Close()
	var out []seqItem
	for rows.Next() {
		var s seqItem
		var minor sql.NullInt64
		var cur sql.NullString
		var state string
		var created, next, updated, sent, lease sql.NullInt64
		it := &s.it
		if err := rows.Scan(&s.seq, &it.Tenant, &it.ID, &it.Org, &it.Binding, &it.Kind, &it.IdempotencyKey, &it.Payload,
			&minor, &cur, &state, &it.Attempts, &it.LastError, &created, &next, &updated, &sent, &it.LeaseOwner, &lease); err != nil {
			return nil, err
		}
		amt, err := amountOf(minor, cur)
		if err != nil {
			return nil, err
		}
		it.Amount, it.State = amt, delivery.State(state)
		it.CreatedAt, it.NextAttemptAt, it.UpdatedAt = fromUS(created), fromUS(next), fromUS(updated)
		it.SentAt, it.LeaseUntil = fromUS(sent), fromUS(lease)
		out = append(out, s)
	}
	return out, rows.Err()
}
