-- 一网统管, field work (现场作业): the handling worker a unit gives a case to, arrival check-ins (到场签到)
-- inside a geofence of the task, and staff on duty (在岗) with their phones' positions.

-- The unit's worker who goes out to handle the case (处置人员): given by the unit or taken by the worker.
ALTER TABLE cityops_cases ADD COLUMN worker_user_id bigint;
CREATE INDEX cityops_cases_worker ON cityops_cases (worker_user_id) WHERE worker_user_id IS NOT NULL;

-- Photos of a case may be taken on arrival (the before-photo, 处置前).
ALTER TABLE cityops_case_photos DROP CONSTRAINT cityops_case_photos_step_check;
ALTER TABLE cityops_case_photos ADD CONSTRAINT cityops_case_photos_step_check CHECK (step IN ('report', 'verify', 'arrive', 'handle', 'check'));

-- 到场签到: a worker's arrival at a task. The phone's coordinates are not kept here (personal data): the
-- distance to the task, the fence it was held to and the times are the record. `recorded_at` is when the
-- worker checked in on the phone (earlier than `received_at` when it waited in the phone's offline queue).
CREATE TABLE cityops_field_checkins (
  id            bigserial PRIMARY KEY,
  case_id       bigint NOT NULL REFERENCES cityops_cases (id) ON DELETE CASCADE,
  -- The step the worker arrived for: 核实, 处置 or 核查.
  step          text NOT NULL CHECK (step IN ('verifying', 'handling', 'checking')),
  user_id       bigint NOT NULL,
  -- The phone's own id for the check-in: a check-in sent again after a lost answer is the same check-in.
  client_id     uuid NOT NULL,
  distance_m    double precision NOT NULL,
  allowed_m     double precision NOT NULL,
  accuracy      double precision,
  position_at   timestamptz NOT NULL,
  recorded_at   timestamptz NOT NULL,
  received_at   timestamptz NOT NULL,
  -- The step's limit at the check-in, and whether the worker arrived after it (迟到).
  due_at        timestamptz,
  late          boolean NOT NULL,
  UNIQUE (user_id, client_id)
);
CREATE INDEX cityops_field_checkins_case ON cityops_field_checkins (case_id, recorded_at);
CREATE INDEX cityops_field_checkins_user ON cityops_field_checkins (user_id, recorded_at);

-- 在岗: who is on duty now. A worker goes on and off duty from the phone.
CREATE TABLE cityops_field_duty (
  user_id       bigint PRIMARY KEY,
  on_duty       boolean NOT NULL,
  division_code text NOT NULL,
  changed_at    timestamptz NOT NULL
);

-- Positions the phone reports while its worker is on duty: personal data, kept only while on duty and for
-- at most a day (the sweep in field-duty.ts; going off duty deletes them at once).
CREATE TABLE cityops_field_positions (
  id          bigserial PRIMARY KEY,
  user_id     bigint NOT NULL,
  lon         double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  lat         double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  accuracy    double precision,
  at          timestamptz NOT NULL
);
CREATE INDEX cityops_field_positions_user ON cityops_field_positions (user_id, at DESC);
CREATE INDEX cityops_field_positions_at ON cityops_field_positions (at);
