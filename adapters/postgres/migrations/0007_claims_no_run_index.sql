-- Remittances name their lines (claim id and version), so no index needs
-- run_id: a settlement run's UPDATE then maintains only the primary key.
DROP INDEX claims_run;
