package embedded

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/revhub/revhub/core/money"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

type claimRepo struct{ *tx }

var _ ports.ClaimsTx = (*tx)(nil)

// Claims returns the transaction's claim repository.
func (t *tx) Claims() ports.ClaimRepo { return claimRepo{t} }

const dayLayout = "2006-01-02"

func dayCol(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: t.UTC().Format(dayLayout), Valid: true}
}

func fromDay(s sql.NullString) time.Time {
	if !s.Valid {
		return time.Time{}
	}
	t, _ := time.Parse(dayLayout, s.String)
	return t
}

func (r claimRepo) Intake(ctx context.Context, recs []ports.ClaimRecord) (ports.IntakeResult, error) {
	const op = "embedded.Claims.Intake"
	var res ports.IntakeResult
	t := r.tx.tx
	existing, err := t.PrepareContext(ctx, `SELECT sha256 FROM claims WHERE tenant = ? AND id = ? AND version = ?`)
	if err != nil {
		return res, wrap(op, err)
	}
	defer existing.Close()
	supersede, err := t.PrepareContext(ctx, `UPDATE claims SET current = 0 WHERE tenant = ? AND id = ? AND version < ? AND current = 1`)
	if err != nil {
		return res, wrap(op, err)
	}
	defer supersede.Close()
	insert, err := t.PrepareContext(ctx, `INSERT INTO claims (tenant, id, version, current, status, problems, lob, npi, tin, payee_ref,
			member, encounter, received, service_from, approved_minor, currency, arrived_at, sha256, paid_before, body)
		VALUES (?1, ?2, ?3, NOT EXISTS (SELECT 1 FROM claims o WHERE o.tenant = ?1 AND o.id = ?2 AND o.version > ?3),
			?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,
			EXISTS (SELECT 1 FROM claims o WHERE o.tenant = ?1 AND o.id = ?2 AND o.run_id IS NOT NULL AND o.exception IS NULL), ?18)`)
	if err != nil {
		return res, wrap(op, err)
	}
	defer insert.Close()
	for i, rec := range recs {
		c := rec.Claim
		if rec.Tenant == "" || c.ID == "" || c.Version < 1 {
			return res, invalid(op, fmt.Errorf("record %d: tenant, id and a version ≥ 1 are required", i))
		}
		body := rec.Body
		if body == nil {
			if body, err = settlement.EncodeClaim(c); err != nil {
				return res, invalid(op, fmt.Errorf("record %d: %w", i, err))
			}
		}
		sum := sha256.Sum256(body)
		var old []byte
		switch err := existing.QueryRowContext(ctx, rec.Tenant, c.ID, c.Version).Scan(&old); {
		case err == nil && bytes.Equal(old, sum[:]):
			res.Duplicates++
			continue
		case err == nil:
			res.Conflicts = append(res.Conflicts, ports.ClaimKey{ID: c.ID, Version: c.Version})
			continue
		case !errors.Is(err, sql.ErrNoRows):
			return res, wrap(op, err)
		}
		if _, err := supersede.ExecContext(ctx, rec.Tenant, c.ID, c.Version); err != nil {
			return res, wrap(op, err)
		}
		var approved sql.NullInt64
		if c.Approved.Valid() {
			approved = sql.NullInt64{Int64: c.Approved.Minor(), Valid: true}
		}
		cur := string(c.Currency())
		if cur == "" {
			cur = "XXX"
		}
		from, _ := c.ServicePeriod()
		if _, err := insert.ExecContext(ctx, rec.Tenant, c.ID, c.Version, string(c.Status), rec.Problems, c.LOB, c.Provider.NPI,
			string(c.Provider.TIN), c.Provider.PayeeAccountRef, c.Member, c.Encounter, dayCol(c.Received), dayCol(from), approved, cur,
			us(orNow(rec.ArrivedAt, r.now)), sum[:], body); err != nil {
			return res, wrap(op, err)
		}
		res.New++
	}
	return res, nil
}

