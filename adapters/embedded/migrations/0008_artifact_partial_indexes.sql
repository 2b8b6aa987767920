-- Inbound payloads are originals (parent '') and stay unresolved until they
-- are settled: the parent and prune indexes cover only the rows they find,
-- so capture's artifact insert maintains the two unique indexes and no more.
DROP INDEX artifacts_parent;
CREATE INDEX artifacts_parent ON artifacts (tenant, parent) WHERE parent <> '';
DROP INDEX artifacts_prune;
CREATE INDEX artifacts_prune ON artifacts (tenant, created_at) WHERE status = 'resolved';
