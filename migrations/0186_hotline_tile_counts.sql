-- 一张图: tickets counted ahead of time per map cell and day, so that a zoomed-out tile of a year's tickets reads
-- a few hundred rows instead of a million (src/hotline/tile-counts.ts). A cell is the XYZ tile (level, cx, cy) at
-- levels 14 to 17, the cells of tiles at zooms 10 to 13, per county (the first six digits of the division: a
-- county's centre reads its own). Counts are running totals per cell up to and including a day of receipt (UTC),
-- so any window of whole days is two lookups per cell. A sweep rolls up the days before `rolled_until`; every
-- change to a ticket of an earlier day (an import of old tickets, a corrected place, a deletion) is logged in
-- hotline_tile_dirty, and until the sweep has redone that day a tile counts from that day on from the tickets.
CREATE TABLE hotline_tile_cells (
  id     serial PRIMARY KEY,
  level  smallint NOT NULL,
  cx     integer NOT NULL,
  cy     integer NOT NULL,
  county text NOT NULL,
  UNIQUE (level, cx, cy, county)
);

CREATE TABLE hotline_tile_counts (
  cell_id integer NOT NULL REFERENCES hotline_tile_cells (id),
  day     date NOT NULL,
  -- Running totals over the days up to this one: tickets, and the sums of their longitudes and latitudes (a
  -- cell's count is drawn at its tickets' mean position).
  tickets bigint NOT NULL,
  lon_sum double precision NOT NULL,
  lat_sum double precision NOT NULL,
  PRIMARY KEY (cell_id, day)
);
CREATE INDEX hotline_tile_counts_day ON hotline_tile_counts (day);

CREATE TABLE hotline_tile_rollup (
  only_row     boolean PRIMARY KEY DEFAULT true CHECK (only_row),
  -- Tickets received before this day (UTC) are in the counts, but for the days in hotline_tile_dirty.
  rolled_until date NOT NULL DEFAULT '-infinity'
);
INSERT INTO hotline_tile_rollup DEFAULT VALUES;

-- One row per day and transaction, so that the sweep deletes only the marks it has seen in its snapshot.
CREATE TABLE hotline_tile_dirty (
  day   date NOT NULL,
  xact  bigint NOT NULL,
  PRIMARY KEY (day, xact)
);

-- Marks the days before today (UTC) of the ticket before and after the change.
CREATE FUNCTION hotline_tile_dirty() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.received_at < date_trunc('day', now(), 'UTC') THEN
    INSERT INTO hotline_tile_dirty VALUES ((OLD.received_at AT TIME ZONE 'UTC')::date, txid_current()) ON CONFLICT DO NOTHING;
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.received_at < date_trunc('day', now(), 'UTC') THEN
    INSERT INTO hotline_tile_dirty VALUES ((NEW.received_at AT TIME ZONE 'UTC')::date, txid_current()) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NULL;
END $$;

-- Tickets received today (UTC) are never rolled up, so the intake of new tickets passes the WHEN and writes nothing.
CREATE TRIGGER hotline_tile_dirty_insert AFTER INSERT ON hotline_tickets FOR EACH ROW
  WHEN (NEW.received_at < date_trunc('day', now(), 'UTC')) EXECUTE FUNCTION hotline_tile_dirty();
CREATE TRIGGER hotline_tile_dirty_update AFTER UPDATE OF lon, lat, division_code, received_at ON hotline_tickets FOR EACH ROW
  WHEN ((OLD.lon, OLD.lat, OLD.division_code, OLD.received_at) IS DISTINCT FROM (NEW.lon, NEW.lat, NEW.division_code, NEW.received_at)
        AND least(OLD.received_at, NEW.received_at) < date_trunc('day', now(), 'UTC')) EXECUTE FUNCTION hotline_tile_dirty();
CREATE TRIGGER hotline_tile_dirty_delete AFTER DELETE ON hotline_tickets FOR EACH ROW
  WHEN (OLD.received_at < date_trunc('day', now(), 'UTC')) EXECUTE FUNCTION hotline_tile_dirty();
