-- 一张图 (the one map): cases and sensor devices in a map tile's box, found through GiST indexes on their
-- points (components have theirs since 0090).
CREATE INDEX cityops_cases_place ON cityops_cases USING gist (point(lon, lat));
CREATE INDEX cityops_sensor_devices_place ON cityops_sensor_devices USING gist (point(lon, lat));
