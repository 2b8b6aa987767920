-- Claims (issue 6): one row per claim version, in tables of their own
-- because they are high volume. The hot columns a settlement run updates are
-- kept narrow; the submitted body lives in claim_bodies.

CREATE TABLE claims (
	tenant         text        NOT NULL,
	id             text        NOT NULL,
	version        bigint      NOT NULL,
	current        boolean     NOT NULL,
	status         text        NOT NULL,
	problems       integer     NOT NULL DEFAULT 0,
	lob            text        NOT NULL,
	npi            text        NOT NULL,
	tin            text        NOT NULL,
	payee_ref      text        NOT NULL,
	member         text        NOT NULL,
	encounter      text        NOT NULL,
	received       date,
	service_from   date,
	approved_minor bigint,
	currency       char(3)     NOT NULL,
	arrived_at     timestamptz NOT NULL,
	sha256         bytea       NOT NULL,
	paid_before    boolean     NOT NULL DEFAULT false,
	priority       boolean     NOT NULL DEFAULT false,
	run_id         text,
	reserved_at    timestamptz,
	exception      text,
	PRIMARY KEY (tenant, id, version)
);
-- The pool a run reserves from.
CREATE INDEX claims_pool ON claims (tenant, status, priority DESC, received) WHERE run_id IS NULL AND current;
-- A run's remittance lines per provider.
CREATE INDEX claims_run ON claims (tenant, run_id, npi, id) WHERE run_id IS NOT NULL;

CREATE TABLE claim_bodies (
	tenant  text   NOT NULL,
	id      text   NOT NULL,
	version bigint NOT NULL,
	body    bytea  NOT NULL,
	PRIMARY KEY (tenant, id, version)
);
