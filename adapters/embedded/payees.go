package embedded

import (
	"context"
	"database/sql"
	"errors"

	"github.com/revhub/revhub/core/settlement"
	"github.com/revhub/revhub/ports"
)

// Payees is the payee bank directory (ports.PayeesTx).
func (t *tx) Payees() ports.PayeeRepo { return payeeRepo{t} }

type payeeRepo struct{ *tx }

const payeeCols = `seq, tenant, ref, version, name, payee_id, routing, account, account_type, effective_from,
	prenote, prenote_file, prenote_date, live_from, return_code, updated_at`

func (r payeeRepo) Put(ctx context.Context, a settlement.PayeeAccount) (int64, error) {
	const op = "embedded.Payees.Put"
	if err := a.Validate(); err != nil {
		return 0, invalid(op, err)
	}
	args := []any{a.Name, a.PayeeID, a.Routing, string(a.Account), int(a.AccountType), dayCol(a.EffectiveFrom), string(a.Prenote), a.PrenoteFile,
		dayCol(a.PrenoteDate), dayCol(a.LiveFrom), a.ReturnCode, us(orNow(a.UpdatedAt, r.now)), a.Tenant, a.Ref}
	if a.Version == 0 {
		res, err := r.tx.tx.ExecContext(ctx, `INSERT INTO payee_accounts (version, name, payee_id, routing, account, account_type, effective_from,
			prenote, prenote_file, prenote_date, live_from, return_code, updated_at, tenant, ref)
			VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, args...)
		if err != nil {
			return 0, wrap(op, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return 0, conflict(op, "payee account %s exists already", a.Ref)
		}
		return 1, nil
	}
	res, err := r.tx.tx.ExecContext(ctx, `UPDATE payee_accounts SET version = version + 1, name = ?, payee_id = ?, routing = ?, account = ?,
		account_type = ?, effective_from = ?, prenote = ?, prenote_file = ?, prenote_date = ?, live_from = ?, return_code = ?, updated_at = ?
		WHERE tenant = ? AND ref = ? AND version = ?`, append(args, a.Version)...)
	if err != nil {
		return 0, wrap(op, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		cur, err := r.Get(ctx, a.Tenant, a.Ref)
		if err != nil {
			return 0, err
		}
		return 0, conflict(op, "payee account %s is at version %d, not %d", a.Ref, cur.Version, a.Version)
	}
	return a.Version + 1, nil
}

func (r payeeRepo) Get(ctx context.Context, tenant, ref string) (settlement.PayeeAccount, error) {
	const op = "embedded.Payees.Get"
	a, _, err := scanPayee(r.tx.tx.QueryRowContext(ctx, `SELECT `+payeeCols+` FROM payee_accounts WHERE tenant = ? AND ref = ?`, tenant, ref))
	if errors.Is(err, sql.ErrNoRows) {
		return a, notFound(op, "payee account "+ref)
	}
	return a, wrap(op, err)
}

func (r payeeRepo) List(ctx context.Context, q ports.PayeeQuery) ([]settlement.PayeeAccount, string, error) {
	const op = "embedded.Payees.List"
	after, err := cursor(op, q.Page)
	if err != nil {
		return nil, "", err
	}
	n := q.Page.Size()
	rows, err := r.tx.tx.QueryContext(ctx, `SELECT `+payeeCols+` FROM payee_accounts
		WHERE tenant = ?1 AND seq > ?2 AND (?3 = '' OR prenote = ?3) ORDER BY seq LIMIT ?4`, q.Tenant, after, string(q.Prenote), n+1)
	if err != nil {
		return nil, "", wrap(op, err)
	}
	return page(op, rows, n, scanPayee)
}

func scanPayee(s scanner) (settlement.PayeeAccount, int64, error) {
	var a settlement.PayeeAccount
	var seq, at int64
	var account, prenote string
	var typ uint8
	var eff, pdate, live sql.NullString
	if err := s.Scan(&seq, &a.Tenant, &a.Ref, &a.Version, &a.Name, &a.PayeeID, &a.Routing, &account, &typ, &eff,
		&prenote, &a.PrenoteFile, &pdate, &live, &a.ReturnCode, &at); err != nil {
		return a, 0, err
	}
	a.Account, a.AccountType, a.Prenote = settlement.AccountNumber(account), settlement.AccountType(typ), settlement.PrenoteState(prenote)
	a.EffectiveFrom, a.PrenoteDate, a.LiveFrom, a.UpdatedAt = fromDay(eff), fromDay(pdate), fromDay(live), fromUS(sql.NullInt64{Int64: at, Valid: true})
	return a, seq, nil
}
