-- A provider token is limited to one provider's remittances and disputes.
ALTER TABLE api_tokens ADD COLUMN provider TEXT NOT NULL DEFAULT '';
