-- Stamps of data that changes rarely but is read by nearly every command (the grids, the working calendar,
-- a module's configuration). Every statement that changes such data renews its stamp in the same
-- transaction, so a cache keyed by the stamp is never stale: whoever reads a stamp sees exactly the rows it
-- belongs to, and the stamp of a transaction that rolls back is never seen again.
CREATE TABLE cache_stamps (
  name  text PRIMARY KEY,
  stamp uuid NOT NULL DEFAULT gen_random_uuid()
);

CREATE FUNCTION renew_cache_stamp() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO cache_stamps (name) VALUES (TG_ARGV[0]) ON CONFLICT (name) DO UPDATE SET stamp = gen_random_uuid();
  RETURN NULL;
END
$$;

INSERT INTO cache_stamps (name) VALUES ('grids'), ('calendar');
CREATE TRIGGER grids_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grids
  FOR EACH STATEMENT EXECUTE FUNCTION renew_cache_stamp('grids');
CREATE TRIGGER calendar_days_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_days
  FOR EACH STATEMENT EXECUTE FUNCTION renew_cache_stamp('calendar');
CREATE TRIGGER calendar_years_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_years
  FOR EACH STATEMENT EXECUTE FUNCTION renew_cache_stamp('calendar');

-- The calendar's own stamp row is replaced by the triggers above.
DROP TABLE calendar_revision;
DROP TRIGGER grids_changed ON grids;
DROP FUNCTION bump_grid_revision();
DROP TABLE grid_revision;
