package postgres

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

type claimRepo struct{ *tx }

var _ ports.ClaimsTx = (*tx)(nil)

// Claims returns the transaction's claim repository.
func (t *tx) Claims() ports.ClaimRepo { return claimRepo{t} }

// claimInCols are the columns of a claim version as staged by Intake.
var claimInCols = []string{"tenant", "id", "version", "current", "status", "problems", "lob", "npi", "tin", "payee_ref",
	"member", "encounter", "received", "service_from", "approved_minor", "currency", "arrived_at", "sha256", "body"}

// ClaimRow returns the staged column values of r (in claimInCols order), its
// body encoded when r.Body is nil. Benchmarks use it to COPY the same rows.
func ClaimRow(r ports.ClaimRecord, now time.Time) ([]any, error) {
	c := r.Claim
	if r.Tenant == "" || c.ID == "" || c.Version < 1 {
		return nil, fmt.Errorf("claim %q v%d: tenant, id and a version ≥ 1 are required", c.ID, c.Version)
	}
	body := r.Body
	if body == nil {
		var err error
		if body, err = settlement.EncodeClaim(c); err != nil {
			return nil, fmt.Errorf("claim %s v%d: %w", c.ID, c.Version, err)
		}
	}
	sum := sha256.Sum256(body)
	var approved *int64
	if c.Approved.Valid() {
		m := c.Approved.Minor()
		approved = &m
	}
	from, _ := c.ServicePeriod()
	cur := string(c.Currency())
	if cur == "" {
		cur = "XXX"
	}
	return []any{r.Tenant, c.ID, c.Version, true, string(c.Status), int32(r.Problems), c.LOB, c.Provider.NPI, string(c.Provider.TIN),
		c.Provider.PayeeAccountRef, c.Member, c.Encounter, ts(c.Received), ts(from), approved, cur, orNow(r.ArrivedAt, func() time.Time { return now }),
		sum[:], body}, nil
}

