-- The case (案件) a raised sensor event opened, or why none could be opened (its point in no grid of the city,
-- its kind retired): an event with neither is still to be opened.
ALTER TABLE cityops_sensor_events
  ADD COLUMN case_id bigint REFERENCES cityops_cases (id),
  ADD COLUMN case_error text;
CREATE INDEX cityops_sensor_events_caseless ON cityops_sensor_events (id) WHERE state = 'raised' AND case_id IS NULL AND case_error IS NULL;
