-- Evidence records (hub_evidence) stand on their own: each is proven by its ledger entry, whose hash covers the ids of the
-- systems, departments, resource, predicate and grant it refers to, and it must outlive any of them. Its
-- foreign keys checked six rows per record written, two thirds of the time of writing evidence in bulk
-- (不来即享 writes one record per person asked), and protected nothing the ledger does not.
ALTER TABLE hub_evidence
  DROP CONSTRAINT IF EXISTS hub_evidence_consumer_system_id_fkey,
  DROP CONSTRAINT IF EXISTS hub_evidence_consumer_department_id_fkey,
  DROP CONSTRAINT IF EXISTS hub_evidence_provider_department_id_fkey,
  DROP CONSTRAINT IF EXISTS hub_evidence_resource_id_fkey,
  DROP CONSTRAINT IF EXISTS hub_evidence_predicate_id_fkey,
  DROP CONSTRAINT IF EXISTS hub_evidence_grant_id_fkey;
