-- Capture writes one artifact per event (issue 4). Artifacts are reached by
-- (tenant, id), unique and not null, which identifies their rows (also for
-- logical replication); seq stays (it orders an artifact's stages) without
-- an index of its own: one btree insert fewer per event, and no index to
-- rebuild here.
ALTER TABLE artifacts DROP CONSTRAINT artifacts_pkey;
ALTER TABLE artifacts REPLICA IDENTITY USING INDEX artifacts_tenant_id_key;
-- A capture batch's journal is one outbox payload of a few hundred
-- kilobytes: lz4 compresses it about four times faster than the default
-- pglz, to the same size. Servers built without lz4 keep pglz.
DO $$
BEGIN
	EXECUTE 'ALTER TABLE outbox ALTER COLUMN payload SET COMPRESSION lz4';
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
	NULL;
END
$$;