func (r claimRepo) Intake(ctx context.Context, recs []ports.ClaimRecord) (ports.IntakeResult, error) {
	const op = "postgres.Claims.Intake"
	var res ports.IntakeResult
	rows := make([][]any, 0, len(recs))
	seen := make(map[[3]string][]byte, len(recs))
	for i, rec := range recs {
		row, err := ClaimRow(rec, r.now())
		if err != nil {
			return res, invalid(op, fmt.Errorf("record %d: %w", i, err))
		}
		k := [3]string{rec.Tenant, rec.Claim.ID, strconv.FormatInt(rec.Claim.Version, 10)}
		if prev, dup := seen[k]; dup {
			if string(prev) == string(row[17].([]byte)) {
				res.Duplicates++
			} else {
				res.Conflicts = append(res.Conflicts, ports.ClaimKey{ID: rec.Claim.ID, Version: rec.Claim.Version})
			}
			continue
		}
		seen[k] = row[17].([]byte)
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		return res, nil
	}
	t := r.tx.tx
	if _, err := t.Exec(ctx, `CREATE TEMP TABLE IF NOT EXISTS claims_in (LIKE claims INCLUDING DEFAULTS, body bytea NOT NULL) ON COMMIT DELETE ROWS;
		TRUNCATE claims_in`); err != nil {
		return res, wrap(op, err)
	}
	if _, err := t.CopyFrom(ctx, pgx.Identifier{"claims_in"}, claimInCols, pgx.CopyFromRows(rows)); err != nil {
		return res, wrap(op, err)
	}
	dups, err := t.Query(ctx, `SELECT i.id, i.version, i.sha256 = c.sha256 FROM claims_in i
		JOIN claims c ON c.tenant = i.tenant AND c.id = i.id AND c.version = i.version`)
	if err != nil {
		return res, wrap(op, err)
	}
	var k ports.ClaimKey
	var same bool
	if _, err := pgx.ForEachRow(dups, []any{&k.ID, &k.Version, &same}, func() error {
		if same {
			res.Duplicates++
		} else {
			res.Conflicts = append(res.Conflicts, k)
		}
		return nil
	}); err != nil {
		return res, wrap(op, err)
	}
	// Supersede older current versions first: this waits for a run that
	// holds one, so paid_before below sees its outcome.
	if _, err := t.Exec(ctx, `UPDATE claims c SET current = false
		FROM (SELECT tenant, id, max(version) AS v FROM claims_in GROUP BY tenant, id) n
		WHERE c.tenant = n.tenant AND c.id = n.id AND c.version < n.v AND c.current`); err != nil {
		return res, wrap(op, err)
	}
	tag, err := t.Exec(ctx, `INSERT INTO claims (tenant, id, version, current, status, problems, lob, npi, tin, payee_ref, member, encounter,
			received, service_from, approved_minor, currency, arrived_at, sha256, paid_before)
		SELECT i.tenant, i.id, i.version,
			i.version = max(i.version) OVER w AND NOT EXISTS (SELECT 1 FROM claims o WHERE o.tenant = i.tenant AND o.id = i.id AND o.version > i.version),
			i.status, i.problems, i.lob, i.npi, i.tin, i.payee_ref, i.member, i.encounter, i.received, i.service_from, i.approved_minor,
			i.currency, i.arrived_at, i.sha256,
			EXISTS (SELECT 1 FROM claims o WHERE o.tenant = i.tenant AND o.id = i.id AND o.run_id IS NOT NULL AND o.exception IS NULL)
		FROM claims_in i WINDOW w AS (PARTITION BY i.tenant, i.id)
		ON CONFLICT DO NOTHING`)
	if err != nil {
		return res, wrap(op, err)
	}
	res.New = int(tag.RowsAffected())
	if _, err := t.Exec(ctx, `INSERT INTO claim_bodies (tenant, id, version, body) SELECT tenant, id, version, body FROM claims_in ON CONFLICT DO NOTHING`); err != nil {
		return res, wrap(op, err)
	}
	return res, nil
}

func (r claimRepo) Get(ctx context.Context, tenant, id string, version int64) (ports.ClaimRecord, error) {
	const op = "postgres.Claims.Get"
	rec := ports.ClaimRecord{Tenant: tenant}
	var status string
	err := r.tx.tx.QueryRow(ctx, `SELECT c.status, c.problems, c.arrived_at, b.body, CASE WHEN c.exception IS NULL THEN coalesce(c.run_id, '') ELSE '' END FROM claims c
		JOIN claim_bodies b USING (tenant, id, version)
		WHERE c.tenant = $1 AND c.id = $2 AND (c.version = $3 OR $3 = 0 AND c.current)`, tenant, id, version).
		Scan(&status, &rec.Problems, &rec.ArrivedAt, &rec.Body, &rec.RunID)
	if errors.Is(err, pgx.ErrNoRows) {
		return rec, notFound(op, "claim "+id)
	}
	if err != nil {
		return rec, wrap(op, err)
	}
	rec.ArrivedAt = rec.ArrivedAt.UTC()
	rec.Claim, _ = settlement.DecodeClaim(rec.Body) // a rejected claim keeps what decoded
	rec.Claim.Status = settlement.ClaimState(status)
	return rec, nil
}

// pool returns the WHERE clause selecting q's reservable claims, with args from $1.
func pool(q ports.ReserveQuery) (string, []any) {
	sts := make([]string, len(q.Statuses))
	for i, s := range q.Statuses {
		sts[i] = string(s)
	}
	if len(sts) == 0 {
		sts = []string{string(settlement.ClaimApproved)}
	}
	return `tenant = $1 AND run_id IS NULL AND current AND status = ANY($2) AND ($3 = '' OR lob = $3)
		AND ($4::date IS NULL OR service_from >= $4) AND ($5::date IS NULL OR service_from < $5)`,
		[]any{q.Tenant, sts, q.LOB, ts(q.ServiceFrom), ts(q.ServiceTo)}
}

