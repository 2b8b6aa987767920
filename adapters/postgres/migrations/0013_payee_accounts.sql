-- The payee bank directory (issue 6): where a claim's payee reference is paid
-- by ACH, with its prenote.
CREATE TABLE payee_accounts (
	seq            bigserial   PRIMARY KEY,
	tenant         text        NOT NULL,
	ref            text        NOT NULL,
	version        bigint      NOT NULL,
	name           text        NOT NULL,
	payee_id       text        NOT NULL,
	routing        char(9)     NOT NULL,
	account        text        NOT NULL,
	account_type   smallint    NOT NULL,
	effective_from date        NOT NULL,
	prenote        text        NOT NULL,
	prenote_file   text        NOT NULL,
	prenote_date   date,
	live_from      date,
	return_code    text        NOT NULL,
	updated_at     timestamptz NOT NULL,
	UNIQUE (tenant, ref)
);
CREATE INDEX payee_accounts_prenote ON payee_accounts (tenant, prenote, seq);
