-- Charge items (issue 4): capture writes one per event, thousands per
-- transaction, and reads them back by id or by encounter (ref), so they live
-- in a table indexed by the primary key and, for items of an encounter, by
-- ref, their JSON kept as bytes (not parsed into jsonb). Charge items already among the documents move here.
CREATE TABLE charge_items (
	tenant  text   NOT NULL,
	id      text   NOT NULL,
	version bigint NOT NULL,
	ref     text   NOT NULL DEFAULT '',
	body    bytea  NOT NULL,
	PRIMARY KEY (tenant, id)
);
INSERT INTO charge_items (tenant, id, version, ref, body)
	SELECT tenant, id, version, ref, convert_to(body::text, 'UTF8') FROM documents WHERE kind = 'charge_item';
DELETE FROM documents WHERE kind = 'charge_item';
CREATE INDEX charge_items_ref ON charge_items (tenant, ref, id) WHERE ref <> '';