func (r claimRepo) Get(ctx context.Context, tenant, id string, version int64) (ports.ClaimRecord, error) {
	const op = "embedded.Claims.Get"
	rec := ports.ClaimRecord{Tenant: tenant}
	var status string
	var at int64
	err := r.tx.tx.QueryRowContext(ctx, `SELECT status, problems, arrived_at, body, CASE WHEN exception IS NULL THEN coalesce(run_id, '') ELSE '' END FROM claims
		WHERE tenant = ? AND id = ? AND (version = ?3 OR ?3 = 0 AND current = 1)`, tenant, id, version).Scan(&status, &rec.Problems, &at, &rec.Body, &rec.RunID)
	if errors.Is(err, sql.ErrNoRows) {
		return rec, notFound(op, "claim "+id)
	}
	if err != nil {
		return rec, wrap(op, err)
	}
	rec.ArrivedAt = time.UnixMicro(at).UTC()
	rec.Claim, _ = settlement.DecodeClaim(rec.Body) // a rejected claim keeps what decoded
	rec.Claim.Status = settlement.ClaimState(status)
	return rec, nil
}

// pool returns the WHERE clause selecting q's reservable claims and its args.
func pool(q ports.ReserveQuery) (string, []any) {
	sts := q.Statuses
	if len(sts) == 0 {
		sts = []settlement.ClaimState{settlement.ClaimApproved}
	}
	args := []any{q.Tenant}
	marks := make([]string, len(sts))
	for i, s := range sts {
		marks[i] = "?"
		args = append(args, string(s))
	}
	args = append(args, q.LOB, q.LOB, dayCol(q.ServiceFrom), dayCol(q.ServiceFrom), dayCol(q.ServiceTo), dayCol(q.ServiceTo))
	return `tenant = ? AND run_id IS NULL AND current = 1 AND status IN (` + strings.Join(marks, ",") + `) AND (? = '' OR lob = ?)
		AND (? IS NULL OR service_from >= ?) AND (? IS NULL OR service_from < ?)`, args
}

func (r claimRepo) Preview(ctx context.Context, q ports.ReserveQuery) (int64, []money.Amount, error) {
	const op = "embedded.Claims.Preview"
	where, args := pool(q)
	rows, err := r.tx.tx.QueryContext(ctx, `SELECT count(*), currency, coalesce(sum(approved_minor), 0) FROM claims WHERE `+where+
		` GROUP BY currency ORDER BY currency`, args...)
	if err != nil {
		return 0, nil, wrap(op, err)
	}
	defer rows.Close()
	var n int64
	var totals []money.Amount
	for rows.Next() {
		var cnt, sum int64
		var cur string
		if err := rows.Scan(&cnt, &cur, &sum); err != nil {
			return 0, nil, wrap(op, err)
		}
		n += cnt
		if a, err := money.New(sum, money.Currency(cur)); err == nil {
			totals = append(totals, a)
		}
	}
	return n, totals, wrap(op, rows.Err())
}

const runItemCols = `id, version, npi, tin, payee_ref, member, encounter, lob, approved_minor, currency, received, service_from`

