-- 行政区划: 12-digit codes, GB/T 2260 (6) + township (3) + village (3).
CREATE TABLE divisions (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]{12}$'),
  name        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
  parent_code text REFERENCES divisions (code),
  -- true for divisions the demo made up (villages, communities): the public data stops at townships
  generated   boolean NOT NULL DEFAULT false,
  geometry    jsonb,
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX divisions_parent ON divisions (parent_code);
CREATE INDEX divisions_code_prefix ON divisions (code text_pattern_ops);

CREATE TABLE departments (
  id            bigserial PRIMARY KEY,
  code          text NOT NULL UNIQUE,
  name          text NOT NULL,
  short_name    text,
  kind          text NOT NULL DEFAULT 'government',
  division_code text NOT NULL REFERENCES divisions (code),
  parent_id     bigint REFERENCES departments (id),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (division_code, name)
);
CREATE INDEX departments_division ON departments (division_code text_pattern_ops);
CREATE INDEX departments_parent ON departments (parent_id);

-- 网格: a polygon under a township or community, the unit a grid worker looks after.
CREATE TABLE grids (
  code          text PRIMARY KEY,
  name          text NOT NULL,
  division_code text NOT NULL REFERENCES divisions (code),
  geometry      jsonb NOT NULL,
  schematic     boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX grids_division ON grids (division_code text_pattern_ops);

-- Bumped by every statement that changes grids, in the same transaction, so that each process can tell
-- with one primary-key read whether its in-memory point-in-polygon index is stale.
CREATE TABLE grid_revision (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  revision  bigint NOT NULL
);
INSERT INTO grid_revision (revision) VALUES (0);

CREATE FUNCTION bump_grid_revision() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE grid_revision SET revision = revision + 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER grids_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON grids
  FOR EACH STATEMENT EXECUTE FUNCTION bump_grid_revision();
