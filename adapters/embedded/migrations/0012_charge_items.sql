-- Charge items (issue 4): capture writes one per event and reads them back
-- by id or by encounter (ref), so they live in a table indexed by the primary
-- key and, for items of an encounter, by ref.
-- Charge items already among the documents move here.
CREATE TABLE charge_items (
	tenant  TEXT    NOT NULL,
	id      TEXT    NOT NULL,
	version INTEGER NOT NULL,
	ref     TEXT    NOT NULL DEFAULT '',
	body    BLOB    NOT NULL,
	PRIMARY KEY (tenant, id)
) WITHOUT ROWID;
INSERT INTO charge_items (tenant, id, version, ref, body)
	SELECT tenant, id, version, ref, body FROM documents WHERE kind = 'charge_item';
DELETE FROM documents WHERE kind = 'charge_item';
CREATE INDEX charge_items_ref ON charge_items (tenant, ref, id) WHERE ref <> '';
