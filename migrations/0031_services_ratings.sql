-- 好差评 (GB/T 39734/39735): ratings of finished applications and of their steps, and rectification of bad ones.

CREATE TABLE services_ratings (
  id             bigserial PRIMARY KEY,
  application_id bigint NOT NULL REFERENCES services_applications (id) ON DELETE CASCADE,
  -- a step of the application's history; null rates the whole case
  step_id        bigint REFERENCES services_application_steps (id) ON DELETE CASCADE,
  -- 5 非常满意, 4 满意, 3 基本满意, 2 不满意, 1 非常不满意
  level          smallint NOT NULL CHECK (level BETWEEN 1 AND 5),
  comment        text,
  -- given by the applicant, or the default 基本满意 after the rating period
  defaulted      boolean NOT NULL DEFAULT false,
  -- copied from the application for the figures
  item_id        bigint NOT NULL,
  department_id  bigint NOT NULL,
  division_code  text NOT NULL,
  channel        text NOT NULL,
  rated_at       timestamptz NOT NULL
);
-- One rating per case and one per step.
CREATE UNIQUE INDEX services_ratings_once ON services_ratings (application_id, coalesce(step_id, 0));
CREATE INDEX services_ratings_department ON services_ratings (department_id, rated_at);

-- 差评整改: verify → rectify → reply to the citizen → review; a named bad rating is also called back (回访).
CREATE TABLE services_rectifications (
  id             bigserial PRIMARY KEY,
  rating_id      bigint NOT NULL UNIQUE REFERENCES services_ratings (id) ON DELETE CASCADE,
  department_id  bigint NOT NULL REFERENCES departments (id),
  division_code  text NOT NULL,
  state          text NOT NULL CHECK (state IN ('verify', 'rectify', 'reply', 'review', 'closed')),
  due            timestamptz NOT NULL,
  -- the rating was found true (核实属实) or not
  substantiated  boolean,
  verify_note    text,
  rectify_note   text,
  reply          text,
  review_note    text,
  called_back_at timestamptz,
  callback_note  text,
  created_at     timestamptz NOT NULL,
  closed_at      timestamptz,
  updated_at     timestamptz NOT NULL
);
CREATE INDEX services_rectifications_queue ON services_rectifications (department_id, state, due);
