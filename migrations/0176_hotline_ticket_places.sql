-- 一张图 (the one map): the tickets in a map tile's box, found through a GiST index on their point. Tickets
-- without a point are not on the map.
CREATE INDEX hotline_tickets_place ON hotline_tickets USING gist (point(lon, lat)) WHERE lon IS NOT NULL AND lat IS NOT NULL;
