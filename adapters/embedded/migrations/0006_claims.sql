-- Claims (issue 6): one row per claim version, in tables of their own.
-- Dates (received, service_from) are TEXT 'YYYY-MM-DD'; times INTEGER microseconds.

CREATE TABLE claims (
	tenant         TEXT    NOT NULL,
	id             TEXT    NOT NULL,
	version        INTEGER NOT NULL,
	current        INTEGER NOT NULL,
	status         TEXT    NOT NULL,
	problems       INTEGER NOT NULL DEFAULT 0,
	lob            TEXT    NOT NULL,
	npi            TEXT    NOT NULL,
	tin            TEXT    NOT NULL,
	payee_ref      TEXT    NOT NULL,
	member         TEXT    NOT NULL,
	encounter      TEXT    NOT NULL,
	received       TEXT,
	service_from   TEXT,
	approved_minor INTEGER,
	currency       TEXT    NOT NULL,
	arrived_at     INTEGER NOT NULL,
	sha256         BLOB    NOT NULL,
	paid_before    INTEGER NOT NULL DEFAULT 0,
	priority       INTEGER NOT NULL DEFAULT 0,
	run_id         TEXT,
	reserved_at    INTEGER,
	exception      TEXT,
	body           BLOB    NOT NULL,
	PRIMARY KEY (tenant, id, version)
);
CREATE INDEX claims_pool ON claims (tenant, status, priority DESC, received) WHERE run_id IS NULL AND current = 1;
CREATE INDEX claims_run ON claims (tenant, run_id, npi, id) WHERE run_id IS NOT NULL;
