-- Remittances name their lines (claim id and version): no index on run_id.
DROP INDEX claims_run;
