-- Workers look every few seconds for the holders of live leases (to take
-- over those of a process that ended). Only claimed, undelivered items have
-- an owner, since Record clears it: this index stays as small as the work
-- in flight however much delivered history the table keeps.
CREATE INDEX outbox_leased ON outbox (lease_until, lease_owner) WHERE lease_owner <> '' AND state IN ('pending', 'failed');
