-- Pricing traces (issue 4) are kept once per tenant under their content
-- hash: a charge item names its trace instead of carrying it, so the many
-- items priced alike share one row and a captured item is about a third of
-- its former size.
CREATE TABLE pricing_traces (
	tenant text  COLLATE "C" NOT NULL,
	id     text  COLLATE "C" NOT NULL,
	body   bytea NOT NULL,
	PRIMARY KEY (tenant, id)
);
