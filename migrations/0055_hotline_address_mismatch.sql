-- 地址与定位不符: when the typed address names another township (or county) than the one the point on the map
-- lies in, what each said at intake, so the clerk sees it: {"address": {"code", "name"}, "point": {"code", "name"}}.
ALTER TABLE hotline_tickets ADD COLUMN address_mismatch jsonb;
