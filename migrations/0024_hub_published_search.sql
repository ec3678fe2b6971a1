-- Catalogue search matches what a reader is shown: the published version of an entry, not the draft of its
-- next version. Each published version keeps the search words it was published with.
ALTER TABLE hub_resource_versions ADD COLUMN search tsvector NOT NULL DEFAULT ''::tsvector;

-- The working copy's words are those of the published version unless a next version is in progress; for
-- such an entry they are the draft's until it is published again (the words of older versions were not kept).
UPDATE hub_resource_versions v SET search = r.search
  FROM hub_resources r WHERE r.id = v.resource_id AND v.version = r.published_version;

CREATE INDEX hub_resource_versions_search ON hub_resource_versions USING gin (search);