func (r claimRepo) Preview(ctx context.Context, q ports.ReserveQuery) (int64, []money.Amount, error) {
	const op = "postgres.Claims.Preview"
	where, args := pool(q)
	rows, err := r.tx.tx.Query(ctx, `SELECT count(*), currency, coalesce(sum(approved_minor), 0)::bigint FROM claims WHERE `+where+
		` GROUP BY currency ORDER BY currency`, args...)
	if err != nil {
		return 0, nil, wrap(op, err)
	}
	var n, cnt, sum int64
	var cur string
	var totals []money.Amount
	if _, err := pgx.ForEachRow(rows, []any{&cnt, &cur, &sum}, func() error {
		n += cnt
		a, err := money.New(sum, money.Currency(cur))
		if err == nil {
			totals = append(totals, a)
		}
		return nil
	}); err != nil {
		return 0, nil, wrap(op, err)
	}
	return n, totals, nil
}

const reserveReturning = ` RETURNING c.id, c.version, c.npi, c.tin, c.payee_ref, c.member, c.encounter, c.lob, c.approved_minor,
	c.currency, c.received, c.service_from, c.paid_before, c.priority`

func (r claimRepo) Reserve(ctx context.Context, q ports.ReserveQuery, fn func(settlement.RunItem) error) (int, error) {
	const op = "postgres.Claims.Reserve"
	if q.Tenant == "" || q.RunID == "" {
		return 0, invalid(op, errors.New("reserve needs a tenant and a run id"))
	}
	where, args := pool(q)
	args = append(args, q.RunID, orNow(q.At, r.now))
	var sql string
	if q.Limit <= 0 {
		// Rows another run holds are waited for and then skipped, as their run_id is no longer NULL.
		sql = `UPDATE claims c SET run_id = $6, reserved_at = $7 WHERE ` + where + reserveReturning
	} else {
		args = append(args, q.Limit)
		sql = `UPDATE claims c SET run_id = $6, reserved_at = $7 FROM (SELECT tenant, id, version FROM claims WHERE ` + where + `
			ORDER BY priority DESC, received, id LIMIT $8 FOR UPDATE SKIP LOCKED) s
			WHERE c.tenant = s.tenant AND c.id = s.id AND c.version = s.version` + reserveReturning
	}
	rows, err := r.tx.tx.Query(ctx, sql, args...)
	if err != nil {
		return 0, wrap(op, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		it, err := scanRunItem(rows, true)
		if err != nil {
			return n, wrap(op, err)
		}
		n++
		if err := fn(it); err != nil {
			return n, err
		}
	}
	return n, wrap(op, rows.Err())
}

func scanRunItem(row pgx.Row, flags bool) (settlement.RunItem, error) {
	var it settlement.RunItem
	var tin, cur string
	var minor *int64
	var received, from *time.Time
	dst := []any{&it.ClaimID, &it.Version, &it.NPI, &tin, &it.PayeeRef, &it.Member, &it.Encounter, &it.LOB, &minor, &cur, &received, &from}
	if flags {
		dst = append(dst, &it.PaidBefore, &it.Priority)
	}
	if err := row.Scan(dst...); err != nil {
		return it, err
	}
	it.TIN, it.Received, it.Service = settlement.TIN(tin), utc(received), utc(from)
	if minor != nil {
		a, err := money.New(*minor, money.Currency(cur))
		if err != nil {
			return it, err
		}
		it.Approved = a
	}
	return it, nil
}

func (r claimRepo) Except(ctx context.Context, tenant, runID string, ex []settlement.RunException, priority bool) error {
	const op = "postgres.Claims.Except"
	if len(ex) == 0 {
		return nil
	}
	ids, versions, kinds := make([]string, len(ex)), make([]int64, len(ex)), make([]string, len(ex))
	for i, e := range ex {
		ids[i], versions[i], kinds[i] = e.ClaimID, e.Version, string(e.Kind)
	}
	var retry []string // the kinds that go back to the pool, as ExceptionKind.Retry says
	for _, e := range ex {
		if e.Kind.Retry() && !slices.Contains(retry, string(e.Kind)) {
			retry = append(retry, string(e.Kind))
		}
	}
	tag, err := r.tx.tx.Exec(ctx, `UPDATE claims c SET
			run_id = CASE WHEN x.kind = ANY($6) THEN NULL ELSE c.run_id END,
			reserved_at = CASE WHEN x.kind = ANY($6) THEN NULL ELSE c.reserved_at END,
			exception = CASE WHEN x.kind = ANY($6) THEN NULL ELSE x.kind END,
			priority = CASE WHEN x.kind = ANY($6) THEN $7 ELSE c.priority END
		FROM unnest($3::text[], $4::bigint[], $5::text[]) AS x(id, version, kind)
		WHERE c.tenant = $1 AND c.run_id = $2 AND c.id = x.id AND c.version = x.version`,
		tenant, runID, ids, versions, kinds, retry, priority)
	if err != nil {
		return wrap(op, err)
	}
	if int(tag.RowsAffected()) != len(ex) {
		return conflict(op, "run %s holds %d of the %d excepted claims", runID, tag.RowsAffected(), len(ex))
	}
	return nil
}

func (r claimRepo) Lines(ctx context.Context, tenant string, refs []settlement.LineRef) ([]settlement.RunItem, error) {
	const op = "postgres.Claims.Lines"
	ids, versions := make([]string, len(refs)), make([]int64, len(refs))
	for i, l := range refs {
		ids[i], versions[i] = l.ClaimID, l.Version
	}
	rows, err := r.tx.tx.Query(ctx, `SELECT c.id, c.version, c.npi, c.tin, c.payee_ref, c.member, c.encounter, c.lob, c.approved_minor,
			c.currency, c.received, c.service_from
		FROM unnest($2::text[], $3::bigint[]) WITH ORDINALITY AS k(id, version, ord)
		JOIN claims c ON c.tenant = $1 AND c.id = k.id AND c.version = k.version ORDER BY k.ord`, tenant, ids, versions)
	if err != nil {
		return nil, wrap(op, err)
	}
	items, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (settlement.RunItem, error) { return scanRunItem(row, false) })
	if err != nil {
		return nil, wrap(op, err)
	}
	if len(items) != len(refs) {
		return nil, notFound(op, fmt.Sprintf("%d of %d claim versions", len(refs)-len(items), len(refs)))
	}
	return items, nil
}

func (r claimRepo) History(ctx context.Context, tenant string, fn func(settlement.ClaimEvent) error) error {
	const op = "postgres.Claims.History"
	rows, err := r.tx.tx.Query(ctx, `SELECT id, version, status, npi, problems, arrived_at, coalesce(run_id, ''), coalesce(exception, ''),
		reserved_at, approved_minor, currency FROM claims WHERE tenant = $1 ORDER BY id, version`, tenant)
	if err != nil {
		return wrap(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var e settlement.ClaimEvent
		var status, exc, cur string
		var reserved *time.Time
		var minor *int64
		if err := rows.Scan(&e.ClaimID, &e.Version, &status, &e.NPI, &e.Problems, &e.Arrived, &e.RunID, &exc, &reserved, &minor, &cur); err != nil {
			return wrap(op, err)
		}
		e.Status, e.Exception, e.Arrived, e.ReservedAt = settlement.ClaimState(status), settlement.ExceptionKind(exc), e.Arrived.UTC(), utc(reserved)
		if minor != nil {
			e.Approved, _ = money.New(*minor, money.Currency(cur))
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return wrap(op, rows.Err())
}
