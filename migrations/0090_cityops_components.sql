-- 一网统管, components (部件): the catalogue of classes (大类) and kinds (小类), and the city's components
-- with their 16-digit codes (6-digit division + 2-digit class + 2-digit kind + 6-digit serial).

-- 大类: the six classes of the standard.
CREATE TABLE cityops_component_classes (
  code    text PRIMARY KEY CHECK (code ~ '^[0-9]{2}$'),
  name_zh text NOT NULL,
  name_en text NOT NULL
);

-- 小类: the standard's kinds (shipped, `standard`) and the city's extensions (added by an admin).
CREATE TABLE cityops_component_kinds (
  class_code      text NOT NULL REFERENCES cityops_component_classes (code),
  code            text NOT NULL CHECK (code ~ '^[0-9]{2}$'),
  name_zh         text NOT NULL,
  name_en         text NOT NULL,
  -- The kind of department (org departments.kind) that usually has charge (主管) of such components.
  department_kind text,
  standard        boolean NOT NULL,
  active          boolean NOT NULL DEFAULT true,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (class_code, code)
);

CREATE TABLE cityops_components (
  code                     text PRIMARY KEY CHECK (code ~ '^[0-9]{16}$'),
  class_code               text NOT NULL,
  kind_code                text NOT NULL,
  -- The grid's division (township or community), or the code's county when the point is in no grid.
  division_code            text NOT NULL,
  grid_code                text,
  lon                      double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat                      double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  location                 point GENERATED ALWAYS AS (point(lon, lat)) STORED,
  state                    text NOT NULL CHECK (state IN ('intact', 'damaged', 'missing', 'occupied')),
  -- Departments (org) in charge (主管), owning (权属) and maintaining (养护). The commands check them; no
  -- foreign keys, so that loading a city's 200,000 components runs no per-row trigger.
  competent_department_id  bigint,
  owner_department_id      bigint,
  maintainer_department_id bigint,
  address                  text NOT NULL DEFAULT '',
  installed_on             date,
  surveyed_on              date,
  source                   text NOT NULL CHECK (source IN ('survey', 'import', 'registered', 'demo')),
  created_at               timestamptz NOT NULL DEFAULT now(),
  updated_at               timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (class_code, kind_code) REFERENCES cityops_component_kinds (class_code, code)
);
CREATE INDEX cityops_components_division ON cityops_components (division_code text_pattern_ops, code);
CREATE INDEX cityops_components_kind ON cityops_components (class_code, kind_code);
CREATE INDEX cityops_components_grid ON cityops_components (grid_code);
CREATE INDEX cityops_components_location ON cityops_components USING gist (location);
CREATE INDEX cityops_components_competent ON cityops_components (competent_department_id);
CREATE INDEX cityops_components_owner ON cityops_components (owner_department_id);
CREATE INDEX cityops_components_maintainer ON cityops_components (maintainer_department_id);
