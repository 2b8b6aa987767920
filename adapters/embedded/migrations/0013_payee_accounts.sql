-- The payee bank directory (issue 6): where a claim's payee reference is paid
-- by ACH, with its prenote. Dates are TEXT 'YYYY-MM-DD'; times INTEGER microseconds.
CREATE TABLE payee_accounts (
	seq            INTEGER PRIMARY KEY AUTOINCREMENT,
	tenant         TEXT    NOT NULL,
	ref            TEXT    NOT NULL,
	version        INTEGER NOT NULL,
	name           TEXT    NOT NULL,
	payee_id       TEXT    NOT NULL,
	routing        TEXT    NOT NULL,
	account        TEXT    NOT NULL,
	account_type   INTEGER NOT NULL,
	effective_from TEXT    NOT NULL,
	prenote        TEXT    NOT NULL,
	prenote_file   TEXT    NOT NULL,
	prenote_date   TEXT,
	live_from      TEXT,
	return_code    TEXT    NOT NULL,
	updated_at     INTEGER NOT NULL,
	UNIQUE (tenant, ref)
);
CREATE INDEX payee_accounts_prenote ON payee_accounts (tenant, prenote, seq);
