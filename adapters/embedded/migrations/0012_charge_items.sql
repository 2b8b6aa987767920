-- Charge items (issue 4): capture writes one per event and reads them back
-- only by id, so they live in a table whose one index is the primary key.
-- Charge items already among the documents move here.
CREATE TABLE charge_items (
	tenant  TEXT    NOT NULL,
	id      TEXT    NOT NULL,
	version INTEGER NOT NULL,
	body    BLOB    NOT NULL,
	PRIMARY KEY (tenant, id)
) WITHOUT ROWID;
INSERT INTO charge_items (tenant, id, version, body)
	SELECT tenant, id, version, body FROM documents WHERE kind = 'charge_item';
DELETE FROM documents WHERE kind = 'charge_item';
