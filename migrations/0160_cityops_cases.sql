-- 一网统管, cases (案件): problems of components (部件) and events (事件) from every source, through the loop
-- 核实 → 立案 → 派遣 → 处置 → 核查 → 结案 → 评价 with time limits per kind and urgency.

-- 案件分类: the kinds a case is filed under. Component kinds (type `component`) mirror the component
-- catalogue; event kinds (type `event`) ship as data. Code: C or E + 2-digit class + 2-digit kind (C0117 路灯).
CREATE TABLE cityops_case_kinds (
  code               text PRIMARY KEY CHECK (code ~ '^[CE][0-9]{4}$'),
  type               text NOT NULL CHECK (type IN ('component', 'event')),
  class_name_zh      text NOT NULL,
  name_zh            text NOT NULL,
  name_en            text NOT NULL,
  -- 立案条件 and 结案条件 as the supervision centre reads them.
  filing_condition   text NOT NULL,
  closing_condition  text NOT NULL,
  -- The kind of department (org departments.kind) that usually handles such cases.
  department_kind    text,
  -- 处置时限 per urgency: hours, counted in working hours of the calendar or round the clock.
  normal_hours       numeric NOT NULL CHECK (normal_hours > 0),
  normal_round_clock boolean NOT NULL DEFAULT false,
  urgent_hours       numeric NOT NULL CHECK (urgent_hours > 0),
  urgent_round_clock boolean NOT NULL DEFAULT false,
  active             boolean NOT NULL DEFAULT true,
  updated_at         timestamptz NOT NULL DEFAULT now()
);

-- 派遣目录: which department handles a kind of case in an area (a division and everything under it).
CREATE TABLE cityops_dispatch_rules (
  id            bigserial PRIMARY KEY,
  division_code text NOT NULL CHECK (division_code ~ '^[0-9]{12}$'),
  kind_code     text NOT NULL REFERENCES cityops_case_kinds (code),
  department_id bigint NOT NULL REFERENCES departments (id),
  updated_at    timestamptz NOT NULL DEFAULT now(),
  UNIQUE (division_code, kind_code)
);

CREATE TABLE cityops_cases (
  id                 bigserial PRIMARY KEY,
  -- 案卷号: the China day of the report and the id.
  code               text NOT NULL UNIQUE,
  source             text NOT NULL CHECK (source IN ('patrol', 'public', 'hotline', 'sensor', 'leader', 'command')),
  source_ref         text,
  kind_code          text NOT NULL REFERENCES cityops_case_kinds (code),
  urgency            text NOT NULL CHECK (urgency IN ('normal', 'urgent')),
  state              text NOT NULL CHECK (state IN ('verifying', 'filing', 'dispatching', 'handling', 'checking', 'closing',
                                                    'closed', 'rejected')),
  -- Why a case ended without being handled (不予立案, 核实不属实), or the last return's reason.
  outcome            text CHECK (outcome IN ('closed', 'not-filed', 'unfounded')),
  reason             text,
  description        text NOT NULL,
  address            text NOT NULL DEFAULT '',
  lon                double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat                double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  grid_code          text,
  division_code      text NOT NULL,
  component_code     text,
  reporter           text NOT NULL,
  reporter_user_id   bigint,
  -- The patrol worker who holds the field task of the moment (核实 or 核查).
  assignee_user_id   bigint,
  -- Every patrol worker given a field task on the case: they keep seeing it once the task is done.
  field_user_ids     bigint[] NOT NULL DEFAULT '{}',
  department_id      bigint,
  reply              text,
  rework_count       integer NOT NULL DEFAULT 0,
  hotline_ticket_id  bigint,
  -- The clock of the current step: when it started, the warning (预警) and the limit; raised marks.
  step_started_at    timestamptz NOT NULL,
  warning_due_at     timestamptz,
  due_at             timestamptz,
  warned_at          timestamptz,
  supervised_at      timestamptz,
  -- The handling limit of the current dispatch (处置时限), kept for the on-time count.
  handle_due_at      timestamptz,
  rating             integer CHECK (rating BETWEEN 1 AND 5),
  rating_comment     text,
  demo               boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  closed_at          timestamptz
);
CREATE INDEX cityops_cases_division ON cityops_cases (division_code text_pattern_ops, state);
CREATE INDEX cityops_cases_state ON cityops_cases (state, created_at DESC);
CREATE INDEX cityops_cases_department ON cityops_cases (department_id, state);
CREATE INDEX cityops_cases_reporter ON cityops_cases (reporter_user_id);
CREATE INDEX cityops_cases_field_users ON cityops_cases USING gin (field_user_ids);
CREATE INDEX cityops_cases_ticket ON cityops_cases (hotline_ticket_id);
CREATE INDEX cityops_cases_due ON cityops_cases (due_at) WHERE supervised_at IS NULL AND state NOT IN ('closed', 'rejected');

-- The case's history: one row per step, with what the evaluation counts (department, on time, passed).
CREATE TABLE cityops_case_events (
  id            bigserial PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES cityops_cases (id) ON DELETE CASCADE,
  at            timestamptz NOT NULL,
  action        text NOT NULL,
  actor         text NOT NULL,
  actor_name    text NOT NULL,
  user_id       bigint,
  from_state    text,
  to_state      text,
  department_id bigint,
  division_code text NOT NULL,
  note          text,
  on_time       boolean,
  passed        boolean
);
CREATE INDEX cityops_case_events_case ON cityops_case_events (case_id, id);
CREATE INDEX cityops_case_events_month ON cityops_case_events (action, at);

-- Photos of a case: at the report, of the handling (after-photo), at 核实 and 核查.
CREATE TABLE cityops_case_photos (
  id           uuid PRIMARY KEY,
  case_id      bigint NOT NULL REFERENCES cityops_cases (id) ON DELETE CASCADE,
  step         text NOT NULL CHECK (step IN ('report', 'verify', 'handle', 'check')),
  content_type text NOT NULL,
  width        integer NOT NULL,
  height       integer NOT NULL,
  bytes        bytea NOT NULL,
  uploaded_by  text NOT NULL,
  uploaded_at  timestamptz NOT NULL
);
CREATE INDEX cityops_case_photos_case ON cityops_case_photos (case_id);

-- Where a patrol worker's phone was at a report, 核实 or 核查: personal data, shown to the worker alone;
-- others see only the distance to the case.
CREATE TABLE cityops_case_positions (
  case_id     bigint NOT NULL REFERENCES cityops_cases (id) ON DELETE CASCADE,
  step        text NOT NULL CHECK (step IN ('report', 'verify', 'check')),
  user_id     bigint NOT NULL,
  lon         double precision NOT NULL,
  lat         double precision NOT NULL,
  accuracy    double precision,
  distance_m  double precision NOT NULL,
  at          timestamptz NOT NULL
);
CREATE INDEX cityops_case_positions_case ON cityops_case_positions (case_id);

-- 12345 categories of city management: a ticket of one becomes a case of the kind named (by the hotline
-- centre, or by the sweep when `auto`). Keyed by the hotline category's code; a category's descendants follow it.
CREATE TABLE cityops_hotline_categories (
  category_code text PRIMARY KEY,
  kind_code     text NOT NULL REFERENCES cityops_case_kinds (code),
  auto          boolean NOT NULL DEFAULT false,
  updated_at    timestamptz NOT NULL DEFAULT now()
);
