-- Times are INTEGER microseconds since the Unix epoch, UTC.
-- Money is an INTEGER of minor units plus a 3-letter currency code.

CREATE TABLE audit_entries (
	tenant  TEXT    NOT NULL,
	seq     INTEGER NOT NULL,
	at      INTEGER NOT NULL,
	actor   TEXT    NOT NULL,
	action  TEXT    NOT NULL,
	subject TEXT    NOT NULL,
	before  BLOB,
	after   BLOB,
	reason  TEXT    NOT NULL,
	prev    BLOB    NOT NULL,
	hash    BLOB    NOT NULL,
	PRIMARY KEY (tenant, seq)
) WITHOUT ROWID;

CREATE TABLE api_tokens (
	id         TEXT    NOT NULL PRIMARY KEY,
	tenant     TEXT    NOT NULL,
	name       TEXT    NOT NULL,
	role       TEXT    NOT NULL,
	hash       BLOB    NOT NULL UNIQUE,
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
);
CREATE INDEX api_tokens_tenant ON api_tokens (tenant, created_at);

CREATE TABLE outbox (
	seq             INTEGER PRIMARY KEY AUTOINCREMENT,
	tenant          TEXT    NOT NULL,
	id              TEXT    NOT NULL,
	org             TEXT    NOT NULL,
	binding         TEXT    NOT NULL,
	kind            TEXT    NOT NULL,
	idempotency_key TEXT    NOT NULL,
	payload         BLOB    NOT NULL,
	amount_minor    INTEGER,
	currency        TEXT CHECK (currency IS NULL OR length(currency) = 3),
	state           TEXT    NOT NULL,
	attempts        INTEGER NOT NULL DEFAULT 0,
	last_error      TEXT    NOT NULL DEFAULT '',
	last_error_at   INTEGER,
	created_at      INTEGER NOT NULL,
	next_attempt_at INTEGER NOT NULL,
	updated_at      INTEGER NOT NULL,
	sent_at         INTEGER,
	lease_owner     TEXT    NOT NULL DEFAULT '',
	lease_until     INTEGER NOT NULL DEFAULT 0,
	UNIQUE (tenant, id),
	UNIQUE (tenant, idempotency_key)
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, seq) WHERE state IN ('pending', 'failed');
CREATE INDEX outbox_state ON outbox (tenant, state, seq);
CREATE INDEX outbox_binding ON outbox (tenant, org, binding, state);
CREATE INDEX outbox_errors ON outbox (tenant, org, binding, last_error_at) WHERE last_error_at IS NOT NULL;

CREATE TABLE number_series (
	tenant TEXT    NOT NULL,
	series TEXT    NOT NULL,
	period TEXT    NOT NULL,
	last   INTEGER NOT NULL,
	PRIMARY KEY (tenant, series, period)
) WITHOUT ROWID;

CREATE TABLE numbers_issued (
	tenant TEXT    NOT NULL,
	series TEXT    NOT NULL,
	period TEXT    NOT NULL,
	number INTEGER NOT NULL,
	PRIMARY KEY (tenant, series, period, number)
) WITHOUT ROWID;

CREATE TABLE idempotency_keys (
	tenant    TEXT NOT NULL,
	scope     TEXT NOT NULL,
	key       TEXT NOT NULL,
	completed INTEGER NOT NULL DEFAULT 0,
	result    BLOB,
	PRIMARY KEY (tenant, scope, key)
) WITHOUT ROWID;

CREATE TABLE artifacts (
	seq        INTEGER PRIMARY KEY AUTOINCREMENT,
	tenant     TEXT    NOT NULL,
	id         TEXT    NOT NULL,
	org        TEXT    NOT NULL,
	direction  TEXT    NOT NULL CHECK (direction IN ('inbound', 'outbound')),
	media_type TEXT    NOT NULL,
	sha256     BLOB    NOT NULL,
	body       BLOB    NOT NULL,
	source     TEXT    NOT NULL,
	created_at INTEGER NOT NULL,
	parent     TEXT    NOT NULL DEFAULT '',
	status     TEXT    NOT NULL CHECK (status IN ('resolved', 'unresolved')),
	UNIQUE (tenant, id)
);
CREATE INDEX artifacts_parent ON artifacts (tenant, parent);
CREATE INDEX artifacts_prune ON artifacts (tenant, status, created_at);

CREATE TABLE artifact_links (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	tenant      TEXT NOT NULL,
	artifact_id TEXT NOT NULL,
	ref_kind    TEXT NOT NULL,
	ref_id      TEXT NOT NULL,
	UNIQUE (tenant, artifact_id, ref_kind, ref_id)
);

CREATE TABLE runs (
	seq         INTEGER PRIMARY KEY AUTOINCREMENT,
	tenant      TEXT    NOT NULL,
	id          TEXT    NOT NULL,
	kind        TEXT    NOT NULL,
	status      TEXT    NOT NULL,
	started_at  INTEGER NOT NULL,
	finished_at INTEGER,
	parent      TEXT    NOT NULL DEFAULT '',
	summary     BLOB,
	UNIQUE (tenant, id)
);
CREATE INDEX runs_kind ON runs (tenant, kind, seq);
CREATE INDEX runs_parent ON runs (tenant, parent, seq);

CREATE TABLE sync_received (
	tenant       TEXT    NOT NULL,
	org          TEXT    NOT NULL,
	binding      TEXT    NOT NULL,
	currency     TEXT    NOT NULL,
	count        INTEGER NOT NULL,
	amount_minor INTEGER NOT NULL,
	PRIMARY KEY (tenant, org, binding, currency)
) WITHOUT ROWID;

CREATE TABLE sync_bindings (
	tenant          TEXT NOT NULL,
	org             TEXT NOT NULL,
	binding         TEXT NOT NULL,
	last_success_at INTEGER,
	last_error      TEXT NOT NULL DEFAULT '',
	last_error_at   INTEGER,
	breaker         TEXT NOT NULL DEFAULT 'closed',
	breaker_since   INTEGER,
	PRIMARY KEY (tenant, org, binding)
) WITHOUT ROWID;

CREATE TABLE documents (
	seq          INTEGER PRIMARY KEY AUTOINCREMENT,
	tenant       TEXT    NOT NULL,
	kind         TEXT    NOT NULL,
	id           TEXT    NOT NULL,
	version      INTEGER NOT NULL,
	org          TEXT    NOT NULL,
	key          TEXT,
	ref          TEXT    NOT NULL,
	status       TEXT    NOT NULL,
	amount_minor INTEGER,
	currency     TEXT CHECK (currency IS NULL OR length(currency) = 3),
	body         BLOB    NOT NULL,
	updated_at   INTEGER NOT NULL,
	UNIQUE (tenant, kind, id),
	UNIQUE (tenant, kind, key)
);
CREATE INDEX documents_ref ON documents (tenant, kind, ref);
CREATE INDEX documents_status ON documents (tenant, kind, status, seq);
CREATE INDEX documents_org ON documents (tenant, kind, org, seq);
