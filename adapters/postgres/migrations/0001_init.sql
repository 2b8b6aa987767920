-- Money is a bigint of minor units plus a char(3) currency code.

CREATE TABLE audit_entries (
	tenant  text        NOT NULL,
	seq     bigint      NOT NULL,
	at      timestamptz NOT NULL,
	actor   text        NOT NULL,
	action  text        NOT NULL,
	subject text        NOT NULL,
	before  bytea,
	after   bytea,
	reason  text        NOT NULL,
	prev    bytea       NOT NULL,
	hash    bytea       NOT NULL,
	PRIMARY KEY (tenant, seq)
);

CREATE TABLE api_tokens (
	id         text        PRIMARY KEY,
	tenant     text        NOT NULL,
	name       text        NOT NULL,
	role       text        NOT NULL,
	hash       bytea       NOT NULL UNIQUE,
	created_at timestamptz NOT NULL,
	revoked_at timestamptz
);
CREATE INDEX api_tokens_tenant ON api_tokens (tenant, created_at);

CREATE TABLE outbox (
	seq             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant          text        NOT NULL,
	id              text        NOT NULL,
	org             text        NOT NULL,
	binding         text        NOT NULL,
	kind            text        NOT NULL,
	idempotency_key text        NOT NULL,
	payload         bytea       NOT NULL,
	amount_minor    bigint,
	currency        char(3),
	state           text        NOT NULL,
	attempts        integer     NOT NULL DEFAULT 0,
	last_error      text        NOT NULL DEFAULT '',
	last_error_at   timestamptz,
	created_at      timestamptz NOT NULL,
	next_attempt_at timestamptz NOT NULL,
	updated_at      timestamptz NOT NULL,
	sent_at         timestamptz,
	lease_owner     text        NOT NULL DEFAULT '',
	lease_until     timestamptz,
	UNIQUE (tenant, id),
	UNIQUE (tenant, idempotency_key),
	CHECK ((amount_minor IS NULL) = (currency IS NULL))
);
CREATE INDEX outbox_due ON outbox (next_attempt_at, seq) WHERE state IN ('pending', 'failed');
CREATE INDEX outbox_state ON outbox (tenant, state, seq);
CREATE INDEX outbox_binding ON outbox (tenant, org, binding, state);
CREATE INDEX outbox_errors ON outbox (tenant, org, binding, last_error_at) WHERE last_error_at IS NOT NULL;

CREATE TABLE number_series (
	tenant text   NOT NULL,
	series text   NOT NULL,
	period text   NOT NULL,
	last   bigint NOT NULL,
	PRIMARY KEY (tenant, series, period)
);

CREATE TABLE numbers_issued (
	tenant text   NOT NULL,
	series text   NOT NULL,
	period text   NOT NULL,
	number bigint NOT NULL,
	PRIMARY KEY (tenant, series, period, number)
);

CREATE TABLE idempotency_keys (
	tenant    text    NOT NULL,
	scope     text    NOT NULL,
	key       text    NOT NULL,
	completed boolean NOT NULL DEFAULT false,
	result    bytea,
	PRIMARY KEY (tenant, scope, key)
);

CREATE TABLE artifacts (
	seq        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant     text        NOT NULL,
	id         text        NOT NULL,
	org        text        NOT NULL,
	direction  text        NOT NULL CHECK (direction IN ('inbound', 'outbound')),
	media_type text        NOT NULL,
	sha256     bytea       NOT NULL,
	body       bytea       NOT NULL,
	source     text        NOT NULL,
	created_at timestamptz NOT NULL,
	parent     text        NOT NULL DEFAULT '',
	status     text        NOT NULL CHECK (status IN ('resolved', 'unresolved')),
	UNIQUE (tenant, id)
);
CREATE INDEX artifacts_parent ON artifacts (tenant, parent);
CREATE INDEX artifacts_prune ON artifacts (tenant, status, created_at);

CREATE TABLE artifact_links (
	seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant      text NOT NULL,
	artifact_id text NOT NULL,
	ref_kind    text NOT NULL,
	ref_id      text NOT NULL,
	UNIQUE (tenant, artifact_id, ref_kind, ref_id)
);

CREATE TABLE runs (
	seq         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant      text        NOT NULL,
	id          text        NOT NULL,
	kind        text        NOT NULL,
	status      text        NOT NULL,
	started_at  timestamptz NOT NULL,
	finished_at timestamptz,
	parent      text        NOT NULL DEFAULT '',
	summary     jsonb,
	UNIQUE (tenant, id)
);
CREATE INDEX runs_kind ON runs (tenant, kind, seq);
CREATE INDEX runs_parent ON runs (tenant, parent, seq);

CREATE TABLE sync_received (
	tenant       text   NOT NULL,
	org          text   NOT NULL,
	binding      text   NOT NULL,
	currency     text   NOT NULL,
	count        bigint NOT NULL,
	amount_minor bigint NOT NULL,
	PRIMARY KEY (tenant, org, binding, currency)
);

CREATE TABLE sync_bindings (
	tenant          text NOT NULL,
	org             text NOT NULL,
	binding         text NOT NULL,
	last_success_at timestamptz,
	last_error      text NOT NULL DEFAULT '',
	last_error_at   timestamptz,
	breaker         text NOT NULL DEFAULT 'closed',
	breaker_since   timestamptz,
	PRIMARY KEY (tenant, org, binding)
);

CREATE TABLE documents (
	seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	tenant       text        NOT NULL,
	kind         text        NOT NULL,
	id           text        NOT NULL,
	version      bigint      NOT NULL,
	org          text        NOT NULL,
	key          text,
	ref          text        NOT NULL,
	status       text        NOT NULL,
	amount_minor bigint,
	currency     char(3),
	body         jsonb       NOT NULL,
	updated_at   timestamptz NOT NULL,
	UNIQUE (tenant, kind, id),
	UNIQUE (tenant, kind, key),
	CHECK ((amount_minor IS NULL) = (currency IS NULL))
);
CREATE INDEX documents_ref ON documents (tenant, kind, ref);
CREATE INDEX documents_status ON documents (tenant, kind, status, seq);
CREATE INDEX documents_org ON documents (tenant, kind, org, seq);
