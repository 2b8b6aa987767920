-- Charge items (issue 4): capture writes one per event, thousands per
-- transaction, and reads them back only by id, so they live in a table whose
-- one index is the primary key, their JSON kept as bytes (not parsed into
-- jsonb). Charge items already among the documents move here.
CREATE TABLE charge_items (
	tenant  text   NOT NULL,
	id      text   NOT NULL,
	version bigint NOT NULL,
	body    bytea  NOT NULL,
	PRIMARY KEY (tenant, id)
);
INSERT INTO charge_items (tenant, id, version, body)
	SELECT tenant, id, version, convert_to(body::text, 'UTF8') FROM documents WHERE kind = 'charge_item';
DELETE FROM documents WHERE kind = 'charge_item';