func (r claimRepo) Reserve(ctx context.Context, q ports.ReserveQuery, fn func(settlement.RunItem) error) (int, error) {
	const op = "embedded.Claims.Reserve"
	if q.Tenant == "" || q.RunID == "" {
		return 0, invalid(op, errors.New("reserve needs a tenant and a run id"))
	}
	where, args := pool(q)
	args = append([]any{q.RunID, us(orNow(q.At, r.now))}, args...)
	stmt := `UPDATE claims SET run_id = ?, reserved_at = ? WHERE ` + where
	if q.Limit > 0 {
		stmt = `UPDATE claims SET run_id = ?, reserved_at = ? WHERE rowid IN (SELECT rowid FROM claims WHERE ` + where +
			` ORDER BY priority DESC, received, id LIMIT ?)`
		args = append(args, q.Limit)
	}
	rows, err := r.tx.tx.QueryContext(ctx, stmt+` RETURNING `+runItemCols+`, paid_before, priority`, args...)
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

func scanRunItem(rows *sql.Rows, flags bool) (settlement.RunItem, error) {
	var it settlement.RunItem
	var tin, cur string
	var minor sql.NullInt64
	var received, from sql.NullString
	dst := []any{&it.ClaimID, &it.Version, &it.NPI, &tin, &it.PayeeRef, &it.Member, &it.Encounter, &it.LOB, &minor, &cur, &received, &from}
	if flags {
		dst = append(dst, &it.PaidBefore, &it.Priority)
	}
	if err := rows.Scan(dst...); err != nil {
		return it, err
	}
	it.TIN, it.Received, it.Service = settlement.TIN(tin), fromDay(received), fromDay(from)
	if minor.Valid {
		a, err := money.New(minor.Int64, money.Currency(cur))
		if err != nil {
			return it, err
		}
		it.Approved = a
	}
	return it, nil
}

func (r claimRepo) Except(ctx context.Context, tenant, runID string, ex []settlement.RunException, priority bool) error {
	const op = "embedded.Claims.Except"
	release, err := r.tx.tx.PrepareContext(ctx, `UPDATE claims SET run_id = NULL, reserved_at = NULL, exception = NULL, priority = ?
		WHERE tenant = ? AND run_id = ? AND id = ? AND version = ?`)
	if err != nil {
		return wrap(op, err)
	}
	defer release.Close()
	keep, err := r.tx.tx.PrepareContext(ctx, `UPDATE claims SET exception = ? WHERE tenant = ? AND run_id = ? AND id = ? AND version = ?`)
	if err != nil {
		return wrap(op, err)
	}
	defer keep.Close()
	for _, e := range ex {
		var res sql.Result
		if e.Kind.Retry() {
			res, err = release.ExecContext(ctx, priority, tenant, runID, e.ClaimID, e.Version)
		} else {
			res, err = keep.ExecContext(ctx, string(e.Kind), tenant, runID, e.ClaimID, e.Version)
		}
		if err != nil {
			return wrap(op, err)
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return conflict(op, "run %s does not hold claim %s v%d", runID, e.ClaimID, e.Version)
		}
	}
	return nil
}

func (r claimRepo) Lines(ctx context.Context, tenant string, refs []settlement.LineRef) ([]settlement.RunItem, error) {
	const op = "embedded.Claims.Lines"
	stmt, err := r.tx.tx.PrepareContext(ctx, `SELECT `+runItemCols+` FROM claims WHERE tenant = ? AND id = ? AND version = ?`)
	if err != nil {
		return nil, wrap(op, err)
	}
	defer stmt.Close()
	items := make([]settlement.RunItem, 0, len(refs))
	for _, l := range refs {
		rows, err := stmt.QueryContext(ctx, tenant, l.ClaimID, l.Version)
		if err != nil {
			return nil, wrap(op, err)
		}
		if !rows.Next() {
			rows.Close()
			return nil, notFound(op, fmt.Sprintf("claim %s v%d", l.ClaimID, l.Version))
		}
		it, err := scanRunItem(rows, false)
		rows.Close()
		if err != nil {
			return nil, wrap(op, err)
		}
		items = append(items, it)
	}
	return items, nil
}

func (r claimRepo) History(ctx context.Context, tenant string, fn func(settlement.ClaimEvent) error) error {
	const op = "embedded.Claims.History"
	rows, err := r.tx.tx.QueryContext(ctx, `SELECT id, version, status, npi, problems, arrived_at, coalesce(run_id, ''), coalesce(exception, ''),
		reserved_at, approved_minor, currency FROM claims WHERE tenant = ? ORDER BY id, version`, tenant)
	if err != nil {
		return wrap(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var e settlement.ClaimEvent
		var status, exc, cur string
		var at int64
		var reserved, minor sql.NullInt64
		if err := rows.Scan(&e.ClaimID, &e.Version, &status, &e.NPI, &e.Problems, &at, &e.RunID, &exc, &reserved, &minor, &cur); err != nil {
			return wrap(op, err)
		}
		e.Status, e.Exception, e.Arrived, e.ReservedAt = settlement.ClaimState(status), settlement.ExceptionKind(exc), time.UnixMicro(at).UTC(), fromUS(reserved)
		if minor.Valid {
			e.Approved, _ = money.New(minor.Int64, money.Currency(cur))
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return wrap(op, rows.Err())
}
