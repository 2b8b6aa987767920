-- Capture inserts a charge item per event under a random (hash) id
-- (issue 4). With the primary key over (tenant, id), each of the some 25
-- comparisons an insert makes on its way down the btree first compared the
-- tenant, equal for nearly every neighbour, then fetched the id behind the
-- tenant's variable-length value: the key comparisons were a fifth of
-- PostgreSQL's time in capture. Over (id, tenant) the id decides at once.
-- Items are read by tenant and id together (equality on both) or by ref;
-- List (tenant, id > after) filters the tenant while it walks the ids.
-- The index is rebuilt without CONCURRENTLY, as the migration runs in a
-- transaction: on a large table, writes wait while it builds.
ALTER TABLE charge_items DROP CONSTRAINT charge_items_pkey;
ALTER TABLE charge_items ADD CONSTRAINT charge_items_pkey PRIMARY KEY (id, tenant);
