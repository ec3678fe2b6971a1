-- A revision stamp of each service item, replaced by every change (whoever makes it), so that a process
-- may keep an item it read, with its compiled form schema, and see in one column that it is out of date.
-- A random stamp rather than a counter: (id, revision) then names one item's content in any database.
ALTER TABLE services_items ADD COLUMN revision uuid NOT NULL DEFAULT gen_random_uuid();

CREATE FUNCTION services_items_new_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.revision := gen_random_uuid();
  RETURN NEW;
END $$;

CREATE TRIGGER services_items_revision BEFORE UPDATE ON services_items
  FOR EACH ROW EXECUTE FUNCTION services_items_new_revision();
