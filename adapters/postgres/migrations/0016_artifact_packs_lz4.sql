-- Capture keeps a batch's inbound payloads as one NDJSON pack per (tenant,
-- org): an artifact body of a few hundred kilobytes, stored out of line and
-- compressed. lz4 compresses it much faster than the default pglz, to about
-- the same size; servers built without lz4 keep pglz.
DO $$
BEGIN
	EXECUTE 'ALTER TABLE artifacts ALTER COLUMN body SET COMPRESSION lz4';
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
	NULL;
END
$$;
