-- Members of an entry's payload that its writer publishes beside the payload hash (a division code, an item
-- code), for the oversight rules to read. Not part of the leaf text: the payload hash covers them.
ALTER TABLE ledger_queue ADD COLUMN facts jsonb;
ALTER TABLE ledger_entries ADD COLUMN facts jsonb;
