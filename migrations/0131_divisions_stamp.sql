-- The divisions' names are read by every intake that gives an address (does the address name the township
-- the point lies in?): cached in memory by a stamp like the grids (see 0006_cache_stamps.sql).
INSERT INTO cache_stamps (name) VALUES ('divisions');
CREATE TRIGGER divisions_stamp AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON divisions
  FOR EACH STATEMENT EXECUTE FUNCTION renew_cache_stamp('divisions');
