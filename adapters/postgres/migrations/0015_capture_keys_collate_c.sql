-- Capture inserts thousands of artifacts and charge items per transaction
-- under random (hash) ids (issue 4): their key columns compare bytes
-- (COLLATE "C", memcmp) instead of going through the database's locale on
-- every btree comparison, about a sixth cheaper per insert. Ids are ASCII,
-- and byte order is the order the embedded store (SQLite, BINARY) pages by.
-- The tables are not rewritten; their indexes are rebuilt.
ALTER TABLE charge_items
	ALTER COLUMN tenant TYPE text COLLATE "C",
	ALTER COLUMN id TYPE text COLLATE "C",
	ALTER COLUMN ref TYPE text COLLATE "C";
ALTER TABLE artifacts
	ALTER COLUMN tenant TYPE text COLLATE "C",
	ALTER COLUMN id TYPE text COLLATE "C",
	ALTER COLUMN parent TYPE text COLLATE "C";
