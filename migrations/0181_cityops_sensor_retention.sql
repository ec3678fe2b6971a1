-- How long a type's readings are kept (events, which carry the readings that raised and cleared them, stay).
-- A BRIN index on the reading time lets the retention sweep find old readings without a full scan: readings
-- arrive in time order, so the table's blocks are ordered by time too.
ALTER TABLE cityops_sensor_types ADD COLUMN retention_days integer NOT NULL DEFAULT 400 CHECK (retention_days BETWEEN 7 AND 3650);
CREATE INDEX cityops_sensor_readings_at ON cityops_sensor_readings USING brin (at);
