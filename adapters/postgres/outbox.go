package postgres

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/core/delivery"
	"github.com/revhub/revhub/ports"
)

type outboxRepo struct{ *tx }

const outboxCols = `seq, tenant, id, org, binding, kind, idempotency_key, payload, amount_minor, currency, state,
	attempts, last_error, created_at, next_attempt_at, updated_at, sent_at, lease_owner, lease_until`

// outboxInsertCols are the columns Enqueue and EnqueueBatch write.
var outboxInsertCols = []string{"tenant", "id", "org", "binding", "kind", "idempotency_key", "payload",
	"amount_minor", "currency", "state", "created_at", "next_attempt_at", "updated_at"}

func (r outboxRepo) row(it ports.OutboxItem) ([]any, error) {
	if err := it.Check(); err != nil {
		return nil, err
	}
	created := orNow(it.CreatedAt, r.now)
	next := created
	if !it.NextAttemptAt.IsZero() {
		next = it.NextAttemptAt.UTC()
	}
	if it.Payload == nil {
		it.Payload = []byte{}
	}
	minor, cur := amountCols(it.Amount)
	return []any{it.Tenant, it.ID, it.Org, it.Binding, it.Kind, it.IdempotencyKey, it.Payload,
		minor, cur, string(delivery.Pending), created, next, created}, nil
}

func (r outboxRepo) Enqueue(ctx context.Context, it ports.OutboxItem) error {
	const op = "postgres.Outbox.Enqueue"
	args, err := r.row(it)
	if err != nil {
		return invalid(op, err)
	}
	tag, err := r.tx.tx.Exec(ctx, `INSERT INTO outbox (tenant, id, org, binding, kind, idempotency_key, payload,
		amount_minor, currency, state, created_at, next_attempt_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) ON CONFLICT DO NOTHING`, args...)
	if err != nil {
		return wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		return conflict(op, "tenant %s already has outbox item %s or idempotency key %s", it.Tenant, it.ID, it.IdempotencyKey)
	}
	return nil
}

// EnqueueBatch writes the items with COPY.
func (r outboxRepo) EnqueueBatch(ctx context.Context, its []ports.OutboxItem) error {
	const op = "postgres.Outbox.EnqueueBatch"
	rows := make([][]any, len(its))
	for i, it := range its {
		row, err := r.row(it)
		if err != nil {
			return invalid(op, fmt.Errorf("item %d: %w", i, err))
		}
		rows[i] = row
	}
	_, err := r.tx.tx.CopyFrom(ctx, pgx.Identifier{"outbox"}, outboxInsertCols, pgx.CopyFromRows(rows))
	return wrap(op, err)
}

func (r outboxRepo) Claim(ctx context.Context, c ports.Claim) ([]ports.OutboxItem, error) {
	const op = "postgres.Outbox.Claim"
	if c.Worker == "" || c.Limit <= 0 || c.Lease <= 0 {
		return nil, invalid(op, errors.New("claim needs a worker, a positive limit and a positive lease"))
	}
	rows, err := r.tx.tx.Query(ctx, `WITH due AS (
			SELECT seq FROM outbox
			WHERE state IN ('pending', 'failed') AND next_attempt_at <= $3 AND (lease_until IS NULL OR lease_until <= $3 OR lease_owner = ANY($7::text[]))
			  AND ($4 = '' OR tenant = $4) AND ($5 = '' OR binding = $5)
			ORDER BY next_attempt_at, seq LIMIT $6
			FOR UPDATE SKIP LOCKED)
		UPDATE outbox o SET lease_owner = $1, lease_until = $2, updated_at = $3
		FROM due WHERE o.seq = due.seq
		RETURNING `+prefixed("o.", outboxCols),
		c.Worker, c.Now.Add(c.Lease).UTC(), c.Now.UTC(), c.Tenant, c.Binding, c.Limit, c.Gone)
	if err != nil {
		return nil, wrap(op, err)
	}
	items, err := collectOutbox(rows)
	if err != nil {
		return nil, wrap(op, err)
	}
	sortClaimed(items)
	return plain(items), nil
}

