-- The purpose the grant of a call was approved for, kept with its evidence (the ledger entry hashes and publishes
-- it), so that a call stating another purpose can be told. Null for a call refused before a grant was found.
ALTER TABLE hub_evidence ADD COLUMN grant_purpose text;
