-- 管辖争议: a case no single unit owns (its point on the line between two areas whose catalogue units
-- differ, a component without 权属, two units both returning it) waits in the command centre's queue with its
-- candidates; the decision dispatches it and may become a jurisdiction rule that routes the next case at once.
CREATE TABLE cityops_disputes (
  id                     bigserial PRIMARY KEY,
  case_id                bigint NOT NULL REFERENCES cityops_cases (id) ON DELETE CASCADE,
  -- The case's division when the dispute opened: the queue is scoped by it.
  division_code          text NOT NULL,
  state                  text NOT NULL CHECK (state IN ('open', 'decided')),
  -- Why there is no single owner: 'boundary', 'no-owner', 'returned'.
  reasons                text[] NOT NULL CHECK (cardinality(reasons) > 0),
  candidate_ids          bigint[] NOT NULL,
  -- The grids within reach of the case's point (its own first): the areas a decision may place it in.
  grid_codes             text[] NOT NULL DEFAULT '{}',
  opened_by              text NOT NULL,
  opened_at              timestamptz NOT NULL,
  -- The decision's limit (working hours of the calendar); the case's clock runs to it.
  due_at                 timestamptz NOT NULL,
  decided_department_id  bigint REFERENCES departments (id),
  decision_reason        text,
  decided_by             text,
  decided_by_name        text,
  decided_at             timestamptz,
  -- The grid the decision placed the case in, when it moved it across the line.
  placed_grid_code       text,
  rule_id                bigint,
  CHECK ((state = 'open') = (decided_at IS NULL))
);
CREATE UNIQUE INDEX cityops_disputes_open_case ON cityops_disputes (case_id) WHERE state = 'open';
CREATE INDEX cityops_disputes_queue ON cityops_disputes (state, division_code text_pattern_ops, due_at);

-- 管辖规则: a decision made general: this component, this place (a radius around a point) or this grid, for
-- a kind or any kind, belongs to this unit. Routing consults them before component ownership and the catalogue.
CREATE TABLE cityops_jurisdiction_rules (
  id                   bigserial PRIMARY KEY,
  scope                text NOT NULL CHECK (scope IN ('component', 'place', 'grid')),
  kind_code            text REFERENCES cityops_case_kinds (code),
  component_code       text,
  grid_code            text,
  lon                  double precision CHECK (lon BETWEEN -180 AND 180),
  lat                  double precision CHECK (lat BETWEEN -90 AND 90),
  radius_m             integer CHECK (radius_m BETWEEN 10 AND 300),
  -- Where a case the rule routes is placed when the unit does not serve the case's own area (a place across the line).
  home_grid_code       text,
  home_division_code   text,
  division_code        text NOT NULL,
  department_id        bigint NOT NULL REFERENCES departments (id),
  reason               text NOT NULL,
  dispute_id           bigint REFERENCES cityops_disputes (id) ON DELETE SET NULL,
  created_by           text NOT NULL,
  created_by_name      text NOT NULL,
  created_at           timestamptz NOT NULL,
  retired_at           timestamptz,
  retired_by_name      text,
  retired_reason       text,
  CHECK (scope <> 'component' OR component_code IS NOT NULL),
  CHECK (scope <> 'grid' OR grid_code IS NOT NULL),
  CHECK (scope <> 'place' OR (lon IS NOT NULL AND lat IS NOT NULL AND radius_m IS NOT NULL))
);
CREATE INDEX cityops_jurisdiction_rules_live ON cityops_jurisdiction_rules (scope) WHERE retired_at IS NULL;
CREATE INDEX cityops_jurisdiction_rules_division ON cityops_jurisdiction_rules (division_code text_pattern_ops);
ALTER TABLE cityops_disputes ADD FOREIGN KEY (rule_id) REFERENCES cityops_jurisdiction_rules (id) ON DELETE SET NULL;
