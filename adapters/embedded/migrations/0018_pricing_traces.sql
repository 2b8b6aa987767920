-- Pricing traces (issue 4) are kept once per tenant under their content
-- hash: a charge item names its trace instead of carrying it.
CREATE TABLE pricing_traces (
	tenant TEXT NOT NULL,
	id     TEXT NOT NULL,
	body   BLOB NOT NULL,
	PRIMARY KEY (tenant, id)
) WITHOUT ROWID;