// Holders reads the outbox_leased index (migration 0017).
func (r outboxRepo) Holders(ctx context.Context, now time.Time) ([]string, error) {
	const op = "postgres.Outbox.Holders"
	rows, err := r.tx.tx.Query(ctx, `SELECT DISTINCT lease_owner FROM outbox
		WHERE state IN ('pending', 'failed') AND lease_until > $1 AND lease_owner <> '' ORDER BY lease_owner`, now.UTC())
	if err != nil {
		return nil, wrap(op, err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return out, wrap(op, err)
}

func (r outboxRepo) Record(ctx context.Context, tenant, id string, a ports.Attempt) error {
	const op = "postgres.Outbox.Record"
	switch a.State {
	case delivery.Sent, delivery.Failed, delivery.DeadLettered, delivery.OutcomeUnknown:
	default:
		return invalid(op, fmt.Errorf("cannot record state %q", a.State))
	}
	next := a.Next
	if a.State != delivery.Failed || next.IsZero() {
		next = a.At
	}
	var sent, errAt *time.Time
	if a.State == delivery.Sent {
		sent = ts(a.At)
	}
	if a.Error != "" {
		errAt = ts(a.At)
	}
	tag, err := r.tx.tx.Exec(ctx, `UPDATE outbox SET state = $1, attempts = attempts + 1,
		last_error = CASE WHEN $2 = '' THEN last_error ELSE $2 END, last_error_at = coalesce($3, last_error_at),
		next_attempt_at = $4, updated_at = $5, sent_at = coalesce($6, sent_at), lease_owner = '', lease_until = NULL
		WHERE tenant = $7 AND id = $8 AND lease_owner = $9 AND state IN ('pending', 'failed')`,
		string(a.State), a.Error, errAt, next.UTC(), a.At.UTC(), sent, tenant, id, a.Worker)
	if err != nil {
		return wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		return r.why(ctx, op, tenant, id, "is not leased to "+a.Worker)
	}
	return nil
}

func (r outboxRepo) Replay(ctx context.Context, tenant, id string, at time.Time) error {
	const op = "postgres.Outbox.Replay"
	tag, err := r.tx.tx.Exec(ctx, `UPDATE outbox SET state = 'pending', next_attempt_at = $1, updated_at = $1,
		lease_owner = '', lease_until = NULL
		WHERE tenant = $2 AND id = $3 AND state IN ('dead_lettered', 'outcome_unknown')`, at.UTC(), tenant, id)
	if err != nil {
		return wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
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
	const op = "postgres.Outbox.Get"
	rows, err := r.tx.tx.Query(ctx, `SELECT `+outboxCols+` FROM outbox WHERE tenant = $1 AND id = $2`, tenant, id)
	if err != nil {
		return ports.OutboxItem{}, wrap(op, err)
	}
	items, err := collectOutbox(rows)
	if err != nil {
		return ports.OutboxItem{}, wrap(op, err)
	}
	if len(items) == 0 {
		return ports.OutboxItem{}, notFound(op, "outbox item "+id)
	}
	return items[0].it, nil
}

func (r outboxRepo) List(ctx context.Context, q ports.OutboxQuery) ([]ports.OutboxItem, string, error) {
	const op = "postgres.Outbox.List"
	after, err := cursor(op, q.Page)
	if err != nil {
		return nil, "", err
	}
	n := q.Page.Size()
	rows, err := r.tx.tx.Query(ctx, `SELECT `+outboxCols+` FROM outbox
		WHERE tenant = $1 AND seq > $2 AND ($3 = '' OR org = $3) AND ($4 = '' OR binding = $4) AND ($5 = '' OR state = $5)
		ORDER BY seq LIMIT $6`, q.Tenant, after, q.Org, q.Binding, string(q.State), n+1)
	if err != nil {
		return nil, "", wrap(op, err)
	}
	items, err := collectOutbox(rows)
	if err != nil {
		return nil, "", wrap(op, err)
	}
	more := len(items) > n
	if more {
		items = items[:n]
	}
	var last int64
	if len(items) > 0 {
		last = items[len(items)-1].seq
	}
	return plain(items), ports.NextCursor(more, last), nil
}

type seqItem struct {
	seq int64
	it  ports.OutboxItem
}

func collectOutbox(rows pgx.Rows) ([]seqItem, error) {
	return pgx.CollectRows(rows, func(row pgx.CollectableRow) (seqItem, error) {
		var s seqItem
		var minor *int64
		var cur *string
		var state string
		var sent, lease *time.Time
		it := &s.it
		if err := row.Scan(&s.seq, &it.Tenant, &it.ID, &it.Org, &it.Binding, &it.Kind, &it.IdempotencyKey, &it.Payload,
			&minor, &cur, &state, &it.Attempts, &it.LastError, &it.CreatedAt, &it.NextAttemptAt, &it.UpdatedAt, &sent, &it.LeaseOwner, &lease); err != nil {
			return s, err
		}
		amt, err := amountOf(minor, cur)
		if err != nil {
			return s, err
		}
		it.Amount, it.State = amt, delivery.State(state)
		it.CreatedAt, it.NextAttemptAt, it.UpdatedAt = it.CreatedAt.UTC(), it.NextAttemptAt.UTC(), it.UpdatedAt.UTC()
		it.SentAt, it.LeaseUntil = utc(sent), utc(lease)
		return s, nil
	})
}

// sortClaimed puts claimed items in claim order: RETURNING keeps none.
func sortClaimed(items []seqItem) {
	sort.Slice(items, func(i, j int) bool {
		a, b := items[i], items[j]
		if !a.it.NextAttemptAt.Equal(b.it.NextAttemptAt) {
			return a.it.NextAttemptAt.Before(b.it.NextAttemptAt)
		}
		return a.seq < b.seq
	})
}

func plain(items []seqItem) []ports.OutboxItem {
	out := make([]ports.OutboxItem, len(items))
	for i := range items {
		out[i] = items[i].it
	}
	return out
}

// prefixed qualifies a comma-separated column list with a table alias.
func prefixed(alias, cols string) string {
	var b []byte
	start := true
	for i := 0; i < len(cols); i++ {
		c := cols[i]
		if start && c != ' ' && c != '\n' && c != '\t' {
			b = append(b, alias...)
			start = false
		}
		b = append(b, c)
		if c == ',' {
			start = true
		}
	}
	return string(b)
}
