package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// Payees is the payee bank directory (ports.PayeesTx).
func (t *tx) Payees() ports.PayeeRepo { return payeeRepo{t} }

type payeeRepo struct{ *tx }

const payeeCols = `seq, tenant, ref, version, name, payee_id, routing, account, account_type, effective_from,
	prenote, prenote_file, prenote_date, live_from, return_code, updated_at`

func (r payeeRepo) Put(ctx context.Context, a settlement.PayeeAccount) (int64, error) {
	const op = "postgres.Payees.Put"
	if err := a.Validate(); err != nil {
		return 0, invalid(op, err)
	}
	args := []any{a.Tenant, a.Ref, a.Version, a.Name, a.PayeeID, a.Routing, string(a.Account), int16(a.AccountType), ts(a.EffectiveFrom),
		string(a.Prenote), a.PrenoteFile, ts(a.PrenoteDate), ts(a.LiveFrom), a.ReturnCode, orNow(a.UpdatedAt, r.now)}
	if a.Version == 0 {
		tag, err := r.tx.tx.Exec(ctx, `INSERT INTO payee_accounts (tenant, ref, version, name, payee_id, routing, account, account_type, effective_from,
			prenote, prenote_file, prenote_date, live_from, return_code, updated_at)
			VALUES ($1, $2, $3 + 1, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) ON CONFLICT DO NOTHING`, args...)
		if err != nil {
			return 0, wrap(op, err)
		}
		if tag.RowsAffected() == 0 {
			return 0, conflict(op, "payee account %s exists already", a.Ref)
		}
		return 1, nil
	}
	tag, err := r.tx.tx.Exec(ctx, `UPDATE payee_accounts SET version = version + 1, name = $4, payee_id = $5, routing = $6, account = $7,
		account_type = $8, effective_from = $9, prenote = $10, prenote_file = $11, prenote_date = $12, live_from = $13, return_code = $14, updated_at = $15
		WHERE tenant = $1 AND ref = $2 AND version = $3`, args...)
	if err != nil {
		return 0, wrap(op, err)
	}
	if tag.RowsAffected() == 0 {
		cur, err := r.Get(ctx, a.Tenant, a.Ref)
		if err != nil {
			return 0, err
		}
		return 0, conflict(op, "payee account %s is at version %d, not %d", a.Ref, cur.Version, a.Version)
	}
	return a.Version + 1, nil
}

func (r payeeRepo) Get(ctx context.Context, tenant, ref string) (settlement.PayeeAccount, error) {
	const op = "postgres.Payees.Get"
	a, _, err := scanPayee(r.tx.tx.QueryRow(ctx, `SELECT `+payeeCols+` FROM payee_accounts WHERE tenant = $1 AND ref = $2`, tenant, ref))
	if errors.Is(err, pgx.ErrNoRows) {
		return a, notFound(op, "payee account "+ref)
	}
	return a, wrap(op, err)
}

func (r payeeRepo) List(ctx context.Context, q ports.PayeeQuery) ([]settlement.PayeeAccount, string, error) {
	const op = "postgres.Payees.List"
	after, err := cursor(op, q.Page)
	if err != nil {
		return nil, "", err
	}
	n := q.Page.Size()
	rows, err := r.tx.tx.Query(ctx, `SELECT `+payeeCols+` FROM payee_accounts
		WHERE tenant = $1 AND seq > $2 AND ($3 = '' OR prenote = $3) ORDER BY seq LIMIT $4`, q.Tenant, after, string(q.Prenote), n+1)
	if err != nil {
		return nil, "", wrap(op, err)
	}
	return page(op, rows, n, scanPayee)
}

func scanPayee(s pgx.Row) (settlement.PayeeAccount, int64, error) {
	var a settlement.PayeeAccount
	var seq int64
	var account, prenote string
	var typ int16
	var pdate, live *time.Time
	if err := s.Scan(&seq, &a.Tenant, &a.Ref, &a.Version, &a.Name, &a.PayeeID, &a.Routing, &account, &typ, &a.EffectiveFrom,
		&prenote, &a.PrenoteFile, &pdate, &live, &a.ReturnCode, &a.UpdatedAt); err != nil {
		return a, 0, err
	}
	a.Account, a.AccountType, a.Prenote = settlement.AccountNumber(account), settlement.AccountType(typ), settlement.PrenoteState(prenote)
	a.EffectiveFrom, a.PrenoteDate, a.LiveFrom, a.UpdatedAt = a.EffectiveFrom.UTC(), utc(pdate), utc(live), a.UpdatedAt.UTC()
	return a, seq, nil
}
