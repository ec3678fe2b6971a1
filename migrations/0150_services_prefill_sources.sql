-- Where each prefilled field of an application came from: the hub resource, and for a base library's golden
-- record the department whose record gave the value.
ALTER TABLE services_applications ADD COLUMN prefill_sources jsonb NOT NULL DEFAULT '{}';
